//! End-to-end imports: the sandbox over real HTTP on loopback, the client,
//! the sync engine, and both the in-memory and the SQLite store.

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use chrono::NaiveDate;
use litres_core::client::{Client, ClientConfig};
use litres_core::store::{CartStore, MemoryStore, ProductStatus};
use litres_core::sync::{self, BookReport, BookRequest, NoProgress, SyncConfig, WindowStatus};
use litres_core::{ArtId, MoscowTime, WorkType};
use litres_cscart::SqliteStore;
use litres_testkit::sandbox::{Catalog, Fault, Injection, Sandbox, SandboxConfig, SandboxHandle};

const SAMPLE_FROM: &str = "2026-11-20";
const SAMPLE_END: &str = "2026-11-27 00:00:00";
/// Tries the client makes per request in these tests.
const CLIENT_ATTEMPTS: u32 = 2;

async fn start(config: SandboxConfig) -> SandboxHandle {
    Sandbox::start(config.with_min_request_interval(Duration::ZERO))
        .await
        .expect("sandbox starts on loopback")
}

async fn sample_sandbox() -> SandboxHandle {
    start(SandboxConfig::new().with_catalog_dir(litres_testkit::sample_catalog_dir())).await
}

fn client(sandbox: &SandboxHandle) -> Client {
    let config = ClientConfig::new(sandbox.partner_id(), sandbox.secret_key().clone())
        .base_url(sandbox.base_url())
        .min_request_interval(Duration::ZERO)
        .max_attempts(CLIENT_ATTEMPTS)
        .base_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .request_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5));
    Client::new(config).expect("client config is valid")
}

fn sync_config() -> SyncConfig {
    let mut config = SyncConfig::default();
    config.product_types = ["0", "1", "4", "11"]
        .iter()
        .map(|code| WorkType::from_code(code))
        .collect();
    config.max_downloads = 3;
    config
}

fn sample_request() -> BookRequest {
    let mut request = BookRequest::default();
    request.from = Some(NaiveDate::parse_from_str(SAMPLE_FROM, "%Y-%m-%d").unwrap());
    request.now = Some(MoscowTime::parse(SAMPLE_END).unwrap());
    request
}

async fn import_books(
    sandbox: &SandboxHandle,
    store: &dyn CartStore,
    request: &BookRequest,
) -> BookReport {
    sync::update_books(
        &client(sandbox),
        store,
        &sync_config(),
        request,
        &NoProgress,
    )
    .await
    .expect("product update runs")
}

async fn import_all(sandbox: &SandboxHandle, store: &dyn CartStore) -> BookReport {
    sync::update_genres(&client(sandbox), store, &sync_config())
        .await
        .expect("genre update runs");
    import_books(sandbox, store, &sample_request()).await
}

fn sqlite_in(dir: &Path) -> SqliteStore {
    SqliteStore::open(dir.join("import.db")).expect("database opens")
}

fn writes(report: &BookReport) -> u64 {
    report.created + report.updated + report.disabled
}

/// Imports the sample catalog twice and checks both runs. Of its 240
/// books one record is broken, one is `must_import="0"` and two are
/// removed.
async fn check_sample_import(store: &dyn CartStore) {
    let sandbox = sample_sandbox().await;
    let first = import_all(&sandbox, store).await;
    assert_eq!(
        first.windows.len(),
        28,
        "7 daily windows for each of 4 types"
    );
    assert!(first
        .windows
        .iter()
        .all(|window| window.status == WindowStatus::Completed));
    assert_eq!(
        first.failed.len(),
        1,
        "only the broken record fails: {:?}",
        first.failed
    );
    assert_eq!(first.failed[0].art_id, Some(ArtId(70000005)));
    assert!(first.failed[0].offset.is_some());
    assert_eq!(
        first.created, 238,
        "240 books less the broken one and the must_import=0 one"
    );

    let removed = store
        .find_product(ArtId(70000001))
        .await
        .unwrap()
        .expect("removed book was imported first");
    assert_eq!(removed.status, ProductStatus::Disabled);
    let not_for_sale = store.find_product(ArtId(70000003)).await.unwrap().unwrap();
    assert_eq!(not_for_sale.status, ProductStatus::Disabled);
    assert!(
        store.find_product(ArtId(70000008)).await.unwrap().is_none(),
        "must_import=0 is never created"
    );
    assert!(
        store.find_product(ArtId(70000005)).await.unwrap().is_none(),
        "broken record is skipped"
    );
    assert_eq!(store.genre_categories().await.unwrap().len(), 43);
    for work_type in ["0", "1", "4", "11"] {
        let checkpoint = store
            .load_checkpoint(&WorkType::from_code(work_type))
            .await
            .unwrap();
        assert_eq!(
            checkpoint,
            MoscowTime::parse(SAMPLE_END).ok(),
            "checkpoint of type {work_type}"
        );
    }

    let rerun = import_all(&sandbox, store).await;
    assert_eq!(
        writes(&rerun),
        0,
        "an unchanged rerun writes nothing: {rerun:?}"
    );
    assert_eq!(rerun.seen, first.seen);
}

