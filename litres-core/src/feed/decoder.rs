//! The push-based feed decoder: bytes in, records out, no I/O.

use memchr::memmem;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::record::{parse_record, Scratch};
use super::scan::{self, Markup};
use super::{FeedError, FeedItem};
use crate::time::MoscowTime;

/// Largest record the decoder buffers before it gives up on the feed.
/// Recorded LitRes records are about 5 KB, so the limit only stops a
/// runaway buffer on a record that never ends.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// A push-based decoder of a `get_fresh_book` feed.
///
/// Push bytes as they arrive with [`push`](Self::push), call
/// [`finish`](Self::finish) after the last chunk, and drain items with
/// [`next_item`](Self::next_item). Memory is bounded by the largest
/// record plus the unconsumed part of the last chunk, whatever the feed
/// size.
///
/// ```
/// use litres_core::feed::{FeedDecoder, FeedItem};
///
/// let mut decoder = FeedDecoder::new();
/// decoder.push(b"<fb-updates timestamp=\"2015-08-01 10:50:28\">");
/// decoder.push(b"<removed-book id=\"7\"/></fb-updates>");
/// decoder.finish();
/// let item = decoder.next_item().unwrap().unwrap();
/// assert!(matches!(item, FeedItem::Record(record) if record.art_id().get() == 7));
/// assert!(decoder.next_item().unwrap().is_none());
/// assert!(decoder.is_complete());
/// assert_eq!(decoder.timestamp().unwrap().to_string(), "2015-08-01 10:50:28");
/// ```
pub struct FeedDecoder {
    /// Unconsumed input; `buf[pos..]` is still to be read.
    buf: Vec<u8>,
    pos: usize,
    /// Feed offset of `buf[0]`.
    base: u64,
    /// Feed offset up to which the current record was already searched
    /// for its end tag, so a slow trickle of bytes is not rescanned.
    searched_to: u64,
    finished: bool,
    complete: bool,
    stopped: bool,
    /// An `fb-updates` start tag was read.
    root_seen: bool,
    timestamp: Option<MoscowTime>,
    updated_end: memmem::Finder<'static>,
    removed_end: memmem::Finder<'static>,
    scratch: Scratch,
}

/// Result of one step over the markup at the read position.
enum Step {
    Item(FeedItem),
    Skipped,
    NeedMore,
}

impl Default for FeedDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for FeedDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedDecoder")
            .field("offset", &(self.base + self.pos as u64))
            .field("buffered", &(self.buf.len() - self.pos))
            .field("finished", &self.finished)
            .field("complete", &self.complete)
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

impl FeedDecoder {
    /// Makes a decoder that has seen no input.
    pub fn new() -> Self {
        Self {
            buf: Vec::new(),
            pos: 0,
            base: 0,
            searched_to: 0,
            finished: false,
            complete: false,
            root_seen: false,
            stopped: false,
            timestamp: None,
            updated_end: memmem::Finder::new(b"</updated-book"),
            removed_end: memmem::Finder::new(b"</removed-book"),
            scratch: Scratch::default(),
        }
    }

    /// Appends input bytes. Bytes pushed after [`finish`](Self::finish)
    /// or after `</fb-updates>` are ignored.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.finished || self.stopped {
            return;
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// Marks the end of input: what is buffered now is all there is.
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// Returns the next complete item from what was pushed.
    ///
    /// `Ok(None)` means more input is needed, or, after
    /// [`finish`](Self::finish) and once everything is drained, the end.
    ///
    /// # Errors
    ///
    /// Returns a [`FeedError`] when `fb-updates@timestamp` is invalid
    /// (decoding goes on), when a record outgrows [`MAX_RECORD_BYTES`]
    /// (decoding stops), and, after `finish`, when the document never
    /// reached `</fb-updates>`: every complete record comes first, then
    /// one truncated error, then `Ok(None)`.
    pub fn next_item(&mut self) -> Result<Option<FeedItem>, FeedError> {
        loop {
            if self.stopped {
                return Ok(None);
            }
            let Some(found) = memchr::memchr(b'<', &self.buf[self.pos..]) else {
                self.pos = self.buf.len();
                return self.wait_for_input();
            };
            self.pos += found;
            match self.step()? {
                Step::Item(item) => return Ok(Some(item)),
                Step::Skipped => {}
                Step::NeedMore => return self.wait_for_input(),
            }
        }
    }

    /// Returns `fb-updates@timestamp`, the checkpoint for the next request,
    /// once the root start tag was read.
    pub fn timestamp(&self) -> Option<MoscowTime> {
        self.timestamp
    }

