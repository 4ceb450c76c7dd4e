//! Injected faults: status, delay, truncation, HTML page, malformed record.

use std::time::{Duration, Instant};

use litres_testkit::sandbox::{Fault, Injection};

use crate::support::{catalog_of, config, fresh_book, record_ids, start};

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<fb-updates timestamp="2026-11-21 00:00:00">
<updated-book id="10" external_id="bbbbbbbb-0000-4000-8000-000000000010" type="0" updated="2026-11-20 08:00:00"><title-info><annotation><p>Первая книга, длинная аннотация для обрезки тела ответа.</p></annotation></title-info></updated-book>
<updated-book id="11" external_id="bbbbbbbb-0000-4000-8000-000000000011" type="0" updated="2026-11-20 09:00:00"><title-info/></updated-book>
</fb-updates>
"#;

#[tokio::test]
async fn status_fault_repeats_then_clears() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Injection::new(Fault::Status(503)).times(2));
    assert_eq!(fresh_book(&sandbox, "2026-11-20", &[]).await.status(), 503);
    assert_eq!(fresh_book(&sandbox, "2026-11-20", &[]).await.status(), 503);
    assert_eq!(sandbox.pending_faults(), 0);
    assert_eq!(fresh_book(&sandbox, "2026-11-20", &[]).await.status(), 200);
}

#[tokio::test]
async fn delay_fault_holds_response() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let response = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(record_ids(&response.text().await.unwrap()), ["10", "11"]);
}

#[tokio::test]
async fn truncated_body_fails_client_read() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Fault::TruncateBody(100));
    let response = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(response.status(), 200);
    let mut response = response;
    let mut received = 0;
    let outcome = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => break Ok(()),
            Err(error) => break Err(error),
        }
    };
    assert!(outcome.is_err(), "a cut body must not read as complete");
    assert_eq!(received, 100);
}

#[tokio::test]
async fn html_error_page_with_502() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Fault::HtmlErrorPage(502));
    let response = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(response.status(), 502);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(response.text().await.unwrap().contains("<html>"));
}

#[tokio::test]
async fn html_error_page_with_200() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Fault::HtmlErrorPage(200));
    let response = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/html"), "{content_type}");
}

#[tokio::test]
async fn malformed_record_goes_into_next_feed_only() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Fault::MalformedRecord);
    let genres = crate::support::client()
        .get(format!("{}/genres_list_2/", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(genres.status(), 404, "empty catalog has no genre tree");
    assert_eq!(sandbox.pending_faults(), 1, "only a feed call takes it");

    let first = fresh_book(&sandbox, "2026-11-20", &[]).await;
    let body = first.text().await.unwrap();
    assert_eq!(record_ids(&body), ["999999999", "10", "11"]);
    assert!(body.contains("<p>This paragraph is never closed</annotation>"));

    let second = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(record_ids(&second.text().await.unwrap()), ["10", "11"]);
}

#[tokio::test]
async fn fault_on_path_skips_other_paths() {
    let sandbox = start(config().with_catalog(catalog_of(FEED))).await;
    sandbox.inject(Injection::new(Fault::Status(500)).on_path("/purchase"));
    assert_eq!(fresh_book(&sandbox, "2026-11-20", &[]).await.status(), 200);
    assert_eq!(sandbox.pending_faults(), 1);
}
