//! Logging setup and report printing.

use std::io::IsTerminal;

use litres_core::sync::{BookReport, GenreReport};
use tracing_subscriber::EnvFilter;

use super::CliError;

/// Sends log lines to standard error, at the levels `RUST_LOG` sets or by
/// default `info` and up. On a terminal the default is `warn` and up,
/// because a progress bar shows what the `info` lines would.
pub fn init_logging() {
    let default_level = if std::io::stderr().is_terminal() { "warn" } else { "info" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// Prints a value as pretty JSON on standard output.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|error| {
        CliError::Failed(format!("could not write the report as JSON: {error}"))
    })?;
    println!("{text}");
    Ok(())
}

/// Prints a genre update report for a person.
pub fn print_genre_report(report: &GenreReport) {
    println!(
        "genres: {} tree positions, {} categories created, {} updated, {} unchanged, {} disabled ({:.1} s)",
        report.positions,
        report.created,
        report.updated,
        report.unchanged,
        report.disabled,
        report.elapsed.as_secs_f64()
    );
}

/// Prints a product update report for a person.
pub fn print_book_report(report: &BookReport) {
    println!(
        "books: {} windows, {} records, {} created, {} updated, {} unchanged, {} disabled, {} failed ({:.1} s)",
        report.windows.len(),
        report.seen,
        report.created,
        report.updated,
        report.unchanged,
        report.disabled,
        report.failed.len(),
        report.elapsed.as_secs_f64()
    );
    for window in report
        .windows
        .iter()
        .filter(|window| window.error.is_some())
    {
        println!(
            "  window failed: type {} [{}, {}) after {} attempts: {}",
            window.work_type,
            window.window.start,
            window.window.end,
            window.attempts,
            window.error.as_deref().unwrap_or_default()
        );
    }
    for failed in &report.failed {
        let art = failed
            .art_id
            .map(|id| id.to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        let retry = match &failed.external_id {
            Some(uuid) => format!(
                " (retry alone: litres books --type {} --uuid {uuid})",
                failed.work_type
            ),
            None => String::new(),
        };
        println!("  record failed: art id {art}: {}{retry}", failed.reason);
    }
}
