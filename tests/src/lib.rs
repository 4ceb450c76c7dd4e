//! Test support for the LitRes integration: a LitRes sandbox server on
//! loopback, a fake of CS-Cart's REST API and a generator of invented
//! catalogs.
//!
//! ```no_run
//! use std::time::Duration;
//! use litres_testkit::sandbox::{Sandbox, SandboxConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = litres_testkit::sample_catalog_dir();
//! let config = SandboxConfig::new()
//!     .with_catalog_dir(dir)
//!     .with_min_request_interval(Duration::ZERO);
//! let sandbox = Sandbox::start(config).await?;
//! let url = format!("{}/genres_list_2/", sandbox.base_url());
//! # let _ = url;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod catalog_gen;
pub mod cscart_fake;
pub mod sandbox;

use std::path::PathBuf;

/// Returns the directory of the bundled sample catalog
/// (`tests/catalog/sample` in the source tree).
pub fn sample_catalog_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/catalog/sample"))
}
