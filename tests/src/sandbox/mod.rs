//! A LitRes look-alike HTTP server on loopback.
//!
//! It serves a catalog of feed files and a genre tree, checks signatures,
//! timestamps and the one-request-per-second limit like LitRes, responds
//! to sale notifications and download links, and injects faults on demand.
//!
//! | call | path | notes |
//! |---|---|---|
//! | catalog feed | `GET /get_fresh_book/` | window `checkpoint <= updated < endpoint`, `type` (default `0`, or `all`), `uuid` |
//! | genre tree | `GET /genres_list_2/` | no signature |
//! | sale | `GET /purchase` | signed with the notification key |
//! | buyer link | `GET /get_litres_file/<ts>/<user>/<book>.<ext>?sha=` | valid 12 h, up to 60 s early |
//! | server download | `GET /get_the_book/` | unknown book: XML error with status 200 |
//!
//! Errors are an HTTP status with `<error>message</error>`: 400 for a
//! missing or invalid parameter, 403 for a bad signature, stale timestamp
//! or unknown partner, 429 with `Retry-After` for a partner that calls
//! again within [`SandboxConfig::with_min_request_interval`]. The rate
//! limit covers the calls that carry `place` (`get_fresh_book`,
//! `get_the_book`, `purchase`); every request that passes the rate check
//! counts, even when it is rejected later. NOTE: LitRes publishes no error
//! format or rate-limit response, so these are the sandbox's assumptions.
//!
//! ```no_run
//! use litres_testkit::sandbox::{Sandbox, SandboxConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = SandboxConfig::new().with_catalog_dir("tests/catalog/sample");
//! let sandbox = Sandbox::start(config).await?;
//! println!("LitRes sandbox at {}", sandbox.base_url());
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod catalog;
mod config;
mod download;
mod error;
mod faults;
mod fresh_book;
mod sale;
mod server;
mod state;

pub use catalog::{Catalog, CatalogRecord, RecordKind};
pub use config::{
    CatalogSource, SandboxClock, SandboxConfig, DEFAULT_NOTIFICATION_KEY, DEFAULT_PARTNER_ID,
    DEFAULT_SECRET_KEY,
};
pub use download::{LINK_FUTURE_SKEW_SECS, LINK_LIFETIME_SECS};
pub use error::{SandboxError, XML_CONTENT_TYPE};
pub use faults::{Fault, Injection};
pub use sale::{SaleOutcome, SaleRecord, REJECTED_STATUS};
pub use server::{Sandbox, SandboxHandle};
