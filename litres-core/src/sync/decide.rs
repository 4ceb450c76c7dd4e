//! Decisions per record: what a store write, if any, a record leads to.

use crate::store::{CategoryDraft, ProductDraft, ProductStatus, StoredCategory, StoredProduct};

/// What to do with an `updated-book` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductAction {
    /// The book was never imported.
    Create,
    /// The product differs from the draft; `send_cover` when the cover
    /// address changed.
    Update {
        /// The cover must be sent again.
        send_cover: bool,
    },
    /// The product already holds the draft: no write.
    Unchanged,
}

/// Decides the write for a draft given what the store holds.
///
/// The status is compared beside the hash because a removal disables a
/// product without changing its stored hash.
pub fn decide_product(stored: Option<&StoredProduct>, draft: &ProductDraft) -> ProductAction {
    let Some(stored) = stored else {
        return ProductAction::Create;
    };
    if stored.content_hash == draft.content_hash && stored.status == draft.status {
        return ProductAction::Unchanged;
    }
    ProductAction::Update {
        send_cover: stored.cover_url != draft.cover_url,
    }
}

/// What to do with a `removed-book` record (or `must_import="0"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalAction {
    /// Disable the product, keeping its files.
    Disable,
    /// The book was never imported or is already disabled.
    Nothing,
}

/// Decides the write for a removal.
pub fn decide_removal(stored: Option<&StoredProduct>) -> RemovalAction {
    match stored {
        Some(product) if product.status == ProductStatus::Active => RemovalAction::Disable,
        _ => RemovalAction::Nothing,
    }
}

/// What to do with one genre tree position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryAction {
    /// No category for this position yet.
    Create,
    /// The name, parent, position or status changed.
    Update,
    /// Nothing to write.
    Unchanged,
}

/// Decides the write for a tree position.
pub fn decide_category(stored: Option<&StoredCategory>, draft: &CategoryDraft) -> CategoryAction {
    match stored {
        None => CategoryAction::Create,
        Some(category) if category.matches(draft) => CategoryAction::Unchanged,
        Some(_) => CategoryAction::Update,
    }
}
