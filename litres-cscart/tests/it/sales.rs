//! Sale notification and buyer links against the LitRes sandbox over
//! loopback, on the SQLite store and the memory store.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use litres_core::client::{Client, ClientConfig};
use litres_core::sale::{
    buyer_link, notify_order, notify_pending, LinkConfig, LinkError, SaleConfig, SaleError,
};
use litres_core::store::{
    MemoryStore, NotificationState, Order, OrderLine, OrderStore, StoreError, StoreErrorKind,
};
use litres_core::{ArtId, ExternalId, OrderId, Price, ProductId};
use litres_cscart::SqliteStore;
use litres_testkit::sandbox::{
    Fault, Injection, RecordKind, Sandbox, SandboxConfig, SandboxHandle,
};

/// A store the tests can put orders into.
trait TestStore: OrderStore {
    fn add(&self, order: Order);
}

impl TestStore for MemoryStore {
    fn add(&self, order: Order) {
        self.insert_order(&order).unwrap();
    }
}

impl TestStore for SqliteStore {
    fn add(&self, order: Order) {
        self.insert_order(&order).unwrap();
    }
}

/// Fails every save of a `Sent` state, as a process killed between the
/// LitRes answer and the save would leave the line.
struct LosesSentSave<'a, S>(&'a S);

#[async_trait]
impl<S: OrderStore> OrderStore for LosesSentSave<'_, S> {
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        self.0.load_order(id).await
    }

    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        self.0.orders_to_notify(statuses).await
    }

    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.0.set_order_status(id, status, reason).await
    }

    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        self.0.load_notification(order, product).await
    }

    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError> {
        if matches!(state, NotificationState::Sent { .. }) {
            return Err(StoreError::new(
                StoreErrorKind::Unavailable,
                "simulated crash before saving Sent",
            ));
        }
        self.0.save_notification(order, product, state).await
    }
}

struct Book {
    art_id: ArtId,
    external_id: ExternalId,
}

async fn start_sandbox() -> SandboxHandle {
    let config = SandboxConfig::new()
        .with_catalog_dir(litres_testkit::sample_catalog_dir())
        .with_min_request_interval(Duration::ZERO);
    Sandbox::start(config).await.unwrap()
}

/// Returns two text books of the sample catalog.
fn books(sandbox: &SandboxHandle) -> (Book, Book) {
    let mut found = sandbox.catalog().records().iter().filter_map(|record| {
        let external_id = record.external_id.clone()?;
        (record.kind == RecordKind::Updated && record.work_type.as_deref() == Some("0")).then(
            || Book {
                art_id: record.art_id.parse().unwrap(),
                external_id: ExternalId::new(external_id),
            },
        )
    });
    (found.next().unwrap(), found.next().unwrap())
}

/// Makes a client with one attempt per request, so each run sends one
/// request and injected faults count run by run.
fn client(sandbox: &SandboxHandle) -> Client {
    let config = ClientConfig::new(sandbox.partner_id(), sandbox.secret_key().clone())
        .base_url(sandbox.base_url())
        .notification_secret_key(sandbox.notification_key().clone())
        .min_request_interval(Duration::ZERO)
        .max_attempts(1);
    Client::new(config).unwrap()
}

fn line(product: u64, book: &Book) -> OrderLine {
    OrderLine::new(
        ProductId(product),
        Some(book.art_id),
        Some(book.external_id.clone()),
        Price::from_kopecks(10900),
    )
}

/// Order 1 in status `P`: products 10 and 11 are LitRes books, 12 is not.
fn paid_order(sandbox: &SandboxHandle) -> Order {
    let (first, second) = books(sandbox);
    let mug = OrderLine::new(ProductId(12), None, None, Price::from_kopecks(50000));
    Order::new(
        OrderId(1),
        "P",
        "777",
        "buyer@example.com",
        vec![line(10, &first), line(11, &second), mug],
    )
}

async fn state(store: &dyn OrderStore, product: u64) -> Option<NotificationState> {
    store
        .load_notification(OrderId(1), ProductId(product))
        .await
        .unwrap()
}

async fn status(store: &dyn OrderStore) -> Order {
    store.load_order(OrderId(1)).await.unwrap().unwrap()
}

fn later(seconds: i64) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(seconds)
}

