//! The one-request-per-interval limit per partner.

use std::time::Duration;

use crate::support::{config, fresh_book, start};

#[tokio::test]
async fn second_request_too_soon_is_429_then_succeeds() {
    let interval = Duration::from_millis(200);
    let sandbox = start(config().with_min_request_interval(interval)).await;
    let first = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(first.status(), 200);

    let second = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(second.status(), 429);
    assert_eq!(second.headers()["retry-after"], "1");
    let body = second.text().await.unwrap();
    assert!(body.contains("<error>too many requests"), "{body}");

    tokio::time::sleep(interval + Duration::from_millis(50)).await;
    let third = fresh_book(&sandbox, "2026-11-20", &[]).await;
    assert_eq!(third.status(), 200);
}

#[tokio::test]
async fn genre_tree_is_not_rate_limited() {
    let config = config()
        .with_min_request_interval(Duration::from_secs(60))
        .with_catalog_dir(litres_testkit::sample_catalog_dir());
    let sandbox = start(config).await;
    let url = format!("{}/genres_list_2/", sandbox.base_url());
    for _ in 0..3 {
        let response = crate::support::client().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
}
