//! The LitRes partner HTTP client.
//!
//! One [`Client`] per partner account. Every call is a GET with query
//! parameters signed as LitRes expects, sent at most once per
//! `min_request_interval` (shared by all clones of the client), and retried
//! with exponential backoff on connection failures, timeouts, HTTP 5xx and
//! HTTP 429. Large bodies (the catalog feed, book files) are streamed.
//!
//! Logs and errors carry URLs without their `sha` signature, and never a
//! key. Each request runs in a `litres_request` tracing span with the
//! method, the redacted URL, the attempt count and the final status.
//!
//! ```no_run
//! use litres_core::client::{Client, ClientConfig, FreshBooksRequest};
//! use litres_core::feed::FeedItem;
//! use litres_core::{MoscowTime, Secret, WorkType};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(ClientConfig::new("TEST", Secret::new("key")))?;
//! let checkpoint = MoscowTime::parse("2024-02-01 00:00:00")?;
//! let request = FreshBooksRequest::new(checkpoint, WorkType::Text);
//! let mut feed = client.fresh_books(&request).await?;
//! while let Some(item) = feed.next().await {
//!     if let FeedItem::Record(record) = item? {
//!         println!("{}", record.art_id());
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod book_file;
mod config;
mod error;
mod error_body;
mod feed_body;
mod fresh_books;
mod query;
mod rate_limit;
pub mod retry;
mod sale;
mod send;

use std::sync::Arc;

use chrono::NaiveDate;
use reqwest::Url;

pub use book_file::{BookDownload, BookFileRef};
pub use config::{ClientConfig, DEFAULT_BASE_URL};
pub use error::ClientError;
pub use fresh_books::{FeedStream, FreshBooksRequest};
pub use query::redact_url;
pub use sale::{SaleRequest, SaleResponse};

use self::query::{Query, SIGNATURE_PARAM};
use self::rate_limit::RateLimiter;
use self::retry::RetryPolicy;
use self::send::Call;
use crate::feed::FeedItem;
use crate::genres::parse_genre_tree;
use crate::model::{ExternalId, GenreTree, Record, WorkType};
use crate::time::MoscowTime;

/// Path of the genre tree call.
const GENRES_PATH: &str = "/genres_list_2/";

/// Value sent to the HTTP `User-Agent` header.
const USER_AGENT: &str = concat!("litres-core/", env!("CARGO_PKG_VERSION"));

