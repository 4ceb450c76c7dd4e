//! Streaming parser of the `get_fresh_book` catalog feed.
//!
//! A byte-level splitter finds each top-level `updated-book` and
//! `removed-book` element, so memory is bounded by one record rather than
//! by the feed. Each record is then read from its own bytes with a strict
//! XML reader: a broken record becomes [`FeedItem::Failed`] and the feed
//! goes on with the next one. Unknown elements, attributes, comments and
//! the XML declaration are skipped.
//!
//! [`FeedDecoder`] takes bytes pushed by the caller and does no I/O;
//! [`FeedReader`] drives it from any [`std::io::Read`].

mod annotation;
mod decoder;
mod elements;
mod error;
mod reader;
mod record;
mod scan;
mod xml;

pub use decoder::{FeedDecoder, MAX_RECORD_BYTES};
pub use error::{FeedError, RecordError};
pub use reader::FeedReader;

/// One result of the decoder: a record, or a record that could not be read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FeedItem {
    /// A record that was read in full.
    Record(crate::model::Record),
    /// A record that could not be read; the feed goes on after it.
    Failed(RecordError),
}
