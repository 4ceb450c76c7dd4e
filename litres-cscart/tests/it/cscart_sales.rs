//! Sale notification on the CS-Cart store: orders in the fake CS-Cart,
//! sales to the LitRes sandbox, both over loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use litres_core::client::{Client, ClientConfig};
use litres_core::sale::{
    buyer_link, notify_order, notify_pending, LinkConfig, LinkError, SaleConfig, SaleError,
};
use litres_core::settings::Settings;
use litres_core::store::contract::{run_order_contract_suite, sample_orders, sample_product};
use litres_core::store::{CartStore, NotificationState, OrderStore};
use litres_core::{ArtId, ExternalId, OrderId, ProductId};
use litres_cscart::cscart::{CsCartConfig, CsCartStore};
use litres_testkit::cscart_fake::{
    CsCartFake, CsCartFakeHandle, CsFault, CsInjection, FakeConfig, FakeOrder,
};
use litres_testkit::sandbox::{
    Fault, Injection, RecordKind, SaleOutcome, Sandbox, SandboxConfig, SandboxHandle,
};
use reqwest::Method;

/// A fake shop with the features the settings check needs, and its state
/// file.
struct Shop {
    fake: CsCartFakeHandle,
    settings: Settings,
    dir: tempfile::TempDir,
}

