//! A blocking iterator over a feed read from any `std::io::Read`.

use std::io::{ErrorKind, Read};

use super::{FeedDecoder, FeedError, FeedItem};
use crate::time::MoscowTime;

/// Size of the one read buffer.
const CHUNK_BYTES: usize = 64 * 1024;

/// Reads a feed from `reader` in chunks into one reused buffer and yields
/// its items.
///
/// The iterator ends after `</fb-updates>`, after the truncated error of a
/// document that ends early, or after a read error.
///
/// ```
/// use litres_core::feed::{FeedItem, FeedReader};
///
/// let xml = b"<fb-updates timestamp=\"2015-08-01 10:50:28\"><removed-book id=\"7\"/></fb-updates>";
/// let mut feed = FeedReader::new(&xml[..]);
/// let items: Vec<_> = feed.by_ref().collect::<Result<_, _>>().unwrap();
/// assert_eq!(items.len(), 1);
/// assert!(feed.is_complete());
/// ```
#[derive(Debug)]
pub struct FeedReader<R: Read> {
    reader: R,
    decoder: FeedDecoder,
    chunk: Vec<u8>,
    eof: bool,
    failed: bool,
}

impl<R: Read> FeedReader<R> {
    /// Makes a feed reader over `reader`, which is read on demand.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            decoder: FeedDecoder::new(),
            chunk: vec![0; CHUNK_BYTES],
            eof: false,
            failed: false,
        }
    }

    /// Returns `fb-updates@timestamp`, the checkpoint for the next request,
    /// once the root start tag was read.
    pub fn timestamp(&self) -> Option<MoscowTime> {
        self.decoder.timestamp()
    }

    /// Returns true once `</fb-updates>` was read.
    pub fn is_complete(&self) -> bool {
        self.decoder.is_complete()
    }

    /// Returns the underlying reader.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Reads one chunk into the decoder; `Ok(false)` at the end of input.
    fn fill(&mut self) -> Result<bool, FeedError> {
        loop {
            match self.reader.read(&mut self.chunk) {
                Ok(0) => {
                    self.decoder.finish();
                    return Ok(false);
                }
                Ok(read) => {
                    self.decoder.push(&self.chunk[..read]);
                    return Ok(true);
                }
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) => return Err(FeedError::io(self.decoder.offset(), error)),
            }
        }
    }
}

impl<R: Read> Iterator for FeedReader<R> {
    type Item = Result<FeedItem, FeedError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            match self.decoder.next_item() {
                Ok(Some(item)) => return Some(Ok(item)),
                Err(error) => return Some(Err(error)),
                Ok(None) if self.eof || self.decoder.is_stopped() => return None,
                Ok(None) => {}
            }
            match self.fill() {
                Ok(more) => self.eof = !more,
                Err(error) => {
                    // A failed read ends the feed, because the bytes after
                    // it would not line up with the ones before.
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}
