//! Rows that map a remote shop's records to LitRes books and genre tree
//! positions, for the CS-Cart REST store's local state.

use litres_core::store::{
    CategoryDraft, ProductStatus, StoreError, StoreErrorKind, StoredCategory, StoredProduct,
};
use litres_core::{path_key, ArtId, CategoryId, MoscowTime, ProductId};
use rusqlite::{params, OptionalExtension, Row};

use super::SqliteStore;

/// A `remote_products` row as read, before conversion.
struct ProductRow {
    art_id: i64,
    product_id: i64,
    content_hash: String,
    cover_url: Option<String>,
    status: String,
    source_updated: Option<String>,
}

impl ProductRow {
    const COLUMNS: &'static str =
        "art_id, product_id, content_hash, cover_url, status, source_updated";

    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            art_id: row.get(0)?,
            product_id: row.get(1)?,
            content_hash: row.get(2)?,
            cover_url: row.get(3)?,
            status: row.get(4)?,
            source_updated: row.get(5)?,
        })
    }
}

impl SqliteStore {
    /// Returns the remote product written for a book.
    pub(crate) fn remote_product(
        &self,
        art_id: ArtId,
    ) -> Result<Option<StoredProduct>, StoreError> {
        let sql = format!(
            "SELECT {} FROM remote_products WHERE art_id = ?1",
            ProductRow::COLUMNS
        );
        let key = self.write_id("art id", art_id.get())?;
        let row = self.query_product(&sql, key, &format!("finding art id {art_id}"))?;
        row.map(|row| self.stored_product(row).map(|(_, product)| product))
            .transpose()
    }

    /// Returns the book and state of a remote product id.
    pub(crate) fn remote_product_by_id(
        &self,
        id: ProductId,
    ) -> Result<Option<(ArtId, StoredProduct)>, StoreError> {
        let sql = format!(
            "SELECT {} FROM remote_products WHERE product_id = ?1",
            ProductRow::COLUMNS
        );
        let key = self.write_id("product id", id.get())?;
        let row = self.query_product(&sql, key, &format!("finding product {id}"))?;
        row.map(|row| self.stored_product(row)).transpose()
    }

    fn query_product(
        &self,
        sql: &str,
        key: i64,
        action: &str,
    ) -> Result<Option<ProductRow>, StoreError> {
        let connection = self.lock();
        connection
            .query_row(sql, [key], ProductRow::read)
            .optional()
            .map_err(|error| self.fail(action, error))
    }

    fn stored_product(&self, row: ProductRow) -> Result<(ArtId, StoredProduct), StoreError> {
        let art_id = ArtId(self.read_id("art id", row.art_id)?);
        let id = ProductId(self.read_id("product id", row.product_id)?);
        let status = match row.status.as_str() {
            "active" => ProductStatus::Active,
            "disabled" => ProductStatus::Disabled,
            other => {
                return Err(StoreError::new(
                    StoreErrorKind::Corrupt,
                    format!(
                        "state database {} contains product {id} with an invalid status \
                         {other:?}; delete the file to rebuild it from the shop",
                        self.path
                    ),
                ))
            }
        };
        let source_updated = match row.source_updated {
            Some(text) => Some(MoscowTime::parse(&text).map_err(|error| {
                StoreError::new(
                    StoreErrorKind::Corrupt,
                    format!(
                        "state database {} contains product {id} with an invalid change \
                         time {text:?}; delete the file to rebuild it from the shop",
                        self.path
                    ),
                )
                .with_source(error)
            })?),
            None => None,
        };
        let product = StoredProduct::new(id, row.content_hash, row.cover_url, status)
            .with_source_updated(source_updated);
        Ok((art_id, product))
    }

