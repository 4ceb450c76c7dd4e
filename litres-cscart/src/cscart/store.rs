//! [`CsCartStore`]: the [`CartStore`] calls as CS-Cart REST requests.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use async_trait::async_trait;
use litres_core::settings::Settings;
use litres_core::store::{
    CartStore, CategoryDraft, ProductDraft, ProductStatus, StoreError, StoreErrorKind,
    StoredCategory, StoredProduct,
};
use litres_core::{ArtId, CategoryId, MoscowTime, OrderId, ProductId, WorkType};
use reqwest::Method;
use serde_json::{json, Value};

use super::client::{RestClient, RestError};
use super::files::sync_files;
use super::json::{field_text, field_u64};
use super::mapping::{self, FeatureMap};
use super::settings_check::check_with_client;
use super::CsCartConfig;
use crate::sqlite::SqliteStore;

/// A store that writes to CS-Cart over its REST API.
///
/// Build it with [`CsCartStore::connect`], which checks the settings first.
#[derive(Debug)]
pub struct CsCartStore {
    client: RestClient,
    state: SqliteStore,
    features: FeatureMap,
    genre_root: Option<CategoryId>,
    vendor_id: u64,
    create_attempts: u32,
    /// Shop categories adopted by name in this run, so two tree positions
    /// never take the same category.
    adopted: Mutex<HashSet<u64>>,
    /// Product ids of the orders loaded by this process, so saving a sale
    /// state does not read the order from the shop again.
    order_lines: Mutex<HashMap<OrderId, HashSet<ProductId>>>,
}

impl CsCartStore {
    /// Checks the settings against the shop, then opens the state file.
    ///
    /// # Errors
    ///
    /// `Config` for wrong settings (see [`super::check_settings`]) or a state
    /// file that cannot be opened; other kinds when CS-Cart cannot be read.
    /// Nothing is written to the shop on failure.
    pub async fn connect(config: CsCartConfig, settings: &Settings) -> Result<Self, StoreError> {
        let client = config.client()?;
        let features = check_with_client(&client, settings).await?;
        let state = SqliteStore::open(&config.state_path)?;
        Ok(Self {
            client,
            state,
            features,
            genre_root: (settings.genre_category_id != 0)
                .then_some(CategoryId(settings.genre_category_id)),
            vendor_id: settings.vendor_id,
            create_attempts: config.create_attempts.max(1),
            adopted: Mutex::default(),
            order_lines: Mutex::default(),
        })
    }

    /// Returns the features the settings check found.
    pub fn features(&self) -> &FeatureMap {
        &self.features
    }

    pub(crate) fn client(&self) -> &RestClient {
        &self.client
    }

    pub(crate) fn state(&self) -> &SqliteStore {
        &self.state
    }

    /// Records the product ids of a loaded order.
    pub(crate) fn remember_lines(&self, order: OrderId, products: impl Iterator<Item = ProductId>) {
        if let Ok(mut known) = self.order_lines.lock() {
            known.insert(order, products.collect());
        }
    }

    /// Returns the product ids of an order loaded by this process.
    pub(crate) fn known_lines(&self, order: OrderId) -> Option<HashSet<ProductId>> {
        self.order_lines
            .lock()
            .ok()
            .and_then(|known| known.get(&order).cloned())
    }

    /// Saves what a product was written from, with the book's external id.
    fn save_written(&self, id: ProductId, draft: &ProductDraft) -> Result<(), StoreError> {
        self.state
            .save_remote_product(draft.art_id, &stored_from_draft(id, draft))?;
        self.state
            .save_remote_external_id(draft.art_id, &draft.external_id)
    }

