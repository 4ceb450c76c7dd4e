//! Writes the bundled sample catalog to `tests/catalog/sample`, or to the
//! directory given as the only argument.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(litres_testkit::sample_catalog_dir);
    let catalog = litres_testkit::catalog_gen::sample();
    match catalog.write_to(&dir) {
        Ok(()) => {
            println!(
                "wrote {} books in {} feed files to {}",
                catalog.summary().books,
                catalog.feeds().len(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "cannot write the sample catalog to {}: {error}",
                dir.display()
            );
            ExitCode::FAILURE
        }
    }
}
