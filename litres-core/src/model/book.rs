//! Catalog records: the data one `get_fresh_book` record gives about a book.

use serde::{Deserialize, Serialize};

use super::{ArtId, ExternalId, FileFormat, GenreId, Price, WorkType};
use crate::time::MoscowTime;

/// One record of a catalog feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// `updated-book`: a book to create or update.
    Updated(Box<Book>),
    /// `removed-book`: a book the store must stop selling.
    Removed(RemovedBook),
}

impl Record {
    /// Returns the art id of the book the record is about.
    pub fn art_id(&self) -> ArtId {
        match self {
            Self::Updated(book) => book.art_id,
            Self::Removed(removed) => removed.art_id,
        }
    }
}

/// A `removed-book` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemovedBook {
    /// Art id of the removed book.
    pub art_id: ArtId,
    /// When LitRes removed it (`updated`), if the record gives the time.
    pub updated: Option<MoscowTime>,
}

impl RemovedBook {
    /// Makes a removal record with no change time.
    pub fn new(art_id: ArtId) -> Self {
        Self {
            art_id,
            updated: None,
        }
    }
}

/// An `updated-book` record with every field the import uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Book {
    /// LitRes art id (`id`).
    pub art_id: ArtId,
    /// Document UUID (`external_id`).
    pub external_id: ExternalId,
    /// Work type (`type`).
    pub work_type: WorkType,
    /// Title (`title-info/book-title`).
    pub title: String,
    /// Annotation as sanitized HTML; empty when the book has none.
    pub annotation_html: String,
    /// People named in `authors`, with their relation to the book.
    pub authors: Vec<Author>,
    /// Series the book belongs to (`sequences`, else `title-info/sequence`).
    pub series: Vec<Series>,
    /// Printed ISBN (`isbn`); empty values become `None`.
    pub isbn: Option<String>,
    /// LitRes e-ISBN (`litres_isbn`); empty values become `None`.
    pub litres_isbn: Option<String>,
    /// Price in RUB.
    pub price: Price,
    /// Cover file extension (`cover`), `None` when the book has no cover.
    pub cover: Option<String>,
    /// Age rating (`adult`): 0, 6, 12, 16 or 18; `None` when absent.
    pub age_rating: Option<u8>,
    /// Genres, from either feed generation.
    pub genres: Vec<GenreRef>,
    /// Downloadable files.
    pub files: BookFiles,
    /// When LitRes last changed the record (`updated`).
    pub updated: Option<MoscowTime>,
    /// `you_can_sell`: false means the book must be withdrawn from sale now.
    pub you_can_sell: bool,
    /// `must_import`: false means the store must not keep the book.
    pub must_import: bool,
    /// Publisher name (`publisher`), when given.
    pub publisher: Option<String>,
    /// Language code (`lang`), when given.
    pub lang: Option<String>,
}

impl Book {
    /// Makes a book with the given ids and every other field empty, for
    /// parsers and tests to fill in.
    pub fn new(art_id: ArtId, external_id: ExternalId) -> Self {
        Self {
            art_id,
            external_id,
            work_type: WorkType::Text,
            title: String::new(),
            annotation_html: String::new(),
            authors: Vec::new(),
            series: Vec::new(),
            isbn: None,
            litres_isbn: None,
            price: Price::default(),
            cover: None,
            age_rating: None,
            genres: Vec::new(),
            files: BookFiles::Text(Vec::new()),
            updated: None,
            you_can_sell: true,
            must_import: true,
            publisher: None,
            lang: None,
        }
    }

    /// Returns true when the store may sell the book now.
    pub fn is_sellable(&self) -> bool {
        self.you_can_sell && self.must_import
    }
}

/// A person in the `authors` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Author {
    /// LitRes person id (`author@id`), empty when absent.
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Middle name.
    pub middle_name: String,
    /// Last name.
    pub last_name: String,
    /// Relation to the book: 0 author, 2 rights agent, 3 illustrator;
    /// other codes are kept as sent.
    pub relation: u32,
}

