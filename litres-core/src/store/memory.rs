//! An in-memory store: the reference implementation of [`CartStore`].

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use super::{
    CartStore, CategoryDraft, ProductDraft, ProductStatus, StoreError, StoreErrorKind,
    StoredCategory, StoredProduct,
};
use crate::model::{path_key, ArtId, CategoryId, ProductId, WorkType};
use crate::time::MoscowTime;

/// A category as [`MemoryStore`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemoryCategory {
    /// Store id.
    pub id: CategoryId,
    /// The draft last written; `genre_path` is the one it was created with.
    pub draft: CategoryDraft,
}

/// A product as [`MemoryStore`] keeps it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MemoryProduct {
    /// Store id.
    pub id: ProductId,
    /// The draft last written.
    pub draft: ProductDraft,
    /// Current status; `disable_product` changes it without a new draft.
    pub status: ProductStatus,
    /// Number of writes that sent the cover: a create with a cover address,
    /// or an update with `send_cover` set.
    pub cover_sends: u32,
}

/// An in-memory [`CartStore`] that behaves like a transactional database.
///
/// Writes between [`CartStore::begin_window`] and
/// [`CartStore::abort_window`] are rolled back, as SQLite would do, and
/// the ids they took are given out again. Ids start at 1. The inspection
/// methods let tests check what an update wrote.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use litres_core::store::{CartStore, CategoryDraft, MemoryStore};
/// use litres_core::GenreId;
///
/// let store = MemoryStore::new();
/// let draft = CategoryDraft::new(vec![GenreId(5003)], "Fiction", None);
/// let id = store.create_category(&draft).await.unwrap();
/// assert_eq!(store.genre_categories().await.unwrap()[0].id, id);
/// assert_eq!(store.write_count(), 1);
/// # });
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
pub(super) struct State {
    data: Data,
    /// Orders and notification states, kept outside `data` because a
    /// window rollback must not undo them.
    pub(super) orders: super::memory_orders::Orders,
    /// Copy of `data` taken by `begin_window`, restored by `abort_window`.
    snapshot: Option<Data>,
    write_count: u64,
}

#[derive(Debug, Default, Clone)]
struct Data {
    categories: BTreeMap<CategoryId, MemoryCategory>,
    products: BTreeMap<ProductId, MemoryProduct>,
    product_by_art_id: HashMap<ArtId, ProductId>,
    checkpoints: BTreeMap<WorkType, MoscowTime>,
    last_category_id: u64,
    last_product_id: u64,
}

impl MemoryStore {
    /// Makes an empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns every category in id order.
    pub fn categories(&self) -> Vec<MemoryCategory> {
        self.lock().data.categories.values().cloned().collect()
    }

    /// Returns every product in id order.
    pub fn products(&self) -> Vec<MemoryProduct> {
        self.lock().data.products.values().cloned().collect()
    }

    /// Returns the saved checkpoint of each work type.
    pub fn checkpoints(&self) -> BTreeMap<WorkType, MoscowTime> {
        self.lock().data.checkpoints.clone()
    }

    /// Returns the number of create, update and disable calls that
    /// succeeded, rolled-back ones included, so a test can assert that an
    /// unchanged rerun writes nothing.
    pub fn write_count(&self) -> u64 {
        self.lock().write_count
    }

    /// Returns true between `begin_window` and `commit_window` or
    /// `abort_window`.
    pub fn is_window_open(&self) -> bool {
        self.lock().snapshot.is_some()
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave `State` half-written
        // in a way later calls trip over, so the poison flag is ignored.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn category_not_found(id: CategoryId) -> StoreError {
    StoreError::new(
        StoreErrorKind::NotFound,
        format!("category {id} not found in the memory store; run the genre update first"),
    )
}

fn product_not_found(id: ProductId) -> StoreError {
    StoreError::new(
        StoreErrorKind::NotFound,
        format!("product {id} not found in the memory store"),
    )
}

#[async_trait]
impl CartStore for MemoryStore {
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        let state = self.lock();
        let categories = state.data.categories.values();
        Ok(categories
            .map(|category| StoredCategory::new(category.id, &category.draft))
            .collect())
    }

