//! The domain model: books, genres, ids, prices and work types.

mod book;
mod genre;
mod ids;
mod price;
mod work_type;

pub use book::{
    Author, Book, BookFiles, FileGroup, GenreRef, GroupFile, Record, RemovedBook, Series, TextFile,
};
pub use genre::{normalize_title, path_key, GenreKind, GenreNode, GenreTree};
pub use ids::{ArtId, CategoryId, ExternalId, GenreId, OrderId, ProductId};
pub use price::{Price, PriceParseError};
pub use work_type::{FileFormat, WorkType};
