//! `SqliteStore` on real database files in a temporary folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use litres_core::store::contract::{
    run_contract_suite, run_order_contract_suite, sample_category, sample_orders, sample_product,
    Transactions,
};
use litres_core::store::{CartStore, NotificationState, OrderStore, ProductStatus, StoreErrorKind};
use litres_core::{ArtId, CategoryId, MoscowTime, OrderId, ProductId, WorkType};
use litres_cscart::SqliteStore;
use tempfile::TempDir;

fn moscow(text: &str) -> MoscowTime {
    MoscowTime::parse(text).unwrap()
}

fn database_path(dir: &TempDir) -> PathBuf {
    dir.path().join("litres.sqlite")
}

fn open_raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[tokio::test]
async fn file_store_passes_contract() {
    let dir = tempfile::tempdir().unwrap();
    let counter = AtomicUsize::new(0);
    run_contract_suite(Transactions::Atomic, || {
        let number = counter.fetch_add(1, Ordering::Relaxed);
        let path = dir.path().join(format!("contract-{number}.sqlite"));
        async move { SqliteStore::open(&path).unwrap() }
    })
    .await;
    assert!(counter.load(Ordering::Relaxed) > 10, "one file per check");
}

#[tokio::test]
async fn in_memory_store_passes_contract() {
    run_contract_suite(Transactions::Atomic, || async {
        SqliteStore::open_in_memory().unwrap()
    })
    .await;
}

#[tokio::test]
async fn file_store_passes_order_contract() {
    let dir = tempfile::tempdir().unwrap();
    let counter = AtomicUsize::new(0);
    run_order_contract_suite(|| {
        let number = counter.fetch_add(1, Ordering::Relaxed);
        let path = dir.path().join(format!("orders-{number}.sqlite"));
        async move {
            let store = SqliteStore::open(&path).unwrap();
            for order in sample_orders() {
                store.insert_order(&order).unwrap();
            }
            store
        }
    })
    .await;
}

#[tokio::test]
async fn insert_order_rejects_taken_id_and_repeated_product() {
    let store = SqliteStore::open_in_memory().unwrap();
    let order = sample_orders().remove(0);
    store.insert_order(&order).unwrap();
    let again = store.insert_order(&order).unwrap_err();
    assert_eq!(again.kind(), StoreErrorKind::Rejected);
    let mut doubled = sample_orders().remove(1);
    doubled.lines.push(doubled.lines[0].clone());
    let error = store.insert_order(&doubled).unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Rejected);
    assert!(
        store.load_order(doubled.id).await.unwrap().is_none(),
        "no half order"
    );
}

#[tokio::test]
async fn order_states_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let state = NotificationState::InFlight {
        attempt: 2,
        started_at: chrono::Utc::now(),
    };
    {
        let store = SqliteStore::open(&path).unwrap();
        store.insert_order(&sample_orders()[0]).unwrap();
        store
            .save_notification(OrderId(1), ProductId(10), &state)
            .await
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let loaded = store
        .load_notification(OrderId(1), ProductId(10))
        .await
        .unwrap();
    assert_eq!(loaded, Some(state));
}

#[tokio::test]
async fn reopened_file_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let time = moscow("2024-02-03 04:05:06");
    let category = sample_category(&[5003, 5047], "Fantasy");
    let draft = sample_product(ArtId(123));
    let (category_id, product_id) = {
        let store = SqliteStore::open(&path).unwrap();
        let category_id = store.create_category(&category).await.unwrap();
        store.begin_window().await.unwrap();
        let product_id = store.create_product(&draft).await.unwrap();
        store.commit_window(&WorkType::Audio, time).await.unwrap();
        (category_id, product_id)
    };

    let store = SqliteStore::open(&path).unwrap();
    let categories = store.genre_categories().await.unwrap();
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0].id, category_id);
    assert_eq!(categories[0].genre_path, category.genre_path);
    let found = store.find_product(draft.art_id).await.unwrap().unwrap();
    assert_eq!(found.id, product_id);
    assert_eq!(found.content_hash, draft.content_hash);
    assert_eq!(found.cover_url, draft.cover_url);
    assert_eq!(found.status, ProductStatus::Active);
    let checkpoint = store.load_checkpoint(&WorkType::Audio).await.unwrap();
    assert_eq!(checkpoint, Some(time));
}

