//! The CS-Cart store against the fake CS-Cart REST API, and end-to-end
//! imports from the LitRes sandbox into it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use litres_core::client::{Client, ClientConfig};
use litres_core::settings::Settings;
use litres_core::store::contract::{run_contract_suite, sample_product, Transactions};
use litres_core::store::{CartStore, StoreErrorKind};
use litres_core::sync::{self, BookReport, BookRequest, NoProgress, SyncConfig};
use litres_core::{ArtId, CategoryId, MoscowTime, Secret, WorkType};
use litres_cscart::cscart::{CsCartConfig, CsCartStore};
use litres_testkit::cscart_fake::{
    CsCartFake, CsCartFakeHandle, CsFault, CsInjection, FakeConfig, FeatureValue,
};
use litres_testkit::sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use reqwest::Method;

/// Shop records a test starts with.
struct Shop {
    fake: CsCartFakeHandle,
    settings: Settings,
    dir: tempfile::TempDir,
}

impl Shop {
    /// Starts a fake with a genre root, the four features and, when
    /// `vendor` is true, a vendor that owns the import.
    async fn start(vendor: bool) -> Self {
        let fake = CsCartFake::start(FakeConfig::new()).await.unwrap();
        let root = fake.add_category("Books", 0);
        let mut settings = Settings::default();
        settings.genre_category_id = root;
        settings.author_feature_id = fake.add_feature("Authors", "M", &[root]);
        settings.series_feature_id = fake.add_feature("Series", "S", &[]);
        settings.series_number_feature_id = fake.add_feature("Number", "O", &[]);
        settings.isbn_feature_id = fake.add_feature("ISBN", "T", &[]);
        if vendor {
            settings.vendor_id = fake.add_vendor("LitRes books");
        }
        let dir = tempfile::tempdir().unwrap();
        Self {
            fake,
            settings,
            dir,
        }
    }

    fn state_path(&self) -> PathBuf {
        self.dir.path().join("litres-state.db")
    }

    fn config(&self) -> CsCartConfig {
        CsCartConfig::new(
            self.fake.base_url(),
            self.fake.email(),
            self.fake.api_key().clone(),
            self.state_path(),
        )
        .request_timeout(Duration::from_secs(5))
    }

    async fn store(&self) -> CsCartStore {
        CsCartStore::connect(self.config(), &self.settings)
            .await
            .expect("settings check passes")
    }

    fn sync_config(&self) -> SyncConfig {
        let mut config = SyncConfig::default();
        config.product_types = ["0", "1", "4", "11"]
            .iter()
            .map(|code| WorkType::from_code(code))
            .collect();
        config.max_downloads = 3;
        config.vendor_id = self.settings.vendor_id;
        config.genre_root = Some(CategoryId(self.settings.genre_category_id));
        config
    }
}

fn client(sandbox: &SandboxHandle) -> Client {
    let config = ClientConfig::new(sandbox.partner_id(), sandbox.secret_key().clone())
        .base_url(sandbox.base_url())
        .min_request_interval(Duration::ZERO)
        .max_attempts(2)
        .base_backoff(Duration::from_millis(5))
        .request_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5));
    Client::new(config).expect("client config is valid")
}

async fn sandbox_from(dir: impl AsRef<Path>) -> SandboxHandle {
    let config = SandboxConfig::new()
        .with_catalog_dir(dir.as_ref())
        .with_min_request_interval(Duration::ZERO);
    Sandbox::start(config).await.expect("sandbox starts")
}

async fn import_sample(shop: &Shop, sandbox: &SandboxHandle, store: &CsCartStore) -> BookReport {
    let config = shop.sync_config();
    sync::update_genres(&client(sandbox), store, &config)
        .await
        .expect("genre update runs");
    let mut request = BookRequest::default();
    request.from = NaiveDate::from_ymd_opt(2026, 11, 20);
    request.now = MoscowTime::parse("2026-11-27 00:00:00").ok();
    sync::update_books(&client(sandbox), store, &config, &request, &NoProgress)
        .await
        .expect("product update runs")
}

