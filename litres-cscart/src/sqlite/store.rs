//! [`CartStore`] for [`SqliteStore`], delegating to the table modules.

use async_trait::async_trait;
use litres_core::store::{
    CartStore, CategoryDraft, ProductDraft, StoreError, StoredCategory, StoredProduct,
};
use litres_core::{ArtId, CategoryId, MoscowTime, ProductId, WorkType};

use super::SqliteStore;

#[async_trait]
impl CartStore for SqliteStore {
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        self.list_categories()
    }

    async fn create_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        self.insert_category(draft)
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError> {
        self.overwrite_category(id, draft)
    }

    async fn disable_category(&self, id: CategoryId) -> Result<(), StoreError> {
        self.set_category_disabled(id)
    }

    async fn find_product(&self, art_id: ArtId) -> Result<Option<StoredProduct>, StoreError> {
        self.select_product(art_id)
    }

    async fn create_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        self.insert_product(draft)
    }

    async fn update_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
        _send_cover: bool,
    ) -> Result<(), StoreError> {
        self.overwrite_product(id, draft)
    }

    async fn disable_product(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError> {
        self.set_product_disabled(id, changed_at)
    }

    async fn load_checkpoint(
        &self,
        work_type: &WorkType,
    ) -> Result<Option<MoscowTime>, StoreError> {
        self.select_checkpoint(work_type)
    }

    async fn begin_window(&self) -> Result<(), StoreError> {
        self.begin_transaction()
    }

    async fn commit_window(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        self.commit_transaction(work_type, checkpoint)
    }

    async fn abort_window(&self) -> Result<(), StoreError> {
        self.roll_back_transaction()
    }
}
