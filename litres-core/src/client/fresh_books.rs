//! `get_fresh_book`: the catalog feed of one window, read as a stream.

use std::time::Duration;

use reqwest::Response;
use tokio::sync::mpsc;

use super::feed_body::{self, BodyDecoder, Message};
use super::query::{Query, SIGNATURE_PARAM};
use super::ClientError;
use crate::feed::FeedItem;
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
/// The body is decoded on a task of its own, up to a few hundred records
/// ahead of the caller, so parsing overlaps with the caller's work on a
/// multi-threaded runtime. Dropping the stream stops that task.
///
/// Only the response headers are retried. A failure inside the body ends
/// the stream: every complete record read so far comes first, then one
/// error; request the window again to recover.
#[derive(Debug)]
pub struct FeedStream {
    messages: mpsc::Receiver<Message>,
    task: tokio::task::JoinHandle<()>,
    timestamp: Option<MoscowTime>,
    complete: bool,
}

impl FeedStream {
    pub(crate) fn new(response: Response, read_timeout: Duration, url: String) -> Self {
        let (sender, messages) = mpsc::channel(feed_body::QUEUE_LENGTH);
        let body = BodyDecoder::new(response, read_timeout, url);
        let task = tokio::spawn(feed_body::run(body, sender));
        Self {
            messages,
            task,
            timestamp: None,
            complete: false,
        }
    }

    /// Returns the next record, or `None` at the end of the feed.
    ///
    /// A record that could not be parsed comes as [`FeedItem::Failed`] and
    /// the feed goes on. An error about the feed as a whole, such as a body
    /// that ended before `</fb-updates>` or a read timeout, comes as
    /// `Some(Err(_))` after every complete record before it.
    pub async fn next(&mut self) -> Option<Result<FeedItem, ClientError>> {
        loop {
            match self.messages.recv().await? {
                Message::Timestamp(timestamp) => self.timestamp = Some(timestamp),
                Message::Complete => self.complete = true,
                Message::Item(item) => return Some(item),
            }
        }
    }

    /// Returns `fb-updates@timestamp`, the next checkpoint, once the root
    /// tag was read and the records before it were taken.
    pub fn timestamp(&self) -> Option<MoscowTime> {
        self.timestamp
    }

    /// Returns true once `</fb-updates>` was read and every record taken:
    /// only then is [`timestamp`](Self::timestamp) safe to store as a
    /// checkpoint.
    pub fn is_complete(&self) -> bool {
        self.complete
    }
}

impl Drop for FeedStream {
    fn drop(&mut self) {
        self.task.abort();
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
