//! Compares a catalog import through the PHP pull loop with the same
//! import into the Rust `MemoryStore`.
//!
//! ```text
//! cargo run --release -p litres-ffi --example bridge_bench -- [BOOKS] [SEED]
//! ```
//!
//! Generates BOOKS invented books (default 20000, seed 1) and serves them
//! from the sandbox on loopback with no rate limit. Then it times the
//! product update three times:
//!
//! - the Rust engine into a `MemoryStore`;
//! - the Rust engine into a store that keeps nothing;
//! - `php` running `php/bench/bridge_bench.php` through the library, with
//!   a PHP store that keeps nothing.
//!
//! Needs `php` with FFI on PATH. `LITRES_LIB` overrides the library path.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use litres_core::client::Client;
use litres_core::settings::Settings;
use litres_core::store::{
    CartStore, CategoryDraft, MemoryStore, ProductDraft, StoreError, StoredCategory, StoredProduct,
};
use litres_core::sync::{self, BookRequest, NoProgress};
use litres_core::{ArtId, CategoryId, MoscowTime, ProductId, WorkType};
use litres_testkit::sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> BenchResult<()> {
    let mut args = std::env::args().skip(1);
    let books: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(20_000);
    let seed: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1);

    let dir = tempfile::tempdir()?;
    litres_testkit::catalog_gen::generate(books, seed).write_to(dir.path())?;
    let runtime = tokio::runtime::Runtime::new()?;
    let config = SandboxConfig::new()
        .with_catalog_dir(dir.path())
        .with_min_request_interval(Duration::ZERO);
    let sandbox = runtime.block_on(Sandbox::start(config))?;
    let settings_json = json!({
        "partner_id": sandbox.partner_id(),
        "secret_key": DEFAULT_SECRET_KEY,
        "base_url": sandbox.base_url(),
        "min_request_interval_ms": 0,
        "product_types": "0, 1, 4, 11",
    })
    .to_string();
    let params = json!({"from": "2026-11-20", "days": 1}).to_string();

    let (rust_seen, rust_time) = rust_import(&runtime, &settings_json, &MemoryStore::new())?;
    let (_, null_time) = rust_import(&runtime, &settings_json, &NullStore::default())?;
    let (php_seen, php_time) = php_import(&settings_json, &params)?;
    if rust_seen != php_seen {
        return Err(format!("the Rust import read {rust_seen} records, PHP {php_seen}").into());
    }
    let rate = |seconds: f64| rust_seen as f64 / seconds;
    println!("books generated:          {books} (seed {seed})");
    println!("records per import:       {rust_seen}");
    println!(
        "Rust, MemoryStore:        {rust_time:.2} s, {:.0} records/s",
        rate(rust_time)
    );
    println!(
        "Rust, no-op store:        {null_time:.2} s, {:.0} records/s",
        rate(null_time)
    );
    println!(
        "PHP pull loop, no-op:     {php_time:.2} s, {:.0} records/s",
        rate(php_time)
    );
    println!("PHP / Rust MemoryStore:   {:.2}", php_time / rust_time);
    println!("PHP / Rust no-op store:   {:.2}", php_time / null_time);
    runtime.block_on(sandbox.shutdown());
    Ok(())
}

/// Times the product update into `store`; returns records and seconds.
fn rust_import(
    runtime: &tokio::runtime::Runtime,
    settings_json: &str,
    store: &dyn CartStore,
) -> BenchResult<(u64, f64)> {
    let settings: Settings = serde_json::from_str(settings_json)?;
    let client = Client::new(settings.client_config())?;
    let config = settings.sync_config();
    let mut request = BookRequest::default();
    request.from = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
    request.days = Some(1);
    runtime.block_on(async {
        sync::update_genres(&client, store, &config).await?;
        let started = Instant::now();
        let report = sync::update_books(&client, store, &config, &request, &NoProgress).await?;
        Ok((report.seen, started.elapsed().as_secs_f64()))
    })
}

/// Runs the PHP half; returns records and seconds as PHP measured them.
fn php_import(settings_json: &str, params: &str) -> BenchResult<(u64, f64)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("php/bench/bridge_bench.php");
    let output = Command::new("php")
        .arg(&script)
        .env("LITRES_LIB", library_path()?)
        .env("LITRES_CONFIG", settings_json)
        .env("LITRES_PARAMS", params)
        .output()
        .map_err(|error| format!("cannot run php: {error}; install php-cli"))?;
    if !output.status.success() {
        return Err(format!(
            "php failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let result: Value = serde_json::from_slice(&output.stdout)?;
    let seen = result["seen"]
        .as_u64()
        .ok_or("php printed no record count")?;
    let seconds = result["seconds"].as_f64().ok_or("php printed no time")?;
    Ok((seen, seconds))
}

/// Returns `LITRES_LIB`, or the cdylib cargo built for this example's
/// profile (`target/<profile>/liblitres_ffi.so`).
fn library_path() -> BenchResult<PathBuf> {
    if let Some(path) = std::env::var_os("LITRES_LIB") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(|examples| examples.parent())
        .ok_or("the example binary has no profile directory")?;
    let name = format!(
        "{}litres_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    for candidate in [
        profile_dir.join(&name),
        profile_dir.join("deps").join(&name),
    ] {
        if candidate.exists() {
            return Ok(candidate);
        }
    }
    Err(format!(
        "{name} not found in {}; set LITRES_LIB",
        profile_dir.display()
    )
    .into())
}

/// A store that keeps nothing and finds nothing, like the PHP `NullStore`.
#[derive(Debug, Default)]
struct NullStore {
    next_id: AtomicU64,
}

impl NullStore {
    fn new_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }
}

#[async_trait::async_trait]
impl CartStore for NullStore {
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        Ok(Vec::new())
    }

    async fn create_category(&self, _draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        Ok(CategoryId(self.new_id()))
    }

    async fn update_category(&self, _: CategoryId, _: &CategoryDraft) -> Result<(), StoreError> {
        Ok(())
    }

    async fn disable_category(&self, _id: CategoryId) -> Result<(), StoreError> {
        Ok(())
    }

    async fn find_product(&self, _: ArtId) -> Result<Option<StoredProduct>, StoreError> {
        Ok(None)
    }

    async fn create_product(&self, _draft: &ProductDraft) -> Result<ProductId, StoreError> {
        Ok(ProductId(self.new_id()))
    }

    async fn update_product(
        &self,
        _: ProductId,
        _: &ProductDraft,
        _: bool,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    async fn disable_product(&self, _: ProductId, _: Option<MoscowTime>) -> Result<(), StoreError> {
        Ok(())
    }

    async fn load_checkpoint(&self, _: &WorkType) -> Result<Option<MoscowTime>, StoreError> {
        Ok(None)
    }

    async fn begin_window(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn commit_window(&self, _: &WorkType, _: MoscowTime) -> Result<(), StoreError> {
        Ok(())
    }

    async fn abort_window(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
