//! Mapping policy: which authors, ISBN, categories and files a book gets.
//!
//! Plain functions over the domain model, so each rule has a table test
//! and no store or network is involved.

use std::collections::HashMap;

use crate::model::{normalize_title, Book, BookFiles, CategoryId, FileFormat, GenreId, GenreRef};
use crate::store::{ProductDraft, ProductFile, ProductStatus, StoredCategory};

use super::config::SyncConfig;
use super::hash::content_hash;

/// Genre categories of the store, indexed the two ways books name genres.
#[derive(Debug, Clone, Default)]
pub struct CategoryIndex {
    by_genre_id: HashMap<GenreId, Vec<CategoryId>>,
    by_title: HashMap<String, Vec<CategoryId>>,
}

impl CategoryIndex {
    /// Indexes the enabled categories that the genre update created. A
    /// genre under several parents maps to each of its categories, in the
    /// order the store lists them.
    pub fn new(categories: &[StoredCategory]) -> Self {
        let mut index = Self::default();
        for category in categories.iter().filter(|category| category.enabled) {
            let Some(genre_id) = category.genre_path.last() else {
                continue;
            };
            index
                .by_genre_id
                .entry(*genre_id)
                .or_default()
                .push(category.id);
            index
                .by_title
                .entry(normalize_title(&category.name))
                .or_default()
                .push(category.id);
        }
        index
    }

    /// Returns true when no category is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_genre_id.is_empty()
    }

    fn lookup(&self, genre: &GenreRef) -> &[CategoryId] {
        let found = match genre {
            GenreRef::Tree { id, .. } => self.by_genre_id.get(id),
            GenreRef::Legacy { title, .. } => self.by_title.get(&normalize_title(title)),
        };
        found.map(Vec::as_slice).unwrap_or_default()
    }
}

/// A book that cannot become a product.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// The record has no title, so the product would have no name.
    #[error("book has an empty title: LitRes sent no `book-title`")]
    MissingTitle,
}

/// Maps a book to the product the store should hold.
///
/// # Errors
///
/// [`MappingError`] when the book lacks what every product needs.
pub fn map_book(
    book: &Book,
    config: &SyncConfig,
    categories: &CategoryIndex,
) -> Result<ProductDraft, MappingError> {
    let name = book.title.trim();
    if name.is_empty() {
        return Err(MappingError::MissingTitle);
    }
    let category_ids = pick_categories(&book.genres, categories, config.genre_root);
    let (series, series_number) = match book.series.first() {
        Some(series) => (Some(series.name.clone()), series.number.clone()),
        None => (None, None),
    };
    let mut draft = ProductDraft {
        art_id: book.art_id,
        external_id: book.external_id.clone(),
        work_type: book.work_type.clone(),
        name: name.to_owned(),
        description_html: book.annotation_html.clone(),
        price: book.price,
        status: product_status(book),
        main_category: category_ids.first().copied(),
        category_ids,
        authors: pick_authors(book),
        series,
        series_number,
        isbn: pick_isbn(book),
        cover_url: cover_url(book, &config.cover_base_url),
        vendor_id: config.vendor_id,
        files: pick_files(book, name, &config.text_formats, config.max_downloads),
        content_hash: String::new(),
        source_updated: book.updated,
    };
    draft.content_hash = content_hash(&draft);
    Ok(draft)
}

/// Returns `Active` only when LitRes allows the sale and wants the book kept.
pub fn product_status(book: &Book) -> ProductStatus {
    if book.is_sellable() {
        ProductStatus::Active
    } else {
        ProductStatus::Disabled
    }
}

/// Returns the names of the people with relation 0 (the authors), in feed
/// order, without blanks or repeats.
pub fn pick_authors(book: &Book) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for author in book
        .authors
        .iter()
        .filter(|author| author.relation == crate::model::Author::RELATION_AUTHOR)
    {
        let name = author.full_name();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Returns the printed ISBN, else the LitRes e-ISBN.
pub fn pick_isbn(book: &Book) -> Option<String> {
    [&book.isbn, &book.litres_isbn]
        .into_iter()
        .flatten()
        .map(|isbn| isbn.trim())
        .find(|isbn| !isbn.is_empty())
        .map(str::to_owned)
}

/// Returns the categories of a book: main genre (`master="1"`) first, then
/// the other genres in feed order, then `fallback` when none matched.
pub fn pick_categories(
    genres: &[GenreRef],
    index: &CategoryIndex,
    fallback: Option<CategoryId>,
) -> Vec<CategoryId> {
    let is_master = |genre: &&GenreRef| matches!(genre, GenreRef::Tree { master: true, .. });
    let masters = genres.iter().filter(is_master);
    let others = genres.iter().filter(|genre| !is_master(genre));
    let mut ids: Vec<CategoryId> = Vec::new();
    for genre in masters.chain(others) {
        for id in index.lookup(genre) {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
    }
    if ids.is_empty() {
        ids.extend(fallback);
    }
    ids
}

/// Returns the cover address `<base>/pub/c/cover/<art id>.<ext>`, or `None`
/// when the book has no cover.
pub fn cover_url(book: &Book, base_url: &str) -> Option<String> {
    let extension = book.cover.as_deref()?.trim();
    if extension.is_empty() {
        return None;
    }
    let base = base_url.trim_end_matches('/');
    Some(format!("{base}/pub/c/cover/{}.{extension}", book.art_id))
}

/// Returns the downloadable files: for a text book one file per configured
/// format the book offers, in configured order; for audio and PDF books
/// every file of the groups that are not the trial.
pub fn pick_files(
    book: &Book,
    title: &str,
    formats: &[FileFormat],
    max_downloads: u32,
) -> Vec<ProductFile> {
    match &book.files {
        BookFiles::Text(offered) => formats
            .iter()
            .filter(|format| offered.iter().any(|file| &file.format == *format))
            .map(|format| ProductFile {
                name: format!("{title}.{format}"),
                format: Some(format.clone()),
                litres_file_id: None,
                max_downloads,
            })
            .collect(),
        BookFiles::Groups(groups) => groups
            .iter()
            .filter(|group| !group.is_trial())
            .flat_map(|group| group.files.iter())
            .map(|file| ProductFile {
                name: file.filename.clone(),
                format: None,
                litres_file_id: Some(file.id.clone()),
                max_downloads,
            })
            .collect(),
    }
}
