//! `get_fresh_book`: the catalog feed of one window, read as a stream.

use std::time::Duration;

use reqwest::Response;
use tracing::Instrument;

use super::query::{Query, SIGNATURE_PARAM};
use super::ClientError;
use crate::feed::{FeedDecoder, FeedItem};
use crate::model::{ExternalId, WorkType};
use crate::secret::Secret;
use crate::sign;
use crate::time::MoscowTime;
use crate::window::Window;

/// Path of the catalog feed call.
pub(crate) const FRESH_BOOK_PATH: &str = "/get_fresh_book/";

/// Parameters of one `get_fresh_book` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshBooksRequest {
    /// Inclusive lower bound of the change time, sent as `checkpoint`.
    pub checkpoint: MoscowTime,
    /// Exclusive upper bound, sent as `endpoint` when given.
    pub endpoint: Option<MoscowTime>,
    /// Work type, sent as `type`.
    pub work_type: WorkType,
    /// One book by external id, sent as `uuid` when given.
    pub uuid: Option<ExternalId>,
}

impl FreshBooksRequest {
    /// Makes a request for every change of `work_type` since `checkpoint`.
    pub fn new(checkpoint: MoscowTime, work_type: WorkType) -> Self {
        Self {
            checkpoint,
            endpoint: None,
            work_type,
            uuid: None,
        }
    }

    /// Makes a request for the changes of `work_type` inside `window`.
    pub fn for_window(window: &Window, work_type: WorkType) -> Self {
        Self {
            checkpoint: window.start,
            endpoint: Some(window.end),
            work_type,
            uuid: None,
        }
    }

    /// Builds the query: `checkpoint`, `endpoint` (when given), `place`,
    /// `timestamp`, `sha`, `type`, `uuid` (when given). The signature is
    /// `sha256(timestamp:secret_key:checkpoint)` over the checkpoint text
    /// as sent, `YYYY-MM-DD HH:MM:SS`.
    pub(crate) fn query(&self, place: &str, secret_key: &Secret, timestamp: i64) -> Query {
        let checkpoint = self.checkpoint.to_string();
        let sha = sign::fresh_book(timestamp, secret_key, &checkpoint);
        let mut query = Query::new();
        query.push("checkpoint", checkpoint);
        if let Some(endpoint) = self.endpoint {
            query.push("endpoint", endpoint.to_string());
        }
        query
            .push("place", place)
            .push("timestamp", timestamp.to_string())
            .push(SIGNATURE_PARAM, sha)
            .push("type", self.work_type.code());
        if let Some(uuid) = &self.uuid {
            query.push("uuid", uuid.as_str());
        }
        query
    }
}

/// A catalog feed being received: records come out as the body streams
/// in, so memory stays bounded whatever the feed size.
///
/// Only the response headers are retried. A failure inside the body ends
/// the stream: every complete record read so far comes first, then one
/// error; request the window again to recover.
pub struct FeedStream {
    response: Option<Response>,
    decoder: FeedDecoder,
    read_timeout: Duration,
    url: String,
    span: tracing::Span,
    /// A transport failure that cut the body, reported in place of the
    /// decoder's truncation error once the buffered records are drained.
    cut: Option<ClientError>,
    done: bool,
}

impl std::fmt::Debug for FeedStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedStream")
            .field("url", &self.url)
            .field("decoder", &self.decoder)
            .field("done", &self.done)
            .finish()
    }
}

impl FeedStream {
    pub(crate) fn new(response: Response, read_timeout: Duration, url: String) -> Self {
        let span = tracing::debug_span!("litres_feed", url = %url);
        Self {
            response: Some(response),
            decoder: FeedDecoder::new(),
            read_timeout,
            url,
            span,
            cut: None,
            done: false,
        }
    }

    /// Returns the next record, or `None` at the end of the feed.
    ///
    /// A record that could not be parsed comes as [`FeedItem::Failed`] and
    /// the feed goes on. An error about the feed as a whole, such as a body
    /// that ended before `</fb-updates>` or a read timeout, comes as
    /// `Some(Err(_))` after every complete record before it.
    pub async fn next(&mut self) -> Option<Result<FeedItem, ClientError>> {
        let span = self.span.clone();
        self.next_inner().instrument(span).await
    }

