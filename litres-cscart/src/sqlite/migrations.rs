//! Schema migrations, tracked by `PRAGMA user_version`.
//!
//! Step N moves a database from version N - 1 to N inside one transaction,
//! so a failed step leaves the previous version intact. A released step
//! must not change: a schema change, such as the order records that sale
//! notifications need, is a new step at the end.

use litres_core::store::{StoreError, StoreErrorKind};
use rusqlite::{Connection, TransactionBehavior};

use super::error::database_error;

/// Version 1: the catalog (categories, products, their categories and
/// files) and the checkpoint of each work type.
const CATALOG: &str = "
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    genre_path TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER,
    position INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    vendor_id INTEGER NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    art_id INTEGER NOT NULL UNIQUE,
    external_id TEXT NOT NULL,
    work_type TEXT NOT NULL,
    name TEXT NOT NULL,
    description_html TEXT NOT NULL,
    price_kopecks INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    main_category_id INTEGER,
    authors_json TEXT NOT NULL,
    series TEXT,
    series_number TEXT,
    isbn TEXT,
    cover_url TEXT,
    vendor_id INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    source_updated TEXT
);

CREATE TABLE product_categories (
    product_id INTEGER NOT NULL REFERENCES products (id),
    position INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    PRIMARY KEY (product_id, position)
);

CREATE TABLE product_files (
    product_id INTEGER NOT NULL REFERENCES products (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    format TEXT,
    litres_file_id TEXT,
    max_downloads INTEGER NOT NULL,
    PRIMARY KEY (product_id, position)
);

CREATE TABLE checkpoints (
    work_type TEXT PRIMARY KEY,
    moscow_time TEXT NOT NULL
);
";

/// Version 2: what the `litres` tool remembers about a remote shop (the
/// CS-Cart REST store): the shop's product and category ids with the
/// change-detection data. The shop stays the source of truth, so these
/// rows can be rebuilt from it.
const REMOTE_STATE: &str = "
CREATE TABLE remote_products (
    art_id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    cover_url TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    source_updated TEXT
);

CREATE INDEX remote_products_by_id ON remote_products (product_id);

CREATE TABLE remote_categories (
    genre_path TEXT PRIMARY KEY,
    category_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER,
    position INTEGER NOT NULL,
    enabled INTEGER NOT NULL
);

CREATE INDEX remote_categories_by_id ON remote_categories (category_id);
";

/// Version 3: orders, their lines, and the sale notification state of each
/// line. `at` holds the state's time (next attempt, start, or when sent or
/// recorded) as RFC 3339 UTC; `message` the LitRes message or last error.
const ORDERS: &str = "
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    status_reason TEXT,
    user_id TEXT NOT NULL,
    email TEXT NOT NULL
);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    art_id INTEGER,
    external_id TEXT,
    price_kopecks INTEGER NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE sale_notifications (
    order_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'in_flight', 'sent', 'rejected', 'gave_up', 'test')),
    attempts INTEGER,
    at TEXT,
    message TEXT,
    PRIMARY KEY (order_id, product_id),
    FOREIGN KEY (order_id, product_id) REFERENCES order_lines (order_id, product_id)
);

CREATE INDEX sale_notifications_by_state ON sale_notifications (state);
";

/// Version 4: what the CS-Cart REST store keeps about the shop's orders.
/// The shop keeps the orders themselves. This file keeps the LitRes
/// external id of each written product and the reason recorded with a
/// status the tool set, because CS-Cart's API has no field for it. It also
/// keeps the sale state of each order line and the orders whose LitRes
/// lines all reached a final state. The notification rows have no foreign
/// key, because the order lines live in the shop.
const REMOTE_ORDERS: &str = "
ALTER TABLE remote_products ADD COLUMN external_id TEXT;

CREATE TABLE remote_order_reasons (
    order_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE remote_sale_notifications (
    order_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'in_flight', 'sent', 'rejected', 'gave_up', 'test')),
    attempts INTEGER,
    at TEXT,
    message TEXT,
    PRIMARY KEY (order_id, product_id)
);

CREATE INDEX remote_sale_notifications_by_state ON remote_sale_notifications (state);

CREATE TABLE remote_settled_orders (
    order_id INTEGER PRIMARY KEY
);
";

/// Every step in order; the schema version is the number of steps applied.
const STEPS: &[&str] = &[CATALOG, REMOTE_STATE, ORDERS, REMOTE_ORDERS];

/// Returns the schema version this build creates and reads.
pub(super) fn latest_version() -> i64 {
    STEPS.len() as i64
}

/// Applies the steps the database at `path` lacks.
///
/// # Errors
///
/// A database of a newer version than [`latest_version`] is a `Config`
/// error, because this build would misread it. A failed step is reported
/// with its version number.
pub(super) fn migrate(connection: &mut Connection, path: &str) -> Result<(), StoreError> {
    if read_version(connection, path)? == latest_version() {
        return Ok(());
    }
    for (index, step) in STEPS.iter().enumerate() {
        let target = index as i64 + 1;
        // IMMEDIATE takes the write lock before reading the version, so two
        // processes opening a new file cannot both run the same step.
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| database_error(path, "starting the schema migration", error))?;
        let version = read_version(&transaction, path)?;
        if version >= target {
            continue;
        }
        let action = format!("migrating the schema to version {target}");
        transaction
            .execute_batch(step)
            .map_err(|error| database_error(path, &action, error))?;
        transaction
            .pragma_update(None, "user_version", target)
            .map_err(|error| database_error(path, &action, error))?;
        transaction
            .commit()
            .map_err(|error| database_error(path, &action, error))?;
        tracing::info!(path, version = target, "migrated the SQLite store schema");
    }
    Ok(())
}

/// Reads `user_version` and rejects a version this build does not know.
pub(super) fn read_version(connection: &Connection, path: &str) -> Result<i64, StoreError> {
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| database_error(path, "reading the schema version", error))?;
    let latest = latest_version();
    if version > latest {
        return Err(StoreError::new(
            StoreErrorKind::Config,
            format!(
                "SQLite database {path} has schema version {version}, but this build \
                 of litres reads versions up to {latest}; upgrade litres or choose \
                 another database file"
            ),
        ));
    }
    if version < 0 {
        return Err(StoreError::new(
            StoreErrorKind::Corrupt,
            format!(
                "SQLite database {path} has an invalid schema version {version}; \
                 choose another database file"
            ),
        ));
    }
    Ok(version)
}
