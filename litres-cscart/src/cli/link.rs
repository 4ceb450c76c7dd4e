//! `litres link`: a buyer download link for a book of a paid order.

use std::process::ExitCode;

use chrono::Utc;
use clap::Args;
use litres_core::sale::{buyer_link, LinkError};
use litres_core::{OrderId, ProductId};

use super::store::open_orders;
use super::{config, output, CliError, CommonArgs};

#[derive(Debug, Args)]
pub struct LinkArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Order id.
    #[arg(long, value_name = "N")]
    order: u64,
    /// Product id of the book in the order.
    #[arg(long, value_name = "ID")]
    product: u64,
    /// File format, such as fb2.zip, epub, a4.pdf or mobi.prc.
    #[arg(long, value_name = "FORMAT")]
    format: String,
}

pub fn run(args: &LinkArgs) -> Result<ExitCode, CliError> {
    let config = config::load(args.common.config.as_deref())?;
    let link_config = config.settings.link_config();
    let link = super::runtime()?.block_on(async {
        let store = open_orders(&config.store, &config.settings).await?;
        Ok::<_, CliError>(
            buyer_link(
                &*store,
                &link_config,
                OrderId(args.order),
                ProductId(args.product),
                args.format.trim(),
                Utc::now().timestamp(),
            )
            .await,
        )
    })?;
    let link = link.map_err(|error| match error {
        LinkError::OrderNotFound(_) | LinkError::LineNotFound { .. } | LinkError::Link(_) => {
            CliError::Usage(error.to_string())
        }
        other => CliError::Failed(format!("no download link issued: {other}")),
    })?;
    if args.common.json {
        output::print_json(&serde_json::json!({ "link": link }))?;
    } else {
        println!("{link}");
    }
    Ok(ExitCode::SUCCESS)
}
