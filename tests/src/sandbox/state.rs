//! State shared by the handlers of one sandbox: settings, catalog, clock,
//! rate limit, faults and recorded sales.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use litres_core::{ArtId, Secret};

use super::catalog::Catalog;
use super::config::SandboxClock;
use super::error::ApiError;
use super::faults::FaultQueue;
use super::sale::SaleRecord;

pub(crate) struct SandboxState {
    pub partner_id: String,
    pub secret_key: Secret,
    pub notification_key: Secret,
    pub catalog: Catalog,
    pub min_request_interval: Duration,
    pub timestamp_tolerance: Duration,
    pub clock: Mutex<SandboxClock>,
    pub faults: FaultQueue,
    pub last_request: Mutex<HashMap<String, Instant>>,
    pub sales: Mutex<Vec<SaleRecord>>,
    pub rejected_sales: Mutex<HashMap<ArtId, String>>,
}

impl SandboxState {
    /// Returns the sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        let clock = self.clock.lock().map(|clock| *clock);
        match clock {
            Ok(SandboxClock::Fixed(instant)) => instant,
            _ => Utc::now(),
        }
    }

    /// Checks that `place` is the configured partner.
    pub fn check_place(&self, place: Option<&String>) -> Result<(), ApiError> {
        match place {
            None => Err(ApiError::bad_request("missing parameter `place`")),
            Some(place) if *place == self.partner_id => Ok(()),
            Some(place) => Err(ApiError::forbidden(format!("unknown partner `{place}`"))),
        }
    }

    /// Parses a `timestamp` parameter and checks it is within the tolerance
    /// of the sandbox clock.
    pub fn check_timestamp(&self, text: Option<&String>) -> Result<i64, ApiError> {
        let text = text.ok_or_else(|| ApiError::bad_request("missing parameter `timestamp`"))?;
        let timestamp: i64 = text.trim().parse().map_err(|_| {
            ApiError::bad_request(format!(
                "invalid timestamp `{text}`: expected Unix time in seconds"
            ))
        })?;
        let now = self.now().timestamp();
        let tolerance = i64::try_from(self.timestamp_tolerance.as_secs()).unwrap_or(i64::MAX);
        if timestamp.abs_diff(now) > tolerance.unsigned_abs() {
            return Err(ApiError::forbidden(format!(
                "stale timestamp {timestamp}: it is more than {tolerance} s from the server time {now}"
            )));
        }
        Ok(timestamp)
    }

    /// Counts one request of `place` against the rate limit.
    ///
    /// A request that arrives sooner than `min_request_interval` after the
    /// last accepted one is rejected with 429 and `Retry-After`, and does
    /// not count. NOTE: LitRes's real response to a too-fast client is not
    /// published; 429 is the sandbox's choice.
    pub fn check_rate(&self, place: &str) -> Result<(), ApiError> {
        if self.min_request_interval.is_zero() {
            return Ok(());
        }
        let Ok(mut last_request) = self.last_request.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        if let Some(last) = last_request.get(place) {
            let elapsed = now.duration_since(*last);
            if elapsed < self.min_request_interval {
                let wait = self.min_request_interval - elapsed;
                let mut error = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "too many requests: at most one per {} ms per partner",
                        self.min_request_interval.as_millis()
                    ),
                );
                error.retry_after_secs = Some(wait.as_secs_f64().ceil().max(1.0) as u64);
                return Err(error);
            }
        }
        last_request.insert(place.to_owned(), now);
        Ok(())
    }

    /// Checks a request signature against the expected one.
    pub fn check_signature(&self, sent: Option<&String>, expected: &str) -> Result<(), ApiError> {
        match sent {
            None => Err(ApiError::bad_request("missing parameter `sha`")),
            Some(sent) if sent.eq_ignore_ascii_case(expected) => Ok(()),
            Some(_) => Err(ApiError::forbidden("invalid signature `sha`")),
        }
    }
}