    /// Finds the shop's product with the exact code of a book. The `pcode`
    /// filter matches substrings and codes are not unique, so the list is
    /// filtered again here; with several matches the oldest wins.
    async fn find_remote_product(&self, art_id: ArtId) -> Result<Option<Value>, StoreError> {
        let code = mapping::product_code(art_id);
        let mut filters = vec![("pcode", code.clone())];
        if self.vendor_id != 0 {
            filters.push(("company_id", self.vendor_id.to_string()));
        }
        let action = format!("finding the product with code {code}");
        let products = self
            .client
            .list("products", "products", &filters)
            .await
            .map_err(|error| error.into_store(&action))?;
        let mut matches: Vec<Value> = products
            .into_iter()
            .filter(|product| field_text(product, "product_code").as_deref() == Some(&code))
            .filter(|product| {
                self.vendor_id == 0 || field_u64(product, "company_id") == Some(self.vendor_id)
            })
            .collect();
        matches.sort_by_key(|product| field_u64(product, "product_id").unwrap_or(u64::MAX));
        if matches.len() > 1 {
            tracing::warn!(%code, count = matches.len(), "several CS-Cart products share a code; using the oldest");
        }
        Ok(matches.into_iter().next())
    }

    /// Creates a product. When the response is lost, it looks for the
    /// product by its exact code before trying again, so a retry never
    /// duplicates it.
    async fn post_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        let body = mapping::product_body(draft, &self.features, self.genre_root, true);
        let action = format!("creating the product of art id {}", draft.art_id);
        let mut attempt = 1;
        loop {
            let error = match self
                .client
                .send(Method::POST, "products", &[], Some(&body))
                .await
            {
                Ok(response) => return read_id(&response, "product_id", &action).map(ProductId),
                Err(error) => error,
            };
            if !error.may_have_written() {
                return Err(error.into_store(&action));
            }
            tracing::warn!(art_id = %draft.art_id, attempt, ?error, "product create got no response; looking it up by code");
            if let Some(found) = self.find_remote_product(draft.art_id).await? {
                return read_id(&found, "product_id", &action).map(ProductId);
            }
            if attempt >= self.create_attempts {
                return Err(error.into_store(&action));
            }
            attempt += 1;
        }
    }

    /// Looks for an existing shop category with the draft's name under the
    /// draft's parent that no genre path owns yet.
    async fn find_remote_category(&self, draft: &CategoryDraft) -> Result<Option<u64>, StoreError> {
        let parent = draft.parent.map(CategoryId::get).unwrap_or(0);
        let action = format!("listing the categories under {parent}");
        // NOTE: the parent filter is applied again below, in case a CS-Cart
        // version ignores `parent_id` in the list call.
        let categories = self
            .client
            .list(
                "categories",
                "categories",
                &[("parent_id", parent.to_string())],
            )
            .await
            .map_err(|error| error.into_store(&action))?;
        let adopted = self
            .adopted
            .lock()
            .map(|set| set.clone())
            .unwrap_or_default();
        let name = draft.name.trim();
        for category in &categories {
            let Some(id) = field_u64(category, "category_id") else {
                continue;
            };
            let same = field_u64(category, "parent_id") == Some(parent)
                && field_text(category, "category").as_deref().map(str::trim) == Some(name);
            if !same || adopted.contains(&id) {
                continue;
            }
            if !self.state.remote_category_is_mapped(CategoryId(id))? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    async fn put(&self, path: &str, body: &Value, action: &str) -> Result<(), StoreError> {
        self.client
            .send_idempotent(Method::PUT, path, &[], Some(body))
            .await
            .map(|_| ())
            .map_err(|error| RestError::into_store(error, action))
    }
}

/// Reads the id CS-Cart returned under `key`.
fn read_id(response: &Value, key: &str, action: &str) -> Result<u64, StoreError> {
    field_u64(response, key).ok_or_else(|| {
        StoreError::new(
            StoreErrorKind::Corrupt,
            format!("{action}: the CS-Cart response has no {key}: {response}"),
        )
    })
}

fn stored_from_draft(id: ProductId, draft: &ProductDraft) -> StoredProduct {
    StoredProduct::new(
        id,
        draft.content_hash.clone(),
        draft.cover_url.clone(),
        draft.status,
    )
    .with_source_updated(draft.source_updated)
}

#[async_trait]
impl CartStore for CsCartStore {
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        self.state.remote_categories()
    }

    async fn create_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        let body = mapping::category_body(draft);
        let id = match self.find_remote_category(draft).await? {
            Some(id) => {
                tracing::info!(category = id, name = %draft.name, "reusing the CS-Cart category of the same name");
                let action = format!("updating category {id}");
                self.put(&format!("categories/{id}"), &body, &action)
                    .await?;
                id
            }
            None => {
                let action = format!("creating category {:?}", draft.name);
                let response = self
                    .client
                    .send(Method::POST, "categories", &[], Some(&body))
                    .await
                    .map_err(|error| error.into_store(&action))?;
                read_id(&response, "category_id", &action)?
            }
        };
        if let Ok(mut adopted) = self.adopted.lock() {
            adopted.insert(id);
        }
        let id = CategoryId(id);
        self.state
            .save_remote_category(&StoredCategory::new(id, draft))?;
        Ok(id)
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError> {
        let action = format!("updating category {id}");
        let path = format!("categories/{}", id.get());
        self.put(&path, &mapping::category_body(draft), &action)
            .await?;
        self.state
            .save_remote_category(&StoredCategory::new(id, draft))
    }

    async fn disable_category(&self, id: CategoryId) -> Result<(), StoreError> {
        let action = format!("disabling category {id}");
        let path = format!("categories/{}", id.get());
        self.put(&path, &json!({"status": "D"}), &action).await?;
        self.state.disable_remote_category(id)
    }

    async fn find_product(&self, art_id: ArtId) -> Result<Option<StoredProduct>, StoreError> {
        if let Some(product) = self.state.remote_product(art_id)? {
            return Ok(Some(product));
        }
        let Some(found) = self.find_remote_product(art_id).await? else {
            return Ok(None);
        };
        let action = format!("finding the product of art id {art_id}");
        let id = ProductId(read_id(&found, "product_id", &action)?);
        let status = match field_text(&found, "status").as_deref() {
            Some("A") => ProductStatus::Active,
            _ => ProductStatus::Disabled,
        };
        // The hash is unknown, so the next record for this book is written
        // in full once. After that the state file stores it again.
        let product = StoredProduct::new(id, "", None, status);
        self.state.save_remote_product(art_id, &product)?;
        Ok(Some(product))
    }

    async fn create_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        let id = self.post_product(draft).await?;
        sync_files(&self.client, id, draft).await?;
        self.save_written(id, draft)?;
        Ok(id)
    }

    async fn update_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
        send_cover: bool,
    ) -> Result<(), StoreError> {
        let body = mapping::product_body(draft, &self.features, self.genre_root, send_cover);
        let action = format!("updating product {id} (art id {})", draft.art_id);
        self.put(&format!("products/{}", id.get()), &body, &action)
            .await?;
        sync_files(&self.client, id, draft).await?;
        self.save_written(id, draft)
    }

    async fn disable_product(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError> {
        let action = format!("disabling product {id}");
        let path = format!("products/{}", id.get());
        self.put(&path, &json!({"status": "D"}), &action).await?;
        let (art_id, mut product) = match self.state.remote_product_by_id(id)? {
            Some(known) => known,
            None => {
                let response = self
                    .client
                    .send_idempotent(Method::GET, &path, &[], None)
                    .await
                    .map_err(|error| error.into_store(&action))?;
                let code = field_text(&response, "product_code").unwrap_or_default();
                let Some(art_id) = mapping::art_id_from_code(&code) else {
                    tracing::warn!(product = %id, %code, "disabled a product whose code is not a LitRes code");
                    return Ok(());
                };
                (
                    art_id,
                    StoredProduct::new(id, "", None, ProductStatus::Disabled),
                )
            }
        };
        product.status = ProductStatus::Disabled;
        if changed_at.is_some() {
            product.source_updated = changed_at;
        }
        self.state.save_remote_product(art_id, &product)
    }

    async fn load_checkpoint(
        &self,
        work_type: &WorkType,
    ) -> Result<Option<MoscowTime>, StoreError> {
        self.state.load_checkpoint(work_type).await
    }

    async fn begin_window(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn commit_window(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        // No window is open in the state database, so this saves the
        // checkpoint at once.
        self.state.commit_window(work_type, checkpoint).await
    }

    async fn abort_window(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
