//! `get_fresh_book`: signatures, timestamps, parameters and selection.

use litres_testkit::sandbox::XML_CONTENT_TYPE;

use crate::support::{
    catalog_of, config, fresh_book, fresh_book_signed, moscow, record_ids, root_timestamp, start,
    start_sample,
};

/// Six records around the window 2026-11-20 10:00:00 to 10:05:00.
const EDGE_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<fb-updates timestamp="2026-11-21 00:00:00">
<updated-book id="1" external_id="AAAAAAAA-0000-4000-8000-000000000001" type="0" updated="2026-11-20 09:59:59"><title-info/></updated-book>
<updated-book id="2" external_id="aaaaaaaa-0000-4000-8000-000000000002" type="0" updated="2026-11-20 10:00:00"><title-info/></updated-book>
<updated-book id="3" external_id="aaaaaaaa-0000-4000-8000-000000000003" type="1" updated="2026-11-20 10:02:00"><title-info/></updated-book>
<removed-book id="4" updated="2026-11-20 10:03:00"/>
<updated-book id="5" external_id="aaaaaaaa-0000-4000-8000-000000000005" type="0" updated="2026-11-20 10:05:00"><title-info/></updated-book>
<updated-book id="1" external_id="AAAAAAAA-0000-4000-8000-000000000001" type="0" updated="2026-11-20 12:00:00"><title-info><book-title>later</book-title></title-info></updated-book>
</fb-updates>
"#;

const WINDOW: [(&str, &str); 1] = [("endpoint", "2026-11-20 10:05:00")];

#[tokio::test]
async fn good_signature_returns_feed() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let response = fresh_book(&sandbox, "2026-11-20 10:00:00", &WINDOW).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert_eq!(content_type, XML_CONTENT_TYPE);
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<?xml version=\"1.0\""), "{body}");
    assert!(body.ends_with("</fb-updates>"), "{body}");
    assert_eq!(root_timestamp(&body), "2026-11-20 10:05:00");
}

#[tokio::test]
async fn bad_signature_is_rejected() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let timestamp = sandbox.now().timestamp();
    let bad = "0".repeat(64);
    let response =
        fresh_book_signed(&sandbox, timestamp, "2026-11-20 10:00:00", Some(&bad), &[]).await;
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("<error>invalid signature"), "{body}");
}

#[tokio::test]
async fn signature_over_other_checkpoint_is_rejected() {
    let sandbox = start(config()).await;
    let timestamp = sandbox.now().timestamp();
    let other = litres_core::sign::fresh_book(timestamp, sandbox.secret_key(), "2026-11-20");
    let response = fresh_book_signed(
        &sandbox,
        timestamp,
        "2026-11-20 00:00:00",
        Some(&other),
        &[],
    )
    .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn stale_timestamp_is_rejected() {
    let sandbox = start(config()).await;
    let stale = sandbox.now().timestamp() - 601;
    let response = fresh_book_signed(&sandbox, stale, "2026-11-20", None, &[]).await;
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("stale timestamp"), "{body}");
}

