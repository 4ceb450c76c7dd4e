//! Table tests of the mapping and decision policy.

use crate::model::*;
use crate::store::{ProductStatus, StoredCategory, StoredProduct};
use crate::time::MoscowTime;

use super::mapping::*;
use super::*;

fn book() -> Book {
    let mut book = Book::new(ArtId(100), ExternalId::new("AB-CD"));
    book.title = "Тестовая книга".into();
    book.price = "99.90".parse().unwrap();
    book
}

fn category(id: u64, path: &[u64], name: &str) -> StoredCategory {
    let mut draft =
        crate::store::CategoryDraft::new(path.iter().map(|id| GenreId(*id)).collect(), name, None);
    draft.enabled = true;
    StoredCategory::new(CategoryId(id), &draft)
}

fn index() -> CategoryIndex {
    CategoryIndex::new(&[
        category(1, &[10], "Детективы"),
        category(2, &[10, 11], "Классический детектив"),
        category(3, &[20, 11], "Классический детектив"),
        category(4, &[20, 21], "Сказки"),
    ])
}

fn tree_genre(id: u64, master: bool) -> GenreRef {
    GenreRef::Tree {
        id: GenreId(id),
        title: String::new(),
        master,
    }
}

fn legacy_genre(title: &str) -> GenreRef {
    GenreRef::Legacy {
        id: "201".into(),
        title: title.into(),
    }
}

#[test]
fn categories_table() {
    let root = Some(CategoryId(99));
    let cases: Vec<(&str, Vec<GenreRef>, Vec<u64>)> = vec![
        (
            "master first",
            vec![tree_genre(10, false), tree_genre(21, true)],
            vec![4, 1],
        ),
        (
            "id under two parents",
            vec![tree_genre(11, true)],
            vec![2, 3],
        ),
        (
            "legacy by title, any case",
            vec![legacy_genre(" сказки ")],
            vec![4],
        ),
        (
            "unknown genre falls back",
            vec![tree_genre(777, true)],
            vec![99],
        ),
        ("no genres falls back", vec![], vec![99]),
        (
            "repeats dropped",
            vec![tree_genre(21, true), legacy_genre("Сказки")],
            vec![4],
        ),
    ];
    for (name, genres, expected) in cases {
        let got: Vec<u64> = pick_categories(&genres, &index(), root)
            .iter()
            .map(|id| id.get())
            .collect();
        assert_eq!(got, expected, "{name}");
    }
    assert!(pick_categories(&[], &index(), None).is_empty());
}

#[test]
fn disabled_categories_not_indexed() {
    let mut hidden = category(5, &[30], "Поэзия");
    hidden.enabled = false;
    let index = CategoryIndex::new(&[hidden]);
    assert!(pick_categories(&[tree_genre(30, true)], &index, None).is_empty());
}

#[test]
fn authors_only_relation_zero() {
    let mut book = book();
    let mut first = Author::new(0, "Иванов");
    first.first_name = "Пётр".into();
    book.authors = vec![
        first.clone(),
        Author::new(2, "Литагент"),
        Author::new(3, "Художник"),
        first,
        Author::new(0, "  "),
        Author::new(0, "Петров"),
    ];
    assert_eq!(
        pick_authors(&book),
        vec!["Пётр Иванов".to_owned(), "Петров".to_owned()]
    );
}

#[test]
fn isbn_table() {
    let cases = [
        (Some("111"), Some("222"), Some("111")),
        (None, Some("222"), Some("222")),
        (Some(" "), Some("222"), Some("222")),
        (None, None, None),
    ];
    for (isbn, litres_isbn, expected) in cases {
        let mut book = book();
        book.isbn = isbn.map(str::to_owned);
        book.litres_isbn = litres_isbn.map(str::to_owned);
        assert_eq!(
            pick_isbn(&book).as_deref(),
            expected,
            "{isbn:?} {litres_isbn:?}"
        );
    }
}

#[test]
fn text_files_follow_configured_formats() {
    let mut book = book();
    book.files = BookFiles::Text(
        ["txt", "epub", "fb2.zip"]
            .iter()
            .map(|name| TextFile::new(FileFormat::new(name), Some(10)))
            .collect(),
    );
    let formats: Vec<FileFormat> = ["fb2.zip", "epub", "a4.pdf"]
        .iter()
        .map(|name| FileFormat::new(name))
        .collect();
    let files = pick_files(&book, "Книга", &formats, 5);
    let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
    assert_eq!(names, vec!["Книга.fb2.zip", "Книга.epub"]);
    assert!(files.iter().all(|file| file.max_downloads == 5));
    assert_eq!(files[1].format, Some(FileFormat::new("epub")));
}

