//! The PHP wrapper run by the real `php` binary against the sandbox.
//!
//! The library is the cdylib that cargo built for this test run. Cargo
//! builds every crate type of `litres-ffi` before its integration tests
//! and leaves `liblitres_ffi.so` beside the test binary in
//! `target/*/deps`. So the tests always load the code they were compiled
//! with, whatever the profile or target directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use litres_core::sync::BookRequest;
use litres_testkit::sandbox::{Fault, Injection, SaleOutcome};
use serde_json::Value;

use crate::support::{rust_import, store_dump, TestSandbox};

const PARAMS: &str = r#"{"from": "2026-11-20", "days": 7}"#;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the cdylib built alongside this test binary.
pub fn library_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().expect("test binary directory");
    let name = format!(
        "{}litres_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let path = dir.join(&name);
    assert!(
        path.exists(),
        "{} not found; build it with `cargo build -p litres-ffi` or run `cargo test -p litres-ffi`",
        path.display()
    );
    path
}

/// Runs a PHP test script with the library and sandbox in its environment.
fn run_php(script: &str, sandbox: &TestSandbox, extra: &[(&str, &Path)]) -> Output {
    let path = crate_dir().join("php/tests").join(script);
    let mut command = Command::new("php");
    command
        .arg(&path)
        .env("LITRES_LIB", library_path())
        .env("LITRES_CONFIG", sandbox.config_json())
        .env("LITRES_PARAMS", PARAMS)
        .env("LITRES_VERSION", env!("CARGO_PKG_VERSION"));
    for (name, value) in extra {
        command.env(name, value);
    }
    let output = command.output().unwrap_or_else(|error| {
        panic!("cannot run php ({error}); install it with: apt-get install -y php-cli")
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "php {script} failed with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    assert!(
        stderr.trim().is_empty(),
        "php {script} wrote to stderr:\n{stderr}"
    );
    output
}

#[test]
fn php_import_matches_memory_store() {
    let sandbox = TestSandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let dump_path = dir.path().join("php-store.json");
    let output = run_php("import_test.php", &sandbox, &[("LITRES_DUMP", &dump_path)]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok: genre rerun creates nothing"),
        "{stdout}"
    );

    let dump = std::fs::read_to_string(&dump_path).expect("PHP wrote its store");
    let php_store: Value = serde_json::from_str(&dump).expect("the PHP dump is JSON");
    let mut request = BookRequest::default();
    request.from = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
    request.days = Some(7);
    let rust_store = store_dump(&rust_import(&sandbox, &request));
    for part in ["categories", "products", "checkpoint_types"] {
        let php_part = &php_store[part];
        let rust_part = &rust_store[part];
        assert_eq!(
            php_part.as_object().map(|o| o.len()),
            rust_part.as_object().map(|o| o.len()),
            "{part} count"
        );
        assert_eq!(php_part, rust_part, "{part} differ");
    }
}

#[test]
fn php_failure_paths() {
    let sandbox = TestSandbox::start();
    let feed = litres_testkit::sample_catalog_dir().join("fb-updates-2026-11-21.xml");
    let output = run_php("failures_test.php", &sandbox, &[("LITRES_FEED", &feed)]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok: second job free returns INVALID_HANDLE"),
        "{stdout}"
    );
    assert!(stdout.contains("ok: message names the op"), "{stdout}");
}

#[test]
fn php_sandbox_faults() {
    let sandbox = TestSandbox::start();
    sandbox
        .handle
        .inject(Injection::new(Fault::HtmlErrorPage(200)).on_path("/genres_list_2/"));
    sandbox.handle.inject(Fault::MalformedRecord);
    let output = run_php("fault_test.php", &sandbox, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok: the malformed record is reported by art id"),
        "{stdout}"
    );
    assert_eq!(sandbox.handle.pending_faults(), 0);
}

#[test]
fn php_runtime_is_lazy_and_fork_safe() {
    let sandbox = TestSandbox::start();
    let output = run_php("runtime_test.php", &sandbox, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok: loading the library and making a client start no thread"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok: an update in a forked child succeeds within 10 s"),
        "{stdout}"
    );
}

/// Returns the first ```php block of `docs/c-api.md`.
fn docs_example() -> String {
    docs_php_blocks().remove(0)
}

