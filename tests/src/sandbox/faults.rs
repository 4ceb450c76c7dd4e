//! Fault injection: make the next requests fail the way a flaky server
//! does.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;

/// Path of the catalog call, the only call a [`Fault::MalformedRecord`]
/// applies to.
pub(crate) const FRESH_BOOK_PATH: &str = "/get_fresh_book/";

/// Pause between the last bytes of a truncated body and the cut.
const TRUNCATE_PAUSE: Duration = Duration::from_millis(50);

/// A failure the sandbox can inject into one request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Responds with this status (such as 500 or 503) and a short text body,
    /// without handling the request.
    Status(u16),
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Handle the request, send the first `n` bytes of the body, then close
    /// the connection.
    TruncateBody(usize),
    /// Responds with an HTML error page (`text/html`) and this status, such
    /// as 200 or 502, as a proxy in front of the service would.
    HtmlErrorPage(u16),
    /// Put a record that is not well-formed first in the next
    /// `get_fresh_book` response. Other calls do not take this fault.
    MalformedRecord,
}

impl Fault {
    fn applies_to(&self, path: &str) -> bool {
        match self {
            Self::MalformedRecord => same_path(path, FRESH_BOOK_PATH),
            _ => true,
        }
    }
}

/// Compares paths with and without a trailing slash as equal, because the
/// sandbox routes both.
fn same_path(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// A fault with how many requests take it and, optionally, which path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injection {
    fault: Fault,
    times: usize,
    path: Option<String>,
}

impl Injection {
    /// Makes an injection of `fault` into the next matching request, on any
    /// path.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            times: 1,
            path: None,
        }
    }

    /// Sets how many matching requests take the fault. Default 1.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Limits the fault to requests of one path, such as
    /// `/get_fresh_book/`. Default: any path.
    pub fn on_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl From<Fault> for Injection {
    fn from(fault: Fault) -> Self {
        Self::new(fault)
    }
}

/// Injections waiting for requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: Mutex<VecDeque<Injection>>,
}

impl FaultQueue {
    pub fn push(&self, injection: Injection) {
        if injection.times == 0 {
            return;
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.push_back(injection);
        }
    }

    /// Takes the fault of the oldest injection that matches `path`.
    pub fn take(&self, path: &str) -> Option<Fault> {
        let mut pending = self.pending.lock().ok()?;
        let index = pending.iter().position(|injection| {
            let path_matches = injection
                .path
                .as_deref()
                .is_none_or(|wanted| same_path(wanted, path));
            injection.fault.applies_to(path) && path_matches
        })?;
        let injection = &mut pending[index];
        let fault = injection.fault.clone();
        injection.times -= 1;
        if injection.times == 0 {
            pending.remove(index);
        }
        Some(fault)
    }

    pub fn len(&self) -> usize {
        self.pending
            .lock()
            .map(|pending| pending.iter().map(|i| i.times).sum())
            .unwrap_or(0)
    }
}

/// Marker a handler finds in the request extensions when it must add a
/// malformed record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InjectMalformedRecord;

/// A record with an unclosed `<p>` in its annotation.
pub(crate) const MALFORMED_RECORD: &[u8] = b"<updated-book id=\"999999999\" \
external_id=\"00000000-0000-4000-8000-00000000dead\" type=\"0\" \
updated=\"2000-01-01 00:00:00\"><title-info><book-title>Injected</book-title>\
<annotation><p>This paragraph is never closed</annotation></title-info></updated-book>";

pub(crate) fn status_response(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(format!("injected fault: status {status}\n")));
    *response.status_mut() = status;
    response
}

pub(crate) fn html_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{status}</title></head>\
         <body><h1>{status}</h1><p>The server is temporarily unavailable.</p>\
         <hr><center>nginx</center></body></html>\n"
    );
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Passes the first `limit` bytes of the body, then fails the stream so
/// the server drops the connection mid-body.
pub(crate) fn truncate(response: Response, limit: usize) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let head = body.into_data_stream().scan(limit, |remaining, chunk| {
        let item = match chunk {
            Err(error) => Some(Err(std::io::Error::other(error))),
            Ok(_) if *remaining == 0 => None,
            Ok(chunk) => {
                let take = chunk.len().min(*remaining);
                *remaining -= take;
                Some(Ok::<Bytes, std::io::Error>(chunk.slice(..take)))
            }
        };
        std::future::ready(item)
    });
    // The pause lets the server flush the status line and the first bytes;
    // the error then aborts the connection instead of ending the body.
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(TRUNCATE_PAUSE).await;
        Err::<Bytes, _>(std::io::Error::other("injected fault: body truncated"))
    });
    Response::from_parts(parts, Body::from_stream(head.chain(cut)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_takes_matching_path_first() {
        let queue = FaultQueue::default();
        queue.push(Injection::new(Fault::Status(503)).on_path("/purchase"));
        queue.push(Injection::new(Fault::Status(500)).times(2));
        assert_eq!(queue.take("/genres_list_2/"), Some(Fault::Status(500)));
        assert_eq!(queue.take("/purchase"), Some(Fault::Status(503)));
        assert_eq!(queue.take("/purchase"), Some(Fault::Status(500)));
        assert_eq!(queue.take("/purchase"), None);
    }

    #[test]
    fn malformed_record_waits_for_feed_call() {
        let queue = FaultQueue::default();
        queue.push(Fault::MalformedRecord.into());
        assert_eq!(queue.take("/genres_list_2/"), None);
        assert_eq!(queue.take(FRESH_BOOK_PATH), Some(Fault::MalformedRecord));
        assert_eq!(queue.len(), 0);
    }
}