#[tokio::test]
async fn contract_suite_passes() {
    let shops: Arc<Mutex<Vec<Shop>>> = Arc::default();
    run_contract_suite(Transactions::None, || {
        let shops = shops.clone();
        async move {
            let shop = Shop::start(false).await;
            let store = shop.store().await;
            shops.lock().unwrap().push(shop);
            store
        }
    })
    .await;
}

#[tokio::test]
async fn sample_import_then_rerun_writes_nothing() {
    let shop = Shop::start(false).await;
    let sandbox = sandbox_from(litres_testkit::sample_catalog_dir()).await;
    let store = shop.store().await;
    let first = import_sample(&shop, &sandbox, &store).await;
    assert_eq!(first.failed.len(), 1, "{:?}", first.failed);
    assert_eq!(first.created, 238);
    assert_eq!(shop.fake.products().len(), 238);
    assert_eq!(shop.fake.categories().len(), 44, "43 genres and the root");
    assert!(!shop.fake.files().is_empty());

    let product = shop
        .fake
        .products()
        .into_iter()
        .find(|product| product.product_code == "LR70000000")
        .expect("first book imported");
    assert_eq!(product.is_edp, "Y");
    let authors = product.features.get(&shop.settings.author_feature_id);
    assert!(
        matches!(authors, Some(FeatureValue::Variants(ids)) if !ids.is_empty()),
        "authors reached the product: {authors:?}"
    );

    shop.fake.clear_requests();
    let rerun = import_sample(&shop, &sandbox, &store).await;
    assert_eq!(rerun.created + rerun.updated + rerun.disabled, 0);
    assert_eq!(
        shop.fake.write_count("/api/"),
        0,
        "no POST or PUT on a rerun"
    );
}

#[tokio::test]
async fn real_recorded_responses_import() {
    let shop = Shop::start(false).await;
    let fixtures = crate::recorded(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/litres"
    ));
    let sandbox = sandbox_from(fixtures).await;
    let store = shop.store().await;
    let config = shop.sync_config();
    let genres = sync::update_genres(&client(&sandbox), &store, &config)
        .await
        .unwrap();
    assert_eq!(genres.created, 1214);
    let mut request = BookRequest::default();
    request.work_type = Some(WorkType::Text);
    request.from = NaiveDate::from_ymd_opt(2015, 7, 19);
    request.minutes = Some(5);
    request.now = MoscowTime::parse("2015-07-19 12:10:00").ok();
    let report = sync::update_books(&client(&sandbox), &store, &config, &request, &NoProgress)
        .await
        .unwrap();
    assert!(report.is_success(), "{:?}", report.failed);
    assert_eq!(report.created, 2);

    let product = shop
        .fake
        .products()
        .into_iter()
        .find(|product| product.product_code == "LR10315207")
        .expect("book 10315207 imported");
    assert_eq!(product.price, "109.00");
    let series = shop.fake.feature(shop.settings.series_feature_id).unwrap();
    let series_value = product.features.get(&series.feature_id);
    let Some(FeatureValue::Variant(variant)) = series_value else {
        panic!("series value missing: {series_value:?}");
    };
    assert_eq!(
        series.variant_name(*variant).as_deref(),
        Some("Расследования криминального репортера")
    );
    let files = shop
        .fake
        .files()
        .into_iter()
        .filter(|file| file.product_id == product.product_id)
        .count();
    assert_eq!(files, 4);
}

#[tokio::test]
async fn timed_out_create_makes_no_duplicate() {
    let shop = Shop::start(false).await;
    let config = shop.config().request_timeout(Duration::from_millis(500));
    let store = CsCartStore::connect(config, &shop.settings).await.unwrap();
    shop.fake.inject(
        CsInjection::new(CsFault::TimeoutAfterWrite(Duration::from_secs(2)))
            .method(Method::POST)
            .path_prefix("/api/products"),
    );
    let id = store
        .create_product(&sample_product(ArtId(77)))
        .await
        .unwrap();
    let products = shop.fake.products();
    assert_eq!(products.len(), 1, "one product despite the lost answer");
    assert_eq!(products[0].product_id, id.get());
    assert_eq!(shop.fake.pending_faults(), 0);
}

