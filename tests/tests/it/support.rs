//! Helpers shared by the test modules: starting sandboxes and signing
//! requests.

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use litres_core::{sign, MoscowTime};
use litres_testkit::sandbox::{Catalog, Sandbox, SandboxClock, SandboxConfig, SandboxHandle};

/// Sandbox clock of the tests that fix it: 2026-11-28 00:00:00 Moscow time.
pub fn fixed_now() -> DateTime<Utc> {
    moscow("2026-11-28 00:00:00").to_utc()
}

pub fn moscow(text: &str) -> MoscowTime {
    MoscowTime::parse(text).unwrap()
}

/// Returns settings with no rate limit and the fixed clock.
pub fn config() -> SandboxConfig {
    SandboxConfig::new()
        .with_min_request_interval(Duration::ZERO)
        .with_clock(SandboxClock::Fixed(fixed_now()))
}

pub async fn start(config: SandboxConfig) -> SandboxHandle {
    Sandbox::start(config).await.unwrap()
}

/// Starts a sandbox over the bundled sample catalog.
pub async fn start_sample() -> SandboxHandle {
    start(config().with_catalog_dir(litres_testkit::sample_catalog_dir())).await
}

/// Builds an in-memory catalog from one feed document.
pub fn catalog_of(feed: &str) -> Catalog {
    let mut catalog = Catalog::new();
    catalog
        .add_file(Path::new("test-feed.xml"), Bytes::from(feed.to_owned()))
        .unwrap();
    catalog
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Sends a signed `get_fresh_book` request with the sandbox clock as
/// timestamp, plus `extra` parameters.
pub async fn fresh_book(
    sandbox: &SandboxHandle,
    checkpoint: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let timestamp = sandbox.now().timestamp();
    fresh_book_signed(sandbox, timestamp, checkpoint, None, extra).await
}

/// Sends a `get_fresh_book` request with this timestamp and, when given,
/// this signature instead of the right one.
pub async fn fresh_book_signed(
    sandbox: &SandboxHandle,
    timestamp: i64,
    checkpoint: &str,
    sha: Option<&str>,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let good = sign::fresh_book(timestamp, sandbox.secret_key(), checkpoint);
    let timestamp = timestamp.to_string();
    let mut query = vec![
        ("checkpoint", checkpoint),
        ("place", sandbox.partner_id()),
        ("timestamp", timestamp.as_str()),
        ("sha", sha.unwrap_or(&good)),
    ];
    query.extend_from_slice(extra);
    client()
        .get(format!("{}/get_fresh_book/", sandbox.base_url()))
        .query(&query)
        .send()
        .await
        .unwrap()
}

/// Returns the art ids of the `updated-book` and `removed-book` records of
/// a feed body, in order.
pub fn record_ids(body: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for piece in body.split('<').skip(1) {
        let is_record = piece.starts_with("updated-book ") || piece.starts_with("removed-book ");
        if !is_record {
            continue;
        }
        if let Some(rest) = piece.split(" id=\"").nth(1) {
            ids.push(rest.split('"').next().unwrap_or_default().to_owned());
        }
    }
    ids
}

/// Returns the `fb-updates/@timestamp` of a feed body.
pub fn root_timestamp(body: &str) -> String {
    let rest = body.split("<fb-updates").nth(1).unwrap();
    let rest = rest.split("timestamp=\"").nth(1).unwrap();
    rest.split('"').next().unwrap().to_owned()
}
