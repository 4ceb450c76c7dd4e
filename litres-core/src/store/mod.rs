//! The store trait: what the sync engine needs from a shop, in domain terms.
//!
//! A shop implements [`CartStore`] once; the genre and product updates are
//! generic over it. A shop that reports sales to LitRes also implements
//! [`OrderStore`], the order side. [`MemoryStore`] is the reference implementation, and
//! the `contract` module (cargo feature `contract`) holds the tests every
//! implementation must pass.

#[cfg(feature = "contract")]
pub mod contract;
mod error;
mod memory;
mod memory_orders;
mod orders;
mod types;

pub use error::{StoreError, StoreErrorKind};
pub use memory::{MemoryCategory, MemoryProduct, MemoryStore};
pub use orders::{NotificationState, Order, OrderLine, OrderStore};
pub use types::{
    CategoryDraft, ProductDraft, ProductFile, ProductStatus, StoredCategory, StoredProduct,
};

use async_trait::async_trait;

use crate::model::{ArtId, CategoryId, ProductId, WorkType};
use crate::time::MoscowTime;

/// A shop's catalog as the sync engine sees it.
///
/// Calls arrive one at a time from one task. A product update wraps the
/// writes of each window in [`CartStore::begin_window`] and
/// [`CartStore::commit_window`]; a store with transactions makes the window
/// atomic, and every store saves the checkpoint in `commit_window`.
/// Products are found again by art id, so a store must return a product it
/// wrote even when the checkpoint after it was never saved.
#[async_trait]
pub trait CartStore: Send + Sync {
    /// Returns every category the store keeps for a genre tree position,
    /// disabled ones included.
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError>;

    /// Creates a category for a tree position and returns its id.
    async fn create_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError>;

    /// Overwrites the name, parent, position and status of a category.
    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError>;

    /// Disables a category whose genre left the tree. Categories are never
    /// deleted.
    async fn disable_category(&self, id: CategoryId) -> Result<(), StoreError>;

    /// Finds the product imported for a LitRes book.
    async fn find_product(&self, art_id: ArtId) -> Result<Option<StoredProduct>, StoreError>;

    /// Creates a product and returns its id.
    async fn create_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError>;

    /// Overwrites a product with a new draft. `send_cover` is false when the
    /// cover is unchanged, so a store that re-downloads images can skip it.
    async fn update_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
        send_cover: bool,
    ) -> Result<(), StoreError>;

    /// Disables a product, keeping its files so past buyers can still
    /// download them. `changed_at`, when given, replaces the product's
    /// stored LitRes change time (`source_updated`).
    async fn disable_product(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError>;

    /// Returns the checkpoint of a work type: the feed `timestamp` of the
    /// last completed window.
    async fn load_checkpoint(&self, work_type: &WorkType)
        -> Result<Option<MoscowTime>, StoreError>;

    /// Starts the writes of one window.
    async fn begin_window(&self) -> Result<(), StoreError>;

    /// Saves the checkpoint of a work type and ends the window's writes.
    async fn commit_window(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError>;

    /// Drops what a store with transactions wrote since `begin_window`; a
    /// store without them keeps the writes, which the next run finds again
    /// by art id.
    async fn abort_window(&self) -> Result<(), StoreError>;
}