#[tokio::test]
async fn server_error_on_create_is_retried_once() {
    let shop = Shop::start(false).await;
    let store = shop.store().await;
    shop.fake.inject(
        CsInjection::new(CsFault::Status(503))
            .method(Method::POST)
            .path_prefix("/api/products"),
    );
    store
        .create_product(&sample_product(ArtId(78)))
        .await
        .unwrap();
    assert_eq!(shop.fake.products().len(), 1);
}

#[tokio::test]
async fn exact_code_among_substring_matches() {
    let shop = Shop::start(false).await;
    shop.fake.add_product("Other book", "LR123", 0);
    shop.fake.add_product("Another", "XLR12", 0);
    let store = shop.store().await;
    assert_eq!(store.find_product(ArtId(12)).await.unwrap(), None);
    let found = store.find_product(ArtId(123)).await.unwrap();
    assert!(found.is_some(), "LR123 is found by its exact code");
}

#[tokio::test]
async fn wrong_feature_type_is_rejected() {
    let shop = Shop::start(false).await;
    let mut settings = shop.settings.clone();
    settings.author_feature_id = shop.fake.add_feature("Authors as text", "T", &[]);
    let error = CsCartStore::connect(shop.config(), &settings)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("author_feature_id"), "{message}");
    assert!(message.contains("type T (text field)"), "{message}");
    assert!(message.contains("M (checkbox group"), "{message}");
    assert!(shop
        .fake
        .requests()
        .iter()
        .all(|request| !request.is_write()));
}

#[tokio::test]
async fn missing_records_are_named() {
    let shop = Shop::start(false).await;
    let mut settings = shop.settings.clone();
    settings.isbn_feature_id = 9999;
    settings.genre_category_id = 9998;
    settings.vendor_id = 9997;
    let message = CsCartStore::connect(shop.config(), &settings)
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("feature 9999 does not exist"), "{message}");
    assert!(
        message.contains("category 9998 does not exist"),
        "{message}"
    );
    assert!(message.contains("vendor (company) 9997"), "{message}");
}

#[tokio::test]
async fn wrong_api_key_is_config_error() {
    let shop = Shop::start(false).await;
    let mut config = shop.config();
    config.api_key = Secret::new("wrong-key-wrong-key-wrong-key-00");
    let error = CsCartStore::connect(config, &shop.settings)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Config);
    assert!(error.to_string().contains("api_key"), "{error}");
    assert!(!error.to_string().contains("wrong-key"), "{error}");
}

#[tokio::test]
async fn vendor_owns_products_and_files() {
    let shop = Shop::start(true).await;
    let sandbox = sandbox_from(litres_testkit::sample_catalog_dir()).await;
    let store = shop.store().await;
    import_sample(&shop, &sandbox, &store).await;
    let vendor = shop.settings.vendor_id;
    let products = shop.fake.products();
    assert_eq!(products.len(), 238);
    assert!(products.iter().all(|product| product.company_id == vendor));
    let files = shop.fake.files();
    assert!(!files.is_empty());
    assert!(files.iter().all(|file| file.company_id == vendor));
}

#[tokio::test]
async fn lost_state_file_makes_no_duplicates() {
    let shop = Shop::start(false).await;
    let sandbox = sandbox_from(litres_testkit::sample_catalog_dir()).await;
    {
        let store = shop.store().await;
        import_sample(&shop, &sandbox, &store).await;
    }
    let products = shop.fake.products().len();
    let categories = shop.fake.categories().len();
    let files = shop.fake.files().len();
    std::fs::remove_file(shop.state_path()).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", shop.state_path().display()));
    }

    let store = shop.store().await;
    let rerun = import_sample(&shop, &sandbox, &store).await;
    assert_eq!(rerun.created, 0, "{rerun:?}");
    assert_eq!(shop.fake.products().len(), products);
    assert_eq!(shop.fake.categories().len(), categories);
    assert_eq!(shop.fake.files().len(), files);
}

