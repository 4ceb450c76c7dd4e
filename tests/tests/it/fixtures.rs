//! The real recorded LitRes responses, served by the sandbox.

use std::path::PathBuf;

use crate::support::{client, config, fresh_book, record_ids, root_timestamp, start};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(crate::recorded(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/litres"
    )))
}

#[tokio::test]
async fn real_feed_window_serves_both_books() {
    let sandbox = start(config().with_catalog_dir(fixtures_dir())).await;
    let window = [("endpoint", "2015-07-19 12:10:00")];
    let response = fresh_book(&sandbox, "2015-07-19 12:05:00", &window).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert_eq!(record_ids(&body), ["10315207", "10316290"]);
    assert_eq!(root_timestamp(&body), "2015-07-19 12:10:00");
    assert!(body.contains("external_id=\"37828892-1a76-11e5-ad6a-002590591dd6\""));
}

#[tokio::test]
async fn real_feed_window_excludes_later_book() {
    let sandbox = start(config().with_catalog_dir(fixtures_dir())).await;
    let window = [("endpoint", "2015-07-19 12:07:41")];
    let response = fresh_book(&sandbox, "2015-07-19 12:05:00", &window).await;
    assert_eq!(record_ids(&response.text().await.unwrap()), ["10315207"]);
}

#[tokio::test]
async fn real_genre_tree_is_served_unchanged() {
    let sandbox = start(config().with_catalog_dir(fixtures_dir())).await;
    let response = client()
        .get(format!("{}/genres_list_2/", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    let file = std::fs::read(fixtures_dir().join("genres_list_2-2015.xml")).unwrap();
    assert_eq!(body.len(), file.len());
    assert!(body == file);
}

#[tokio::test]
async fn real_records_are_served_byte_for_byte() {
    let sandbox = start(config().with_catalog_dir(fixtures_dir())).await;
    let file =
        std::fs::read_to_string(fixtures_dir().join("get_fresh_book-2015-07-19.xml")).unwrap();
    let start = file.find("<updated-book").unwrap();
    let end = file.rfind("</updated-book>").unwrap() + "</updated-book>".len();
    let response = fresh_book(&sandbox, "2015-07-19", &[("endpoint", "2015-07-20")]).await;
    let body = response.text().await.unwrap();
    assert!(
        body.contains(&file[start..end]),
        "records must be copied unchanged"
    );
}
