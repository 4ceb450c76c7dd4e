//! Data passed between the sync engine and a store.

use serde::{Deserialize, Serialize};

use crate::model::{
    ArtId, CategoryId, ExternalId, FileFormat, GenreId, Price, ProductId, WorkType,
};
use crate::time::MoscowTime;

/// A category for one genre tree position, as the engine wants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CategoryDraft {
    /// Tree position: genre ids from the top down, the category's identity.
    pub genre_path: Vec<GenreId>,
    /// Category name (the genre title).
    pub name: String,
    /// Parent category; `None` puts the category at the store's top level.
    pub parent: Option<CategoryId>,
    /// Position among its siblings, in tree order.
    pub position: u32,
    /// False for a category whose genre left the tree.
    pub enabled: bool,
    /// Owner company (`vendor_id`), 0 when the store has none.
    pub vendor_id: u64,
}

impl CategoryDraft {
    /// Makes an enabled category draft.
    pub fn new(
        genre_path: Vec<GenreId>,
        name: impl Into<String>,
        parent: Option<CategoryId>,
    ) -> Self {
        Self {
            genre_path,
            name: name.into(),
            parent,
            position: 0,
            enabled: true,
            vendor_id: 0,
        }
    }
}

/// A category the store keeps for a tree position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredCategory {
    /// Store id.
    pub id: CategoryId,
    /// Tree position it was created for.
    pub genre_path: Vec<GenreId>,
    /// Current name.
    pub name: String,
    /// Current parent.
    pub parent: Option<CategoryId>,
    /// Current position among siblings.
    pub position: u32,
    /// False when disabled.
    pub enabled: bool,
}

impl StoredCategory {
    /// Makes a stored category record.
    pub fn new(id: CategoryId, draft: &CategoryDraft) -> Self {
        Self {
            id,
            genre_path: draft.genre_path.clone(),
            name: draft.name.clone(),
            parent: draft.parent,
            position: draft.position,
            enabled: draft.enabled,
        }
    }

    /// Returns true when writing `draft` would change nothing.
    pub fn matches(&self, draft: &CategoryDraft) -> bool {
        self.name == draft.name
            && self.parent == draft.parent
            && self.position == draft.position
            && self.enabled == draft.enabled
    }
}

/// Whether a product is on sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// On sale.
    Active,
    /// Not shown and not sold; files kept.
    Disabled,
}

/// A downloadable file of a product; its bytes stay at LitRes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductFile {
    /// File name shown to the buyer.
    pub name: String,
    /// Text format, for text books.
    pub format: Option<FileFormat>,
    /// LitRes file id, for files of audio and PDF books.
    pub litres_file_id: Option<String>,
    /// Download limit per order, 0 for no limit.
    pub max_downloads: u32,
}

/// A product as the engine wants it, mapped from one LitRes book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductDraft {
    /// LitRes art id, the product's identity.
    pub art_id: ArtId,
    /// LitRes external id, for download links.
    pub external_id: ExternalId,
    /// Work type.
    pub work_type: WorkType,
    /// Product name.
    pub name: String,
    /// Full description: the sanitized annotation HTML.
    pub description_html: String,
    /// Price in RUB.
    pub price: Price,
    /// On sale or not.
    pub status: ProductStatus,
    /// Categories, main category first; empty when no genre matched and no
    /// fallback category is configured.
    pub category_ids: Vec<CategoryId>,
    /// Main category, the first of `category_ids`.
    pub main_category: Option<CategoryId>,
    /// Names of the book's authors (relation 0), in feed order.
    pub authors: Vec<String>,
    /// Series name.
    pub series: Option<String>,
    /// Number in the series.
    pub series_number: Option<String>,
    /// ISBN: the printed one, else the LitRes e-ISBN.
    pub isbn: Option<String>,
    /// Cover image address, when the book has a cover.
    pub cover_url: Option<String>,
    /// Owner company (`vendor_id`), 0 when the store has none.
    pub vendor_id: u64,
    /// Downloadable files.
    pub files: Vec<ProductFile>,
    /// Hash of every field above; equal hashes mean nothing to write.
    pub content_hash: String,
    /// LitRes change time (`updated`) of the record the draft comes from.
    /// Not part of the hash: it orders records, it is not content.
    pub source_updated: Option<MoscowTime>,
}

/// What a store keeps about an imported product for change detection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredProduct {
    /// Store id.
    pub id: ProductId,
    /// Hash of the draft last written.
    pub content_hash: String,
    /// Cover address last written.
    pub cover_url: Option<String>,
    /// Current status.
    pub status: ProductStatus,
    /// LitRes change time of the last record applied: the draft's
    /// `source_updated`, or the time given to `disable_product`.
    pub source_updated: Option<MoscowTime>,
}

impl StoredProduct {
    /// Makes a stored product record.
    pub fn new(
        id: ProductId,
        content_hash: impl Into<String>,
        cover_url: Option<String>,
        status: ProductStatus,
    ) -> Self {
        Self {
            id,
            content_hash: content_hash.into(),
            cover_url,
            status,
            source_updated: None,
        }
    }

    /// Sets the LitRes change time of the last record applied.
    pub fn with_source_updated(mut self, source_updated: Option<MoscowTime>) -> Self {
        self.source_updated = source_updated;
        self
    }
}
