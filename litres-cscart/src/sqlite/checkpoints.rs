//! Windows as transactions, and the checkpoint of each work type.

use litres_core::store::{StoreError, StoreErrorKind};
use litres_core::{MoscowTime, WorkType};
use rusqlite::OptionalExtension;

use super::SqliteStore;

impl SqliteStore {
    pub(super) fn select_checkpoint(
        &self,
        work_type: &WorkType,
    ) -> Result<Option<MoscowTime>, StoreError> {
        let action = format!("loading the checkpoint of work type {work_type}");
        let connection = self.lock();
        let text: Option<String> = connection
            .query_row(
                "SELECT moscow_time FROM checkpoints WHERE work_type = ?1",
                [work_type.code()],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.fail(&action, error))?;
        let Some(text) = text else {
            return Ok(None);
        };
        MoscowTime::parse(&text).map(Some).map_err(|error| {
            StoreError::new(
                StoreErrorKind::Corrupt,
                format!(
                    "SQLite database {} contains an invalid checkpoint {text:?} for work \
                     type {work_type}; delete that row to start from the default window",
                    self.path
                ),
            )
            .with_source(error)
        })
    }

    /// Starts the window's transaction. IMMEDIATE takes the write lock at
    /// once, so another writer makes this call wait or fail here rather
    /// than in the middle of the window.
    pub(super) fn begin_transaction(&self) -> Result<(), StoreError> {
        let connection = self.lock();
        if !connection.is_autocommit() {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                format!(
                    "begin_window called while a window is open on SQLite database {}; \
                     call commit_window or abort_window first",
                    self.path
                ),
            ));
        }
        connection
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|error| self.fail("beginning a window", error))
    }

    /// Saves the checkpoint and commits the window's transaction. Called
    /// with no open window, it saves the checkpoint on its own.
    pub(super) fn commit_transaction(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        let action = format!("saving checkpoint {checkpoint} of work type {work_type}");
        let connection = self.lock();
        connection
            .execute(
                "INSERT INTO checkpoints (work_type, moscow_time) VALUES (?1, ?2) \
                 ON CONFLICT (work_type) DO UPDATE SET moscow_time = excluded.moscow_time",
                [work_type.code(), &checkpoint.to_string()],
            )
            .map_err(|error| self.fail(&action, error))?;
        if !connection.is_autocommit() {
            connection
                .execute_batch("COMMIT")
                .map_err(|error| self.fail(&action, error))?;
        }
        Ok(())
    }

    /// Rolls back the window's transaction; does nothing with no open
    /// window.
    pub(super) fn roll_back_transaction(&self) -> Result<(), StoreError> {
        let connection = self.lock();
        if connection.is_autocommit() {
            return Ok(());
        }
        connection
            .execute_batch("ROLLBACK")
            .map_err(|error| self.fail("rolling back a window", error))
    }
}