    async fn create_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        let mut state = self.lock();
        let data = &mut state.data;
        let taken = data
            .categories
            .values()
            .any(|category| category.draft.genre_path == draft.genre_path);
        if taken {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                format!(
                    "a category for genre path {} already exists; update it instead",
                    path_key(&draft.genre_path)
                ),
            ));
        }
        data.last_category_id += 1;
        let id = CategoryId(data.last_category_id);
        let draft = draft.clone();
        data.categories.insert(id, MemoryCategory { id, draft });
        state.write_count += 1;
        Ok(id)
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let category = state
            .data
            .categories
            .get_mut(&id)
            .ok_or_else(|| category_not_found(id))?;
        // The genre path is the category's identity and stays as created.
        let genre_path = std::mem::take(&mut category.draft.genre_path);
        category.draft = CategoryDraft {
            genre_path,
            ..draft.clone()
        };
        state.write_count += 1;
        Ok(())
    }

    async fn disable_category(&self, id: CategoryId) -> Result<(), StoreError> {
        let mut state = self.lock();
        let category = state
            .data
            .categories
            .get_mut(&id)
            .ok_or_else(|| category_not_found(id))?;
        category.draft.enabled = false;
        state.write_count += 1;
        Ok(())
    }

    async fn find_product(&self, art_id: ArtId) -> Result<Option<StoredProduct>, StoreError> {
        let state = self.lock();
        let data = &state.data;
        let found = data
            .product_by_art_id
            .get(&art_id)
            .and_then(|id| data.products.get(id));
        Ok(found.map(|product| {
            StoredProduct::new(
                product.id,
                product.draft.content_hash.clone(),
                product.draft.cover_url.clone(),
                product.status,
            )
            .with_source_updated(product.draft.source_updated)
        }))
    }

    async fn create_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        let mut state = self.lock();
        let data = &mut state.data;
        if let Some(existing) = data.product_by_art_id.get(&draft.art_id) {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                format!(
                    "art id {} already has product {existing}; update that product instead",
                    draft.art_id
                ),
            ));
        }
        data.last_product_id += 1;
        let id = ProductId(data.last_product_id);
        let product = MemoryProduct {
            id,
            draft: draft.clone(),
            status: draft.status,
            cover_sends: u32::from(draft.cover_url.is_some()),
        };
        data.products.insert(id, product);
        data.product_by_art_id.insert(draft.art_id, id);
        state.write_count += 1;
        Ok(id)
    }

    async fn update_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
        send_cover: bool,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let data = &mut state.data;
        let product = data
            .products
            .get_mut(&id)
            .ok_or_else(|| product_not_found(id))?;
        let old_art_id = product.draft.art_id;
        product.draft = draft.clone();
        product.status = draft.status;
        product.cover_sends += u32::from(send_cover);
        if old_art_id != draft.art_id {
            data.product_by_art_id.remove(&old_art_id);
            data.product_by_art_id.insert(draft.art_id, id);
        }
        state.write_count += 1;
        Ok(())
    }

    async fn disable_product(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let product = state
            .data
            .products
            .get_mut(&id)
            .ok_or_else(|| product_not_found(id))?;
        product.status = ProductStatus::Disabled;
        if changed_at.is_some() {
            product.draft.source_updated = changed_at;
        }
        state.write_count += 1;
        Ok(())
    }

    async fn load_checkpoint(
        &self,
        work_type: &WorkType,
    ) -> Result<Option<MoscowTime>, StoreError> {
        Ok(self.lock().data.checkpoints.get(work_type).copied())
    }

    async fn begin_window(&self) -> Result<(), StoreError> {
        let mut state = self.lock();
        if state.snapshot.is_some() {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                "begin_window called while a window is open; \
                 call commit_window or abort_window first",
            ));
        }
        state.snapshot = Some(state.data.clone());
        Ok(())
    }

    async fn commit_window(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        state.data.checkpoints.insert(work_type.clone(), checkpoint);
        state.snapshot = None;
        Ok(())
    }

    async fn abort_window(&self) -> Result<(), StoreError> {
        let mut state = self.lock();
        if let Some(snapshot) = state.snapshot.take() {
            state.data = snapshot;
        }
        Ok(())
    }
}
