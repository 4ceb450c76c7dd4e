//! The embedded store: the catalog in one SQLite database file.
//!
//! The `litres` tool writes here when no CS-Cart store is configured. Each
//! window is one transaction, so a crash between a product write and its
//! checkpoint leaves neither behind. Orders and the sale notification
//! state of their lines live here too ([`OrderStore`](litres_core::store::OrderStore)).
//!
//! The same file format keeps the local state of the CS-Cart REST store
//! (`remote` tables): checkpoints and what each shop record was written
//! from.

mod categories;
mod checkpoints;
mod error;
mod migrations;
mod notifications;
mod orders;
mod products;
mod remote;
mod remote_orders;
mod store;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use litres_core::store::{StoreError, StoreErrorKind};
use rusqlite::Connection;

use self::error::database_error;

/// How long a call waits for another process's write lock before it fails
/// as `Unavailable`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`CartStore`](litres_core::store::CartStore) in a SQLite database file.
///
/// A window runs as one transaction: `begin_window` starts it,
/// `commit_window` saves the checkpoint and commits, `abort_window` rolls
/// it back. Writes outside a window, such as the genre update, commit one
/// call at a time. Files stay at LitRes, so the store keeps only their
/// names and ids; `send_cover` is ignored because no image is copied.
///
/// rusqlite is synchronous. The connection sits behind a [`Mutex`] and
/// each call runs one or a few statements on the calling task, which
/// blocks its executor thread for about as long as a local disk write.
/// `spawn_blocking` would cost a thread hop and a copy of every draft per
/// call, and calls arrive one at a time from one task anyway.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
    /// True between `begin_window` and `commit_window` or `abort_window`;
    /// changed only while `connection` is locked.
    window_open: AtomicBool,
    /// File path for messages; `:memory:` for an in-memory database.
    path: String,
}

impl SqliteStore {
    /// Opens or creates the database file at `path` and brings its schema
    /// up to date.
    ///
    /// # Errors
    ///
    /// - `Config`: the file cannot be opened or created (missing folder, no
    ///   permission), or its schema is newer than this build reads.
    /// - `Corrupt`: the file is not a SQLite database.
    /// - `Unavailable`: another process has the write lock while the schema
    ///   needs a migration.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let path_text = path.display().to_string();
        let connection = Connection::open(path)
            .map_err(|error| database_error(&path_text, "opening the database", error))?;
        let store = Self::from_connection(connection, path_text)?;
        store.use_write_ahead_log()?;
        Ok(store)
    }

    /// Opens a new, empty database in memory, gone when the store drops.
    ///
    /// # Errors
    ///
    /// Fails only when SQLite cannot allocate the database.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let path = ":memory:".to_owned();
        let connection = Connection::open_in_memory()
            .map_err(|error| database_error(&path, "opening the database", error))?;
        Self::from_connection(connection, path)
    }

    /// Returns the database file path, or `:memory:`.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn from_connection(mut connection: Connection, path: String) -> Result<Self, StoreError> {
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|error| database_error(&path, "setting the busy timeout", error))?;
        connection
            .pragma_update(None, "foreign_keys", true)
            .map_err(|error| database_error(&path, "enabling foreign keys", error))?;
        migrations::migrate(&mut connection, &path)?;
        Ok(Self {
            connection: Mutex::new(connection),
            window_open: AtomicBool::new(false),
            path,
        })
    }

    /// Switches a file database to write-ahead logging, so readers such as
    /// a shop page do not wait for an import window to commit.
    fn use_write_ahead_log(&self) -> Result<(), StoreError> {
        let connection = self.lock();
        let mode: String = connection
            .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
            .map_err(|error| self.fail("switching to write-ahead logging", error))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(
                path = %self.path,
                mode = %mode,
                "SQLite kept its journal mode instead of write-ahead logging"
            );
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held leaves at worst an open
        // transaction, which SQLite keeps consistent, so the poison flag
        // is ignored.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the connection for a write, rejecting it when SQLite has
    /// already rolled back the open window.
    ///
    /// SQLite ends a transaction by itself after some failures (a full
    /// disk, an I/O error). Later writes would then commit one by one and
    /// `commit_window` would save a checkpoint past records that were
    /// lost, so every write and the commit fail until `abort_window`.
    fn lock_for_write(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let connection = self.lock();
        if self.window_open.load(Ordering::SeqCst) && connection.is_autocommit() {
            return Err(StoreError::new(
                StoreErrorKind::Unavailable,
                format!(
                    "SQLite rolled back the open window on database {} after an \
                     earlier error; call abort_window and run the window again",
                    self.path
                ),
            ));
        }
        Ok(connection)
    }

    /// Converts a SQLite failure during `action` into a store error.
    fn fail(&self, action: &str, error: rusqlite::Error) -> StoreError {
        database_error(&self.path, action, error)
    }

    /// Converts an id to SQLite's integer; see [`error::to_sql_integer`].
    fn write_id(&self, field: &str, value: u64) -> Result<i64, StoreError> {
        error::to_sql_integer(&self.path, field, value)
    }

    /// Converts an integer read back to an id; see
    /// [`error::from_sql_integer`].
    fn read_id(&self, field: &str, value: i64) -> Result<u64, StoreError> {
        error::from_sql_integer(&self.path, field, value)
    }

    /// Makes the `NotFound` error for a record such as `product 7`.
    fn not_found(&self, record: &str) -> StoreError {
        StoreError::new(
            StoreErrorKind::NotFound,
            format!("{record} not found in SQLite database {}", self.path),
        )
    }
}
