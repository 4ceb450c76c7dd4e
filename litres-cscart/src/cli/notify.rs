//! `litres notify`: sale notification for one order or every pending one.

use std::process::ExitCode;

use chrono::Utc;
use clap::{ArgGroup, Args};
use litres_core::client::Client;
use litres_core::sale::{notify_order, notify_pending, LineOutcome, SaleError, SaleReport};
use litres_core::OrderId;

use super::store::open_orders;
use super::{config, output, CliError, CommonArgs};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["order", "pending"])))]
pub struct NotifyArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Report the LitRes books of this order.
    #[arg(long, value_name = "N")]
    order: Option<u64>,
    /// Report every order that has lines due (for cron).
    #[arg(long)]
    pending: bool,
    /// Send again the lines an interrupted run left unconfirmed. Check in
    /// the LitRes partner account first that the sale is missing there.
    #[arg(long)]
    resend_unconfirmed: bool,
}

pub fn run(args: &NotifyArgs) -> Result<ExitCode, CliError> {
    let config = config::load(args.common.config.as_deref())?;
    let client = Client::new(config.settings.client_config())
        .map_err(|error| CliError::Usage(format!("invalid LitRes settings: {error}")))?;
    let sale_config = config
        .settings
        .sale_config()
        .resend_unconfirmed(args.resend_unconfirmed);
    let report = super::runtime()?.block_on(async {
        let store = open_orders(&config.store, &config.settings).await?;
        let now = Utc::now();
        Ok::<_, CliError>(match args.order {
            Some(order) => notify_order(&client, &*store, &sale_config, OrderId(order), now).await,
            None => notify_pending(&client, &*store, &sale_config, now).await,
        })
    })?;
    let report = report.map_err(|error| match error {
        SaleError::OrderNotFound(_) => CliError::Usage(error.to_string()),
        other => CliError::Failed(other.to_string()),
    })?;
    if args.common.json {
        output::print_json(&report)?;
    } else {
        print_report(&report);
    }
    if report.has_failures() {
        Ok(ExitCode::from(super::EXIT_FAILED))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn print_report(report: &SaleReport) {
    if report.lines.is_empty() {
        println!("no order lines to report");
    }
    for line in &report.lines {
        let art = line
            .art_id
            .map_or_else(|| "-".to_owned(), |id| id.to_string());
        println!(
            "order {} product {} art id {art}: {}",
            line.order_id,
            line.product_id,
            describe(&line.outcome)
        );
    }
    for failed in &report.failed_orders {
        println!(
            "order {} moved to status {}: {}",
            failed.order_id, failed.status, failed.reason
        );
    }
}

fn describe(outcome: &LineOutcome) -> String {
    match outcome {
        LineOutcome::Sent => "sent".to_owned(),
        LineOutcome::Rejected { message } => format!("rejected by LitRes: {message}"),
        LineOutcome::RetryScheduled {
            attempts,
            next_attempt_at,
            error,
        } => format!("failed (attempt {attempts}), retry after {next_attempt_at}: {error}"),
        LineOutcome::Error { error } => format!("failed, fix the setup and rerun: {error}"),
        LineOutcome::GaveUp { attempts, error } => {
            format!("gave up after {attempts} attempts: {error}")
        }
        LineOutcome::Test => "recorded as a test (test_mode), nothing sent".to_owned(),
        LineOutcome::Unconfirmed {
            attempt,
            started_at,
        } => format!(
            "unconfirmed: attempt {attempt} started at {started_at} got no saved answer; \
             check the sale in the LitRes partner account, then rerun with \
             --resend-unconfirmed if it is missing"
        ),
        LineOutcome::Waiting { next_attempt_at } => {
            format!("waiting for the retry after {next_attempt_at}")
        }
        LineOutcome::Skipped { reason } => format!("skipped, {reason}"),
        other => other.name().to_owned(),
    }
}