    /// Saves what a remote product was last written from.
    pub(crate) fn save_remote_product(
        &self,
        art_id: ArtId,
        product: &StoredProduct,
    ) -> Result<(), StoreError> {
        let action = format!(
            "saving the state of product {} (art id {art_id})",
            product.id
        );
        let key = self.write_id("art id", art_id.get())?;
        let id = self.write_id("product id", product.id.get())?;
        let status = match product.status {
            ProductStatus::Active => "active",
            ProductStatus::Disabled => "disabled",
        };
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "INSERT INTO remote_products \
                 (art_id, product_id, content_hash, cover_url, status, source_updated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (art_id) DO UPDATE SET product_id = excluded.product_id, \
                 content_hash = excluded.content_hash, cover_url = excluded.cover_url, \
                 status = excluded.status, source_updated = excluded.source_updated",
                params![
                    key,
                    id,
                    product.content_hash,
                    product.cover_url,
                    status,
                    product.source_updated.map(|time| time.to_string()),
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }

    /// Returns every remote category kept for a genre tree position.
    pub(crate) fn remote_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        let action = "listing remote categories";
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached(
                "SELECT category_id, genre_path, name, parent_id, position, enabled \
                 FROM remote_categories ORDER BY category_id",
            )
            .map_err(|error| self.fail(action, error))?;
        let rows = statement
            .query_map([], |row| {
                let id: i64 = row.get(0)?;
                let path: String = row.get(1)?;
                let name: String = row.get(2)?;
                let parent: Option<i64> = row.get(3)?;
                let position: u32 = row.get(4)?;
                let enabled: bool = row.get(5)?;
                Ok((id, path, name, parent, position, enabled))
            })
            .map_err(|error| self.fail(action, error))?;
        let mut categories = Vec::new();
        for row in rows {
            let (id, path, name, parent, position, enabled) =
                row.map_err(|error| self.fail(action, error))?;
            let parent = parent
                .map(|parent| self.read_id("parent category id", parent).map(CategoryId))
                .transpose()?;
            let mut draft = CategoryDraft::new(self.parse_genre_path(&path)?, name, parent);
            draft.position = position;
            draft.enabled = enabled;
            categories.push(StoredCategory::new(
                CategoryId(self.read_id("category id", id)?),
                &draft,
            ));
        }
        Ok(categories)
    }

    /// Saves a remote category under its genre path.
    pub(crate) fn save_remote_category(&self, category: &StoredCategory) -> Result<(), StoreError> {
        let key = path_key(&category.genre_path);
        let action = format!("saving the state of category {} ({key})", category.id);
        let id = self.write_id("category id", category.id.get())?;
        let parent = category
            .parent
            .map(|parent| self.write_id("parent category id", parent.get()))
            .transpose()?;
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "INSERT INTO remote_categories \
                 (genre_path, category_id, name, parent_id, position, enabled) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (genre_path) DO UPDATE SET category_id = excluded.category_id, \
                 name = excluded.name, parent_id = excluded.parent_id, \
                 position = excluded.position, enabled = excluded.enabled",
                params![
                    key,
                    id,
                    category.name,
                    parent,
                    category.position,
                    category.enabled
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }

    /// Returns true when some genre path is mapped to the remote category.
    pub(crate) fn remote_category_is_mapped(&self, id: CategoryId) -> Result<bool, StoreError> {
        let action = format!("looking up category {id} in the state");
        let sql_id = self.write_id("category id", id.get())?;
        let connection = self.lock();
        connection
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM remote_categories WHERE category_id = ?1)",
                [sql_id],
                |row| row.get(0),
            )
            .map_err(|error| self.fail(&action, error))
    }

    /// Marks a remote category disabled; does nothing for an unknown id.
    pub(crate) fn disable_remote_category(&self, id: CategoryId) -> Result<(), StoreError> {
        let action = format!("saving the state of category {id}");
        let sql_id = self.write_id("category id", id.get())?;
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "UPDATE remote_categories SET enabled = 0 WHERE category_id = ?1",
                [sql_id],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }
}
