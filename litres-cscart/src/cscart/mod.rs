//! The CS-Cart store: a [`CartStore`](litres_core::store::CartStore) over
//! CS-Cart's REST API, with a local state database.
//!
//! Products are found by the exact product code `LR<art id>`, categories by
//! their LitRes genre path. The local state file (SQLite, such as
//! `litres-state.db`) keeps the checkpoints, the change-detection hashes,
//! the cover addresses and the genre-path-to-category map. The shop stays
//! the source of truth: without the state file, products are found again by
//! code and categories by name and parent, so a lost file costs time (every
//! product is written once more), never a duplicate.
//!
//! CS-Cart has no transactions, so a window's writes take effect at once;
//! `commit_window` only saves the checkpoint in the state file.
//!
//! ```no_run
//! # async fn run() -> Result<(), litres_core::store::StoreError> {
//! use litres_core::settings::Settings;
//! use litres_core::Secret;
//! use litres_cscart::cscart::{CsCartConfig, CsCartStore};
//!
//! let config = CsCartConfig::new(
//!     "https://shop.example",
//!     "admin@shop.example",
//!     Secret::new("0123456789abcdef0123456789abcdef"),
//!     "litres-state.db",
//! );
//! let store = CsCartStore::connect(config, &Settings::default()).await?;
//! # let _ = store;
//! # Ok(())
//! # }
//! ```

mod client;
mod files;
mod json;
pub mod mapping;
mod orders;
mod settings_check;
mod store;

use std::path::PathBuf;
use std::time::Duration;

use litres_core::settings::Settings;
use litres_core::store::StoreError;
use litres_core::Secret;

pub use mapping::{FeatureMap, FeatureRef, FeatureType};
pub use store::CsCartStore;

/// State file used when `state_path` is not set.
pub const DEFAULT_STATE_FILE: &str = "litres-state.db";

/// Address, credentials and limits of the CS-Cart store.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CsCartConfig {
    /// Shop address before `/api`, such as `https://shop.example`.
    pub url: String,
    /// E-mail of the admin (or vendor) whose API key is used.
    pub email: String,
    /// API key of that user.
    pub api_key: Secret,
    /// Local state database file.
    pub state_path: PathBuf,
    /// Time limit of one request. Default: 60 s.
    pub request_timeout: Duration,
    /// Tries of a product create whose response was lost. Default: 3.
    pub create_attempts: u32,
}

impl CsCartConfig {
    /// Makes a config with the default timeout and attempts.
    pub fn new(
        url: impl Into<String>,
        email: impl Into<String>,
        api_key: Secret,
        state_path: impl Into<PathBuf>,
    ) -> Self {
        Self {
            url: url.into(),
            email: email.into(),
            api_key,
            state_path: state_path.into(),
            request_timeout: Duration::from_secs(60),
            create_attempts: 3,
        }
    }

    /// Sets the time limit of one request. Default: 60 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the tries of a product create whose response was lost. Default: 3.
    pub fn create_attempts(mut self, attempts: u32) -> Self {
        self.create_attempts = attempts.max(1);
        self
    }

    fn client(&self) -> Result<client::RestClient, StoreError> {
        client::RestClient::new(
            &self.url,
            &self.email,
            self.api_key.clone(),
            self.request_timeout,
        )
    }
}

/// Checks the shop settings against CS-Cart before any import and returns
/// the configured features with their types.
///
/// # Errors
///
/// `Config` naming each wrong setting: a missing feature, category or
/// vendor, or a feature of the wrong type (with both types and the fix).
/// Other kinds when CS-Cart cannot be reached or rejects the credentials.
pub async fn check_settings(
    config: &CsCartConfig,
    settings: &Settings,
) -> Result<FeatureMap, StoreError> {
    settings_check::check_with_client(&config.client()?, settings).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_api_key() {
        let config = CsCartConfig::new(
            "http://127.0.0.1:1",
            "admin@example.com",
            Secret::new("TOPSECRETKEY"),
            "state.db",
        );
        assert!(!format!("{config:?}").contains("TOPSECRETKEY"));
        let client = config.client().unwrap();
        assert!(!format!("{client:?}").contains("TOPSECRETKEY"));
    }

    #[test]
    fn url_must_be_http() {
        let config = CsCartConfig::new("shop.example", "a@b.c", Secret::new("K"), "s.db");
        let error = config.client().unwrap_err();
        assert!(error.to_string().contains("\"shop.example\""), "{error}");
    }
}
