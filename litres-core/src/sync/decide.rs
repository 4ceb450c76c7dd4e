//! Decisions per record: what a store write, if any, a record leads to.
//!
//! Records carry LitRes change times, and a product keeps the time of the
//! last record applied to it. A record older than that is stale: a rerun
//! over an old range replays it, and applying it would undo a later change
//! (a removal, a price change) only for a later record to redo it.

use crate::store::{CategoryDraft, ProductDraft, ProductStatus, StoredCategory, StoredProduct};
use crate::time::MoscowTime;
use crate::window::Window;

/// The store write an `updated-book` record needs.
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
    /// The product already matches the draft, or a later record: no write.
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
    if is_older(draft.source_updated, stored.source_updated) {
        return ProductAction::Unchanged;
    }
    if stored.content_hash != draft.content_hash {
        return ProductAction::Update {
            send_cover: stored.cover_url != draft.cover_url,
        };
    }
    if stored.status == draft.status || removed_after(stored, draft) {
        return ProductAction::Unchanged;
    }
    ProductAction::Update {
        send_cover: stored.cover_url != draft.cover_url,
    }
}

/// The store write a `removed-book` record (or `must_import="0"`) needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalAction {
    /// Disable the product, keeping its files, and store this change time.
    Disable {
        /// Change time to store with the product.
        changed_at: Option<MoscowTime>,
    },
    /// The book was never imported, is already disabled, or a later record
    /// was applied.
    Nothing,
}

/// Decides the write for a removal made at `removed_at`, read in `window`.
///
/// A removal without a change time is placed inside its window: it is
/// stale only when the product carries a record from after the window, and
/// it stores the later of the product's time and the window's start, so
/// replaying older records stays stale while later ones still apply.
pub fn decide_removal(
    stored: Option<&StoredProduct>,
    removed_at: Option<MoscowTime>,
    window: Option<&Window>,
) -> RemovalAction {
    let Some(product) = stored else {
        return RemovalAction::Nothing;
    };
    if product.status != ProductStatus::Active {
        return RemovalAction::Nothing;
    }
    match (removed_at, window) {
        (Some(time), _) if is_older(Some(time), product.source_updated) => RemovalAction::Nothing,
        (Some(time), _) => RemovalAction::Disable {
            changed_at: Some(time),
        },
        (None, Some(window)) => match product.source_updated {
            Some(time) if time >= window.end => RemovalAction::Nothing,
            Some(time) => RemovalAction::Disable {
                changed_at: Some(time.max(window.start)),
            },
            None => RemovalAction::Disable {
                changed_at: Some(window.start),
            },
        },
        (None, None) => RemovalAction::Disable { changed_at: None },
    }
}

/// Returns true when the stored product was disabled by a removal stamped
/// with this record's own change time. Such a removal came later in the
/// feed than this record (an untimed removal takes the time of the record
/// before it in its window), so replaying the record must not enable the
/// product again.
///
/// NOTE: a book can be removed and listed again with the same content
/// within one second, or within one window after an untimed removal. Such
/// a book stays disabled until the next change to its content.
fn removed_after(stored: &StoredProduct, draft: &ProductDraft) -> bool {
    stored.status == ProductStatus::Disabled
        && draft.status == ProductStatus::Active
        && draft.source_updated.is_some()
        && draft.source_updated == stored.source_updated
}

/// Returns true when a record time is known to be before the stored one.
fn is_older(record: Option<MoscowTime>, stored: Option<MoscowTime>) -> bool {
    matches!((record, stored), (Some(record), Some(stored)) if record < stored)
}

/// The store write one genre tree position needs.
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