/// Returns every ```php block of `docs/c-api.md`, in order.
fn docs_php_blocks() -> Vec<String> {
    let path = crate_dir().join("../docs/c-api.md");
    let text = std::fs::read_to_string(&path).expect("docs/c-api.md is readable");
    let mut blocks = Vec::new();
    let mut rest = text.as_str();
    while let Some(found) = rest.find("```php\n") {
        let start = found + "```php\n".len();
        let end = rest[start..].find("```").expect("the php block is closed") + start;
        blocks.push(rest[start..end].to_owned());
        rest = &rest[end..];
    }
    assert!(!blocks.is_empty(), "docs/c-api.md has a php block");
    blocks
}

#[test]
fn docs_example_runs() {
    let sandbox = TestSandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("import.php");
    let example = docs_example();
    assert!(
        example.lines().count() <= 25,
        "the example stays about twenty lines"
    );
    std::fs::write(&script, example).expect("example written");
    let output = Command::new("php")
        .arg(&script)
        .current_dir(crate_dir().join(".."))
        .env("LITRES_LIB", library_path())
        .env("LITRES_BASE_URL", sandbox.handle.base_url())
        .output()
        .expect("php runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let version_line = format!("litres {}, ABI 1", env!("CARGO_PKG_VERSION"));
    assert!(stdout.contains(&version_line), "{stdout}");
    assert!(stdout.contains(" products, "), "{stdout}");
    assert!(!stdout.contains(" 0 products"), "{stdout}");
}

#[test]
fn php_notify_and_links() {
    let sandbox = TestSandbox::start();
    let books = sandbox.text_books();
    let rejected = books[1].0;
    sandbox
        .handle
        .reject_sale(rejected, "rejected by the sandbox");
    let books_json = serde_json::json!([
        [books[0].0.get(), books[0].1],
        [books[1].0.get(), books[1].1],
    ])
    .to_string();
    let config = sandbox.sale_config_json(false);
    let extra = [
        ("LITRES_SALE_CONFIG", Path::new(&config)),
        ("LITRES_BOOKS", Path::new(&books_json)),
    ];
    let output = run_php("sales_test.php", &sandbox, &extra);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok: no state is saved"),
        "the script ran to its end:\n{stdout}"
    );

    let sales = sandbox.handle.sales();
    let orders: Vec<&str> = sales.iter().map(|sale| sale.order.as_str()).collect();
    assert_eq!(
        orders,
        ["1", "3"],
        "one sale per notified order, none in test mode"
    );
    assert_eq!(sales[0].outcome, SaleOutcome::Accepted);
    assert_eq!(sales[0].art_id, books[0].0);
    assert_eq!(sales[0].user, "42");
    assert_eq!(
        sales[1].outcome,
        SaleOutcome::Rejected("rejected by the sandbox".to_owned())
    );
}

/// Defines `$client`, `$store`, `$orderId` and `$productId` for the sales
/// example: order 1, paid, with one book line.
const SALES_PRELUDE: &str = r#"<?php
require 'litres-ffi/php/Litres.php';
require 'litres-ffi/php/LitresArrayStore.php';
$litres = new Litres(getenv('LITRES_LIB'));
$client = $litres->client(json_decode(getenv('LITRES_SALE_CONFIG'), true));
$store = new LitresArrayStore();
$store->insertOrder(array('id' => 1, 'status' => 'P', 'user_id' => '42', 'email' => 'b@example.com',
    'lines' => array(array('product_id' => 7, 'art_id' => (int) getenv('LITRES_ART_ID'),
        'external_id' => getenv('LITRES_EXTERNAL_ID'), 'price' => '109.00'))));
$orderId = 1;
$productId = 7;
?>
"#;

#[test]
fn docs_sales_example_runs() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let example = docs_php_blocks()
        .into_iter()
        .find(|block| block.contains("notifyPending"))
        .expect("docs/c-api.md has a sales example");
    assert!(
        example.lines().count() <= 20,
        "the example stays about fifteen lines"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("sales.php");
    std::fs::write(&script, format!("{SALES_PRELUDE}{example}")).expect("example written");
    let output = Command::new("php")
        .arg(&script)
        .current_dir(crate_dir().join(".."))
        .env("LITRES_LIB", library_path())
        .env("LITRES_SALE_CONFIG", sandbox.sale_config_json(false))
        .env("LITRES_ART_ID", book.0.to_string())
        .env("LITRES_EXTERNAL_ID", &book.1)
        .output()
        .expect("php runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.trim().is_empty(), "no order failed: {stderr}");
    assert!(
        stdout.contains("download: https://"),
        "the example prints a link: {stdout}"
    );
    assert_eq!(
        sandbox.handle.sales().len(),
        1,
        "the cron part sent the sale"
    );
}
