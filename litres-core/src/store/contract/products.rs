//! Contract checks of product calls.

use super::expect_ok;
use super::samples::sample_product;
use crate::model::{ArtId, CategoryId, Price, ProductId};
use crate::store::{CartStore, ProductStatus, StoreErrorKind};
use crate::time::MoscowTime;

pub(super) async fn create_then_find(store: &dyn CartStore) {
    const CHECK: &str = "product create then find";
    let draft = sample_product(ArtId(10_315_207));
    let id = expect_ok(CHECK, "create_product", store.create_product(&draft).await);

    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    let Some(found) = found else {
        panic!(
            "contract check {CHECK}: art id {} not found after create",
            draft.art_id
        );
    };
    assert_eq!(found.id, id, "contract check {CHECK}: product id");
    assert_eq!(
        found.content_hash, draft.content_hash,
        "contract check {CHECK}: content hash"
    );
    assert_eq!(
        found.cover_url, draft.cover_url,
        "contract check {CHECK}: cover address"
    );
    assert_eq!(
        found.status,
        ProductStatus::Active,
        "contract check {CHECK}: status"
    );
    assert_eq!(
        found.source_updated, draft.source_updated,
        "contract check {CHECK}: LitRes change time"
    );
}

pub(super) async fn find_unknown_is_none(store: &dyn CartStore) {
    const CHECK: &str = "product find unknown art id";
    let draft = sample_product(ArtId(1));
    expect_ok(CHECK, "create_product", store.create_product(&draft).await);

    let found = expect_ok(CHECK, "find_product", store.find_product(ArtId(2)).await);
    assert_eq!(
        found, None,
        "contract check {CHECK}: art id 2 was never created"
    );
}

pub(super) async fn update_overwrites(store: &dyn CartStore) {
    const CHECK: &str = "product update overwrites";
    let mut draft = sample_product(ArtId(20));
    let id = expect_ok(CHECK, "create_product", store.create_product(&draft).await);

    draft.name = "Renamed book".to_owned();
    draft.price = Price::from_kopecks(25_050);
    draft.category_ids = vec![CategoryId(7), CategoryId(8)];
    draft.main_category = Some(CategoryId(7));
    draft.content_hash = "hash-20-v2".to_owned();
    draft.cover_url = Some("https://covers.example/20-new.jpg".to_owned());
    draft.status = ProductStatus::Disabled;
    let update = store.update_product(id, &draft, true).await;
    expect_ok(CHECK, "update_product", update);

    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    let Some(found) = found else {
        panic!("contract check {CHECK}: art id 20 not found after update");
    };
    assert_eq!(found.id, id, "contract check {CHECK}: product id");
    assert_eq!(
        found.content_hash, "hash-20-v2",
        "contract check {CHECK}: content hash"
    );
    assert_eq!(
        found.cover_url.as_deref(),
        Some("https://covers.example/20-new.jpg"),
        "contract check {CHECK}: cover address"
    );
    assert_eq!(
        found.status,
        ProductStatus::Disabled,
        "contract check {CHECK}: status"
    );

    // An update that re-enables the product and drops the cover.
    draft.status = ProductStatus::Active;
    draft.cover_url = None;
    draft.content_hash = "hash-20-v3".to_owned();
    let update = store.update_product(id, &draft, false).await;
    expect_ok(CHECK, "second update_product", update);
    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    let found = found.map(|product| (product.status, product.cover_url, product.content_hash));
    assert_eq!(
        found,
        Some((ProductStatus::Active, None, "hash-20-v3".to_owned())),
        "contract check {CHECK}: status, cover and hash after the second update"
    );
}

pub(super) async fn disable_keeps_findable(store: &dyn CartStore) {
    const CHECK: &str = "product disable keeps it findable";
    let draft = sample_product(ArtId(30));
    let id = expect_ok(CHECK, "create_product", store.create_product(&draft).await);
    let removed_at = MoscowTime::parse("2026-11-21 09:00:00").ok();
    expect_ok(
        CHECK,
        "disable_product",
        store.disable_product(id, removed_at).await,
    );

    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    let Some(found) = found else {
        panic!("contract check {CHECK}: art id 30 not found after disable");
    };
    assert_eq!(found.id, id, "contract check {CHECK}: product id");
    assert_eq!(
        found.status,
        ProductStatus::Disabled,
        "contract check {CHECK}: status"
    );
    assert_eq!(
        found.content_hash, draft.content_hash,
        "contract check {CHECK}: disabling keeps the content hash"
    );
    assert_eq!(
        found.source_updated, removed_at,
        "contract check {CHECK}: disabling stores the removal time"
    );
}

pub(super) async fn distinct_art_ids_get_distinct_ids(store: &dyn CartStore) {
    const CHECK: &str = "product ids are distinct";
    let mut ids = Vec::new();
    for art_id in [41, 42, 43] {
        let draft = sample_product(ArtId(art_id));
        ids.push(expect_ok(
            CHECK,
            "create_product",
            store.create_product(&draft).await,
        ));
    }
    for (art_id, id) in [41, 42, 43].into_iter().zip(&ids) {
        let found = expect_ok(
            CHECK,
            "find_product",
            store.find_product(ArtId(art_id)).await,
        );
        assert_eq!(
            found.map(|product| product.id),
            Some(*id),
            "contract check {CHECK}: product of art id {art_id}"
        );
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "contract check {CHECK}: ids {ids:?}");
}

pub(super) async fn missing_id_is_not_found(store: &dyn CartStore) {
    const CHECK: &str = "product missing id is NotFound";
    let draft = sample_product(ArtId(50));
    let id = expect_ok(CHECK, "create_product", store.create_product(&draft).await);
    let missing = ProductId(id.get() + 1000);

    match store.update_product(missing, &draft, false).await {
        Err(error) => assert_eq!(
            error.kind(),
            StoreErrorKind::NotFound,
            "contract check {CHECK}: update_product of {missing}: {error}"
        ),
        Ok(()) => panic!("contract check {CHECK}: update_product of {missing} succeeded"),
    }
    match store.disable_product(missing, None).await {
        Err(error) => assert_eq!(
            error.kind(),
            StoreErrorKind::NotFound,
            "contract check {CHECK}: disable_product of {missing}: {error}"
        ),
        Ok(()) => panic!("contract check {CHECK}: disable_product of {missing} succeeded"),
    }
    let found = expect_ok(
        CHECK,
        "find_product",
        store.find_product(draft.art_id).await,
    );
    assert_eq!(
        found.map(|product| (product.status, product.content_hash)),
        Some((ProductStatus::Active, draft.content_hash)),
        "contract check {CHECK}: the existing product is untouched"
    );
}
