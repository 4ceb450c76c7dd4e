//! HTTP calls to CS-Cart's REST API: authentication, JSON bodies, errors
//! and pagination.

use std::time::Duration;

use litres_core::store::{StoreError, StoreErrorKind};
use litres_core::Secret;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::json::{field_u64, text_of};

/// Page size for list calls; CS-Cart's default is 10.
const ITEMS_PER_PAGE: u64 = 100;
/// Tries of an idempotent call (GET, PUT, DELETE) that timed out or failed
/// on CS-Cart's side.
const IDEMPOTENT_ATTEMPTS: u32 = 2;
/// Pause before repeating an idempotent call.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// A failed API call.
#[derive(Debug)]
pub(crate) enum RestError {
    /// No response arrived in time, or the connection broke after the
    /// request was sent, so CS-Cart may have done the write.
    NoResponse(reqwest::Error),
    /// The connection could not be made or broke before the request was
    /// sent.
    Transport(reqwest::Error),
    /// CS-Cart returned an error status.
    Status {
        /// HTTP status.
        status: StatusCode,
        /// CS-Cart's `message`, or the start of the body.
        message: String,
    },
    /// The response was not the expected JSON.
    Decode(String),
}

impl RestError {
    /// Returns true when the call may have changed the shop although no
    /// success arrived (timeout, broken connection, 5xx).
    pub(crate) fn may_have_written(&self) -> bool {
        match self {
            Self::NoResponse(_) => true,
            Self::Status { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    /// Returns the HTTP status of an error response.
    pub(crate) fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Converts the failure of `action` (such as `updating product 7`)
    /// into a store error with what to do.
    pub(crate) fn into_store(self, action: &str) -> StoreError {
        match self {
            Self::NoResponse(error) => StoreError::new(
                StoreErrorKind::Unavailable,
                format!("{action} got no response from CS-Cart (timed out or the connection broke); retry later"),
            )
            .with_source(error.without_url()),
            Self::Transport(error) => StoreError::new(
                StoreErrorKind::Unavailable,
                format!("{action} failed: CS-Cart could not be reached; check the store url"),
            )
            .with_source(error.without_url()),
            Self::Status { status, message } => {
                let (kind, advice) = classify(status);
                StoreError::new(
                    kind,
                    format!("{action} failed: CS-Cart returned {status}: {message} ({advice})"),
                )
            }
            Self::Decode(problem) => StoreError::new(
                StoreErrorKind::Corrupt,
                format!("{action} failed: unexpected response from CS-Cart: {problem}"),
            ),
        }
    }
}

fn classify(status: StatusCode) -> (StoreErrorKind, &'static str) {
    match status.as_u16() {
        401 | 403 => (
            StoreErrorKind::Config,
            "check the store email and api_key, and that the API is enabled for that user",
        ),
        404 => (StoreErrorKind::NotFound, "the record does not exist"),
        500..=599 => (StoreErrorKind::Unavailable, "retry later"),
        _ => (StoreErrorKind::Rejected, "CS-Cart rejected the data"),
    }
}

/// A CS-Cart REST API client with HTTP Basic authentication.
#[derive(Debug, Clone)]
pub(crate) struct RestClient {
    http: reqwest::Client,
    api_base: String,
    email: String,
    api_key: Secret,
}

impl RestClient {
    /// Makes a client for the shop at `url` (the address before `/api`).
    pub(crate) fn new(
        url: &str,
        email: &str,
        api_key: Secret,
        timeout: Duration,
    ) -> Result<Self, StoreError> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(StoreError::new(
                StoreErrorKind::Config,
                format!("store url {url:?} is not an http:// or https:// address"),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|error| {
                StoreError::new(StoreErrorKind::Config, "building the HTTP client failed")
                    .with_source(error)
            })?;
        Ok(Self {
            http,
            api_base: format!("{url}/api"),
            email: email.trim().to_owned(),
            api_key,
        })
    }

    /// Sends one request; `path` is relative to `/api/`, such as
    /// `products/7`. Returns `Value::Null` for 204.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, RestError> {
        let url = format!("{}/{path}", self.api_base);
        let span = tracing::debug_span!("cscart_request", %method, path);
        let _guard = span.enter();
        let mut request = self
            .http
            .request(method, &url)
            .basic_auth(&self.email, Some(self.api_key.expose()))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json");

        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body).map_err(|e| RestError::Decode(e.to_string()))?;
            request = request.body(bytes);
        }

        let response = request.send().await.map_err(sort_send_error)?;
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "CS-Cart responded");
        let bytes = response.bytes().await.map_err(sort_send_error)?;

        if !status.is_success() {
            return Err(RestError::Status {
                status,
                message: error_message(&bytes),
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes)
            .map_err(|error| RestError::Decode(format!("{path}: body is not JSON: {error}")))
    }

    /// Sends an idempotent request, repeating it once after a timeout or a
    /// 5xx.
    pub(crate) async fn send_idempotent(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, RestError> {
        let mut attempt = 1;
        loop {
            match self.send(method.clone(), path, query, body).await {
                Err(error) if error.may_have_written() && attempt < IDEMPOTENT_ATTEMPTS => {
                    tracing::warn!(%method, path, attempt, ?error, "repeating a CS-Cart call");
                    attempt += 1;
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
                other => return other,
            }
        }
    }

    /// Reads every item of a list, page by page. CS-Cart returns the last
    /// page again for a page past the end, so the loop stops on
    /// `total_items`, never on an empty page alone.
    pub(crate) async fn list(
        &self,
        entity: &str,
        key: &str,
        filters: &[(&str, String)],
    ) -> Result<Vec<Value>, RestError> {
        let mut items = Vec::new();
        let mut page = 1_u64;
        loop {
            let mut query: Vec<(&str, String)> = filters.to_vec();
            query.push(("page", page.to_string()));
            query.push(("items_per_page", ITEMS_PER_PAGE.to_string()));
            let body = self
                .send_idempotent(Method::GET, entity, &query, None)
                .await?;
            let total = body
                .get("params")
                .and_then(|params| field_u64(params, "total_items"))
                .ok_or_else(|| RestError::Decode(format!("{entity}: no params.total_items")))?;
            let batch = match body.get(key) {
                Some(Value::Array(batch)) => batch.clone(),
                // CS-Cart prints an empty list as `[]` or, from PHP, `{}`.
                Some(Value::Object(map)) => map.values().cloned().collect(),
                _ => Vec::new(),
            };
            let received = batch.len();
            items.extend(batch);
            let pages = total.div_ceil(ITEMS_PER_PAGE);
            if items.len() as u64 >= total || received == 0 || page >= pages {
                break;
            }
            page += 1;
        }
        Ok(items)
    }
}

/// Sorts a reqwest failure into "maybe written" or "never sent".
fn sort_send_error(error: reqwest::Error) -> RestError {
    if error.is_connect() || error.is_builder() {
        RestError::Transport(error)
    } else {
        RestError::NoResponse(error)
    }
}

/// Reads CS-Cart's `message`, or the start of a non-JSON body.
fn error_message(bytes: &[u8]) -> String {
    if let Ok(body) = serde_json::from_slice::<Value>(bytes) {
        if let Some(message) = body.get("message").and_then(text_of) {
            return message;
        }
    }
    let text = String::from_utf8_lossy(bytes);
    text.chars().take(200).collect()
}