    /// Returns true once `</fb-updates>` was read.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Returns true when no more items will come, whatever is pushed.
    pub(super) fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Returns the feed offset of the next unread byte.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    fn wait_for_input(&mut self) -> Result<Option<FeedItem>, FeedError> {
        let buffered = self.buf.len() - self.pos;
        if buffered > MAX_RECORD_BYTES {
            self.stopped = true;
            return Err(FeedError::record_too_large(self.offset(), MAX_RECORD_BYTES));
        }
        if !self.finished {
            return Ok(None);
        }
        self.stopped = true;
        if !self.root_seen {
            return Err(FeedError::not_a_feed(self.offset()));
        }
        Err(FeedError::truncated(self.offset()))
    }

    /// Reads the markup at `buf[pos]`, which is `<`.
    fn step(&mut self) -> Result<Step, FeedError> {
        let rest = &self.buf[self.pos..];
        match scan::markup(rest) {
            Markup::Incomplete => Ok(Step::NeedMore),
            Markup::Other { end } => {
                self.pos += end;
                Ok(Step::Skipped)
            }
            Markup::End { end } => {
                if scan::tag_name(&rest[..end]) == b"fb-updates" {
                    self.complete = true;
                    self.stopped = true;
                }
                self.pos += end;
                Ok(Step::Skipped)
            }
            Markup::Start { end, self_closing } => self.start_tag(end, self_closing),
        }
    }

    fn start_tag(&mut self, end: usize, self_closing: bool) -> Result<Step, FeedError> {
        let offset = self.offset();
        let tag = &self.buf[self.pos..self.pos + end];
        match scan::tag_name(tag) {
            b"fb-updates" => {
                self.root_seen = true;
                let timestamp = read_timestamp(tag);
                self.pos += end;
                if self_closing {
                    // `<fb-updates .../>` is a complete feed with no records.
                    self.complete = true;
                    self.stopped = true;
                }
                match timestamp {
                    Ok(timestamp) => {
                        self.timestamp = timestamp;
                        Ok(Step::Skipped)
                    }
                    Err(value) => Err(FeedError::invalid_timestamp(offset, value)),
                }
            }
            b"updated-book" | b"removed-book" if self_closing => Ok(self.record(end)),
            b"updated-book" => Ok(self.element_record(end, true)),
            b"removed-book" => Ok(self.element_record(end, false)),
            _ => {
                // An unknown element: skip its start tag; its children are
                // skipped one by one at the top level.
                self.pos += end;
                Ok(Step::Skipped)
            }
        }
    }

    /// Finds the end tag of the record whose start tag ends at
    /// `buf[pos + body]`.
    ///
    /// NOTE: the search is textual, so a CDATA annotation that contains
    /// `</updated-book>` ends the record early and that record fails.
    fn element_record(&mut self, body: usize, updated: bool) -> Step {
        let start = self.pos;
        let resume = (self.searched_to.saturating_sub(self.base) as usize).max(start + body);
        let finder = if updated {
            &self.updated_end
        } else {
            &self.removed_end
        };
        match scan::find_end_tag(&self.buf[resume..], finder) {
            Some(found) => {
                self.searched_to = 0;
                self.record(resume - start + found)
            }
            None => {
                // Search again from where a partial end tag could start.
                let overlap = finder.needle().len() + 64;
                let from = self.buf.len().saturating_sub(overlap).max(start + body);
                self.searched_to = self.base + from as u64;
                Step::NeedMore
            }
        }
    }

    /// Parses the record in `buf[pos..pos + len]` and moves past it.
    fn record(&mut self, len: usize) -> Step {
        let offset = self.offset();
        let bytes = &self.buf[self.pos..self.pos + len];
        let item = match parse_record(bytes, offset, &mut self.scratch) {
            Ok(record) => FeedItem::Record(record),
            Err(error) => {
                tracing::debug!(%error, "skipping invalid feed record");
                FeedItem::Failed(error)
            }
        };
        self.pos += len;
        Step::Item(item)
    }
}

/// Reads `timestamp` from the `fb-updates` start tag; the error is the
/// value that is not a LitRes time.
fn read_timestamp(tag: &[u8]) -> Result<Option<MoscowTime>, String> {
    let mut reader = Reader::from_reader(tag);
    let start = match reader.read_event() {
        Ok(Event::Start(start) | Event::Empty(start)) => start,
        _ => return Err(String::from_utf8_lossy(tag).into_owned()),
    };
    let attribute = match start.try_get_attribute("timestamp") {
        Ok(Some(attribute)) => attribute,
        Ok(None) => return Ok(None),
        Err(_) => return Err(String::from_utf8_lossy(tag).into_owned()),
    };
    let value = attribute
        .unescape_value()
        .map_err(|_| String::from_utf8_lossy(&attribute.value).into_owned())?;
    MoscowTime::parse(&value)
        .map(Some)
        .map_err(|_| value.into_owned())
}