async fn exactly_once(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    store.add(paid_order(&sandbox));
    let client = client(&sandbox);
    let config = SaleConfig::default();

    let first = notify_order(&client, &store, &config, OrderId(1), Utc::now())
        .await
        .unwrap();
    assert_eq!(first.count("sent"), 2);
    assert_eq!(first.count("skipped"), 1, "the mug is not a LitRes product");
    assert!(!first.has_failures());
    for _ in 0..2 {
        notify_order(&client, &store, &config, OrderId(1), Utc::now())
            .await
            .unwrap();
        let rerun = notify_pending(&client, &store, &config, Utc::now())
            .await
            .unwrap();
        assert!(rerun.lines.is_empty(), "nothing left to notify: {rerun:?}");
    }
    // The order leaves a sending status and enters one again.
    store
        .set_order_status(OrderId(1), "O", "edited")
        .await
        .unwrap();
    store
        .set_order_status(OrderId(1), "C", "completed")
        .await
        .unwrap();
    let again = notify_order(&client, &store, &config, OrderId(1), Utc::now())
        .await
        .unwrap();
    assert_eq!(again.count("sent"), 0);

    let sales = sandbox.sales();
    assert_eq!(sales.len(), 2, "{sales:?}");
    assert_eq!(sales[0].order, "1");
    assert_eq!(sales[0].user, "777");
    assert_eq!(sales[0].price, "109.00");
    assert!(matches!(
        state(&store, 10).await,
        Some(NotificationState::Sent { .. })
    ));
    assert_eq!(state(&store, 12).await, None);
}

async fn rejection_fails_order(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    let order = paid_order(&sandbox);
    let art_id = order.lines[0].art_id.unwrap();
    store.add(order);
    sandbox.reject_sale(art_id, "Книга снята с продажи");
    let config = SaleConfig::default().failed_status("F");

    let report = notify_order(&client(&sandbox), &store, &config, OrderId(1), Utc::now())
        .await
        .unwrap();
    assert!(report.has_failures());
    assert_eq!(report.count("rejected"), 1);
    assert_eq!(report.count("sent"), 1, "the other book is still reported");
    let order = status(&store).await;
    assert_eq!(order.status, "F");
    let reason = order.status_reason.unwrap();
    assert!(reason.contains("Книга снята с продажи"), "{reason}");
    assert!(reason.contains(&art_id.to_string()), "{reason}");
    assert_eq!(report.failed_orders.len(), 1);
    let expected = NotificationState::Rejected {
        message: "Книга снята с продажи".into(),
    };
    assert_eq!(state(&store, 10).await, Some(expected));
}

async fn transport_failures_then_success(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    let (book, _) = books(&sandbox);
    store.add(Order::new(
        OrderId(1),
        "P",
        "777",
        "b@example.com",
        vec![line(10, &book)],
    ));
    sandbox.inject(
        Injection::new(Fault::Status(503))
            .times(2)
            .on_path("/purchase"),
    );
    let client = client(&sandbox);
    let config = SaleConfig::default().retry_base(Duration::from_secs(60));

    let first = notify_pending(&client, &store, &config, later(0))
        .await
        .unwrap();
    assert_eq!(first.count("retry_scheduled"), 1, "{first:?}");
    let early = notify_pending(&client, &store, &config, later(30))
        .await
        .unwrap();
    assert_eq!(early.count("waiting"), 1, "{early:?}");
    assert_eq!(
        sandbox.pending_faults(),
        1,
        "no request before the retry time"
    );
    let second = notify_pending(&client, &store, &config, later(61))
        .await
        .unwrap();
    assert_eq!(second.count("retry_scheduled"), 1, "{second:?}");
    let Some(NotificationState::Pending {
        attempts,
        next_attempt_at,
        ..
    }) = state(&store, 10).await
    else {
        panic!("line not pending after two failures");
    };
    assert_eq!(attempts, 2);
    assert!(next_attempt_at >= later(61 + 119), "the wait doubles");
    let third = notify_pending(&client, &store, &config, later(400))
        .await
        .unwrap();
    assert_eq!(third.count("sent"), 1, "{third:?}");
    assert_eq!(sandbox.sales().len(), 1);
    assert_eq!(status(&store).await.status, "P", "the order never failed");
}

async fn attempts_run_out(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    let (book, _) = books(&sandbox);
    store.add(Order::new(
        OrderId(1),
        "P",
        "777",
        "b@example.com",
        vec![line(10, &book)],
    ));
    sandbox.inject(
        Injection::new(Fault::Status(503))
            .times(10)
            .on_path("/purchase"),
    );
    let client = client(&sandbox);
    let config = SaleConfig::default()
        .max_attempts(3)
        .retry_base(Duration::ZERO);

    for run in 0..3 {
        notify_pending(&client, &store, &config, later(run))
            .await
            .unwrap();
    }
    let Some(NotificationState::GaveUp {
        attempts,
        last_error,
    }) = state(&store, 10).await
    else {
        panic!("line did not give up");
    };
    assert_eq!(attempts, 3);
    assert!(last_error.contains("503"), "{last_error}");
    let order = status(&store).await;
    assert_eq!(order.status, "F");
    assert!(order.status_reason.unwrap().contains("after 3 attempts"));
    let after = notify_pending(&client, &store, &config, later(10))
        .await
        .unwrap();
    assert!(after.lines.is_empty(), "{after:?}");
    assert_eq!(sandbox.pending_faults(), 7, "three requests, then none");
    assert!(sandbox.sales().is_empty());
}