#[test]
fn group_files_skip_trial() {
    let mut book = book();
    book.work_type = WorkType::Audio;
    book.files = BookFiles::Groups(vec![
        FileGroup::new(
            "Ознакомительный фрагмент",
            vec![GroupFile::new("1", "trial.mp3")],
        ),
        FileGroup::new(
            "MP3",
            vec![
                GroupFile::new("2", "part1.mp3"),
                GroupFile::new("3", "part2.mp3"),
            ],
        ),
    ]);
    let files = pick_files(&book, "Книга", &[], 0);
    let ids: Vec<Option<&str>> = files
        .iter()
        .map(|file| file.litres_file_id.as_deref())
        .collect();
    assert_eq!(ids, vec![Some("2"), Some("3")]);
    assert_eq!(files[0].name, "part1.mp3");
}

#[test]
fn cover_url_table() {
    let mut book = book();
    assert_eq!(cover_url(&book, "http://x"), None);
    book.cover = Some(String::new());
    assert_eq!(cover_url(&book, "http://x"), None);
    book.cover = Some("jpg".into());
    assert_eq!(
        cover_url(&book, "http://x/").as_deref(),
        Some("http://x/pub/c/cover/100.jpg")
    );
}

#[test]
fn map_book_rejects_empty_title() {
    let mut book = book();
    book.title = "  ".into();
    assert_eq!(
        map_book(&book, &SyncConfig::default(), &index()),
        Err(MappingError::MissingTitle)
    );
}

#[test]
fn map_book_status_follows_sale_flags() {
    let config = SyncConfig::default();
    let mut book = book();
    assert_eq!(
        map_book(&book, &config, &index()).unwrap().status,
        ProductStatus::Active
    );
    book.you_can_sell = false;
    assert_eq!(
        map_book(&book, &config, &index()).unwrap().status,
        ProductStatus::Disabled
    );
}

#[test]
fn hash_changes_with_content_only() {
    let config = SyncConfig::default();
    let first = map_book(&book(), &config, &index()).unwrap();
    let again = map_book(&book(), &config, &index()).unwrap();
    assert_eq!(first.content_hash, again.content_hash);
    let mut changed = book();
    changed.price = "100.00".parse().unwrap();
    let changed = map_book(&changed, &config, &index()).unwrap();
    assert_ne!(first.content_hash, changed.content_hash);
}

#[test]
fn product_decisions_table() {
    let config = SyncConfig::default();
    let draft = map_book(&book(), &config, &index()).unwrap();
    let same = StoredProduct::new(
        ProductId(1),
        draft.content_hash.clone(),
        None,
        ProductStatus::Active,
    );
    let other_hash = StoredProduct::new(ProductId(1), "old", None, ProductStatus::Active);
    let disabled = StoredProduct::new(
        ProductId(1),
        draft.content_hash.clone(),
        None,
        ProductStatus::Disabled,
    );
    let other_cover = StoredProduct::new(
        ProductId(1),
        "old",
        Some("http://old".into()),
        ProductStatus::Active,
    );
    assert_eq!(decide_product(None, &draft), ProductAction::Create);
    assert_eq!(
        decide_product(Some(&same), &draft),
        ProductAction::Unchanged
    );
    assert_eq!(
        decide_product(Some(&other_hash), &draft),
        ProductAction::Update { send_cover: false }
    );
    assert_eq!(
        decide_product(Some(&disabled), &draft),
        ProductAction::Update { send_cover: false }
    );
    assert_eq!(
        decide_product(Some(&other_cover), &draft),
        ProductAction::Update { send_cover: true }
    );
}

fn at(text: &str) -> MoscowTime {
    MoscowTime::parse(text).unwrap()
}

/// Name, stored product, removal time, window, expected action.
type RemovalCase<'a> = (
    &'a str,
    Option<StoredProduct>,
    Option<&'a str>,
    Option<&'a crate::window::Window>,
    RemovalAction,
);

