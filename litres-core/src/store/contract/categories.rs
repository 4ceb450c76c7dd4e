//! Contract checks of category calls.

use super::expect_ok;
use super::samples::sample_category;
use crate::model::{CategoryId, GenreId};
use crate::store::{CartStore, StoreErrorKind, StoredCategory};

async fn list(store: &dyn CartStore, check: &str) -> Vec<StoredCategory> {
    expect_ok(check, "genre_categories", store.genre_categories().await)
}

fn find_by_id(categories: &[StoredCategory], id: CategoryId, check: &str) -> StoredCategory {
    match categories.iter().find(|category| category.id == id) {
        Some(category) => category.clone(),
        None => panic!("contract check {check}: category {id} missing from {categories:?}"),
    }
}

pub(super) async fn create_then_list(store: &dyn CartStore) {
    const CHECK: &str = "category create then list";
    let before = list(store, CHECK).await;
    assert_eq!(
        before,
        Vec::new(),
        "contract check {CHECK}: a new store has no categories"
    );

    let top = sample_category(&[5003], "Fiction");
    let top_id = expect_ok(CHECK, "create_category", store.create_category(&top).await);
    let mut child = sample_category(&[5003, 5047], "Fantasy");
    child.parent = Some(top_id);
    child.position = 3;
    let child_id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&child).await,
    );
    assert_ne!(
        top_id, child_id,
        "contract check {CHECK}: two categories, one id"
    );

    let categories = list(store, CHECK).await;
    assert_eq!(
        categories.len(),
        2,
        "contract check {CHECK}: {categories:?}"
    );
    let stored_top = find_by_id(&categories, top_id, CHECK);
    assert_eq!(
        stored_top,
        StoredCategory::new(top_id, &top),
        "contract check {CHECK}: top-level category"
    );
    let stored_child = find_by_id(&categories, child_id, CHECK);
    assert_eq!(
        stored_child.genre_path,
        vec![GenreId(5003), GenreId(5047)],
        "contract check {CHECK}: genre path"
    );
    assert_eq!(
        stored_child,
        StoredCategory::new(child_id, &child),
        "contract check {CHECK}: child category"
    );
}

pub(super) async fn update_overwrites(store: &dyn CartStore) {
    const CHECK: &str = "category update overwrites";
    let top = sample_category(&[1], "Top");
    let top_id = expect_ok(CHECK, "create_category", store.create_category(&top).await);
    let mut draft = sample_category(&[2], "Old name");
    let id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&draft).await,
    );

    draft.name = "New name".to_owned();
    draft.parent = Some(top_id);
    draft.position = 9;
    let update = store.update_category(id, &draft).await;
    expect_ok(CHECK, "update_category", update);

    let categories = list(store, CHECK).await;
    let stored = find_by_id(&categories, id, CHECK);
    assert_eq!(stored.name, "New name", "contract check {CHECK}: name");
    assert_eq!(
        stored.parent,
        Some(top_id),
        "contract check {CHECK}: parent"
    );
    assert_eq!(stored.position, 9, "contract check {CHECK}: position");
    assert!(stored.enabled, "contract check {CHECK}: still enabled");
    assert_eq!(
        stored.genre_path,
        vec![GenreId(2)],
        "contract check {CHECK}: genre path"
    );
    assert!(stored.matches(&draft), "contract check {CHECK}: {stored:?}");
    let stored_top = find_by_id(&categories, top_id, CHECK);
    assert_eq!(
        stored_top,
        StoredCategory::new(top_id, &top),
        "contract check {CHECK}: the other category is untouched"
    );

    // An update back to the top level, disabled.
    draft.parent = None;
    draft.enabled = false;
    let update = store.update_category(id, &draft).await;
    expect_ok(CHECK, "second update_category", update);
    let stored = find_by_id(&list(store, CHECK).await, id, CHECK);
    assert_eq!(
        stored.parent, None,
        "contract check {CHECK}: parent cleared"
    );
    assert!(
        !stored.enabled,
        "contract check {CHECK}: disabled by update"
    );
}

pub(super) async fn disable_keeps_listed(store: &dyn CartStore) {
    const CHECK: &str = "category disable keeps it listed";
    let draft = sample_category(&[5003], "Fiction");
    let id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&draft).await,
    );
    expect_ok(CHECK, "disable_category", store.disable_category(id).await);

    let categories = list(store, CHECK).await;
    assert_eq!(
        categories.len(),
        1,
        "contract check {CHECK}: {categories:?}"
    );
    let stored = find_by_id(&categories, id, CHECK);
    assert!(!stored.enabled, "contract check {CHECK}: enabled flag");
    assert_eq!(stored.name, "Fiction", "contract check {CHECK}: name kept");
    assert_eq!(
        stored.genre_path,
        vec![GenreId(5003)],
        "contract check {CHECK}: genre path kept"
    );
}

pub(super) async fn two_positions_of_one_genre(store: &dyn CartStore) {
    const CHECK: &str = "category per tree position";
    let first = sample_category(&[10, 77], "Poetry");
    let second = sample_category(&[20, 77], "Poetry");
    let first_id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&first).await,
    );
    let second_id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&second).await,
    );
    assert_ne!(
        first_id, second_id,
        "contract check {CHECK}: genre 77 under two parents needs two categories"
    );

    let categories = list(store, CHECK).await;
    assert_eq!(
        categories.len(),
        2,
        "contract check {CHECK}: {categories:?}"
    );
    let first_path = find_by_id(&categories, first_id, CHECK).genre_path;
    let second_path = find_by_id(&categories, second_id, CHECK).genre_path;
    assert_eq!(
        first_path,
        vec![GenreId(10), GenreId(77)],
        "contract check {CHECK}: first path"
    );
    assert_eq!(
        second_path,
        vec![GenreId(20), GenreId(77)],
        "contract check {CHECK}: second path"
    );
}

pub(super) async fn missing_id_is_not_found(store: &dyn CartStore) {
    const CHECK: &str = "category missing id is NotFound";
    let draft = sample_category(&[5003], "Fiction");
    let id = expect_ok(
        CHECK,
        "create_category",
        store.create_category(&draft).await,
    );
    let missing = CategoryId(id.get() + 1000);

    match store.update_category(missing, &draft).await {
        Err(error) => assert_eq!(
            error.kind(),
            StoreErrorKind::NotFound,
            "contract check {CHECK}: update_category of {missing}: {error}"
        ),
        Ok(()) => panic!("contract check {CHECK}: update_category of {missing} succeeded"),
    }
    match store.disable_category(missing).await {
        Err(error) => assert_eq!(
            error.kind(),
            StoreErrorKind::NotFound,
            "contract check {CHECK}: disable_category of {missing}: {error}"
        ),
        Ok(()) => panic!("contract check {CHECK}: disable_category of {missing} succeeded"),
    }
    let categories = list(store, CHECK).await;
    assert_eq!(
        categories,
        vec![StoredCategory::new(id, &draft)],
        "contract check {CHECK}: the existing category is untouched"
    );
}
