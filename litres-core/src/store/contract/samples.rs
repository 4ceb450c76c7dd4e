//! Invented drafts for the contract checks and for store-specific tests.

use crate::model::{ArtId, ExternalId, FileFormat, GenreId, Price, WorkType};
use crate::store::{CategoryDraft, ProductDraft, ProductFile, ProductStatus};
use crate::time::MoscowTime;

/// Makes an active text-book draft for `art_id` with every field filled:
/// one author, a series, an ISBN, a cover, one file and no categories.
///
/// Change its public fields to make variants.
pub fn sample_product(art_id: ArtId) -> ProductDraft {
    let file = ProductFile {
        name: format!("book-{art_id}.fb2.zip"),
        format: Some(FileFormat::new(FileFormat::FB2_ZIP)),
        litres_file_id: None,
        max_downloads: 5,
    };
    ProductDraft {
        art_id,
        external_id: ExternalId::new(format!("00000000-0000-4000-8000-{:012}", art_id.get())),
        work_type: WorkType::Text,
        name: format!("Sample book {art_id}"),
        description_html: "<p>An invented annotation.</p>".to_owned(),
        price: Price::from_kopecks(10_900),
        status: ProductStatus::Active,
        category_ids: Vec::new(),
        main_category: None,
        authors: vec!["Anna Sample".to_owned()],
        series: Some("Sample series".to_owned()),
        series_number: Some("1".to_owned()),
        isbn: Some("978-5-0000-0000-0".to_owned()),
        cover_url: Some(format!("https://covers.example/{art_id}.jpg")),
        vendor_id: 0,
        files: vec![file],
        content_hash: format!("hash-{art_id}-v1"),
        source_updated: MoscowTime::parse("2026-11-20 10:00:00").ok(),
    }
}

/// Makes an enabled category draft at the top level for a genre path.
pub fn sample_category(path: &[u64], name: &str) -> CategoryDraft {
    let genre_path = path.iter().copied().map(GenreId).collect();
    CategoryDraft::new(genre_path, name, None)
}
