//! Sale notifications: accepted, rejected per book, failed, recorded.

use litres_core::{sign, ArtId};
use litres_testkit::sandbox::{Fault, Injection, SaleOutcome, SandboxHandle};

use crate::support::{client, config, start};

async fn notify(
    sandbox: &SandboxHandle,
    art_id: u64,
    order: &str,
    sha: Option<&str>,
) -> reqwest::Response {
    let timestamp = sandbox.now().timestamp();
    let good = sign::sale_notification(
        timestamp,
        "buyer-7",
        art_id,
        order,
        sandbox.notification_key(),
    );
    let art = art_id.to_string();
    let timestamp = timestamp.to_string();
    client()
        .get(format!("{}/purchase", sandbox.base_url()))
        .query(&[
            ("user", "buyer-7"),
            ("price", "149.00"),
            ("art", art.as_str()),
            ("place", sandbox.partner_id()),
            ("mail", "buyer@example.com"),
            ("order", order),
            ("timestamp", timestamp.as_str()),
            ("sha", sha.unwrap_or(&good)),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sale_is_accepted_and_recorded() {
    let sandbox = start(config()).await;
    let response = notify(&sandbox, 70000010, "1001", None).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(r#"<response status="0" message="OK"/>"#),
        "{body}"
    );
    let sales = sandbox.sales();
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].art_id, ArtId(70000010));
    assert_eq!(sales[0].order, "1001");
    assert_eq!(sales[0].user, "buyer-7");
    assert_eq!(sales[0].price, "149.00");
    assert_eq!(sales[0].mail.as_deref(), Some("buyer@example.com"));
    assert_eq!(sales[0].outcome, SaleOutcome::Accepted);
}

#[tokio::test]
async fn sale_of_rejected_book_gets_message() {
    let config = config().with_rejected_sale(ArtId(70000011), "книга снята с продажи");
    let sandbox = start(config).await;
    let body = notify(&sandbox, 70000011, "1002", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(r#"<response status="1" message="книга снята с продажи"/>"#),
        "{body}"
    );
    let rejected = SaleOutcome::Rejected("книга снята с продажи".to_owned());
    assert_eq!(sandbox.sales()[0].outcome, rejected);

    sandbox.accept_sale(ArtId(70000011));
    let body = notify(&sandbox, 70000011, "1003", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"status="0""#), "{body}");
    assert_eq!(sandbox.sales().len(), 2);
}

#[tokio::test]
async fn sale_with_bad_signature_is_not_recorded() {
    let sandbox = start(config()).await;
    let bad = "f".repeat(64);
    let response = notify(&sandbox, 70000010, "1004", Some(&bad)).await;
    assert_eq!(response.status(), 403);
    assert!(sandbox.sales().is_empty());
}

#[tokio::test]
async fn sale_signed_with_secret_key_is_rejected() {
    let sandbox = start(config()).await;
    let timestamp = sandbox.now().timestamp();
    let wrong_key =
        sign::sale_notification(timestamp, "buyer-7", 70000010, "1005", sandbox.secret_key());
    let response = notify(&sandbox, 70000010, "1005", Some(&wrong_key)).await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn sale_failure_is_not_recorded() {
    let sandbox = start(config()).await;
    sandbox.inject(Injection::new(Fault::Status(503)).on_path("/purchase"));
    let failed = notify(&sandbox, 70000010, "1006", None).await;
    assert_eq!(failed.status(), 503);
    assert!(sandbox.sales().is_empty());

    let retried = notify(&sandbox, 70000010, "1006", None).await;
    assert_eq!(retried.status(), 200);
    assert_eq!(sandbox.sales().len(), 1, "exactly one sale after the retry");
}