async fn test_mode_sends_nothing(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    store.add(paid_order(&sandbox));
    let config = SaleConfig::default().test_mode(true);

    let report = notify_order(&client(&sandbox), &store, &config, OrderId(1), Utc::now())
        .await
        .unwrap();
    assert_eq!(report.count("test"), 2);
    assert!(sandbox.sales().is_empty());
    assert!(matches!(
        state(&store, 10).await,
        Some(NotificationState::Test { .. })
    ));
    assert_eq!(status(&store).await.status, "P");
}

async fn crash_after_accept(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    let (book, _) = books(&sandbox);
    store.add(Order::new(
        OrderId(1),
        "P",
        "777",
        "b@example.com",
        vec![line(10, &book)],
    ));
    let client = client(&sandbox);
    let config = SaleConfig::default();

    let crashed = notify_order(
        &client,
        &LosesSentSave(&store),
        &config,
        OrderId(1),
        Utc::now(),
    )
    .await;
    assert!(matches!(crashed, Err(SaleError::Store(_))), "{crashed:?}");
    assert_eq!(sandbox.sales().len(), 1, "LitRes accepted the sale");
    assert!(matches!(
        state(&store, 10).await,
        Some(NotificationState::InFlight { attempt: 1, .. })
    ));

    for _ in 0..2 {
        let rerun = notify_pending(&client, &store, &config, Utc::now())
            .await
            .unwrap();
        assert_eq!(rerun.count("unconfirmed"), 1, "{rerun:?}");
        let by_order = notify_order(&client, &store, &config, OrderId(1), Utc::now())
            .await
            .unwrap();
        assert_eq!(by_order.count("unconfirmed"), 1, "{by_order:?}");
    }
    assert_eq!(sandbox.sales().len(), 1, "no automatic resend");

    let resend = config.resend_unconfirmed(true);
    let report = notify_pending(&client, &store, &resend, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.count("sent"), 1, "{report:?}");
    assert_eq!(sandbox.sales().len(), 2);
    assert!(matches!(
        state(&store, 10).await,
        Some(NotificationState::Sent { .. })
    ));
}

/// Fetches a link built for `https://` from the sandbox over plain HTTP.
async fn fetch(link: &str) -> (u16, String) {
    let url = link.replacen("https://", "http://", 1);
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn links(store: impl TestStore) {
    let sandbox = start_sandbox().await;
    let mut order = paid_order(&sandbox);
    let external = order.lines[0].external_id.clone().unwrap();
    order.id = OrderId(2);
    order.status = "O".to_owned();
    store.add(order);
    store.add(paid_order(&sandbox));
    let domain = sandbox.addr().to_string();
    let links = LinkConfig::new(
        domain,
        sandbox.secret_key().clone(),
        vec!["P".into(), "C".into()],
    );
    let now = Utc::now().timestamp();

    let unpaid = buyer_link(&store, &links, OrderId(2), ProductId(10), "epub", now).await;
    assert!(
        matches!(unpaid, Err(LinkError::NotPaid { .. })),
        "{unpaid:?}"
    );
    let unsent = buyer_link(&store, &links, OrderId(1), ProductId(10), "epub", now).await;
    assert!(
        matches!(unsent, Err(LinkError::NotNotified { .. })),
        "{unsent:?}"
    );

    notify_order(
        &client(&sandbox),
        &store,
        &SaleConfig::default(),
        OrderId(1),
        Utc::now(),
    )
    .await
    .unwrap();
    let mug = buyer_link(&store, &links, OrderId(1), ProductId(12), "epub", now).await;
    assert!(matches!(mug, Err(LinkError::NotLitres { .. })), "{mug:?}");
    let link = buyer_link(&store, &links, OrderId(1), ProductId(10), "epub", now)
        .await
        .unwrap();
    let (code, body) = fetch(&link).await;
    assert_eq!(code, 200, "{body}");
    assert!(body.contains(&external.to_lowercase()), "{body}");

    let mut tampered = link.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    let (code, body) = fetch(&tampered).await;
    assert_eq!(code, 403, "tampered signature: {body}");

    let old = now - 13 * 3600;
    let expired = buyer_link(&store, &links, OrderId(1), ProductId(10), "epub", old)
        .await
        .unwrap();
    let (code, body) = fetch(&expired).await;
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("expired"), "{body}");
}

macro_rules! on_both_stores {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite_store {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::$scenario(litres_cscart::SqliteStore::open_in_memory().unwrap()).await;
                }
            )*
        }
        mod memory_store {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::$scenario(litres_core::store::MemoryStore::new()).await;
                }
            )*
        }
    };
}

on_both_stores!(
    exactly_once,
    rejection_fails_order,
    transport_failures_then_success,
    attempts_run_out,
    test_mode_sends_nothing,
    crash_after_accept,
    links,
);
