//! LitRes partner integration for online bookstores.
//!
//! This crate talks to the LitRes partner interface, reads its catalog feed
//! and genre tree as streams, splits update intervals into windows, and
//! (in later modules) syncs the catalog into any store that implements the
//! store trait.
//!
//! ```
//! use litres_core::sign;
//! use litres_core::Secret;
//!
//! let key = Secret::new("TESTKEY");
//! let sha = sign::fresh_book(1_444_248_000, &key, "2015-10-08 00:00:00");
//! assert_eq!(sha.len(), 64);
//! assert_eq!(format!("{key:?}"), "Secret([redacted])");
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod client;
pub mod download;
pub mod feed;
pub mod genres;
pub mod model;
pub mod sale;
pub mod secret;
pub mod settings;
pub mod sign;
pub mod store;
pub mod sync;
pub mod time;
pub mod window;

pub use model::*;
pub use secret::Secret;
pub use time::MoscowTime;