#[tokio::test]
async fn exact_code_across_many_pages() {
    let shop = Shop::start(false).await;
    for index in 0..250 {
        shop.fake.add_product("Other", &format!("LR1{index:03}"), 0);
    }
    let wanted = shop.fake.add_product("Wanted", "LR1", 0);
    let store = shop.store().await;
    let found = store.find_product(ArtId(1)).await.unwrap();
    assert_eq!(found.map(|product| product.id.get()), Some(wanted));
    let reads = shop
        .fake
        .requests()
        .iter()
        .filter(|request| request.path == "/api/products")
        .count();
    assert_eq!(reads, 3, "251 matches in pages of 100");
}

#[tokio::test]
async fn feature_outside_genre_root_is_rejected() {
    let shop = Shop::start(false).await;
    let elsewhere = shop.fake.add_category("Toys", 0);
    let mut settings = shop.settings.clone();
    settings.isbn_feature_id = shop.fake.add_feature("ISBN", "T", &[elsewhere]);
    let error = CsCartStore::connect(shop.config(), &settings)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("isbn_feature_id"), "{message}");
    assert!(message.contains("drop its values"), "{message}");
}

#[tokio::test]
async fn cover_sent_only_when_asked() {
    let shop = Shop::start(false).await;
    let store = shop.store().await;
    let mut draft = sample_product(ArtId(5));
    let id = store.create_product(&draft).await.unwrap();
    draft.content_hash = "hash-5-v2".into();
    store.update_product(id, &draft, false).await.unwrap();
    assert_eq!(shop.fake.products()[0].image_sends, 1);
    draft.cover_url = Some("https://covers.example/5-new.jpg".into());
    store.update_product(id, &draft, true).await.unwrap();
    let product = &shop.fake.products()[0];
    assert_eq!(product.image_sends, 2);
    assert_eq!(
        product.image_path.as_deref(),
        Some("https://covers.example/5-new.jpg")
    );
}

#[tokio::test]
async fn dropped_file_is_disabled_not_deleted() {
    let shop = Shop::start(false).await;
    let store = shop.store().await;
    let mut draft = sample_product(ArtId(6));
    let mut epub = draft.files[0].clone();
    epub.name = "book.epub".into();
    epub.format = Some(litres_core::FileFormat::new("epub"));
    draft.files.push(epub);
    let id = store.create_product(&draft).await.unwrap();
    assert_eq!(shop.fake.files().len(), 2);

    draft.files.truncate(1);
    draft.files[0].max_downloads = 9;
    store.update_product(id, &draft, false).await.unwrap();
    let files = shop.fake.files();
    assert_eq!(files.len(), 2, "no file is deleted");
    let fb2 = files.iter().find(|file| file.format == "fb2.zip").unwrap();
    let epub = files.iter().find(|file| file.format == "epub").unwrap();
    assert_eq!(fb2.max_downloads, 9);
    assert_eq!(fb2.status, "A");
    assert_eq!(epub.status, "D");
}

#[tokio::test]
async fn features_sent_with_categories() {
    let shop = Shop::start(false).await;
    let store = shop.store().await;
    let mut draft = sample_product(ArtId(8));
    let genre = shop
        .fake
        .add_category("Prose", shop.settings.genre_category_id);
    draft.category_ids = vec![CategoryId(genre)];
    draft.main_category = Some(CategoryId(genre));
    store.create_product(&draft).await.unwrap();
    let product = &shop.fake.products()[0];
    let authors = product.features.get(&shop.settings.author_feature_id);
    assert!(
        matches!(authors, Some(FeatureValue::Variants(ids)) if ids.len() == 1),
        "the author feature, limited to the genre root, kept its value: {authors:?}"
    );
    let isbn = product.features.get(&shop.settings.isbn_feature_id);
    assert_eq!(isbn, Some(&FeatureValue::Text("978-5-0000-0000-0".into())));
    let number = product
        .features
        .get(&shop.settings.series_number_feature_id);
    assert_eq!(number, Some(&FeatureValue::Number("1".into())));
}
