//! Settings of the genre and product updates.

use crate::model::{CategoryId, FileFormat, WorkType};

/// Settings of the sync engine for one shop and import.
///
/// The names follow the product settings (`product_types`, `text_formats`,
/// `max_downloads`, `vendor_id`, `genre_category_id`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SyncConfig {
    /// Work types imported when a run names none (`product_types`).
    /// Default: `0, 1, 11`.
    pub product_types: Vec<WorkType>,
    /// Formats of a text book that become downloadable files, in this order
    /// (`text_formats`). Default: `fb2.zip, epub, a4.pdf, mobi.prc`.
    pub text_formats: Vec<FileFormat>,
    /// Download limit of each file, 0 for no limit (`max_downloads`).
    /// Default: 0.
    pub max_downloads: u32,
    /// Owner company of imported products and categories (`vendor_id`).
    /// Default: 0, for a store without vendors.
    pub vendor_id: u64,
    /// Parent of the genre categories and the category of a book whose
    /// genres match none (`genre_category_id`). Default: `None`, the store's
    /// top level.
    pub genre_root: Option<CategoryId>,
    /// Address that cover paths are appended to. Default:
    /// [`DEFAULT_COVER_BASE_URL`](crate::settings::DEFAULT_COVER_BASE_URL).
    pub cover_base_url: String,
    /// How often one window is tried before the run stops on it. Default: 3.
    pub window_attempts: u32,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            product_types: ["0", "1", "11"]
                .iter()
                .map(|code| WorkType::from_code(code))
                .collect(),
            text_formats: [
                FileFormat::FB2_ZIP,
                FileFormat::EPUB,
                FileFormat::A4_PDF,
                FileFormat::MOBI_PRC,
            ]
            .iter()
            .map(|name| FileFormat::new(name))
            .collect(),
            max_downloads: 0,
            vendor_id: 0,
            genre_root: None,
            cover_base_url: crate::settings::DEFAULT_COVER_BASE_URL.to_owned(),
            window_attempts: 3,
        }
    }
}