/// A LitRes partner client.
///
/// Cheap to clone: clones share one connection pool and one rate limiter.
/// `Debug` shows the partner id and base URL, never a key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    base: Url,
    limiter: RateLimiter,
    policy: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("partner_id", &self.inner.config.partner_id)
            .field("base_url", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Checks `config` and makes a client.
    ///
    /// # Errors
    ///
    /// A config error naming the setting when a setting is invalid, such
    /// as an empty partner id or key, zero attempts or a base URL that is
    /// not http or https.
    pub fn new(config: ClientConfig) -> Result<Client, ClientError> {
        let base = config.validate()?;
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .gzip(true)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|error| {
                ClientError::config("the HTTP client could not be built").with_source(error)
            })?;
        let policy = RetryPolicy {
            max_attempts: config.max_attempts,
            base_backoff: config.base_backoff,
            max_backoff: config.max_backoff,
        };
        let limiter = RateLimiter::new(config.min_request_interval);
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                http,
                base,
                limiter,
                policy,
            }),
        })
    }

    /// Returns the settings the client was made with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Downloads and parses the genre tree: `GET {base}/genres_list_2/`
    /// with no parameters and no signature.
    ///
    /// # Errors
    ///
    /// Transport, timeout and API errors after the retries, or an
    /// unreadable-response error when the tree does not parse.
    pub async fn genres(&self) -> Result<GenreTree, ClientError> {
        let call = self.call(GENRES_PATH, &Query::new())?;
        let body = self.inner.fetch_buffered(&call).await?;
        parse_genre_tree(&body).map_err(|error| {
            ClientError::invalid_response(format!("the genre tree could not be parsed: {error}"))
                .with_source(error)
                .with_url(call.redacted())
        })
    }

    /// Starts a catalog feed: `GET {base}/get_fresh_book/`, signed with
    /// the current Unix time. The body is parsed while it arrives.
    ///
    /// # Errors
    ///
    /// Transport, timeout and API errors from before the body started,
    /// after the retries. Errors inside the body come from
    /// [`FeedStream::next`].
    pub async fn fresh_books(
        &self,
        request: &FreshBooksRequest,
    ) -> Result<FeedStream, ClientError> {
        let config = &self.inner.config;
        let query = request.query(&config.partner_id, &config.secret_key, unix_now());
        let call = self.call(fresh_books::FRESH_BOOK_PATH, &query)?;
        let response = self.inner.fetch_streamed(&call).await?;
        Ok(FeedStream::new(
            response,
            config.read_timeout,
            call.redacted().to_owned(),
        ))
    }

    /// Fetches the current record of one book by external id
    /// (`get_fresh_book` with `uuid`), or `None` when LitRes sends none.
    ///
    /// LitRes requires a checkpoint even here, so the client sends
    /// [`single_book_checkpoint`] and no endpoint. When the feed contains
    /// several records of the book, the last one wins.
    ///
    /// # Errors
    ///
    /// As [`fresh_books`](Self::fresh_books) and [`FeedStream::next`], and
    /// an unreadable-response error when the book's record does not parse.
    pub async fn book_by_external_id(
        &self,
        id: &ExternalId,
        work_type: &WorkType,
    ) -> Result<Option<Record>, ClientError> {
        let mut request = FreshBooksRequest::new(single_book_checkpoint(), work_type.clone());
        request.uuid = Some(id.clone());
        let mut feed = self.fresh_books(&request).await?;
        let mut found = None;
        while let Some(item) = feed.next().await {
            match item? {
                FeedItem::Record(record) if record_is_about(&record, id) => found = Some(record),
                FeedItem::Record(record) => {
                    tracing::debug!(art_id = %record.art_id(), %id, "skipped a record of another book");
                }
                FeedItem::Failed(error) => {
                    return Err(ClientError::invalid_response(format!(
                        "the record of book {id} could not be parsed: {}",
                        error.message()
                    ))
                    .with_source(error));
                }
            }
        }
        Ok(found)
    }

    /// Starts downloading a book file on the server side:
    /// `GET {base}/get_the_book/`.
    ///
    /// # Errors
    ///
    /// Transport, timeout and API errors after the retries, and an API
    /// error when LitRes sends an XML document instead of the file, even
    /// with status 200.
    pub async fn get_the_book(
        &self,
        id: &ExternalId,
        what: BookFileRef,
    ) -> Result<BookDownload, ClientError> {
        let config = &self.inner.config;
        let query = what.query(id, &config.partner_id, &config.secret_key);
        let call = self.call(book_file::GET_THE_BOOK_PATH, &query)?;
        let response = self.inner.fetch_streamed(&call).await?;
        BookDownload::from_response(response, config.read_timeout, &call).await
    }

    /// Tells LitRes about one sold book, signed with the notification key.
    /// See [`SaleRequest`] for what is sent.
    ///
    /// A rejection is a valid response, not an error. It comes back as
    /// [`SaleResponse::Rejected`] with the LitRes message.
    ///
    /// # Errors
    ///
    /// A config error for an empty order or user id, transport, timeout
    /// and API errors after the retries, and an unreadable-response error
    /// when the response is not `<response status=".."/>`.
    pub async fn notify_sale(&self, sale: &SaleRequest) -> Result<SaleResponse, ClientError> {
        sale::check_sale(sale)?;
        let config = &self.inner.config;
        let query = sale::sale_query(
            sale,
            &config.partner_id,
            config.notification_key(),
            unix_now(),
        );
        let call = self.call(sale::SALE_PATH, &query)?;
        // One attempt only: after a timeout LitRes may have recorded the
        // sale, so the sale driver, not the client, decides on a resend.
        let body = self.inner.fetch_buffered_once(&call).await?;
        let response =
            sale::parse_sale_response(&body).map_err(|error| error.with_url(call.redacted()))?;
        if let SaleResponse::Rejected { code, message } = &response {
            tracing::warn!(order = %sale.order_id, art_id = %sale.art_id, code, message, "LitRes rejected a sale");
        }
        Ok(response)
    }

    /// Builds a buyer download link on the configured download domain,
    /// valid for 12 hours from now. See [`crate::download::download_link`].
    ///
    /// # Errors
    ///
    /// A config error when no download domain is set or an argument
    /// cannot go into a link.
    pub fn download_link(
        &self,
        user_id: &str,
        external_id: &ExternalId,
        ext: &str,
    ) -> Result<String, ClientError> {
        let config = &self.inner.config;
        let domain = config.download_domain.as_deref().ok_or_else(|| {
            ClientError::config("download_domain is not set: set the partner's download host")
        })?;
        crate::download::download_link(
            domain,
            &config.secret_key,
            user_id,
            external_id,
            ext,
            unix_now(),
        )
        .map_err(|error| ClientError::config(error.to_string()).with_source(error))
    }

    fn call(&self, path: &str, query: &Query) -> Result<Call, ClientError> {
        let config = &self.inner.config;
        let mut hidden = vec![
            config.secret_key.expose().to_owned(),
            config.notification_key().expose().to_owned(),
        ];
        if let Some(sha) = query.get(SIGNATURE_PARAM) {
            hidden.push(sha.to_owned());
        }
        Call::new(&self.inner.base, path, query, hidden)
    }
}

/// Checkpoint sent with a single-book request: 2000-01-01 00:00:00, before
/// any LitRes record.
// NOTE: whether LitRes filters a `uuid` request by its checkpoint is not
// documented; a date this early makes such a filter match every change.
pub fn single_book_checkpoint() -> MoscowTime {
    MoscowTime::start_of_day(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default())
}

/// Returns true when `record` may be the book `id`: an updated book with
/// that external id, or any removal, which carries only an art id.
fn record_is_about(record: &Record, id: &ExternalId) -> bool {
    match record {
        Record::Updated(book) => book.external_id.as_str().eq_ignore_ascii_case(id.as_str()),
        _ => true,
    }
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}