#[test]
fn removal_decisions_table() {
    let stamped = |status, time: Option<&str>| {
        StoredProduct::new(ProductId(1), "h", None, status).with_source_updated(time.map(at))
    };
    let window = crate::window::Window {
        start: at("2026-11-21 00:00:00"),
        end: at("2026-11-22 00:00:00"),
    };
    let disable = |time: &str| RemovalAction::Disable {
        changed_at: Some(at(time)),
    };
    let active = ProductStatus::Active;
    let cases: Vec<RemovalCase> = vec![
        (
            "never imported",
            None,
            None,
            Some(&window),
            RemovalAction::Nothing,
        ),
        (
            "already disabled",
            Some(stamped(ProductStatus::Disabled, None)),
            None,
            Some(&window),
            RemovalAction::Nothing,
        ),
        (
            "timed removal after product",
            Some(stamped(active, Some("2026-11-20 10:00:00"))),
            Some("2026-11-21 09:00:00"),
            Some(&window),
            disable("2026-11-21 09:00:00"),
        ),
        (
            "timed removal before product",
            Some(stamped(active, Some("2026-11-23 10:00:00"))),
            Some("2026-11-21 09:00:00"),
            Some(&window),
            RemovalAction::Nothing,
        ),
        (
            "untimed, product from before window",
            Some(stamped(active, Some("2026-11-20 10:00:00"))),
            None,
            Some(&window),
            disable("2026-11-21 00:00:00"),
        ),
        (
            "untimed, product from inside window",
            Some(stamped(active, Some("2026-11-21 10:00:00"))),
            None,
            Some(&window),
            disable("2026-11-21 10:00:00"),
        ),
        (
            "untimed, product from after window",
            Some(stamped(active, Some("2026-11-22 00:00:00"))),
            None,
            Some(&window),
            RemovalAction::Nothing,
        ),
        (
            "untimed, product without time",
            Some(stamped(active, None)),
            None,
            Some(&window),
            disable("2026-11-21 00:00:00"),
        ),
        (
            "untimed, no window",
            Some(stamped(active, Some("2026-11-20 10:00:00"))),
            None,
            None,
            RemovalAction::Disable { changed_at: None },
        ),
    ];
    for (name, stored, removed_at, window, expected) in cases {
        assert_eq!(
            decide_removal(stored.as_ref(), removed_at.map(at), window),
            expected,
            "{name}"
        );
    }
}

#[test]
fn older_record_is_stale() {
    let config = SyncConfig::default();
    let mut old = book();
    old.updated = Some(at("2026-11-20 10:00:00"));
    let draft = map_book(&old, &config, &index()).unwrap();
    let newer = StoredProduct::new(ProductId(1), "other", None, ProductStatus::Disabled)
        .with_source_updated(Some(at("2026-11-21 00:00:00")));
    assert_eq!(
        decide_product(Some(&newer), &draft),
        ProductAction::Unchanged
    );
    let older = newer
        .clone()
        .with_source_updated(Some(at("2026-11-19 00:00:00")));
    assert_eq!(
        decide_product(Some(&older), &draft),
        ProductAction::Update { send_cover: false }
    );
}

#[test]
fn replayed_record_before_removal_is_unchanged() {
    let config = SyncConfig::default();
    let mut listed = book();
    listed.updated = Some(at("2026-11-21 10:00:00"));
    let draft = map_book(&listed, &config, &index()).unwrap();
    let removed_same_time = StoredProduct::new(
        ProductId(1),
        draft.content_hash.clone(),
        None,
        ProductStatus::Disabled,
    )
    .with_source_updated(draft.source_updated);
    assert_eq!(
        decide_product(Some(&removed_same_time), &draft),
        ProductAction::Unchanged
    );
    let removed_earlier = removed_same_time
        .clone()
        .with_source_updated(Some(at("2026-11-21 00:00:00")));
    assert_eq!(
        decide_product(Some(&removed_earlier), &draft),
        ProductAction::Update { send_cover: false }
    );
}

#[test]
fn hash_ignores_change_time() {
    let config = SyncConfig::default();
    let mut first = book();
    first.updated = Some(at("2026-11-20 10:00:00"));
    let mut second = first.clone();
    second.updated = Some(at("2026-11-21 10:00:00"));
    let first = map_book(&first, &config, &index()).unwrap();
    let second = map_book(&second, &config, &index()).unwrap();
    assert_eq!(first.content_hash, second.content_hash);
}

#[test]
fn category_decisions_table() {
    let stored = category(1, &[10], "Детективы");
    let mut same = crate::store::CategoryDraft::new(vec![GenreId(10)], "Детективы", None);
    assert_eq!(decide_category(None, &same), CategoryAction::Create);
    assert_eq!(
        decide_category(Some(&stored), &same),
        CategoryAction::Unchanged
    );
    same.name = "Детективы и триллеры".into();
    assert_eq!(
        decide_category(Some(&stored), &same),
        CategoryAction::Update
    );
}
