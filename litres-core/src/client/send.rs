//! One LitRes request: rate limiting, attempts, retries and tracing.

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Response, Url};
use tracing::{debug, field, warn, Instrument};

use super::error_body::{extract_message, MAX_ERROR_BODY_BYTES};
use super::query::{redact_url, Query};
use super::retry::{parse_retry_after, Decision, RetryPolicy};
use super::{ClientError, Inner};

/// A prepared GET request.
pub(crate) struct Call {
    url: Url,
    redacted: String,
    /// Texts that must never reach an error message: the signature and the
    /// keys, in case LitRes echoes them back.
    hidden: Vec<String>,
}

impl Call {
    /// Builds `{base}{path}?{query}`. `hidden` lists the values to scrub
    /// from error messages.
    pub(crate) fn new(
        base: &Url,
        path: &str,
        query: &Query,
        hidden: Vec<String>,
    ) -> Result<Self, ClientError> {
        let mut text = format!("{}{path}", base.as_str().trim_end_matches('/'));
        let encoded = query.encode();
        if !encoded.is_empty() {
            text.push('?');
            text.push_str(&encoded);
        }
        let redacted = redact_url(&text);
        let url = Url::parse(&text).map_err(|error| {
            ClientError::config(format!("request URL {redacted} is invalid: {error}"))
        })?;
        Ok(Self {
            url,
            redacted,
            hidden,
        })
    }

    /// Returns the URL without its signature.
    pub(crate) fn redacted(&self) -> &str {
        &self.redacted
    }

    /// Extracts a short message from an error body with every hidden
    /// value replaced by `[redacted]`. The body is scrubbed before the
    /// message is shortened, so no part of a hidden value survives a cut.
    pub(crate) fn error_message(&self, content_type: Option<&str>, body: &[u8]) -> Option<String> {
        let body = self.scrub(&String::from_utf8_lossy(body));
        extract_message(content_type, body.as_bytes()).map(|text| self.scrub(&text))
    }

    /// Replaces each hidden value in `text` by `[redacted]`.
    fn scrub(&self, text: &str) -> String {
        let mut clean = text.to_owned();
        for hidden in self.hidden.iter().filter(|hidden| !hidden.is_empty()) {
            clean = clean.replace(hidden.as_str(), "[redacted]");
        }
        clean
    }
}

impl Inner {
    /// Sends `call` and reads its whole body within `request_timeout`,
    /// retrying as the policy allows.
    pub(crate) async fn fetch_buffered(&self, call: &Call) -> Result<Bytes, ClientError> {
        self.with_retries(call, &self.policy, || self.attempt_buffered(call))
            .await
    }

    /// Sends `call` once, after the rate limiter, and reads its whole body
    /// within `request_timeout`. For calls that must not reach LitRes twice
    /// in a row, such as a sale notification whose answer was lost: the
    /// caller decides whether to send again later.
    pub(crate) async fn fetch_buffered_once(&self, call: &Call) -> Result<Bytes, ClientError> {
        let once = RetryPolicy {
            max_attempts: 1,
            ..self.policy
        };
        self.with_retries(call, &once, || self.attempt_buffered(call))
            .await
    }

    /// Sends `call` and returns the response once its headers arrived
    /// within `read_timeout`, retrying as the policy allows. The body is
    /// left to the caller.
    pub(crate) async fn fetch_streamed(&self, call: &Call) -> Result<Response, ClientError> {
        self.with_retries(call, &self.policy, || self.attempt_streamed(call))
            .await
    }

    async fn attempt_buffered(&self, call: &Call) -> Result<(u16, Bytes), ClientError> {
        let response = self
            .http
            .get(call.url.clone())
            .timeout(self.config.request_timeout)
            .send()
            .await
            .map_err(|error| ClientError::transport(error).with_url(call.redacted()))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(api_error(response, call, None).await);
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| ClientError::transport(error).with_url(call.redacted()))?;
        Ok((status, body))
    }

    async fn attempt_streamed(&self, call: &Call) -> Result<(u16, Response), ClientError> {
        let send = self.http.get(call.url.clone()).send();
        let response = tokio::time::timeout(self.config.read_timeout, send)
            .await
            .map_err(|_| ClientError::timeout().with_url(call.redacted()))?
            .map_err(|error| ClientError::transport(error).with_url(call.redacted()))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            let timeout = Some(self.config.read_timeout);
            return Err(api_error(response, call, timeout).await);
        }
        Ok((status, response))
    }

    /// Runs `attempt` until it succeeds or the retry policy gives up,
    /// waiting for the rate limiter before each attempt.
    async fn with_retries<T, F, Fut>(
        &self,
        call: &Call,
        policy: &RetryPolicy,
        mut attempt: F,
    ) -> Result<T, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<(u16, T), ClientError>>,
    {
        let span = tracing::debug_span!(
            "litres_request",
            method = "GET",
            url = %call.redacted(),
            status = field::Empty,
            attempts = field::Empty,
        );
        async {
            let mut number: u32 = 1;
            loop {
                self.limiter.acquire().await;
                let started = Instant::now();
                let result = attempt().await;
                let span = tracing::Span::current();
                span.record("attempts", number);
                let error = match result {
                    Ok((status, value)) => {
                        span.record("status", status);
                        debug!(
                            status,
                            elapsed_ms = millis(started.elapsed()),
                            "LitRes responded"
                        );
                        return Ok(value);
                    }
                    Err(error) => error,
                };
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                let decision = match error.outcome() {
                    Some(outcome) => policy.decide(&outcome, number, rand::random::<f64>()),
                    None => Decision::GiveUp,
                };
                let Decision::Retry(delay) = decision else {
                    debug!(attempt = number, error = %error, "LitRes request failed");
                    return Err(error);
                };
                warn!(
                    attempt = number,
                    max_attempts = policy.max_attempts,
                    status = error.status(),
                    url = %call.redacted(),
                    delay_ms = millis(delay),
                    error = %error,
                    "LitRes request failed, retrying"
                );
                tokio::time::sleep(delay).await;
                number += 1;
            }
        }
        .instrument(span)
        .await
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Turns an error status into an error with the message LitRes gave.
///
/// The body is read up to [`MAX_ERROR_BODY_BYTES`]. A body that cannot be
/// read only costs the message.
async fn api_error(response: Response, call: &Call, timeout: Option<Duration>) -> ClientError {
    let status = response.status().as_u16();
    let retry_after =
        header_text(&response, RETRY_AFTER).and_then(|value| parse_retry_after(&value));
    let content_type = header_text(&response, CONTENT_TYPE);
    let body = match timeout {
        Some(limit) => tokio::time::timeout(limit, read_prefix(response, MAX_ERROR_BODY_BYTES))
            .await
            .unwrap_or_default(),
        None => read_prefix(response, MAX_ERROR_BODY_BYTES).await,
    };
    let message = call.error_message(content_type.as_deref(), &body);
    ClientError::api(status, message, retry_after).with_url(call.redacted())
}

/// Reads at most `limit` bytes of a body (one chunk may overshoot it) and
/// stops at the first read error.
pub(crate) async fn read_prefix(mut response: Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(limit);
    body
}

/// Returns a header value as text, if it is present and visible ASCII.
pub(crate) fn header_text(
    response: &Response,
    name: reqwest::header::HeaderName,
) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}