#[tokio::test]
async fn timestamp_within_tolerance_is_accepted() {
    let sandbox = start(config()).await;
    let late = sandbox.now().timestamp() - 600;
    let response = fresh_book_signed(&sandbox, late, "2026-11-20", None, &[]).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_partner_is_rejected() {
    let sandbox = start(config().with_partner_id("SHOP1")).await;
    let response = crate::support::client()
        .get(format!("{}/get_fresh_book/", sandbox.base_url()))
        .query(&[("place", "TEST"), ("checkpoint", "2026-11-20")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn invalid_checkpoint_is_bad_request() {
    let sandbox = start(config()).await;
    let response = fresh_book(&sandbox, "20.11.2026", &[]).await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("invalid checkpoint `20.11.2026`"), "{body}");
}

#[tokio::test]
async fn missing_timestamp_is_bad_request() {
    let sandbox = start(config()).await;
    let response = crate::support::client()
        .get(format!("{}/get_fresh_book/", sandbox.base_url()))
        .query(&[
            ("place", "TEST"),
            ("checkpoint", "2026-11-20"),
            ("sha", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn window_is_half_open() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let response = fresh_book(&sandbox, "2026-11-20 10:00:00", &WINDOW).await;
    let ids = record_ids(&response.text().await.unwrap());
    assert!(
        ids.contains(&"2".to_owned()),
        "checkpoint is inclusive: {ids:?}"
    );
    assert!(!ids.contains(&"1".to_owned()), "before checkpoint: {ids:?}");
    assert!(
        !ids.contains(&"5".to_owned()),
        "endpoint is exclusive: {ids:?}"
    );
    assert_eq!(ids, ["2", "4"]);
}

#[tokio::test]
async fn type_filter_selects_type() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let audio = fresh_book(&sandbox, "2026-11-20 10:00:00", &[WINDOW[0], ("type", "1")]).await;
    assert_eq!(record_ids(&audio.text().await.unwrap()), ["3", "4"]);
    let all = fresh_book(
        &sandbox,
        "2026-11-20 10:00:00",
        &[WINDOW[0], ("type", "all")],
    )
    .await;
    assert_eq!(record_ids(&all.text().await.unwrap()), ["2", "3", "4"]);
}

#[tokio::test]
async fn uuid_selects_latest_record_of_book() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let uuid = [("uuid", "aaaaaaaa-0000-4000-8000-000000000001")];
    let response = fresh_book(&sandbox, "2026-11-27", &uuid).await;
    let body = response.text().await.unwrap();
    assert_eq!(record_ids(&body), ["1"]);
    assert!(body.contains("<book-title>later</book-title>"), "{body}");
    assert_eq!(root_timestamp(&body), "2026-11-28 00:00:00");
}

#[tokio::test]
async fn no_endpoint_serves_up_to_now() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let response = fresh_book(&sandbox, "2026-11-20", &[]).await;
    let body = response.text().await.unwrap();
    assert_eq!(root_timestamp(&body), "2026-11-28 00:00:00");
    assert_eq!(record_ids(&body), ["1", "2", "4", "5", "1"]);
}

#[tokio::test]
async fn space_sent_as_percent_20_is_accepted() {
    let sandbox = start(config().with_catalog(catalog_of(EDGE_FEED))).await;
    let timestamp = sandbox.now().timestamp();
    let sha = litres_core::sign::fresh_book(timestamp, sandbox.secret_key(), "2026-11-20 10:00:00");
    let url = format!(
        "{}/get_fresh_book/?checkpoint=2026-11-20%2010:00:00&endpoint=2026-11-20%2010:05:00\
         &place=TEST&timestamp={timestamp}&sha={sha}",
        sandbox.base_url()
    );
    let response = crate::support::client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(record_ids(&response.text().await.unwrap()), ["2", "4"]);
}

#[tokio::test]
async fn sample_catalog_counts_by_type() {
    let sandbox = start_sample().await;
    let summary = litres_testkit::catalog_gen::sample().summary().clone();
    let window = [("endpoint", "2026-11-27 00:00:00")];
    for (code, expected) in [("0", 149), ("1", 51), ("4", 24), ("11", 16)] {
        let response = fresh_book(&sandbox, "2026-11-20", &[window[0], ("type", code)]).await;
        let body = response.text().await.unwrap();
        let books = body.matches("<updated-book ").count();
        assert_eq!(books, expected, "type {code}");
        assert!(summary.by_type.contains(&(code.parse().unwrap(), expected)));
        // Removed books carry no type, so every type's response contains both.
        assert_eq!(body.matches("<removed-book ").count(), 2, "type {code}");
    }
}

#[tokio::test]
async fn sample_windows_cover_catalog_once() {
    let sandbox = start_sample().await;
    let mut seen = Vec::new();
    let mut checkpoint = moscow("2026-11-20 00:00:00");
    for _ in 0..7 {
        let endpoint = checkpoint + chrono::Duration::hours(24);
        let endpoint_text = endpoint.to_string();
        let extra = [("endpoint", endpoint_text.as_str()), ("type", "all")];
        let response = fresh_book(&sandbox, &checkpoint.to_string(), &extra).await;
        let body = response.text().await.unwrap();
        assert_eq!(root_timestamp(&body), endpoint_text);
        seen.extend(record_ids(&body));
        checkpoint = endpoint;
    }
    assert_eq!(seen.len(), 242);
    let removed = seen
        .iter()
        .filter(|id| *id == "70000001" || *id == "70000002");
    assert_eq!(
        removed.count(),
        4,
        "each removed book once as book, once as removal"
    );
}

#[tokio::test]
async fn generated_catalog_streams_every_record() {
    let generated = litres_testkit::catalog_gen::generate(2_000, 9);
    let dir = tempfile::tempdir().unwrap();
    generated.write_to(dir.path()).unwrap();
    let sandbox = start(config().with_catalog_dir(dir.path())).await;
    let extra = [("endpoint", "2026-11-27"), ("type", "all")];
    let response = fresh_book(&sandbox, "2026-11-20", &extra).await;
    assert!(
        response.headers().get("content-length").is_none(),
        "streamed"
    );
    let body = response.text().await.unwrap();
    assert!(
        body.len() > 1_000_000,
        "several chunks: {} bytes",
        body.len()
    );
    assert_eq!(body.matches("<updated-book ").count(), 2_000);
    assert_eq!(body.matches("<removed-book ").count(), 2);
    assert!(body.ends_with("</updated-book></fb-updates>"), "whole body");
}
