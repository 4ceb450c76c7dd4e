//! Buyer download links and `get_the_book`.

use litres_core::sign;
use litres_testkit::sandbox::SandboxHandle;

use crate::support::{catalog_of, client, config, start};

const BOOK: &str = "cccccccc-0000-4000-8000-000000000001";

const FEED: &str = r#"<fb-updates timestamp="2026-11-21 00:00:00">
<updated-book id="20" external_id="CCCCCCCC-0000-4000-8000-000000000001" type="0" updated="2026-11-20 08:00:00"/>
</fb-updates>"#;

async fn sandbox() -> SandboxHandle {
    start(config().with_catalog(catalog_of(FEED))).await
}

async fn download(
    sandbox: &SandboxHandle,
    timestamp: i64,
    book: &str,
    sha: &str,
) -> reqwest::Response {
    let url = format!(
        "{}/get_litres_file/{timestamp}/555/{book}.fb2.zip?sha={sha}",
        sandbox.base_url()
    );
    client().get(url).send().await.unwrap()
}

#[tokio::test]
async fn signed_link_returns_file() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp() - 60;
    let sha = sign::download_link(timestamp, "555", BOOK, sandbox.secret_key());
    let response = download(&sandbox, timestamp, BOOK, &sha).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains(BOOK), "{body}");
    assert!(body.contains("format: fb2.zip"), "{body}");
}

#[tokio::test]
async fn tampered_link_is_rejected() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp();
    let sha = sign::download_link(timestamp, "556", BOOK, sandbox.secret_key());
    let response = download(&sandbox, timestamp, BOOK, &sha).await;
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(body.contains("<error>invalid signature"), "{body}");
}

#[tokio::test]
async fn expired_link_is_rejected() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp() - 12 * 3600 - 1;
    let sha = sign::download_link(timestamp, "555", BOOK, sandbox.secret_key());
    let response = download(&sandbox, timestamp, BOOK, &sha).await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("expired"));
}

#[tokio::test]
async fn link_at_lifetime_edge_is_accepted() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp() - 12 * 3600;
    let sha = sign::download_link(timestamp, "555", BOOK, sandbox.secret_key());
    assert_eq!(
        download(&sandbox, timestamp, BOOK, &sha).await.status(),
        200
    );
}

#[tokio::test]
async fn future_link_is_rejected() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp() + 61;
    let sha = sign::download_link(timestamp, "555", BOOK, sandbox.secret_key());
    assert_eq!(
        download(&sandbox, timestamp, BOOK, &sha).await.status(),
        403
    );
}

#[tokio::test]
async fn link_to_unknown_book_is_404() {
    let sandbox = sandbox().await;
    let timestamp = sandbox.now().timestamp();
    let book = "dddddddd-0000-4000-8000-000000000009";
    let sha = sign::download_link(timestamp, "555", book, sandbox.secret_key());
    assert_eq!(
        download(&sandbox, timestamp, book, &sha).await.status(),
        404
    );
}

async fn get_the_book(sandbox: &SandboxHandle, book: &str, sha: &str) -> reqwest::Response {
    client()
        .get(format!("{}/get_the_book/", sandbox.base_url()))
        .query(&[
            ("book", book),
            ("place", "TEST"),
            ("sha", sha),
            ("type", "epub"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn get_the_book_returns_file() {
    let sandbox = sandbox().await;
    let sha = sign::get_the_book(BOOK, sandbox.secret_key());
    let response = get_the_book(&sandbox, BOOK, &sha).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"{BOOK}.epub\""));
}

#[tokio::test]
async fn get_the_book_unknown_is_xml_with_200() {
    let sandbox = sandbox().await;
    let book = "dddddddd-0000-4000-8000-000000000009";
    let sha = sign::get_the_book(book, sandbox.secret_key());
    let response = get_the_book(&sandbox, book, &sha).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(response.text().await.unwrap().contains("<error>book"));
}

#[tokio::test]
async fn get_the_book_bad_signature_is_403() {
    let sandbox = sandbox().await;
    let response = get_the_book(&sandbox, BOOK, &"0".repeat(64)).await;
    assert_eq!(response.status(), 403);
}
