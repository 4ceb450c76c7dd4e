//! Opening the configured store.

use litres_core::settings::Settings;
use litres_core::store::{CartStore, StoreErrorKind};
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
        StoreChoice::Sqlite { path } => {
            let store =
                SqliteStore::open(path).map_err(|error| CliError::Usage(error.to_string()))?;
            Ok(Box::new(store))
        }
        StoreChoice::CsCart { config } => {
            let store = CsCartStore::connect(config.clone(), settings)
                .await
                .map_err(|error| match error.kind() {
                    StoreErrorKind::Config => CliError::Usage(error.to_string()),
                    _ => CliError::Failed(format!("connecting to CS-Cart failed: {error}")),
                })?;
            Ok(Box::new(store))
        }
    }
}
