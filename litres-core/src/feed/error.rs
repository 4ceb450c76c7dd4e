//! Errors of the feed parser: one for a single broken record, one for the
//! feed as a whole.

use std::fmt;
use std::sync::Arc;

use crate::model::{ArtId, ExternalId};

/// A record that could not be read. The feed goes on with the next record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    art_id: Option<ArtId>,
    external_id: Option<ExternalId>,
    offset: u64,
    message: String,
}

impl RecordError {
    pub(crate) fn new(art_id: Option<ArtId>, offset: u64, message: impl Into<String>) -> Self {
        Self {
            art_id,
            external_id: None,
            offset,
            message: message.into(),
        }
    }

    pub(crate) fn with_external_id(mut self, external_id: Option<ExternalId>) -> Self {
        self.external_id = external_id;
        self
    }

    /// Returns the art id from the record's start tag, when it was readable.
    pub fn art_id(&self) -> Option<ArtId> {
        self.art_id
    }

    /// Returns the external id from the record's start tag, when it was
    /// readable: the `uuid` that requests the book again on its own.
    pub fn external_id(&self) -> Option<&ExternalId> {
        self.external_id.as_ref()
    }

    /// Returns the byte offset of the record's start tag in the feed.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Returns what is wrong with the record.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.art_id {
            Some(id) => write!(f, "invalid feed record for art id {id}")?,
            None => f.write_str("invalid feed record with no readable art id")?,
        }
        write!(
            f,
            " at byte {}: {}; the record was skipped",
            self.offset, self.message
        )
    }
}

impl std::error::Error for RecordError {}

/// An error about the feed as a whole rather than one record.
#[derive(Debug, Clone)]
pub struct FeedError {
    kind: FeedErrorKind,
    offset: u64,
}

#[derive(Debug, Clone)]
enum FeedErrorKind {
    Truncated,
    NotAFeed,
    InvalidTimestamp(String),
    RecordTooLarge(usize),
    Io(Arc<std::io::Error>),
}

impl FeedError {
    pub(crate) fn truncated(offset: u64) -> Self {
        Self {
            kind: FeedErrorKind::Truncated,
            offset,
        }
    }

    pub(crate) fn not_a_feed(offset: u64) -> Self {
        Self {
            kind: FeedErrorKind::NotAFeed,
            offset,
        }
    }

    pub(crate) fn invalid_timestamp(offset: u64, value: impl Into<String>) -> Self {
        Self {
            kind: FeedErrorKind::InvalidTimestamp(value.into()),
            offset,
        }
    }

    pub(crate) fn record_too_large(offset: u64, limit: usize) -> Self {
        Self {
            kind: FeedErrorKind::RecordTooLarge(limit),
            offset,
        }
    }

    pub(crate) fn io(offset: u64, source: std::io::Error) -> Self {
        Self {
            kind: FeedErrorKind::Io(Arc::new(source)),
            offset,
        }
    }

    /// Returns true when the document ended before `</fb-updates>`.
    pub fn is_truncated(&self) -> bool {
        matches!(self.kind, FeedErrorKind::Truncated)
    }

    /// Returns true when the input ended without an `fb-updates` element:
    /// it is not a `get_fresh_book` response (an empty body, an HTML page,
    /// another XML document).
    pub fn is_not_a_feed(&self) -> bool {
        matches!(self.kind, FeedErrorKind::NotAFeed)
    }

    /// Returns true when `fb-updates@timestamp` is not a LitRes time.
    pub fn is_invalid_timestamp(&self) -> bool {
        matches!(self.kind, FeedErrorKind::InvalidTimestamp(_))
    }

    /// Returns true when one record grew past the size limit, which
    /// stops the decoder.
    pub fn is_record_too_large(&self) -> bool {
        matches!(self.kind, FeedErrorKind::RecordTooLarge(_))
    }

    /// Returns true when reading the input failed.
    pub fn is_io(&self) -> bool {
        matches!(self.kind, FeedErrorKind::Io(_))
    }

    /// Returns the byte offset in the feed where the problem was found.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = self.offset;
        match &self.kind {
            FeedErrorKind::Truncated => write!(
                f,
                "feed truncated at byte {offset}: the document ends before </fb-updates>; \
                 request the same window again"
            ),
            FeedErrorKind::NotAFeed => write!(
                f,
                "not a catalog feed: the {offset} bytes read contain no <fb-updates> element; \
                 expected a get_fresh_book response"
            ),
            FeedErrorKind::InvalidTimestamp(value) => write!(
                f,
                "invalid fb-updates timestamp {value:?} at byte {offset}: expected \
                 YYYY-MM-DD HH:MM:SS; do not use this feed as a checkpoint"
            ),
            FeedErrorKind::RecordTooLarge(limit) => write!(
                f,
                "feed record at byte {offset} is larger than {limit} bytes or never ends; \
                 the feed is not valid, request a smaller window"
            ),
            FeedErrorKind::Io(source) => {
                write!(f, "failed to read the feed at byte {offset}: {source}")
            }
        }
    }
}

impl std::error::Error for FeedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            FeedErrorKind::Io(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}
