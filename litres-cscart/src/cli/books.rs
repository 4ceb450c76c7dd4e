//! `litres books`: the product update.

use std::process::ExitCode;

use chrono::NaiveDate;
use litres_core::client::Client;
use litres_core::model::{ExternalId, WorkType};
use litres_core::sync::{self, BookReport, BookRequest};

use super::config::{self, ToolConfig};
use super::progress::Progress;
use super::{output, store, BooksArgs, CliError};

pub fn run(args: &BooksArgs) -> Result<ExitCode, CliError> {
    let config = config::load(args.common.config.as_deref())?;
    let request = request_from_args(args)?;
    let report = super::runtime()?.block_on(update(&config, &request))?;
    if args.common.json {
        output::print_json(&report)?;
    } else {
        output::print_book_report(&report);
    }
    Ok(exit_code(&report))
}

/// Returns 0 when every window and record succeeded, else 1.
pub fn exit_code(report: &BookReport) -> ExitCode {
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_FAILED)
    }
}

/// Runs the product update with loaded settings.
pub async fn update(config: &ToolConfig, request: &BookRequest) -> Result<BookReport, CliError> {
    let client = Client::new(config.settings.client_config())
        .map_err(|error| CliError::Usage(format!("invalid LitRes settings: {error}")))?;
    let store = store::open(&config.store, &config.settings).await?;
    let progress = Progress::new();
    let result = sync::update_books(
        &client,
        store.as_ref(),
        &config.settings.sync_config(),
        request,
        &progress,
    )
    .await;
    progress.finish();
    result.map_err(|error| match error {
        sync::SyncError::Window(problem) => CliError::Usage(problem.to_string()),
        other => CliError::Failed(format!("product update failed: {other}")),
    })
}

fn request_from_args(args: &BooksArgs) -> Result<BookRequest, CliError> {
    let from = match &args.from {
        Some(text) => Some(
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                CliError::Usage(format!(
                    "--from {text:?} is not a date: use YYYY-MM-DD, such as 2026-11-20"
                ))
            })?,
        ),
        None => None,
    };
    let work_type = match &args.work_type {
        Some(code)
            if code.trim().is_empty() || !code.trim().bytes().all(|byte| byte.is_ascii_digit()) =>
        {
            return Err(CliError::Usage(format!(
                "--type {code:?} is not a work type code: use a number such as 0 (text), 1 (audio), 4 (PDF) or 11"
            )));
        }
        Some(code) => Some(WorkType::from_code(code)),
        None => None,
    };
    let mut request = BookRequest::default();
    request.work_type = work_type;
    request.from = from;
    request.days = args.days;
    request.minutes = args.minutes;
    request.uuid = args
        .uuid
        .as_deref()
        .map(|uuid| ExternalId::new(uuid.trim()));
    Ok(request)
}
