//! Contract checks of windows and checkpoints.

use super::samples::{sample_category, sample_product};
use super::{expect_ok, Transactions};
use crate::model::{ArtId, WorkType};
use crate::store::CartStore;
use crate::time::MoscowTime;

fn moscow(text: &str) -> MoscowTime {
    match MoscowTime::parse(text) {
        Ok(time) => time,
        Err(error) => panic!("contract suite: invalid test time: {error}"),
    }
}

async fn checkpoint(
    store: &dyn CartStore,
    check: &str,
    work_type: &WorkType,
) -> Option<MoscowTime> {
    expect_ok(
        check,
        "load_checkpoint",
        store.load_checkpoint(work_type).await,
    )
}

async fn commit(store: &dyn CartStore, check: &str, work_type: &WorkType, time: MoscowTime) {
    expect_ok(check, "begin_window", store.begin_window().await);
    let committed = store.commit_window(work_type, time).await;
    expect_ok(check, "commit_window", committed);
}

pub(super) async fn checkpoint_absent_before_save(store: &dyn CartStore) {
    const CHECK: &str = "checkpoint absent before save";
    for work_type in [WorkType::Text, WorkType::Audio, WorkType::from_code("77")] {
        assert_eq!(
            checkpoint(store, CHECK, &work_type).await,
            None,
            "contract check {CHECK}: {work_type:?}"
        );
    }
}

pub(super) async fn checkpoints_independent_per_type(store: &dyn CartStore) {
    const CHECK: &str = "checkpoints per work type";
    let text_time = moscow("2024-03-01 10:00:00");
    let audio_time = moscow("2024-02-01 08:30:00");
    let later_text_time = moscow("2024-03-02 10:00:00");

    commit(store, CHECK, &WorkType::Text, text_time).await;
    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Audio).await,
        None,
        "contract check {CHECK}: audio before its first save"
    );
    commit(store, CHECK, &WorkType::Audio, audio_time).await;
    commit(store, CHECK, &WorkType::Text, later_text_time).await;

    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Text).await,
        Some(later_text_time),
        "contract check {CHECK}: text after two saves"
    );
    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Audio).await,
        Some(audio_time),
        "contract check {CHECK}: audio untouched by text saves"
    );
    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Pdf).await,
        None,
        "contract check {CHECK}: PDF never saved"
    );
}

pub(super) async fn commit_saves_checkpoint(store: &dyn CartStore) {
    const CHECK: &str = "commit_window saves the checkpoint";
    let time = moscow("2024-05-06 07:08:09");
    let unknown_type = WorkType::from_code("77");
    let draft = sample_product(ArtId(60));

    expect_ok(CHECK, "begin_window", store.begin_window().await);
    expect_ok(CHECK, "create_product", store.create_product(&draft).await);
    let committed = store.commit_window(&unknown_type, time).await;
    expect_ok(CHECK, "commit_window", committed);

    assert_eq!(
        checkpoint(store, CHECK, &unknown_type).await,
        Some(time),
        "contract check {CHECK}: checkpoint of work type 77"
    );
    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    assert!(found.is_some(), "contract check {CHECK}: committed product");
}

pub(super) async fn open_window_writes_are_found(store: &dyn CartStore) {
    const CHECK: &str = "writes in an open window are found";
    let mut draft = sample_product(ArtId(70));
    expect_ok(CHECK, "begin_window", store.begin_window().await);
    let id = expect_ok(CHECK, "create_product", store.create_product(&draft).await);

    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    assert_eq!(
        found.map(|product| product.id),
        Some(id),
        "contract check {CHECK}: created product before commit_window"
    );
    draft.content_hash = "hash-70-v2".to_owned();
    let update = store.update_product(id, &draft, false).await;
    expect_ok(CHECK, "update_product", update);
    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    assert_eq!(
        found.map(|product| product.content_hash),
        Some("hash-70-v2".to_owned()),
        "contract check {CHECK}: updated product before commit_window"
    );

    let time = moscow("2024-01-01 00:00:00");
    let committed = store.commit_window(&WorkType::Text, time).await;
    expect_ok(CHECK, "commit_window", committed);
}