#[tokio::test]
async fn dropped_open_window_is_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let saved = moscow("2024-01-01 00:00:00");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.begin_window().await.unwrap();
        store.commit_window(&WorkType::Text, saved).await.unwrap();

        store.begin_window().await.unwrap();
        store
            .create_product(&sample_product(ArtId(7)))
            .await
            .unwrap();
        // Dropped without commit_window, as when the process dies.
    }

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.find_product(ArtId(7)).await.unwrap(), None);
    let checkpoint = store.load_checkpoint(&WorkType::Text).await.unwrap();
    assert_eq!(checkpoint, Some(saved));
}

/// Set in the child process of `killed_process_leaves_committed_state` to
/// the database path it writes to before it aborts.
const CRASH_DATABASE_VARIABLE: &str = "LITRES_TEST_CRASH_DATABASE";

/// Commits one window, then opens another, writes enough products that
/// SQLite spills pages to the write-ahead log, and aborts the process
/// without closing the database.
fn write_then_abort(path: &Path) -> ! {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(path).unwrap();
        store.begin_window().await.unwrap();
        store
            .create_product(&sample_product(ArtId(1)))
            .await
            .unwrap();
        let saved = moscow("2024-01-01 00:00:00");
        store.commit_window(&WorkType::Text, saved).await.unwrap();

        store.begin_window().await.unwrap();
        for art_id in 2..3000 {
            let mut draft = sample_product(ArtId(art_id));
            draft.description_html = "<p>padding</p>".repeat(40);
            store.create_product(&draft).await.unwrap();
        }
        std::process::abort();
    })
}

#[test]
fn killed_process_leaves_committed_state() {
    if let Some(path) = std::env::var_os(CRASH_DATABASE_VARIABLE) {
        write_then_abort(Path::new(&path));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "sqlite::killed_process_leaves_committed_state"])
        .env(CRASH_DATABASE_VARIABLE, &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child process must abort: {status}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(&path).unwrap();
        assert!(store.find_product(ArtId(1)).await.unwrap().is_some());
        assert_eq!(store.find_product(ArtId(2)).await.unwrap(), None);
        assert_eq!(store.find_product(ArtId(2999)).await.unwrap(), None);
        let checkpoint = store.load_checkpoint(&WorkType::Text).await.unwrap();
        assert_eq!(checkpoint, Some(moscow("2024-01-01 00:00:00")));
        store.begin_window().await.unwrap();
        store
            .create_product(&sample_product(ArtId(2)))
            .await
            .unwrap();
        let next = moscow("2024-01-02 00:00:00");
        store.commit_window(&WorkType::Text, next).await.unwrap();
    });
}

#[tokio::test]
async fn other_connection_sees_only_committed_windows() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let saved = moscow("2024-01-01 00:00:00");
    let writer = SqliteStore::open(&path).unwrap();
    writer.begin_window().await.unwrap();
    writer
        .create_product(&sample_product(ArtId(1)))
        .await
        .unwrap();
    writer.commit_window(&WorkType::Text, saved).await.unwrap();
    writer.begin_window().await.unwrap();
    writer
        .create_product(&sample_product(ArtId(2)))
        .await
        .unwrap();
    let unsaved = moscow("2024-01-02 00:00:00");
    writer
        .commit_window(&WorkType::Audio, unsaved)
        .await
        .unwrap();
    writer.begin_window().await.unwrap();
    writer
        .create_product(&sample_product(ArtId(3)))
        .await
        .unwrap();

    // The writer still has its window open, like a process that hangs
    // mid-window; a second store on the file reads the committed state.
    let reader = SqliteStore::open(&path).unwrap();
    assert!(reader.find_product(ArtId(1)).await.unwrap().is_some());
    assert!(reader.find_product(ArtId(2)).await.unwrap().is_some());
    assert_eq!(reader.find_product(ArtId(3)).await.unwrap(), None);
    let checkpoint = reader.load_checkpoint(&WorkType::Text).await.unwrap();
    assert_eq!(checkpoint, Some(saved));
    writer.abort_window().await.unwrap();
}

#[test]
fn newer_schema_version_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    open_raw(&path)
        .pragma_update(None, "user_version", 99)
        .unwrap();

    let error = SqliteStore::open(&path).unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("schema version 99"), "{message}");
    assert!(message.contains("upgrade litres"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn non_database_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "these are notes, not a database\n".repeat(200)).unwrap();

    let error = SqliteStore::open(&path).unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Corrupt);
    let message = error.to_string();
    assert!(message.contains("not a SQLite database"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    let content = std::fs::read_to_string(&path).unwrap();
    assert!(
        content.starts_with("these are notes"),
        "the file is left as it was"
    );
}

#[test]
fn missing_folder_is_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("litres.sqlite");

    let error = SqliteStore::open(&path).unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("folder exists"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn new_file_gets_latest_schema_and_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.path(), path.display().to_string());

    let raw = open_raw(&path);
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(
        version, 4,
        "catalog, remote shop state, orders, remote orders"
    );
    let mode: String = raw
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);

    // Opening again runs no step twice.
    SqliteStore::open(&path).unwrap();
}

