//! Contract checks of the order side of a store ([`OrderStore`]).

use std::future::Future;

use chrono::{DateTime, Utc};

use super::expect_ok;
use crate::model::{ArtId, ExternalId, OrderId, Price, ProductId};
use crate::store::{NotificationState, Order, OrderLine, OrderStore, StoreErrorKind};

/// Returns the orders [`run_order_contract_suite`] expects each new store
/// to hold:
///
/// | order | status | lines (product: art id) |
/// |---|---|---|
/// | 1 | `P` | 10: 100, 11: not a LitRes product |
/// | 2 | `O` | 20: 200 |
/// | 3 | `C` | 30: 300, 31: 301 |
pub fn sample_orders() -> Vec<Order> {
    let line = |product: u64, art: Option<u64>, kopecks: i64| {
        OrderLine::new(
            ProductId(product),
            art.map(ArtId),
            art.map(|art| ExternalId::new(format!("0000-{art}"))),
            Price::from_kopecks(kopecks),
        )
    };
    vec![
        Order::new(
            OrderId(1),
            "P",
            "42",
            "one@example.com",
            vec![line(10, Some(100), 10900), line(11, None, 5000)],
        ),
        Order::new(
            OrderId(2),
            "O",
            "43",
            "two@example.com",
            vec![line(20, Some(200), 9900)],
        ),
        Order::new(
            OrderId(3),
            "C",
            "44",
            "three@example.com",
            vec![line(30, Some(300), 100), line(31, Some(301), 200)],
        ),
    ]
}

/// Runs every order contract check, each on a store from `make_store`.
///
/// `make_store` must return a new store that contains exactly
/// [`sample_orders`] and no notification state.
///
/// # Panics
///
/// Panics on the first failed check, with its name and what differed.
pub async fn run_order_contract_suite<S, F, Fut>(make_store: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
    S: OrderStore,
{
    load_returns_lines(&make_store().await).await;
    set_status_records_reason(&make_store().await).await;
    missing_order_is_not_found(&make_store().await).await;
    states_round_trip(&make_store().await).await;
    states_are_per_line(&make_store().await).await;
    orders_to_notify_selects(&make_store().await).await;
}

fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 123_000_000).unwrap_or_default()
}

async fn save(
    store: &dyn OrderStore,
    check: &str,
    order: u64,
    product: u64,
    state: NotificationState,
) {
    let saved = store
        .save_notification(OrderId(order), ProductId(product), &state)
        .await;
    expect_ok(check, "save_notification", saved);
}

async fn load_returns_lines(store: &dyn OrderStore) {
    const CHECK: &str = "load_order returns the order with its lines";
    for expected in sample_orders() {
        let loaded = expect_ok(CHECK, "load_order", store.load_order(expected.id).await);
        assert_eq!(loaded, Some(expected), "contract check {CHECK}");
    }
    let unknown = expect_ok(CHECK, "load_order", store.load_order(OrderId(999)).await);
    assert_eq!(unknown, None, "contract check {CHECK}: unknown order");
}

async fn set_status_records_reason(store: &dyn OrderStore) {
    const CHECK: &str = "set_order_status records the reason";
    let set = store
        .set_order_status(OrderId(2), "F", "LitRes rejected it")
        .await;
    expect_ok(CHECK, "set_order_status", set);
    let loaded = expect_ok(CHECK, "load_order", store.load_order(OrderId(2)).await);
    let Some(order) = loaded else {
        panic!("contract check {CHECK}: order 2 vanished");
    };
    assert_eq!(order.status, "F", "contract check {CHECK}: status");
    assert_eq!(
        order.status_reason.as_deref(),
        Some("LitRes rejected it"),
        "contract check {CHECK}: reason"
    );
    assert_eq!(order.lines.len(), 1, "contract check {CHECK}: lines kept");
}

