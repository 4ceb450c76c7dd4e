//! Opening the configured store.

use litres_core::settings::Settings;
use litres_core::store::{CartStore, OrderStore, StoreErrorKind};
use litres_cscart::cscart::CsCartStore;
use litres_cscart::sqlite::SqliteStore;

use super::config::StoreChoice;
use super::CliError;

/// Opens the store the settings name. For CS-Cart this runs the settings
/// check first, so wrong settings stop the command before any write.
pub async fn open(
    choice: &StoreChoice,
    settings: &Settings,
) -> Result<Box<dyn CartStore>, CliError> {
    match choice {
        StoreChoice::Sqlite { path } => Ok(Box::new(open_sqlite(path)?)),
        StoreChoice::CsCart { config } => Ok(Box::new(connect_cscart(config, settings).await?)),
    }
}

/// Opens the store that keeps the orders the settings name: the embedded
/// database, or the CS-Cart shop (after the same settings check).
pub async fn open_orders(
    choice: &StoreChoice,
    settings: &Settings,
) -> Result<Box<dyn OrderStore>, CliError> {
    match choice {
        StoreChoice::Sqlite { path } => Ok(Box::new(open_sqlite(path)?)),
        StoreChoice::CsCart { config } => Ok(Box::new(connect_cscart(config, settings).await?)),
    }
}

fn open_sqlite(path: &std::path::Path) -> Result<SqliteStore, CliError> {
    SqliteStore::open(path).map_err(|error| CliError::Usage(error.to_string()))
}

async fn connect_cscart(
    config: &litres_cscart::cscart::CsCartConfig,
    settings: &Settings,
) -> Result<CsCartStore, CliError> {
    CsCartStore::connect(config.clone(), settings)
        .await
        .map_err(|error| match error.kind() {
            StoreErrorKind::Config => CliError::Usage(error.to_string()),
            _ => CliError::Failed(format!("connecting to CS-Cart failed: {error}")),
        })
}