#[tokio::test]
async fn product_rows_keep_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let store = SqliteStore::open(&path).unwrap();
    let mut draft = sample_product(ArtId(555));
    draft.category_ids = vec![CategoryId(30), CategoryId(10)];
    draft.main_category = Some(CategoryId(30));
    draft.authors = vec!["Anna Sample".to_owned(), "Boris Example".to_owned()];
    let mut audio_file = draft.files[0].clone();
    audio_file.name = "part-1.mp3".to_owned();
    audio_file.format = None;
    audio_file.litres_file_id = Some("998877".to_owned());
    draft.files.push(audio_file);
    let id = store.create_product(&draft).await.unwrap();

    let raw = open_raw(&path);
    let row: (i64, String, String, i64, String, Option<i64>) = raw
        .query_row(
            "SELECT art_id, external_id, work_type, price_kopecks, authors_json, \
             main_category_id FROM products WHERE id = ?1",
            [id.get() as i64],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(row.0, 555);
    assert_eq!(row.1, draft.external_id.as_str());
    assert_eq!(row.2, "0");
    assert_eq!(row.3, 10_900);
    assert_eq!(row.4, r#"["Anna Sample","Boris Example"]"#);
    assert_eq!(row.5, Some(30));
    let categories: Vec<i64> = raw
        .prepare(
            "SELECT category_id FROM product_categories WHERE product_id = ?1 ORDER BY position",
        )
        .unwrap()
        .query_map([id.get() as i64], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(categories, vec![30, 10]);
    let files = file_rows(&raw, id.get());
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0],
        (
            "book-555.fb2.zip".to_owned(),
            Some("fb2.zip".to_owned()),
            None,
            5
        )
    );
    assert_eq!(
        files[1],
        ("part-1.mp3".to_owned(), None, Some("998877".to_owned()), 5)
    );

    // An update replaces the file rows instead of adding to them.
    draft.files.truncate(1);
    store.update_product(id, &draft, false).await.unwrap();
    assert_eq!(file_rows(&raw, id.get()).len(), 1);
    // Disabling keeps the files for past buyers.
    store.disable_product(id, None).await.unwrap();
    assert_eq!(file_rows(&raw, id.get()).len(), 1);
}

type FileRow = (String, Option<String>, Option<String>, u32);

fn file_rows(raw: &rusqlite::Connection, product_id: u64) -> Vec<FileRow> {
    raw.prepare(
        "SELECT name, format, litres_file_id, max_downloads FROM product_files \
         WHERE product_id = ?1 ORDER BY position",
    )
    .unwrap()
    .query_map([product_id as i64], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn duplicate_art_id_is_rejected() {
    let store = SqliteStore::open_in_memory().unwrap();
    let draft = sample_product(ArtId(8));
    store.create_product(&draft).await.unwrap();

    let error = store.create_product(&draft).await.unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Rejected);
    assert!(error.message().contains("art id 8"), "{error}");
}

#[tokio::test]
async fn duplicate_genre_path_is_rejected() {
    let store = SqliteStore::open_in_memory().unwrap();
    let draft = sample_category(&[5003, 5047], "Fantasy");
    store.create_category(&draft).await.unwrap();

    let error = store.create_category(&draft).await.unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Rejected);
    assert!(error.message().contains("5003/5047"), "{error}");
}

#[tokio::test]
async fn nested_begin_window_is_rejected() {
    let store = SqliteStore::open_in_memory().unwrap();
    store.begin_window().await.unwrap();

    let error = store.begin_window().await.unwrap_err();
    assert!(error.message().contains("abort_window"), "{error}");
    store.abort_window().await.unwrap();
    store.begin_window().await.unwrap();
}

#[tokio::test]
async fn invalid_checkpoint_text_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = database_path(&dir);
    let store = SqliteStore::open(&path).unwrap();
    open_raw(&path)
        .execute(
            "INSERT INTO checkpoints (work_type, moscow_time) VALUES ('1', 'yesterday')",
            [],
        )
        .unwrap();

    let error = store.load_checkpoint(&WorkType::Audio).await.unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Corrupt);
    assert!(error.message().contains("\"yesterday\""), "{error}");
}
