//! Windows as transactions, and the checkpoint of each work type.

use litres_core::store::{StoreError, StoreErrorKind};
use litres_core::{MoscowTime, WorkType};
use std::sync::atomic::Ordering;

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
        if self.window_open.load(Ordering::SeqCst) || !connection.is_autocommit() {
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
            .map_err(|error| self.fail("beginning a window", error))?;
        self.window_open.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Saves the checkpoint and commits the window's transaction. Called
    /// with no open window, it saves the checkpoint on its own.
    pub(super) fn commit_transaction(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        let action = format!("saving checkpoint {checkpoint} of work type {work_type}");
        let connection = self.lock_for_write()?;
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
        self.window_open.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Rolls back the window's transaction, if SQLite has not already
    /// done so; does nothing with no open window.
    pub(super) fn roll_back_transaction(&self) -> Result<(), StoreError> {
        let connection = self.lock();
        self.window_open.store(false, Ordering::SeqCst);
        if connection.is_autocommit() {
            return Ok(());
        }
        connection
            .execute_batch("ROLLBACK")
            .map_err(|error| self.fail("rolling back a window", error))
    }
}

#[cfg(test)]
mod tests {
    use litres_core::store::contract::sample_product;
    use litres_core::store::{CartStore, StoreErrorKind};
    use litres_core::{ArtId, MoscowTime, WorkType};

    use crate::SqliteStore;

    #[tokio::test]
    async fn window_rolled_back_by_sqlite_blocks_commit() {
        let store = SqliteStore::open_in_memory().unwrap();
        let time = MoscowTime::parse("2024-01-01 00:00:00").unwrap();
        store.begin_window().await.unwrap();
        store
            .create_product(&sample_product(ArtId(1)))
            .await
            .unwrap();
        // Stands in for SQLite ending the transaction after an I/O error.
        store.lock().execute_batch("ROLLBACK").unwrap();

        let write = store.create_product(&sample_product(ArtId(2))).await;
        assert_eq!(write.unwrap_err().kind(), StoreErrorKind::Unavailable);
        let commit = store.commit_window(&WorkType::Text, time).await;
        let error = commit.unwrap_err();
        assert_eq!(error.kind(), StoreErrorKind::Unavailable);
        assert!(error.message().contains("abort_window"), "{error}");
        assert_eq!(store.load_checkpoint(&WorkType::Text).await.unwrap(), None);
        assert_eq!(store.find_product(ArtId(2)).await.unwrap(), None);

        store.abort_window().await.unwrap();
        store.begin_window().await.unwrap();
        store.commit_window(&WorkType::Text, time).await.unwrap();
        assert_eq!(
            store.load_checkpoint(&WorkType::Text).await.unwrap(),
            Some(time)
        );
    }
}
