//! `litres demo`: the whole import against the sandbox, on a fresh machine.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chrono::NaiveDate;
use clap::Args;
use litres_core::settings::Settings;
use litres_core::sync::BookRequest;
use litres_core::MoscowTime;
use litres_testkit::sandbox::{Sandbox, SandboxConfig};

use super::config::{StoreChoice, ToolConfig};
use super::{books, genres, output, CliError};

/// First day of the sample catalog's changes.
const SAMPLE_FROM: &str = "2026-11-20";
/// End of the sample catalog's changes (Moscow time); the demo imports up to
/// here so the number of windows does not depend on today's date.
const SAMPLE_END: &str = "2026-11-27 00:00:00";
/// Pause the demo sandbox requires between requests, shorter than LitRes's
/// one second so the demo finishes in seconds.
const SANDBOX_REQUEST_INTERVAL: Duration = Duration::from_millis(100);
/// Pause the demo client keeps between requests: a little longer than the
/// sandbox's limit, as a client should keep to LitRes's limit with a margin.
const CLIENT_REQUEST_INTERVAL: Duration = Duration::from_millis(120);

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Database file to import into.
    #[arg(long, value_name = "FILE", default_value = "litres-demo.db")]
    db: PathBuf,
    /// Print the reports as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &DemoArgs) -> Result<ExitCode, CliError> {
    super::runtime()?.block_on(demo(args))
}

async fn demo(args: &DemoArgs) -> Result<ExitCode, CliError> {
    let catalog = litres_testkit::sample_catalog_dir();
    let sandbox_config = SandboxConfig::new()
        .with_catalog_dir(&catalog)
        .with_min_request_interval(SANDBOX_REQUEST_INTERVAL);
    let sandbox = Sandbox::start(sandbox_config).await.map_err(|error| {
        CliError::Failed(format!(
            "cannot start the sandbox with catalog {}: {error}",
            catalog.display()
        ))
    })?;
    println!(
        "sandbox: {} serving {}",
        sandbox.base_url(),
        catalog.display()
    );

    let settings: Settings = serde_json::from_value(serde_json::json!({
        "partner_id": sandbox.partner_id(),
        "secret_key": sandbox.secret_key().expose(),
        "base_url": sandbox.base_url(),
        "min_request_interval_ms": CLIENT_REQUEST_INTERVAL.as_millis() as u64,
        "product_types": "0, 1, 4, 11",
        "max_downloads": 5,
    }))
    .map_err(|error| CliError::Failed(format!("demo settings are invalid: {error}")))?;
    let config = ToolConfig {
        settings,
        store: StoreChoice::Sqlite {
            path: args.db.clone(),
        },
    };

    genres::update(&config, args.json).await?;
    let mut request = BookRequest::default();
    request.from = NaiveDate::parse_from_str(SAMPLE_FROM, "%Y-%m-%d").ok();
    request.days = Some(1);
    request.now = MoscowTime::parse(SAMPLE_END).ok();
    let report = books::update(&config, &request).await?;
    if args.json {
        output::print_json(&report)?;
    } else {
        output::print_book_report(&report);
    }
    sandbox.shutdown().await;

    if !args.json {
        println!();
        println!("imported into {}", args.db.display());
        println!(
            "  look inside:  sqlite3 {} 'select art_id, name, status from products limit 10'",
            args.db.display()
        );
        println!("  run again:    the rerun finds every book unchanged and writes nothing");
        println!("  the sample catalog holds one broken record on purpose; it is reported above and skipped");
        println!("  serve it yourself: cargo run -p litres-cscart -- sandbox");
    }
    let windows_ok = report.failed_windows() == 0;
    Ok(if windows_ok {
        ExitCode::SUCCESS
    } else {
        books::exit_code(&report)
    })
}
