//! `litres genres`: the genre update.

use std::process::ExitCode;

use litres_core::client::Client;
use litres_core::sync;

use super::config::{self, ToolConfig};
use super::{output, store, CliError, GenresArgs};

pub fn run(args: &GenresArgs) -> Result<ExitCode, CliError> {
    let config = config::load(args.common.config.as_deref())?;
    super::runtime()?.block_on(update(&config, args.common.json))
}

/// Runs the genre update with loaded settings and prints the report.
pub async fn update(config: &ToolConfig, as_json: bool) -> Result<ExitCode, CliError> {
    let client = Client::new(config.settings.client_config())
        .map_err(|error| CliError::Usage(format!("invalid LitRes settings: {error}")))?;
    let store = store::open(&config.store, &config.settings).await?;
    let report = sync::update_genres(&client, store.as_ref(), &config.settings.sync_config())
        .await
        .map_err(|error| CliError::Failed(format!("genre update failed: {error}")))?;
    if as_json {
        output::print_json(&report)?;
    } else {
        output::print_genre_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}