pub(super) async fn abort_after_begin(store: &dyn CartStore, transactions: Transactions) {
    const CHECK: &str = "abort_window after begin_window";
    let saved_time = moscow("2024-04-01 00:00:00");
    let mut earlier = sample_product(ArtId(80));
    let category = sample_category(&[5003], "Fiction");
    let category_id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&category).await,
    );
    expect_ok(CHECK, "begin_window", store.begin_window().await);
    let earlier_id = expect_ok(
        CHECK,
        "create_product",
        store.create_product(&earlier).await,
    );
    let committed = store.commit_window(&WorkType::Text, saved_time).await;
    expect_ok(CHECK, "commit_window", committed);

    expect_ok(CHECK, "begin_window", store.begin_window().await);
    let added = sample_product(ArtId(81));
    expect_ok(CHECK, "create_product", store.create_product(&added).await);
    earlier.content_hash = "hash-80-v2".to_owned();
    let update = store.update_product(earlier_id, &earlier, false).await;
    expect_ok(CHECK, "update_product", update);
    let added_category = sample_category(&[5004], "Science");
    let create = store.create_category(&added_category).await;
    expect_ok(CHECK, "create_category", create);
    let disable = store.disable_category(category_id).await;
    expect_ok(CHECK, "disable_category", disable);
    expect_ok(CHECK, "abort_window", store.abort_window().await);

    let rolled_back = transactions == Transactions::Atomic;
    let added_found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(added.art_id).await,
    );
    assert_eq!(
        added_found.is_none(),
        rolled_back,
        "contract check {CHECK} ({transactions:?}): product created in the window"
    );
    let earlier_found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(earlier.art_id).await,
    );
    let expected_hash = if rolled_back {
        "hash-80-v1"
    } else {
        "hash-80-v2"
    };
    assert_eq!(
        earlier_found.map(|product| product.content_hash),
        Some(expected_hash.to_owned()),
        "contract check {CHECK} ({transactions:?}): product updated in the window"
    );
    let categories = expect_ok(CHECK, "genre_categories", store.genre_categories().await);
    let expected_count = if rolled_back { 1 } else { 2 };
    assert_eq!(
        categories.len(),
        expected_count,
        "contract check {CHECK} ({transactions:?}): categories {categories:?}"
    );
    let first = categories.iter().find(|stored| stored.id == category_id);
    assert_eq!(
        first.map(|stored| stored.enabled),
        Some(rolled_back),
        "contract check {CHECK} ({transactions:?}): category disabled in the window"
    );
    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Text).await,
        Some(saved_time),
        "contract check {CHECK}: the checkpoint stays at the last commit"
    );
}

pub(super) async fn window_after_abort_commits(store: &dyn CartStore) {
    const CHECK: &str = "window after an aborted one";
    let time = moscow("2024-06-01 00:00:00");
    expect_ok(CHECK, "begin_window", store.begin_window().await);
    let first = sample_product(ArtId(90));
    expect_ok(CHECK, "create_product", store.create_product(&first).await);
    expect_ok(CHECK, "abort_window", store.abort_window().await);

    expect_ok(CHECK, "begin_window", store.begin_window().await);
    let second = sample_product(ArtId(91));
    let id = expect_ok(CHECK, "create_product", store.create_product(&second).await);
    let committed = store.commit_window(&WorkType::Audio, time).await;
    expect_ok(CHECK, "commit_window", committed);

    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(second.art_id).await,
    );
    assert_eq!(
        found.map(|product| product.id),
        Some(id),
        "contract check {CHECK}: product of the committed window"
    );
    assert_eq!(
        checkpoint(store, CHECK, &WorkType::Audio).await,
        Some(time),
        "contract check {CHECK}: checkpoint of the committed window"
    );
}
