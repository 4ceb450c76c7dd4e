//! Decoding of a feed body on its own task, so parsing runs beside the
//! caller's work on the records.

use std::time::Duration;

use reqwest::Response;
use tokio::sync::mpsc;
use tracing::Instrument;

use super::ClientError;
use crate::feed::{FeedDecoder, FeedItem};
use crate::time::MoscowTime;

/// Records decoded ahead of the caller, at most.
pub(super) const QUEUE_LENGTH: usize = 256;

/// What the decoding task sends to the [`FeedStream`](super::FeedStream).
#[derive(Debug)]
pub(super) enum Message {
    /// `fb-updates@timestamp`, sent once, before the records after it.
    Timestamp(MoscowTime),
    /// A record, a failed record, or the error that ended the feed.
    Item(Result<FeedItem, ClientError>),
    /// `</fb-updates>` was read.
    Complete,
}

/// Decodes the body and sends what it finds until the feed ends or the
/// receiver is dropped.
pub(super) async fn run(mut body: BodyDecoder, sender: mpsc::Sender<Message>) {
    let mut timestamp_sent = false;
    while let Some(item) = body.next().await {
        if !timestamp_sent {
            if let Some(timestamp) = body.timestamp() {
                timestamp_sent = true;
                if sender.send(Message::Timestamp(timestamp)).await.is_err() {
                    return;
                }
            }
        }
        if sender.send(Message::Item(item)).await.is_err() {
            return;
        }
    }
    if !timestamp_sent {
        if let Some(timestamp) = body.timestamp() {
            let _ = sender.send(Message::Timestamp(timestamp)).await;
        }
    }
    if body.is_complete() {
        let _ = sender.send(Message::Complete).await;
    }
}

/// Reads a feed body chunk by chunk and decodes it.
pub(super) struct BodyDecoder {
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

impl std::fmt::Debug for BodyDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyDecoder")
            .field("url", &self.url)
            .field("decoder", &self.decoder)
            .field("done", &self.done)
            .finish()
    }
}

impl BodyDecoder {
    pub(super) fn new(response: Response, read_timeout: Duration, url: String) -> Self {
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
    pub(super) async fn next(&mut self) -> Option<Result<FeedItem, ClientError>> {
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

    /// Returns `fb-updates@timestamp` once the root tag was read.
    pub(super) fn timestamp(&self) -> Option<MoscowTime> {
        self.decoder.timestamp()
    }

    /// Returns true once `</fb-updates>` was read.
    pub(super) fn is_complete(&self) -> bool {
        self.decoder.is_complete()
    }
}
