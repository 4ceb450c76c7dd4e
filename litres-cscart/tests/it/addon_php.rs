//! The add-on's PHP: every file parses, and the `litres_files` API entity
//! passes its checks against the fake CS-Cart functions. Needs the `php`
//! binary (Debian: `apt-get install -y php-cli`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn addon_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("addon")
}

fn php(args: &[&Path]) -> Output {
    Command::new("php")
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!("running php failed ({error}); install it with apt-get install -y php-cli")
        })
}

fn php_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            php_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "php") {
            found.push(path);
        }
    }
}

#[test]
fn addon_php_files_parse() {
    let mut files = Vec::new();
    php_files(&addon_dir(), &mut files);
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        let output = php(&[Path::new("-l"), &file]);
        assert!(
            output.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn litres_files_entity_checks_pass() {
    let script = addon_dir().join("tests/litres_files_test.php");
    let output = php(&[&script]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
