//! Category rows: one per genre tree position, keyed by its path.

use litres_core::store::{CategoryDraft, StoreError, StoreErrorKind, StoredCategory};
use litres_core::{path_key, CategoryId, GenreId};
use rusqlite::{params, ErrorCode, Row};

use super::SqliteStore;

/// Columns of a category row as read, before conversion.
struct CategoryRow {
    id: i64,
    genre_path: String,
    name: String,
    parent_id: Option<i64>,
    position: u32,
    enabled: bool,
}

impl CategoryRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            genre_path: row.get(1)?,
            name: row.get(2)?,
            parent_id: row.get(3)?,
            position: row.get(4)?,
            enabled: row.get(5)?,
        })
    }
}

impl SqliteStore {
    pub(super) fn list_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        let action = "listing categories";
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached(
                "SELECT id, genre_path, name, parent_id, position, enabled \
                 FROM categories ORDER BY id",
            )
            .map_err(|error| self.fail(action, error))?;
        let rows = statement
            .query_map([], CategoryRow::read)
            .map_err(|error| self.fail(action, error))?;
        let mut categories = Vec::new();
        for row in rows {
            let row = row.map_err(|error| self.fail(action, error))?;
            categories.push(self.stored_category(row)?);
        }
        Ok(categories)
    }

    fn stored_category(&self, row: CategoryRow) -> Result<StoredCategory, StoreError> {
        let id = CategoryId(self.read_id("category id", row.id)?);
        let parent = match row.parent_id {
            Some(parent) => Some(CategoryId(self.read_id("parent category id", parent)?)),
            None => None,
        };
        let mut draft =
            CategoryDraft::new(self.parse_genre_path(&row.genre_path)?, row.name, parent);
        draft.position = row.position;
        draft.enabled = row.enabled;
        Ok(StoredCategory::new(id, &draft))
    }

    /// Parses the `/`-joined path key written by [`path_key`].
    pub(super) fn parse_genre_path(&self, key: &str) -> Result<Vec<GenreId>, StoreError> {
        if key.is_empty() {
            return Ok(Vec::new());
        }
        key.split('/')
            .map(|part| {
                part.parse().map(GenreId).map_err(|_| {
                    StoreError::new(
                        StoreErrorKind::Corrupt,
                        format!(
                            "SQLite database {} contains an invalid genre path {key:?}; \
                             expected genre ids joined by '/'",
                            self.path
                        ),
                    )
                })
            })
            .collect()
    }

    pub(super) fn insert_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        let key = path_key(&draft.genre_path);
        let action = format!("creating the category for genre path {key}");
        let parent = self.parent_to_sql(draft)?;
        let vendor_id = self.write_id("vendor id", draft.vendor_id)?;
        let connection = self.lock_for_write()?;
        let inserted = connection.execute(
            "INSERT INTO categories (genre_path, name, parent_id, position, enabled, vendor_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                key,
                draft.name,
                parent,
                draft.position,
                draft.enabled,
                vendor_id
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(error) if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                return Err(StoreError::new(
                    StoreErrorKind::Rejected,
                    format!(
                        "a category for genre path {key} already exists in SQLite \
                         database {}; update it instead",
                        self.path
                    ),
                )
                .with_source(error));
            }
            Err(error) => return Err(self.fail(&action, error)),
        }
        let id = connection.last_insert_rowid();
        Ok(CategoryId(self.read_id("category id", id)?))
    }

    /// Overwrites every field but the genre path, the category's identity.
    pub(super) fn overwrite_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError> {
        let action = format!("updating category {id}");
        let sql_id = self.write_id("category id", id.get())?;
        let parent = self.parent_to_sql(draft)?;
        let vendor_id = self.write_id("vendor id", draft.vendor_id)?;
        let connection = self.lock_for_write()?;
        let changed = connection
            .execute(
                "UPDATE categories \
                 SET name = ?2, parent_id = ?3, position = ?4, enabled = ?5, vendor_id = ?6 \
                 WHERE id = ?1",
                params![
                    sql_id,
                    draft.name,
                    parent,
                    draft.position,
                    draft.enabled,
                    vendor_id
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        if changed == 0 {
            return Err(self.not_found(&format!("category {id}")));
        }
        Ok(())
    }

    pub(super) fn set_category_disabled(&self, id: CategoryId) -> Result<(), StoreError> {
        let action = format!("disabling category {id}");
        let sql_id = self.write_id("category id", id.get())?;
        let connection = self.lock_for_write()?;
        let changed = connection
            .execute("UPDATE categories SET enabled = 0 WHERE id = ?1", [sql_id])
            .map_err(|error| self.fail(&action, error))?;
        if changed == 0 {
            return Err(self.not_found(&format!("category {id}")));
        }
        Ok(())
    }

    fn parent_to_sql(&self, draft: &CategoryDraft) -> Result<Option<i64>, StoreError> {
        draft
            .parent
            .map(|parent| self.write_id("parent category id", parent.get()))
            .transpose()
    }
}
