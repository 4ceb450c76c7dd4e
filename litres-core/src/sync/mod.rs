//! The sync engine: genre update and product update into any [`CartStore`].
//!
//! [`CartStore`]: crate::store::CartStore

mod books;
mod config;
mod decide;
mod error;
mod genres;
mod hash;
pub mod mapping;
mod observer;
mod report;

pub use books::{update_books, BookRequest};
pub use config::SyncConfig;
pub use decide::{
    decide_category, decide_product, decide_removal, CategoryAction, ProductAction, RemovalAction,
};
pub use error::SyncError;
pub use genres::{apply_genre_tree, update_genres};
pub use hash::content_hash;
pub use observer::{NoProgress, SyncObserver};
pub use report::{BookReport, FailedRecord, GenreReport, WindowReport, WindowStatus};

#[cfg(test)]
mod tests;
