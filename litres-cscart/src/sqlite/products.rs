//! Product rows with their categories and files, found by art id.

use litres_core::store::{ProductDraft, ProductStatus, StoreError, StoreErrorKind, StoredProduct};
use litres_core::{ArtId, ExternalId, MoscowTime, ProductId};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

use super::SqliteStore;

const STATUS_ACTIVE: &str = "active";
const STATUS_DISABLED: &str = "disabled";

fn status_text(status: ProductStatus) -> &'static str {
    match status {
        ProductStatus::Active => STATUS_ACTIVE,
        ProductStatus::Disabled => STATUS_DISABLED,
    }
}

/// The draft's scalar columns, converted to SQLite values.
struct ProductColumns<'a> {
    art_id: i64,
    main_category: Option<i64>,
    vendor_id: i64,
    categories: Vec<i64>,
    authors_json: String,
    draft: &'a ProductDraft,
}

impl SqliteStore {
    /// Returns the LitRes external id stored with the product of an art id,
    /// or `None` when that book was never imported.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the database cannot be read.
    pub fn product_external_id(&self, art_id: ArtId) -> Result<Option<ExternalId>, StoreError> {
        let action = format!("reading the external id of art id {art_id}");
        let sql_art_id = self.write_id("art id", art_id.get())?;
        let connection = self.lock();
        connection
            .prepare_cached("SELECT external_id FROM products WHERE art_id = ?1")
            .and_then(|mut statement| {
                statement
                    .query_row([sql_art_id], |row| row.get::<_, String>(0))
                    .optional()
            })
            .map(|found| found.map(ExternalId::new))
            .map_err(|error| self.fail(&action, error))
    }

