//! The store contract on the in-memory reference store, and what only
//! `MemoryStore` offers: its inspection methods.

use litres_core::store::contract::Transactions;
use litres_core::store::contract::{
    run_contract_suite, run_order_contract_suite, sample_category, sample_orders, sample_product,
};
use litres_core::store::{CartStore, MemoryStore, OrderStore, ProductStatus, StoreErrorKind};
use litres_core::{ArtId, MoscowTime, OrderId, WorkType};

#[tokio::test]
async fn memory_store_passes_contract() {
    run_contract_suite(Transactions::Atomic, || async { MemoryStore::new() }).await;
}

#[tokio::test]
async fn memory_store_passes_order_contract() {
    run_order_contract_suite(|| async {
        let store = MemoryStore::new();
        for order in sample_orders() {
            store.insert_order(&order).unwrap();
        }
        store
    })
    .await;
}

#[tokio::test]
async fn memory_insert_order_rejects_duplicates() {
    let store = MemoryStore::new();
    let order = sample_orders().remove(0);
    store.insert_order(&order).unwrap();
    let again = store.insert_order(&order).unwrap_err();
    assert_eq!(again.kind(), StoreErrorKind::Rejected);
    let mut doubled = sample_orders().remove(1);
    doubled.lines.push(doubled.lines[0].clone());
    let error = store.insert_order(&doubled).unwrap_err();
    assert!(error.message().contains("twice"), "{error}");
}

#[tokio::test]
async fn window_abort_keeps_orders() {
    let store = MemoryStore::new();
    store.begin_window().await.unwrap();
    store.insert_order(&sample_orders()[0]).unwrap();
    store.abort_window().await.unwrap();
    assert!(store.load_order(OrderId(1)).await.unwrap().is_some());
}

#[tokio::test]
async fn write_count_counts_successful_writes() {
    let store = MemoryStore::new();
    let category = store
        .create_category(&sample_category(&[1], "Top"))
        .await
        .unwrap();
    store.disable_category(category).await.unwrap();
    let draft = sample_product(ArtId(5));
    let product = store.create_product(&draft).await.unwrap();
    store.update_product(product, &draft, false).await.unwrap();
    store.disable_product(product, None).await.unwrap();
    assert_eq!(store.write_count(), 5);

    store.find_product(draft.art_id).await.unwrap();
    store.genre_categories().await.unwrap();
    store.load_checkpoint(&WorkType::Text).await.unwrap();
    let missing = store
        .disable_product(litres_core::ProductId(99), None)
        .await;
    assert!(missing.is_err());
    assert_eq!(
        store.write_count(),
        5,
        "reads and failed writes count nothing"
    );
}

#[tokio::test]
async fn inspection_shows_written_drafts() {
    let store = MemoryStore::new();
    let draft = sample_product(ArtId(7));
    let id = store.create_product(&draft).await.unwrap();
    store.update_product(id, &draft, true).await.unwrap();
    store.disable_product(id, None).await.unwrap();

    let products = store.products();
    assert_eq!(products.len(), 1);
    assert_eq!(products[0].id, id);
    assert_eq!(products[0].draft, draft);
    assert_eq!(products[0].status, ProductStatus::Disabled);
    assert_eq!(
        products[0].cover_sends, 2,
        "create with a cover, then update with send_cover"
    );

    let category = sample_category(&[3, 4], "Child");
    let category_id = store.create_category(&category).await.unwrap();
    let categories = store.categories();
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0].id, category_id);
    assert_eq!(categories[0].draft, category);
}

#[tokio::test]
async fn checkpoints_lists_committed_windows() {
    let store = MemoryStore::new();
    let time = MoscowTime::parse("2024-01-02 03:04:05").unwrap();
    store.begin_window().await.unwrap();
    assert!(store.is_window_open());
    store.commit_window(&WorkType::Audio, time).await.unwrap();
    assert!(!store.is_window_open());
    let checkpoints = store.checkpoints();
    assert_eq!(checkpoints.len(), 1);
    assert_eq!(checkpoints.get(&WorkType::Audio), Some(&time));
}

#[tokio::test]
async fn duplicate_art_id_is_rejected() {
    let store = MemoryStore::new();
    let draft = sample_product(ArtId(8));
    store.create_product(&draft).await.unwrap();
    let error = store.create_product(&draft).await.unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Rejected);
    assert!(error.message().contains("art id 8"), "{error}");
    assert_eq!(store.products().len(), 1);
}

#[tokio::test]
async fn duplicate_genre_path_is_rejected() {
    let store = MemoryStore::new();
    let draft = sample_category(&[5003, 5047], "Fantasy");
    store.create_category(&draft).await.unwrap();
    let error = store.create_category(&draft).await.unwrap_err();
    assert_eq!(error.kind(), StoreErrorKind::Rejected);
    assert!(error.message().contains("5003/5047"), "{error}");
}

#[tokio::test]
async fn nested_begin_window_is_rejected() {
    let store = MemoryStore::new();
    store.begin_window().await.unwrap();
    let error = store.begin_window().await.unwrap_err();
    assert!(error.message().contains("abort_window"), "{error}");
    store.abort_window().await.unwrap();
    store.begin_window().await.unwrap();
}

#[tokio::test]
#[should_panic(expected = "abort_window after begin_window (None)")]
async fn contract_fails_on_wrong_rollback_expectation() {
    // MemoryStore rolls back, so expecting kept writes must fail the suite.
    run_contract_suite(Transactions::None, || async { MemoryStore::new() }).await;
}
