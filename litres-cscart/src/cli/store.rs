//! Opening the configured store.

use litres_core::store::CartStore;
use litres_cscart::sqlite::SqliteStore;

use super::config::StoreChoice;
use super::CliError;

/// Opens the store the settings name.
pub fn open(choice: &StoreChoice) -> Result<Box<dyn CartStore>, CliError> {
    match choice {
        StoreChoice::Sqlite { path } => {
            let store =
                SqliteStore::open(path).map_err(|error| CliError::Usage(error.to_string()))?;
            Ok(Box::new(store))
        }
    }
}
