//! CS-Cart side of the LitRes integration, and the stores the `litres`
//! tool writes to.
//!
//! [`CsCartStore`] writes to a CS-Cart shop over its REST API (see
//! [`cscart`]). [`SqliteStore`] keeps the catalog in one SQLite file, for
//! evaluation and for operators who run the sync without a shop:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use litres_core::store::{CartStore, CategoryDraft};
//! use litres_core::GenreId;
//! use litres_cscart::SqliteStore;
//!
//! let store = SqliteStore::open_in_memory()?;
//! let draft = CategoryDraft::new(vec![GenreId(5003)], "Fiction", None);
//! let id = store.create_category(&draft).await?;
//! assert_eq!(store.genre_categories().await?[0].id, id);
//! # Ok::<(), litres_core::store::StoreError>(())
//! # }).unwrap();
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod cscart;
pub mod sqlite;

pub use cscart::CsCartStore;
pub use sqlite::SqliteStore;