#[tokio::test]
async fn sample_import_into_memory() {
    let store = MemoryStore::new();
    check_sample_import(&store).await;
    let after_first_rerun = store.write_count();
    let sandbox = sample_sandbox().await;
    import_all(&sandbox, &store).await;
    assert_eq!(
        store.write_count(),
        after_first_rerun,
        "the store saw no write on a rerun"
    );
}

#[tokio::test]
async fn sample_import_into_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    check_sample_import(&sqlite_in(dir.path())).await;
    // The data is in the file: a new connection finds it.
    let reopened = sqlite_in(dir.path());
    assert!(reopened
        .find_product(ArtId(70000000))
        .await
        .unwrap()
        .is_some());
}

/// Returns a one-book feed whose `price` and `updated` vary between
/// versions.
fn feed(art_id: u64, price: &str, updated: &str, timestamp: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<fb-updates timestamp="{timestamp}">
<updated-book id="{art_id}" external_id="0000-{art_id}" type="0" price="{price}" updated="{updated}" you_can_sell="1" must_import="1" cover="jpg" isbn="978-0-00-000000-0">
<files><file type="fb2.zip" size="10"/><file type="epub" size="20"/></files>
<title-info><book-title>Книга {art_id}</book-title><annotation><p>Первая строка.</p></annotation></title-info>
<authors><author id="a1"><first-name>Анна</first-name><last-name>Тестова</last-name><relation>0</relation></author></authors>
<genres><genre id="9001" title="Проза" master="1"/></genres>
</updated-book>
</fb-updates>"#
    )
}

const GENRES: &str = r#"<?xml version="1.0" encoding="utf-8"?><genres><genre id="9000" title="Художественная литература" type="root"><genre id="9001" title="Проза" type="genre"/></genre></genres>"#;

fn catalog(files: &[String]) -> Catalog {
    let mut catalog = Catalog::new();
    catalog.set_genres(Bytes::from_static(GENRES.as_bytes()));
    for (index, text) in files.iter().enumerate() {
        let name = format!("feed-{index}.xml");
        catalog
            .add_file(Path::new(&name), Bytes::from(text.clone()))
            .unwrap();
    }
    catalog
}

fn request_from(date: &str, now: &str) -> BookRequest {
    let mut request = BookRequest::default();
    request.work_type = Some(WorkType::Text);
    request.from = Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
    request.now = Some(MoscowTime::parse(now).unwrap());
    request
}

async fn check_changed_record(store: &dyn CartStore) {
    let first = start(SandboxConfig::new().with_catalog(catalog(&[feed(
        1,
        "100.00",
        "2026-11-20 10:00:00",
        "2026-11-21 00:00:00",
    )])))
    .await;
    sync::update_genres(&client(&first), store, &sync_config())
        .await
        .unwrap();
    let report = import_books(
        &first,
        store,
        &request_from("2026-11-20", "2026-11-21 00:00:00"),
    )
    .await;
    assert_eq!(report.created, 1);
    let created = store.find_product(ArtId(1)).await.unwrap().unwrap();

    let changed = start(SandboxConfig::new().with_catalog(catalog(&[feed(
        1,
        "150.00",
        "2026-11-21 10:00:00",
        "2026-11-22 00:00:00",
    )])))
    .await;
    let report = import_books(
        &changed,
        store,
        &request_from("2026-11-21", "2026-11-22 00:00:00"),
    )
    .await;
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 1, 0),
        "{report:?}"
    );
    let updated = store.find_product(ArtId(1)).await.unwrap().unwrap();
    assert_eq!(
        updated.id, created.id,
        "the same product is updated, not a new one made"
    );
    assert_ne!(updated.content_hash, created.content_hash);
}

