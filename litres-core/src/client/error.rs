//! The error of every LitRes call.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use super::retry::Outcome;

type BoxError = Box<dyn StdError + Send + Sync>;

/// A failed LitRes call.
///
/// The kind is private; ask with the predicates and accessors. The URL it
/// carries is redacted: the `sha` signature is removed, and no key is ever
/// part of a LitRes URL. A sale that LitRes rejects is not an error but a
/// [`SaleResponse::Rejected`](super::SaleResponse::Rejected).
pub struct ClientError {
    inner: Box<Inner>,
}

struct Inner {
    kind: Kind,
    url: Option<String>,
    source: Option<BoxError>,
}

#[derive(Debug)]
enum Kind {
    /// No connection could be made.
    Connect,
    /// No response, or no next body chunk, within the configured time.
    Timeout,
    /// The connection broke after it was made.
    Http,
    /// LitRes returned an error status or an error document.
    Api {
        status: u16,
        message: Option<String>,
        retry_after: Option<Duration>,
    },
    /// The catalog feed was cut short or is not valid XML.
    Feed,
    /// A response other than the feed could not be read.
    InvalidResponse { what: String },
    /// A client setting or call argument is invalid.
    Config { message: String },
}

impl ClientError {
    fn new(kind: Kind) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                url: None,
                source: None,
            }),
        }
    }

    pub(crate) fn timeout() -> Self {
        Self::new(Kind::Timeout)
    }

    /// Maps a transport failure of the HTTP library to our kinds.
    pub(crate) fn transport(source: reqwest::Error) -> Self {
        let kind = if source.is_timeout() {
            Kind::Timeout
        } else if source.is_connect() {
            Kind::Connect
        } else {
            Kind::Http
        };
        // The library's error text can hold the full URL with its
        // signature, so its URL is stripped before it is kept as source.
        Self::new(kind).with_source(source.without_url())
    }

    pub(crate) fn api(status: u16, message: Option<String>, retry_after: Option<Duration>) -> Self {
        Self::new(Kind::Api {
            status,
            message,
            retry_after,
        })
    }

    pub(crate) fn feed(source: impl Into<BoxError>) -> Self {
        Self::new(Kind::Feed).with_source(source)
    }

    pub(crate) fn invalid_response(what: impl Into<String>) -> Self {
        Self::new(Kind::InvalidResponse { what: what.into() })
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config {
            message: message.into(),
        })
    }

    pub(crate) fn with_url(mut self, redacted_url: impl Into<String>) -> Self {
        self.inner.url = Some(redacted_url.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// Returns true when no response, or no next piece of a body, came within
    /// the configured time.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, Kind::Timeout)
    }

    /// Returns true when no connection to LitRes could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self.inner.kind, Kind::Connect)
    }

    /// Returns true when LitRes returned an error status or an error
    /// document.
    pub fn is_api(&self) -> bool {
        matches!(self.inner.kind, Kind::Api { .. })
    }

    /// Returns true when the feed body was cut short or is not valid XML.
    pub fn is_feed(&self) -> bool {
        matches!(self.inner.kind, Kind::Feed)
    }

    /// Returns true when a client setting or call argument is invalid.
    pub fn is_config(&self) -> bool {
        matches!(self.inner.kind, Kind::Config { .. })
    }

    /// Returns true when the same call may succeed later: transport
    /// failures, timeouts, HTTP 5xx and 429, and a feed cut short.
    ///
    /// The client has already retried these up to `max_attempts`. A caller
    /// uses this to decide whether to keep the work pending for a later run.
    pub fn is_retryable(&self) -> bool {
        match &self.inner.kind {
            Kind::Feed => self.is_truncated_feed(),
            _ => self.outcome().is_some_and(|outcome| outcome.is_transient()),
        }
    }

    /// Returns the HTTP status of an error response from LitRes.
    ///
    /// An error document sent with status 200 (as `get_the_book` does)
    /// reports 200.
    pub fn status(&self) -> Option<u16> {
        match self.inner.kind {
            Kind::Api { status, .. } => Some(status),
            _ => None,
        }
    }

    /// Returns the message LitRes gave, shortened to one line.
    pub fn api_message(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Api { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// Returns the URL of the failed request without its signature.
    pub fn url(&self) -> Option<&str> {
        self.inner.url.as_deref()
    }

    /// Returns the retry decision input for this error, or `None` for
    /// errors that no repeat can fix.
    pub(crate) fn outcome(&self) -> Option<Outcome> {
        match &self.inner.kind {
            Kind::Connect => Some(Outcome::Connect),
            Kind::Timeout => Some(Outcome::Timeout),
            Kind::Http => Some(Outcome::Transport),
            Kind::Api {
                status,
                retry_after,
                ..
            } => Some(Outcome::Status {
                code: *status,
                retry_after: *retry_after,
            }),
            _ => None,
        }
    }

    fn is_truncated_feed(&self) -> bool {
        self.feed_error().is_some_and(|error| error.is_truncated())
    }

    /// Returns the parser error of a feed that could not be read.
    pub fn feed_error(&self) -> Option<&crate::feed::FeedError> {
        if !matches!(self.inner.kind, Kind::Feed) {
            return None;
        }
        self.inner
            .source
            .as_deref()
            .and_then(|source| source.downcast_ref::<crate::feed::FeedError>())
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.kind {
            Kind::Connect => {
                f.write_str("could not connect to LitRes (check base_url and the network)")
            }
            Kind::Timeout => f.write_str("the LitRes request timed out"),
            Kind::Http => f.write_str("the connection to LitRes failed"),
            Kind::Api {
                status, message, ..
            } => {
                write!(f, "LitRes returned HTTP {status}")?;
                match message {
                    Some(message) => write!(f, ": {message}")?,
                    None => f.write_str(" with no message")?,
                }
                if matches!(status, 401 | 403) {
                    f.write_str(" (check partner_id and secret_key)")?;
                }
                Ok(())
            }
            Kind::Feed => match &self.inner.source {
                Some(source) => write!(f, "the LitRes feed could not be read: {source}"),
                None => f.write_str("the LitRes feed could not be read"),
            },
            Kind::InvalidResponse { what } => write!(f, "unreadable LitRes response: {what}"),
            Kind::Config { message } => write!(f, "invalid LitRes client setting: {message}"),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)?;
        if let Some(url) = &self.inner.url {
            write!(f, " (GET {url})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientError")
            .field("kind", &self.inner.kind)
            .field("url", &self.inner.url)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl StdError for ClientError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_names_status_message_and_url() {
        let error = ClientError::api(400, Some("Invalid signature".into()), None)
            .with_url("https://h/get_fresh_book/?place=P");
        assert_eq!(
            error.to_string(),
            "LitRes returned HTTP 400: Invalid signature (GET https://h/get_fresh_book/?place=P)"
        );
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.api_message(), Some("Invalid signature"));
        assert!(!error.is_retryable());
    }

    #[test]
    fn forbidden_hints_at_credentials() {
        let error = ClientError::api(403, None, None);
        assert_eq!(
            error.to_string(),
            "LitRes returned HTTP 403 with no message (check partner_id and secret_key)"
        );
    }

    #[test]
    fn retryable_kinds() {
        assert!(ClientError::timeout().is_retryable());
        assert!(ClientError::new(Kind::Connect).is_retryable());
        assert!(ClientError::new(Kind::Http).is_retryable());
        assert!(ClientError::api(503, None, None).is_retryable());
        assert!(ClientError::api(429, None, None).is_retryable());
        assert!(!ClientError::api(404, None, None).is_retryable());
        assert!(!ClientError::config("x").is_retryable());
        assert!(!ClientError::invalid_response("x").is_retryable());
    }

    #[test]
    fn source_chain_is_kept() {
        let error = ClientError::new(Kind::Http).with_source("connection reset");
        let source = StdError::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("connection reset"));
    }
}