async fn missing_order_is_not_found(store: &dyn OrderStore) {
    const CHECK: &str = "missing order or line is not found";
    let status = store.set_order_status(OrderId(999), "F", "x").await;
    let kind = status.err().map(|error| error.kind());
    assert_eq!(
        kind,
        Some(StoreErrorKind::NotFound),
        "contract check {CHECK}: status"
    );
    let state = NotificationState::Sent { at: time(0) };
    let cases = [(999, 10), (1, 99)];
    for (order, product) in cases {
        let saved = store
            .save_notification(OrderId(order), ProductId(product), &state)
            .await;
        let kind = saved.err().map(|error| error.kind());
        assert_eq!(
            kind,
            Some(StoreErrorKind::NotFound),
            "contract check {CHECK}: order {order} product {product}"
        );
    }
}

async fn states_round_trip(store: &dyn OrderStore) {
    const CHECK: &str = "notification states round-trip";
    let before = store.load_notification(OrderId(1), ProductId(10)).await;
    assert_eq!(
        expect_ok(CHECK, "load_notification", before),
        None,
        "contract check {CHECK}: none saved"
    );
    let states = [
        NotificationState::Pending {
            attempts: 0,
            next_attempt_at: time(1),
            last_error: None,
        },
        NotificationState::Pending {
            attempts: 2,
            next_attempt_at: time(2),
            last_error: Some("HTTP 503: ошибка".into()),
        },
        NotificationState::InFlight {
            attempt: 3,
            started_at: time(3),
        },
        NotificationState::Sent { at: time(4) },
        NotificationState::Rejected {
            message: "unknown book".into(),
        },
        NotificationState::Rejected {
            message: String::new(),
        },
        NotificationState::GaveUp {
            attempts: 5,
            last_error: "timed out".into(),
        },
        NotificationState::Test { at: time(5) },
    ];
    for state in states {
        save(store, CHECK, 1, 10, state.clone()).await;
        let loaded = store.load_notification(OrderId(1), ProductId(10)).await;
        assert_eq!(
            expect_ok(CHECK, "load_notification", loaded),
            Some(state),
            "contract check {CHECK}"
        );
    }
}

async fn states_are_per_line(store: &dyn OrderStore) {
    const CHECK: &str = "notification states are per line";
    save(store, CHECK, 3, 30, NotificationState::Sent { at: time(0) }).await;
    let other = store.load_notification(OrderId(3), ProductId(31)).await;
    assert_eq!(
        expect_ok(CHECK, "load_notification", other),
        None,
        "contract check {CHECK}: line 31"
    );
    let other_order = store.load_notification(OrderId(1), ProductId(10)).await;
    assert_eq!(
        expect_ok(CHECK, "load_notification", other_order),
        None,
        "contract check {CHECK}: order 1"
    );
}

async fn listed(store: &dyn OrderStore, step: &str) -> Vec<u64> {
    let statuses = ["P".to_owned(), "C".to_owned()];
    let listed = store.orders_to_notify(&statuses).await;
    let ids = expect_ok("orders_to_notify", step, listed);
    ids.into_iter().map(OrderId::get).collect()
}

async fn orders_to_notify_selects(store: &dyn OrderStore) {
    const CHECK: &str = "orders_to_notify";
    assert_eq!(
        listed(store, "new orders").await,
        vec![1, 3],
        "contract check {CHECK}: new orders"
    );

    save(store, CHECK, 1, 10, NotificationState::Sent { at: time(0) }).await;
    assert_eq!(
        listed(store, "order 1 sent").await,
        vec![3],
        "contract check {CHECK}: order 1 sent"
    );

    save(store, CHECK, 3, 30, NotificationState::Test { at: time(0) }).await;
    let rejected = NotificationState::Rejected {
        message: "no".into(),
    };
    save(store, CHECK, 3, 31, rejected).await;
    assert_eq!(
        listed(store, "all final").await,
        Vec::<u64>::new(),
        "contract check {CHECK}: all final"
    );

    let pending = NotificationState::Pending {
        attempts: 1,
        next_attempt_at: time(0),
        last_error: None,
    };
    save(store, CHECK, 2, 20, pending).await;
    assert_eq!(
        listed(store, "pending line").await,
        vec![2],
        "contract check {CHECK}: pending line in order 2"
    );

    let in_flight = NotificationState::InFlight {
        attempt: 1,
        started_at: time(0),
    };
    save(store, CHECK, 3, 31, in_flight).await;
    assert_eq!(
        listed(store, "in flight").await,
        vec![2, 3],
        "contract check {CHECK}: line in flight"
    );
}