#[tokio::test]
async fn changed_record_updates_once_memory() {
    let store = MemoryStore::new();
    check_changed_record(&store).await;
    let product = &store.products()[0];
    assert_eq!(product.draft.price.to_string(), "150.00");
    assert_eq!(
        product.cover_sends, 1,
        "the unchanged cover is not sent again"
    );
    assert_eq!(product.draft.authors, vec!["Анна Тестова".to_owned()]);
    assert_eq!(product.draft.files.len(), 2);
    assert_eq!(product.draft.category_ids.len(), 1);
}

#[tokio::test]
async fn changed_record_updates_once_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    check_changed_record(&sqlite_in(dir.path())).await;
}

#[tokio::test]
async fn removal_disables_product() {
    let store = MemoryStore::new();
    let removal = r#"<fb-updates timestamp="2026-11-22 00:00:00"><removed-book id="1" updated="2026-11-21 09:00:00"/></fb-updates>"#.to_owned();
    let sandbox = start(SandboxConfig::new().with_catalog(catalog(&[
        feed(1, "100.00", "2026-11-20 10:00:00", "2026-11-21 00:00:00"),
        removal,
    ])))
    .await;
    let report = import_books(
        &sandbox,
        &store,
        &request_from("2026-11-20", "2026-11-22 00:00:00"),
    )
    .await;
    assert_eq!((report.created, report.disabled), (1, 1), "{report:?}");
    let product = &store.products()[0];
    assert_eq!(product.status, ProductStatus::Disabled);
    assert_eq!(product.draft.files.len(), 2, "files stay for past buyers");
}

#[tokio::test]
async fn server_errors_twice_then_success() {
    let store = MemoryStore::new();
    let sandbox = start(SandboxConfig::new().with_catalog(catalog(&[feed(
        1,
        "100.00",
        "2026-11-20 10:00:00",
        "2026-11-21 00:00:00",
    )])))
    .await;
    sandbox.inject(Injection::new(Fault::Status(503)).times(2));
    // Two failed tries use up this test client's attempts, so the engine
    // tries the window a second time and the sandbox answers it.
    let report = import_books(
        &sandbox,
        &store,
        &request_from("2026-11-20", "2026-11-21 00:00:00"),
    )
    .await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.created, 1);
    assert_eq!(report.windows[0].attempts, 2);
    assert_eq!(sandbox.pending_faults(), 0);
}

#[tokio::test]
async fn server_error_retried_by_client() {
    let store = MemoryStore::new();
    let sandbox = start(SandboxConfig::new().with_catalog(catalog(&[feed(
        1,
        "100.00",
        "2026-11-20 10:00:00",
        "2026-11-21 00:00:00",
    )])))
    .await;
    sandbox.inject(Injection::new(Fault::Status(503)));
    let report = import_books(
        &sandbox,
        &store,
        &request_from("2026-11-20", "2026-11-21 00:00:00"),
    )
    .await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.created, 1);
    assert_eq!(
        report.windows[0].attempts, 1,
        "the client retried inside one window attempt"
    );
}

#[tokio::test]
async fn truncated_body_retries_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_in(dir.path());
    let sandbox = start(SandboxConfig::new().with_catalog(catalog(&[feed(
        1,
        "100.00",
        "2026-11-20 10:00:00",
        "2026-11-21 00:00:00",
    )])))
    .await;
    sandbox.inject(Injection::new(Fault::TruncateBody(120)));
    let report = import_books(
        &sandbox,
        &store,
        &request_from("2026-11-20", "2026-11-21 00:00:00"),
    )
    .await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.windows[0].attempts, 2);
    assert_eq!(report.created, 1);
}