    async fn next_inner(&mut self) -> Option<Result<FeedItem, ClientError>> {
        loop {
            if self.done {
                return None;
            }
            match self.decoder.next_item() {
                Ok(Some(item)) => return Some(Ok(item)),
                Ok(None) => {}
                Err(error) => return Some(Err(self.feed_error(error))),
            }
            if self.response.is_none() {
                self.done = true;
                if self.decoder.is_complete() {
                    // A failure after `</fb-updates>` lost nothing.
                    return None;
                }
                return self.cut.take().map(Err);
            }
            self.read_chunk().await;
        }
    }

    /// Pushes the next body chunk into the decoder, or finishes it at the
    /// end of the body or on a failure.
    async fn read_chunk(&mut self) {
        let Some(response) = self.response.as_mut() else {
            return;
        };
        let chunk = tokio::time::timeout(self.read_timeout, response.chunk()).await;
        match chunk {
            Ok(Ok(Some(bytes))) => {
                tracing::trace!(bytes = bytes.len(), "feed chunk");
                self.decoder.push(&bytes);
                return;
            }
            Ok(Ok(None)) => {}
            Ok(Err(error)) => {
                self.cut = Some(ClientError::transport(error).with_url(&self.url));
            }
            Err(_) => self.cut = Some(ClientError::timeout().with_url(&self.url)),
        }
        self.response = None;
        self.decoder.finish();
    }

    /// Wraps a decoder error. A truncation caused by a broken connection is
    /// reported as that connection failure, which is also retryable.
    fn feed_error(&mut self, error: crate::feed::FeedError) -> ClientError {
        if error.is_truncated() {
            if let Some(cut) = self.cut.take() {
                tracing::debug!(%error, "feed cut short by a transport failure");
                return cut;
            }
        }
        ClientError::feed(error).with_url(&self.url)
    }

    /// Returns `fb-updates@timestamp`, the next checkpoint, once the root
    /// tag was read.
    pub fn timestamp(&self) -> Option<MoscowTime> {
        self.decoder.timestamp()
    }

    /// Returns true once `</fb-updates>` was read: only then is
    /// [`timestamp`](Self::timestamp) safe to store as a checkpoint.
    pub fn is_complete(&self) -> bool {
        self.decoder.is_complete()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> MoscowTime {
        MoscowTime::parse(text).unwrap()
    }

    #[test]
    fn query_matches_signature_vector() {
        let request = FreshBooksRequest::new(at("2015-10-08 00:00:00"), WorkType::Text);
        let query = request.query("TEST", &Secret::new("TESTKEY"), 1_444_248_000);
        assert_eq!(
            query.encode(),
            "checkpoint=2015-10-08%2000%3A00%3A00&place=TEST&timestamp=1444248000\
             &sha=edc75896ca5120d04bed80e5f5913044ba53ca4708730a44f2d3f86a8d5ef1a6&type=0"
        );
    }

    #[test]
    fn query_with_window_and_uuid() {
        let window = Window {
            start: at("2015-07-19 12:05:00"),
            end: at("2015-07-19 12:10:00"),
        };
        let mut request = FreshBooksRequest::for_window(&window, WorkType::Audio);
        request.uuid = Some(ExternalId::new("37828892-1a76-11e5-ad6a-002590591dd6"));
        let query = request.query("P", &Secret::new("K"), 5);
        assert_eq!(query.get("endpoint"), Some("2015-07-19 12:10:00"));
        assert_eq!(query.get("type"), Some("1"));
        assert_eq!(
            query.get("uuid"),
            Some("37828892-1a76-11e5-ad6a-002590591dd6")
        );
        assert_eq!(
            query.get("sha").map(str::to_owned),
            Some(sign::fresh_book(
                5,
                &Secret::new("K"),
                "2015-07-19 12:05:00"
            ))
        );
        assert_eq!(query.get("moreplaces"), None);
        assert_eq!(query.get("limit"), None);
    }
}