impl Shop {
    async fn start() -> Self {
        let fake = CsCartFake::start(FakeConfig::new()).await.unwrap();
        let root = fake.add_category("Books", 0);
        let mut settings = Settings::default();
        settings.genre_category_id = root;
        settings.author_feature_id = fake.add_feature("Authors", "M", &[root]);
        settings.series_feature_id = fake.add_feature("Series", "S", &[]);
        settings.series_number_feature_id = fake.add_feature("Number", "O", &[]);
        settings.isbn_feature_id = fake.add_feature("ISBN", "T", &[]);
        Self {
            fake,
            settings,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    async fn store(&self) -> CsCartStore {
        let config = CsCartConfig::new(
            self.fake.base_url(),
            self.fake.email(),
            self.fake.api_key().clone(),
            self.dir.path().join("litres-state.db"),
        )
        .request_timeout(Duration::from_secs(5));
        CsCartStore::connect(config, &self.settings)
            .await
            .expect("settings check passes")
    }

    /// Writes the product of a book, as the import does, and returns its
    /// product id.
    async fn add_book(&self, store: &CsCartStore, art_id: ArtId, external_id: &ExternalId) -> u64 {
        let mut draft = sample_product(art_id);
        draft.external_id = external_id.clone();
        store.create_product(&draft).await.unwrap().get()
    }

    /// Returns the bodies of every PUT on `/api/orders`.
    fn order_puts(&self) -> Vec<String> {
        self.fake
            .requests()
            .into_iter()
            .filter(|request| request.method == "PUT" && request.path.starts_with("/api/orders"))
            .map(|request| request.body)
            .collect()
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

/// Makes a client with one attempt per request, so injected faults count
/// run by run.
fn client(sandbox: &SandboxHandle) -> Client {
    let config = ClientConfig::new(sandbox.partner_id(), sandbox.secret_key().clone())
        .base_url(sandbox.base_url())
        .notification_secret_key(sandbox.notification_key().clone())
        .min_request_interval(Duration::ZERO)
        .max_attempts(1);
    Client::new(config).unwrap()
}

fn code(book: &Book) -> String {
    format!("LR{}", book.art_id)
}

/// A shop with two imported books and order 1 in status `P`: both books
/// and a mug (product 99, not a LitRes product).
struct Scene {
    shop: Shop,
    store: CsCartStore,
    sandbox: SandboxHandle,
    products: (u64, u64),
    books: (Book, Book),
}

impl Scene {
    async fn start() -> Self {
        let shop = Shop::start().await;
        let store = shop.store().await;
        let sandbox = start_sandbox().await;
        let (first, second) = books(&sandbox);
        let products = (
            shop.add_book(&store, first.art_id, &first.external_id)
                .await,
            shop.add_book(&store, second.art_id, &second.external_id)
                .await,
        );
        shop.fake.add_order(
            FakeOrder::new(1, "P", 777, "buyer@example.com")
                .item(products.0, &code(&first), "109.00")
                .item(products.1, &code(&second), "59.90")
                .item(99, "MUG-1", "500.00"),
        );
        Self {
            shop,
            store,
            sandbox,
            products,
            books: (first, second),
        }
    }

    async fn state(&self, order: u64, product: u64) -> Option<NotificationState> {
        self.store
            .load_notification(OrderId(order), ProductId(product))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn order_contract_suite_passes() {
    let shops: Arc<Mutex<Vec<Shop>>> = Arc::default();
    run_order_contract_suite(|| {
        let shops = shops.clone();
        async move {
            let shop = Shop::start().await;
            let store = shop.store().await;
            for order in sample_orders() {
                let user: u64 = order.user_id.parse().unwrap();
                let mut fake = FakeOrder::new(order.id.get(), &order.status, user, &order.email);
                for line in &order.lines {
                    let product = line.product_id.get();
                    let code = match (line.art_id, &line.external_id) {
                        (Some(art_id), Some(external_id)) => {
                            shop.add_book(&store, art_id, external_id).await;
                            format!("LR{art_id}")
                        }
                        _ => format!("MUG-{product}"),
                    };
                    fake = fake.item(product, &code, &line.price.to_string());
                }
                shop.fake.add_order(fake);
            }
            shops.lock().unwrap().push(shop);
            store
        }
    })
    .await;
}

#[tokio::test]
async fn load_order_reads_cscart_shape() {
    let scene = Scene::start().await;
    let order = scene.store.load_order(OrderId(1)).await.unwrap().unwrap();
    assert_eq!(order.status, "P");
    assert_eq!(order.user_id, "777");
    assert_eq!(order.email, "buyer@example.com");
    assert_eq!(order.lines.len(), 3);
    let first = order.line(ProductId(scene.products.0)).unwrap();
    assert_eq!(first.art_id, Some(scene.books.0.art_id));
    assert_eq!(first.external_id, Some(scene.books.0.external_id.clone()));
    assert_eq!(first.price.to_string(), "109.00");
    let second = order.line(ProductId(scene.products.1)).unwrap();
    assert_eq!(second.price.to_string(), "59.90");
    let mug = order.line(ProductId(99)).unwrap();
    assert_eq!(mug.art_id, None, "MUG-1 is not a LitRes code");
    assert_eq!(mug.external_id, None);
    let missing = scene.store.load_order(OrderId(404)).await.unwrap();
    assert_eq!(missing, None);
}

#[tokio::test]
async fn sales_reported_exactly_once() {
    let scene = Scene::start().await;
    let client = client(&scene.sandbox);
    let config = SaleConfig::default();

    let first = notify_pending(&client, &scene.store, &config, Utc::now())
        .await
        .unwrap();
    assert_eq!(first.count("sent"), 2, "{first:?}");
    assert_eq!(first.count("skipped"), 1, "the mug is not a LitRes product");
    for _ in 0..2 {
        let by_order = notify_order(&client, &scene.store, &config, OrderId(1), Utc::now())
            .await
            .unwrap();
        assert_eq!(by_order.count("sent"), 0, "{by_order:?}");
        let rerun = notify_pending(&client, &scene.store, &config, Utc::now())
            .await
            .unwrap();
        assert!(rerun.lines.is_empty(), "nothing left to notify: {rerun:?}");
    }
    // The shop moves the order out of a sending status and back.
    assert!(scene.shop.fake.set_order_status(1, "O"));
    assert!(scene.shop.fake.set_order_status(1, "C"));
    let again = notify_pending(&client, &scene.store, &config, Utc::now())
        .await
        .unwrap();
    assert!(again.lines.is_empty(), "{again:?}");

    let sales = scene.sandbox.sales();
    assert_eq!(sales.len(), 2, "{sales:?}");
    assert_eq!(sales[0].order, "1");
    assert_eq!(sales[0].user, "777");
    assert_eq!(sales[0].price, "109.00");
    assert_eq!(sales[1].price, "59.90");
    assert!(scene.shop.order_puts().is_empty(), "no status was set");
    assert!(matches!(
        scene.state(1, scene.products.0).await,
        Some(NotificationState::Sent { .. })
    ));
    assert_eq!(scene.state(1, 99).await, None);
}

#[tokio::test]
async fn rejection_sets_failed_status_only() {
    let scene = Scene::start().await;
    let art_id = scene.books.0.art_id;
    scene.sandbox.reject_sale(art_id, "Книга снята с продажи");
    let config = SaleConfig::default().failed_status("F");

    let report = notify_order(
        &client(&scene.sandbox),
        &scene.store,
        &config,
        OrderId(1),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(report.count("rejected"), 1, "{report:?}");
    assert_eq!(report.count("sent"), 1, "the other book is still reported");

    let order = scene.shop.fake.order(1).unwrap();
    assert_eq!(order.status, "F");
    assert_eq!(order.status_history, vec!["F".to_owned()]);
    assert!(order.full_updates.is_empty(), "{:?}", order.full_updates);
    assert!(order.notifications.is_empty(), "{:?}", order.notifications);
    assert_eq!(
        scene.shop.order_puts(),
        vec![r#"{"status":"F"}"#.to_owned()]
    );

    let loaded = scene.store.load_order(OrderId(1)).await.unwrap().unwrap();
    assert_eq!(loaded.status, "F");
    let reason = loaded.status_reason.unwrap();
    assert!(reason.contains("Книга снята с продажи"), "{reason}");

    // A person sets another status in the shop: the old reason no longer
    // applies.
    assert!(scene.shop.fake.set_order_status(1, "C"));
    let changed = scene.store.load_order(OrderId(1)).await.unwrap().unwrap();
    assert_eq!(changed.status_reason, None);
}

#[tokio::test]
async fn transport_failures_then_success() {
    let scene = Scene::start().await;
    let client = client(&scene.sandbox);
    let config = SaleConfig::default().retry_base(Duration::from_secs(60));

    // CS-Cart fails twice in a row, more than the one repeat of a GET.
    scene.shop.fake.inject(
        CsInjection::new(CsFault::Status(503))
            .method(Method::GET)
            .path_prefix("/api/orders")
            .times(2),
    );
    let shop_down = notify_pending(&client, &scene.store, &config, Utc::now()).await;
    assert!(
        matches!(shop_down, Err(SaleError::Store(_))),
        "{shop_down:?}"
    );
    assert!(scene.sandbox.sales().is_empty());

    // LitRes fails once, then accepts.
    scene.sandbox.inject(
        Injection::new(Fault::Status(503))
            .times(1)
            .on_path("/purchase"),
    );
    let now = Utc::now();
    let first = notify_pending(&client, &scene.store, &config, now)
        .await
        .unwrap();
    assert_eq!(first.count("retry_scheduled"), 1, "{first:?}");
    assert_eq!(first.count("sent"), 1, "{first:?}");
    let early = notify_pending(
        &client,
        &scene.store,
        &config,
        now + chrono::Duration::seconds(30),
    )
    .await
    .unwrap();
    assert_eq!(early.count("waiting"), 1, "{early:?}");
    let later = notify_pending(
        &client,
        &scene.store,
        &config,
        now + chrono::Duration::seconds(61),
    )
    .await
    .unwrap();
    assert_eq!(later.count("sent"), 1, "{later:?}");

    let sales = scene.sandbox.sales();
    assert_eq!(
        sales.len(),
        2,
        "the failed request records no sale: {sales:?}"
    );
    assert!(sales
        .iter()
        .all(|sale| matches!(sale.outcome, SaleOutcome::Accepted)));
    assert_eq!(
        scene.shop.fake.order(1).unwrap().status,
        "P",
        "never failed"
    );
    assert!(scene.shop.order_puts().is_empty());
}

#[tokio::test]
async fn test_mode_sends_nothing() {
    let scene = Scene::start().await;
    let config = SaleConfig::default().test_mode(true);

    let report = notify_pending(&client(&scene.sandbox), &scene.store, &config, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.count("test"), 2, "{report:?}");
    assert!(scene.sandbox.sales().is_empty());
    assert!(matches!(
        scene.state(1, scene.products.0).await,
        Some(NotificationState::Test { .. })
    ));
    assert_eq!(scene.shop.fake.order(1).unwrap().status, "P");
    assert!(scene.shop.order_puts().is_empty());
}

#[tokio::test]
async fn link_for_unpaid_order_is_refused() {
    let scene = Scene::start().await;
    scene
        .shop
        .fake
        .add_order(FakeOrder::new(2, "O", 777, "buyer@example.com").item(
            scene.products.0,
            &code(&scene.books.0),
            "109.00",
        ));
    let links = LinkConfig::new(
        scene.sandbox.addr().to_string(),
        scene.sandbox.secret_key().clone(),
        vec!["P".into(), "C".into()],
    );
    let now = Utc::now().timestamp();
    let product = ProductId(scene.products.0);

    let unpaid = buyer_link(&scene.store, &links, OrderId(2), product, "epub", now).await;
    assert!(
        matches!(unpaid, Err(LinkError::NotPaid { .. })),
        "{unpaid:?}"
    );
    let unsent = buyer_link(&scene.store, &links, OrderId(1), product, "epub", now).await;
    assert!(
        matches!(unsent, Err(LinkError::NotNotified { .. })),
        "{unsent:?}"
    );

    notify_order(
        &client(&scene.sandbox),
        &scene.store,
        &SaleConfig::default(),
        OrderId(1),
        Utc::now(),
    )
    .await
    .unwrap();
    let link = buyer_link(&scene.store, &links, OrderId(1), product, "epub", now)
        .await
        .unwrap();
    let external = scene.books.0.external_id.to_lowercase();
    assert!(link.contains(&external), "{link}");
    let url = link.replacen("https://", "http://", 1);
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn parent_order_is_skipped() {
    let scene = Scene::start().await;
    let first = &scene.books.0;
    // Multi-Vendor: parent 10 with children 11 (paid) and 12 (open).
    scene.shop.fake.add_order(
        FakeOrder::new(10, "P", 5, "mv@example.com")
            .parent()
            .item(scene.products.0, &code(first), "109.00")
            .item(scene.products.1, &code(&scene.books.1), "59.90"),
    );
    scene.shop.fake.add_order(
        FakeOrder::new(11, "P", 5, "mv@example.com")
            .child_of(10)
            .item(scene.products.0, &code(first), "109.00"),
    );
    scene.shop.fake.add_order(
        FakeOrder::new(12, "O", 5, "mv@example.com")
            .child_of(10)
            .item(scene.products.1, &code(&scene.books.1), "59.90"),
    );
    let client = client(&scene.sandbox);
    // A store that also lists `T` among its sending statuses.
    let statuses = vec!["P".to_owned(), "C".to_owned(), "T".to_owned()];
    let config = SaleConfig::default().send_statuses(statuses.clone());

    let listed = scene.store.orders_to_notify(&statuses).await.unwrap();
    assert_eq!(listed, vec![OrderId(1), OrderId(11)]);
    let parent = scene.store.load_order(OrderId(10)).await.unwrap().unwrap();
    assert!(parent.lines.is_empty(), "{parent:?}");
    let by_id = notify_order(&client, &scene.store, &config, OrderId(10), Utc::now())
        .await
        .unwrap();
    assert!(by_id.lines.is_empty(), "{by_id:?}");

    notify_pending(&client, &scene.store, &config, Utc::now())
        .await
        .unwrap();
    let orders: Vec<String> = scene
        .sandbox
        .sales()
        .iter()
        .map(|sale| sale.order.clone())
        .collect();
    assert_eq!(orders, vec!["1", "1", "11"]);
}

#[tokio::test]
async fn many_orders_listed_across_pages() {
    let scene = Scene::start().await;
    let book = &scene.books.0;
    // 250 paid orders: the client reads 100 per page and the fake repeats
    // the last page past the end. Every third order has a book.
    for id in 100..350 {
        let order = FakeOrder::new(id, "P", 777, "b@example.com");
        let order = if id % 3 == 0 {
            order.item(scene.products.0, &code(book), "109.00")
        } else {
            order.item(99, "MUG-1", "500.00")
        };
        scene.shop.fake.add_order(order);
    }
    let statuses = vec!["P".to_owned()];
    let listed = scene.store.orders_to_notify(&statuses).await.unwrap();
    let mut expected = vec![OrderId(1)];
    expected.extend((100..350).filter(|id| id % 3 == 0).map(OrderId));
    assert_eq!(listed, expected);

    // Orders with nothing to report are settled and not read again.
    scene.shop.fake.clear_requests();
    let again = scene.store.orders_to_notify(&statuses).await.unwrap();
    assert_eq!(again, expected);
    let reads = scene
        .shop
        .fake
        .requests()
        .iter()
        .filter(|request| request.method == "GET" && request.path.starts_with("/api/orders/"))
        .count();
    assert_eq!(reads, expected.len(), "only orders with unreported books");
}
