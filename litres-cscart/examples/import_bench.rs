//! Import benchmark: a generated catalog through the sandbox into SQLite.
//!
//! Prints books per second for the first import and for an unchanged rerun,
//! next to the rate of parsing the same feed files alone, measured in the
//! same run, and the ratios between them.
//!
//! ```text
//! cargo run --release -p litres-cscart --example import_bench [-- BOOKS]
//! ```

use std::fs::File;
use std::io::BufReader;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use litres_core::client::{Client, ClientConfig};
use litres_core::feed::FeedReader;
use litres_core::sync::{self, BookReport, BookRequest, NoProgress, SyncConfig};
use litres_core::{MoscowTime, WorkType};
use litres_cscart::SqliteStore;
use litres_testkit::catalog_gen;
use litres_testkit::sandbox::{Sandbox, SandboxConfig};

const DEFAULT_BOOKS: usize = 100_000;
const SEED: u64 = 7;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let books = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("BOOKS must be a whole number, got {text:?}"))?,
        None => DEFAULT_BOOKS,
    };
    let dir = tempfile::tempdir()?;
    let catalog_dir = dir.path().join("catalog");
    let catalog = catalog_gen::generate(books, SEED);
    catalog.write_to(&catalog_dir)?;
    let bytes: usize = catalog.feeds().iter().map(|feed| feed.xml.len()).sum();
    println!(
        "catalog: {books} books, {:.1} MB of feed XML",
        bytes as f64 / 1e6
    );

    let parse_rate = parse_only(&catalog_dir, catalog.feeds())?;
    println!("parse only:     {parse_rate:>9.0} records/s");

    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_catalog_dir(&catalog_dir)
            .with_min_request_interval(Duration::ZERO),
    )
    .await?;
    let client = Client::new(
        ClientConfig::new(sandbox.partner_id(), sandbox.secret_key().clone())
            .base_url(sandbox.base_url())
            .min_request_interval(Duration::ZERO),
    )?;
    let store = SqliteStore::open(dir.path().join("bench.db"))?;
    let mut config = SyncConfig::default();
    config.product_types = ["0", "1", "4", "11"]
        .iter()
        .map(|code| WorkType::from_code(code))
        .collect();
    sync::update_genres(&client, &store, &config).await?;

    let mut request = BookRequest::default();
    request.from = NaiveDate::from_ymd_opt(2026, 11, 20);
    request.days = Some(catalog_gen::DAYS as u32);
    request.now = Some(MoscowTime::parse("2026-11-27 00:00:00")?);

    let first = sync::update_books(&client, &store, &config, &request, &NoProgress).await?;
    let first_rate = rate(&first);
    let rerun = sync::update_books(&client, &store, &config, &request, &NoProgress).await?;
    let rerun_rate = rate(&rerun);
    let rerun_writes = rerun.created + rerun.updated + rerun.disabled;
    sandbox.shutdown().await;

    println!(
        "first import:   {first_rate:>9.0} records/s ({} created, {} failed)",
        first.created,
        first.failed.len()
    );
    println!("unchanged rerun:{rerun_rate:>9.0} records/s ({rerun_writes} writes)");
    println!(
        "ratio first/parse {:.2} (target >= 0.25), rerun/parse {:.2} (target >= 0.50)",
        first_rate / parse_rate,
        rerun_rate / parse_rate
    );
    if rerun_writes != 0 {
        return Err(
            format!("the unchanged rerun made {rerun_writes} writes; expected none").into(),
        );
    }
    Ok(())
}

/// Parses every feed file with the streaming reader and returns records
/// per second.
fn parse_only(dir: &std::path::Path, feeds: &[catalog_gen::FeedFile]) -> std::io::Result<f64> {
    let started = Instant::now();
    let mut records = 0u64;
    for feed in feeds {
        let reader = FeedReader::new(BufReader::new(File::open(dir.join(&feed.name))?));
        records += reader.count() as u64;
    }
    Ok(records as f64 / started.elapsed().as_secs_f64())
}

fn rate(report: &BookReport) -> f64 {
    report.seen as f64 / report.elapsed.as_secs_f64()
}