#[tokio::test]
async fn failed_window_stops_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_in(dir.path());
    let sandbox = sample_sandbox().await;
    sync::update_genres(&client(&sandbox), &store, &sync_config())
        .await
        .unwrap();
    let mut request = sample_request();
    request.work_type = Some(WorkType::Text);
    // The first window succeeds; the second fails in every attempt, as if
    // LitRes went away mid-run.
    let first_window = {
        let mut one_day = request.clone();
        one_day.now = Some(MoscowTime::parse("2026-11-21 00:00:00").unwrap());
        import_books(&sandbox, &store, &one_day).await
    };
    assert!(first_window.is_success());
    let failures = (CLIENT_ATTEMPTS * sync_config().window_attempts) as usize;
    sandbox.inject(Injection::new(Fault::Status(500)).times(failures));
    let mut resume = request.clone();
    resume.from = None;
    let broken = import_books(&sandbox, &store, &resume).await;
    assert_eq!(
        broken.windows.len(),
        1,
        "the run stops at the failed window"
    );
    assert_eq!(broken.windows[0].status, WindowStatus::Failed);
    assert!(!broken.is_success());
    let checkpoint = store.load_checkpoint(&WorkType::Text).await.unwrap();
    assert_eq!(
        checkpoint,
        MoscowTime::parse("2026-11-21 00:00:00").ok(),
        "checkpoint stays at the last good window"
    );

    assert_eq!(
        sandbox.pending_faults(),
        0,
        "every attempt of the window was made"
    );

    // LitRes is back: the next run continues from the checkpoint.
    let resumed = import_books(&sandbox, &store, &resume).await;
    assert!(resumed
        .windows
        .iter()
        .all(|window| window.status == WindowStatus::Completed));
    assert_eq!(resumed.windows.len(), 6);
    let full = import_books(&sandbox, &store, &request).await;
    assert_eq!(
        writes(&full),
        0,
        "nothing was duplicated or left behind: {full:?}"
    );
}

fn real_fixtures() -> &'static str {
    crate::recorded(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/litres"
    ))
}

#[tokio::test]
async fn real_recorded_responses_import() {
    let store = MemoryStore::new();
    let sandbox = start(SandboxConfig::new().with_catalog_dir(real_fixtures())).await;
    let genres = sync::update_genres(&client(&sandbox), &store, &sync_config())
        .await
        .unwrap();
    assert_eq!(genres.positions, 1214);
    assert_eq!(genres.created, 1214);
    assert_eq!(store.categories().len(), 1214);

    let mut request = BookRequest::default();
    request.work_type = Some(WorkType::Text);
    request.from = Some(NaiveDate::from_ymd_opt(2015, 7, 19).unwrap());
    request.minutes = Some(5);
    request.now = Some(MoscowTime::parse("2015-07-19 12:10:00").unwrap());
    // From 00:00 in five-minute windows: 146 requests, of which the
    // 12:05–12:10 window contains both books.
    let report = import_books(&sandbox, &store, &request).await;
    assert!(report.is_success(), "{:?}", report.failed);
    assert_eq!(report.created, 2);

    let products = store.products();
    let first = products
        .iter()
        .find(|product| product.draft.art_id == ArtId(10315207))
        .unwrap();
    assert_eq!(first.draft.price.to_string(), "109.00");
    assert_eq!(first.draft.authors.len(), 1);
    assert!(first.draft.authors[0].ends_with("Сухов"));
    assert_eq!(
        first.draft.series.as_deref(),
        Some("Расследования криминального репортера")
    );
    assert_eq!(first.draft.series_number, None);
    assert_eq!(first.draft.isbn.as_deref(), Some("978-5-699-80961-5"));
    assert_eq!(
        first.draft.files.len(),
        4,
        "the four default text formats it offers"
    );
    let genre_5259: Vec<_> = store
        .categories()
        .into_iter()
        .filter(|category| category.draft.genre_path.last() == Some(&litres_core::GenreId(5259)))
        .map(|category| category.id)
        .collect();
    assert!(!genre_5259.is_empty());
    assert_eq!(
        first.draft.main_category,
        Some(genre_5259[0]),
        "in_genre title maps to genre 5259"
    );

    let second = products
        .iter()
        .find(|product| product.draft.art_id == ArtId(10316290))
        .unwrap();
    assert_eq!(second.draft.price.to_string(), "129.00");
    assert_eq!(
        second.draft.authors.len(),
        1,
        "one of three people is the author"
    );
    assert!(
        second.draft.category_ids.len() >= 2,
        "two in_genre titles: {:?}",
        second.draft.category_ids
    );
}