impl Author {
    /// Relation code of the book's own authors.
    pub const RELATION_AUTHOR: u32 = 0;

    /// Makes a person with a relation and a last name.
    pub fn new(relation: u32, last_name: impl Into<String>) -> Self {
        Self {
            id: String::new(),
            first_name: String::new(),
            middle_name: String::new(),
            last_name: last_name.into(),
            relation,
        }
    }

    /// Returns "First Middle Last" with empty parts left out.
    pub fn full_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A series (`sequence`) with the book's optional number in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Series {
    /// Series name.
    pub name: String,
    /// Series UUID, when given.
    pub uuid: Option<String>,
    /// Number of the book in the series, as sent (`3`, `3.5`).
    pub number: Option<String>,
}

impl Series {
    /// Makes a series entry.
    pub fn new(name: impl Into<String>, number: Option<String>) -> Self {
        Self {
            name: name.into(),
            uuid: None,
            number,
        }
    }
}

/// A genre reference in a book record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "generation", rename_all = "snake_case")]
#[non_exhaustive]
pub enum GenreRef {
    /// 2018+ feeds: `genres/genre` with a `genres_list_2` id.
    Tree {
        /// Genre id in `genres_list_2`.
        id: GenreId,
        /// Genre title as sent.
        title: String,
        /// `master="1"`: the book's main genre.
        master: bool,
    },
    /// 2015 feeds: `in_genre`, whose id is not a `genres_list_2` id; match
    /// it to the tree by title.
    Legacy {
        /// The legacy genre id, kept for reports only.
        id: String,
        /// Genre title, matched against the tree.
        title: String,
    },
}

/// The downloadable files of a book, in one of two shapes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", content = "files", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BookFiles {
    /// Text books: one file per format.
    Text(Vec<TextFile>),
    /// Audio and PDF books: named groups of files, one of them the trial.
    Groups(Vec<FileGroup>),
}

/// One format of a text book (`files/file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextFile {
    /// Format, which is also the download extension.
    pub format: FileFormat,
    /// Size in bytes, when given.
    pub size: Option<u64>,
}

impl TextFile {
    /// Makes a text file entry.
    pub fn new(format: FileFormat, size: Option<u64>) -> Self {
        Self { format, size }
    }
}

/// A `files/group` of an audio or PDF book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileGroup {
    /// Group name (`group@value`).
    pub name: String,
    /// Files of the group.
    pub files: Vec<GroupFile>,
}

impl FileGroup {
    /// Makes a group.
    pub fn new(name: impl Into<String>, files: Vec<GroupFile>) -> Self {
        Self {
            name: name.into(),
            files,
        }
    }

    /// Returns true when the group holds the trial fragment rather than
    /// the sold book.
    ///
    /// NOTE: LitRes documents no flag for this. A group whose name contains
    /// "trial", "фрагмент" or "ознакомит" (any case) is taken as the trial;
    /// change this function when LitRes names its groups otherwise.
    pub fn is_trial(&self) -> bool {
        let name = self.name.to_lowercase();
        ["trial", "фрагмент", "ознакомит"]
            .iter()
            .any(|marker| name.contains(marker))
    }
}

/// One file in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupFile {
    /// LitRes file id.
    pub id: String,
    /// File name.
    pub filename: String,
    /// MIME type, when given.
    pub mime_type: Option<String>,
    /// Size in bytes, when given.
    pub size: Option<u64>,
}

impl GroupFile {
    /// Makes a group file entry.
    pub fn new(id: impl Into<String>, filename: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            filename: filename.into(),
            mime_type: None,
            size: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_name_skips_empty_parts() {
        let mut author = Author::new(0, "Иванов");
        author.first_name = "Пётр".into();
        assert_eq!(author.full_name(), "Пётр Иванов");
    }

    #[test]
    fn trial_group_detected_by_name() {
        assert!(FileGroup::new("Ознакомительный фрагмент", vec![]).is_trial());
        assert!(FileGroup::new("trial", vec![]).is_trial());
        assert!(!FileGroup::new("Полная версия", vec![]).is_trial());
    }
}