    pub(super) fn select_product(
        &self,
        art_id: ArtId,
    ) -> Result<Option<StoredProduct>, StoreError> {
        let action = format!("finding the product of art id {art_id}");
        let sql_art_id = self.write_id("art id", art_id.get())?;
        let connection = self.lock();
        let row = connection
            .prepare_cached(
                "SELECT id, content_hash, cover_url, status, source_updated \
                 FROM products WHERE art_id = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row([sql_art_id], |row| {
                        let id: i64 = row.get(0)?;
                        let hash: String = row.get(1)?;
                        let cover_url: Option<String> = row.get(2)?;
                        let status: String = row.get(3)?;
                        let source_updated: Option<String> = row.get(4)?;
                        Ok((id, hash, cover_url, status, source_updated))
                    })
                    .optional()
            })
            .map_err(|error| self.fail(&action, error))?;
        let Some((id, hash, cover_url, status, source_updated)) = row else {
            return Ok(None);
        };
        let id = ProductId(self.read_id("product id", id)?);
        let status = match status.as_str() {
            STATUS_ACTIVE => ProductStatus::Active,
            STATUS_DISABLED => ProductStatus::Disabled,
            other => {
                return Err(StoreError::new(
                    StoreErrorKind::Corrupt,
                    format!(
                        "SQLite database {} contains product {id} with an invalid status \
                         {other:?}; expected {STATUS_ACTIVE:?} or {STATUS_DISABLED:?}",
                        self.path
                    ),
                ))
            }
        };
        let source_updated = match source_updated {
            Some(text) => Some(MoscowTime::parse(&text).map_err(|error| {
                StoreError::new(
                    StoreErrorKind::Corrupt,
                    format!(
                        "SQLite database {} contains product {id} with an invalid change time: {error}",
                        self.path
                    ),
                )
            })?),
            None => None,
        };
        Ok(Some(
            StoredProduct::new(id, hash, cover_url, status).with_source_updated(source_updated),
        ))
    }

    /// Inserts a product with its categories and files as one savepoint, so
    /// a failure outside a window leaves no partial product behind.
    pub(super) fn insert_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        let action = format!("creating the product for art id {}", draft.art_id);
        let columns = self.product_columns(draft)?;
        let mut connection = self.lock_for_write()?;
        let savepoint = connection
            .savepoint()
            .map_err(|error| self.fail(&action, error))?;
        let inserted = savepoint
            .prepare_cached(
                "INSERT INTO products (art_id, external_id, work_type, name, description_html, \
             price_kopecks, status, main_category_id, authors_json, series, series_number, \
             isbn, cover_url, vendor_id, content_hash, source_updated) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    columns.art_id,
                    draft.external_id.as_str(),
                    draft.work_type.code(),
                    draft.name,
                    draft.description_html,
                    draft.price.kopecks(),
                    status_text(draft.status),
                    columns.main_category,
                    columns.authors_json,
                    draft.series,
                    draft.series_number,
                    draft.isbn,
                    draft.cover_url,
                    columns.vendor_id,
                    draft.content_hash,
                    draft.source_updated.map(|time| time.to_string()),
                ])
            });
        match inserted {
            Ok(_) => {}
            Err(error) if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                return Err(StoreError::new(
                    StoreErrorKind::Rejected,
                    format!(
                        "art id {} already has a product in SQLite database {}; \
                         update that product instead",
                        draft.art_id, self.path
                    ),
                )
                .with_source(error));
            }
            Err(error) => return Err(self.fail(&action, error)),
        }
        let row_id = savepoint.last_insert_rowid();
        replace_children(&savepoint, row_id, &columns)
            .map_err(|error| self.fail(&action, error))?;
        savepoint
            .commit()
            .map_err(|error| self.fail(&action, error))?;
        Ok(ProductId(self.read_id("product id", row_id)?))
    }

    /// Overwrites a product, its categories and its files as one savepoint.
    pub(super) fn overwrite_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
    ) -> Result<(), StoreError> {
        let action = format!("updating product {id} (art id {})", draft.art_id);
        let sql_id = self.write_id("product id", id.get())?;
        let columns = self.product_columns(draft)?;
        let mut connection = self.lock_for_write()?;
        let savepoint = connection
            .savepoint()
            .map_err(|error| self.fail(&action, error))?;
        let changed = savepoint
            .prepare_cached(
                "UPDATE products SET art_id = ?2, external_id = ?3, work_type = ?4, name = ?5, \
                 description_html = ?6, price_kopecks = ?7, status = ?8, main_category_id = ?9, \
                 authors_json = ?10, series = ?11, series_number = ?12, isbn = ?13, \
                 cover_url = ?14, vendor_id = ?15, content_hash = ?16, source_updated = ?17 \
                 WHERE id = ?1",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    sql_id,
                    columns.art_id,
                    draft.external_id.as_str(),
                    draft.work_type.code(),
                    draft.name,
                    draft.description_html,
                    draft.price.kopecks(),
                    status_text(draft.status),
                    columns.main_category,
                    columns.authors_json,
                    draft.series,
                    draft.series_number,
                    draft.isbn,
                    draft.cover_url,
                    columns.vendor_id,
                    draft.content_hash,
                    draft.source_updated.map(|time| time.to_string()),
                ])
            })
            .map_err(|error| self.fail(&action, error))?;
        if changed == 0 {
            return Err(self.not_found(&format!("product {id}")));
        }
        replace_children(&savepoint, sql_id, &columns)
            .map_err(|error| self.fail(&action, error))?;
        savepoint
            .commit()
            .map_err(|error| self.fail(&action, error))
    }

    pub(super) fn set_product_disabled(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError> {
        let action = format!("disabling product {id}");
        let sql_id = self.write_id("product id", id.get())?;
        let connection = self.lock_for_write()?;
        let changed = connection
            .execute(
                "UPDATE products SET status = ?2, \
                 source_updated = COALESCE(?3, source_updated) WHERE id = ?1",
                params![
                    sql_id,
                    STATUS_DISABLED,
                    changed_at.map(|time| time.to_string())
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        if changed == 0 {
            return Err(self.not_found(&format!("product {id}")));
        }
        Ok(())
    }

    fn product_columns<'a>(
        &self,
        draft: &'a ProductDraft,
    ) -> Result<ProductColumns<'a>, StoreError> {
        let main_category = match draft.main_category {
            Some(id) => Some(self.write_id("main category id", id.get())?),
            None => None,
        };
        let categories = draft
            .category_ids
            .iter()
            .map(|id| self.write_id("category id", id.get()))
            .collect::<Result<_, _>>()?;
        let authors_json = serde_json::to_string(&draft.authors).map_err(|error| {
            StoreError::new(
                StoreErrorKind::Rejected,
                format!(
                    "authors of art id {} cannot be written as JSON",
                    draft.art_id
                ),
            )
            .with_source(error)
        })?;
        Ok(ProductColumns {
            art_id: self.write_id("art id", draft.art_id.get())?,
            main_category,
            vendor_id: self.write_id("vendor id", draft.vendor_id)?,
            categories,
            authors_json,
            draft,
        })
    }
}

/// Replaces the category and file rows of product `row_id`.
fn replace_children(
    connection: &Connection,
    row_id: i64,
    columns: &ProductColumns<'_>,
) -> rusqlite::Result<()> {
    connection
        .prepare_cached("DELETE FROM product_categories WHERE product_id = ?1")?
        .execute([row_id])?;
    connection
        .prepare_cached("DELETE FROM product_files WHERE product_id = ?1")?
        .execute([row_id])?;
    let mut insert_category = connection.prepare_cached(
        "INSERT INTO product_categories (product_id, position, category_id) \
         VALUES (?1, ?2, ?3)",
    )?;
    for (position, category_id) in columns.categories.iter().enumerate() {
        insert_category.execute(params![row_id, position as i64, category_id])?;
    }
    let mut insert_file = connection.prepare_cached(
        "INSERT INTO product_files \
         (product_id, position, name, format, litres_file_id, max_downloads) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, file) in columns.draft.files.iter().enumerate() {
        insert_file.execute(params![
            row_id,
            position as i64,
            file.name,
            file.format.as_ref().map(|format| format.as_str()),
            file.litres_file_id,
            file.max_downloads,
        ])?;
    }
    Ok(())
}
