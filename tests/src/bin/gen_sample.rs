//! Writes a generated catalog to a directory.
//!
//! `gen_sample` rewrites the bundled sample in `tests/catalog/sample`.
//! `gen_sample DIR` writes the sample to DIR, and
//! `gen_sample DIR BOOKS [SEED]` writes a catalog of BOOKS books (seed 1
//! unless given), as benchmarks need.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use litres_testkit::catalog_gen;

const USAGE: &str = "usage: gen_sample [DIR [BOOKS [SEED]]]\n\
    Writes a generated LitRes catalog (genres.xml and fb-updates files) to DIR.\n\
    Without DIR it rewrites the bundled sample; without BOOKS it writes the sample.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg.starts_with('-')) {
        let asked_for_help = args.iter().any(|arg| arg == "-h" || arg == "--help");
        eprintln!("{USAGE}");
        return if asked_for_help {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let dir = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(litres_testkit::sample_catalog_dir);
    let started = Instant::now();
    let catalog = match (args.get(1), args.get(2)) {
        (None, _) => catalog_gen::sample(),
        (Some(books), seed) => {
            let Ok(books) = books.parse::<usize>() else {
                eprintln!("invalid book count {books:?}: expected a whole number");
                return ExitCode::FAILURE;
            };
            let Ok(seed) = seed.map_or(Ok(1), |seed| seed.parse::<u64>()) else {
                eprintln!("invalid seed {seed:?}: expected a whole number");
                return ExitCode::FAILURE;
            };
            catalog_gen::generate(books, seed)
        }
    };
    if let Err(error) = catalog.write_to(&dir) {
        eprintln!("failed to write the catalog to {}: {error}", dir.display());
        return ExitCode::FAILURE;
    }
    let bytes: usize = catalog.feeds().iter().map(|feed| feed.xml.len()).sum();
    println!(
        "wrote {} books in {} feed files ({} bytes) to {} in {:.2?}",
        catalog.summary().books,
        catalog.feeds().len(),
        bytes,
        dir.display(),
        started.elapsed()
    );
    ExitCode::SUCCESS
}
