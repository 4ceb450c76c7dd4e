//! The CS-Cart REST store's local records about the shop's orders: the
//! external id of each written book, status reasons, sale states and the
//! orders with nothing left to report.

use litres_core::store::{NotificationState, StoreError};
use litres_core::{ArtId, ExternalId, OrderId, ProductId};
use rusqlite::{params, OptionalExtension};

use super::notifications::to_row;
use super::SqliteStore;

impl SqliteStore {
    /// Saves the LitRes external id of a remote product; does nothing when
    /// no product of that art id is saved.
    pub(crate) fn save_remote_external_id(
        &self,
        art_id: ArtId,
        external_id: &ExternalId,
    ) -> Result<(), StoreError> {
        let action = format!("saving the external id of art id {art_id}");
        let key = self.write_id("art id", art_id.get())?;
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "UPDATE remote_products SET external_id = ?2 WHERE art_id = ?1",
                params![key, external_id.as_str()],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }

    /// Returns the external id saved for a book.
    pub(crate) fn remote_external_id(
        &self,
        art_id: ArtId,
    ) -> Result<Option<ExternalId>, StoreError> {
        let action = format!("reading the external id of art id {art_id}");
        let key = self.write_id("art id", art_id.get())?;
        let connection = self.lock();
        let found: Option<Option<String>> = connection
            .query_row(
                "SELECT external_id FROM remote_products WHERE art_id = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| self.fail(&action, error))?;
        Ok(found.flatten().map(ExternalId::new))
    }

    /// Records the reason given with a status set on a remote order.
    pub(crate) fn save_remote_reason(
        &self,
        order: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let action = format!("saving the status reason of order {order}");
        let key = self.write_id("order id", order.get())?;
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "INSERT INTO remote_order_reasons (order_id, status, reason) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, \
                 reason = excluded.reason",
                params![key, status, reason],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }

    /// Returns the last recorded status and reason of a remote order.
    pub(crate) fn remote_reason(
        &self,
        order: OrderId,
    ) -> Result<Option<(String, String)>, StoreError> {
        let action = format!("reading the status reason of order {order}");
        let key = self.write_id("order id", order.get())?;
        let connection = self.lock();
        connection
            .query_row(
                "SELECT status, reason FROM remote_order_reasons WHERE order_id = ?1",
                [key],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|error| self.fail(&action, error))
    }

    /// Loads the sale state of a remote order line.
    pub(crate) fn remote_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        let action = format!("loading the sale state of product {product} in order {order}");
        let (sql_order, sql_product) = self.line_key(order, product)?;
        let connection = self.lock();
        let row = connection
            .query_row(
                "SELECT state, attempts, at, message FROM remote_sale_notifications \
                 WHERE order_id = ?1 AND product_id = ?2",
                [sql_order, sql_product],
                |row| {
                    let state: String = row.get(0)?;
                    let attempts: Option<i64> = row.get(1)?;
                    let at: Option<String> = row.get(2)?;
                    let message: Option<String> = row.get(3)?;
                    Ok((state, attempts, at, message))
                },
            )
            .optional()
            .map_err(|error| self.fail(&action, error))?;
        drop(connection);
        let Some((state, attempts, at, message)) = row else {
            return Ok(None);
        };
        let line = format!("product {product} in order {order}");
        self.parse_state(&line, &state, attempts, at, message)
            .map(Some)
    }

    /// Saves the sale state of a remote order line. A state that is not
    /// final also clears the order's settled mark, so the next listing
    /// looks at the order again.
    pub(crate) fn save_remote_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError> {
        let action = format!(
            "saving sale state {} of product {product} in order {order}",
            state.name()
        );
        let (sql_order, sql_product) = self.line_key(order, product)?;
        let row = to_row(state);
        let mut connection = self.lock_for_write()?;
        let savepoint = connection
            .savepoint()
            .map_err(|error| self.fail(&action, error))?;
        savepoint
            .execute(
                "INSERT INTO remote_sale_notifications \
                 (order_id, product_id, state, attempts, at, message) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (order_id, product_id) DO UPDATE SET state = excluded.state, \
                 attempts = excluded.attempts, at = excluded.at, message = excluded.message",
                params![
                    sql_order,
                    sql_product,
                    row.state,
                    row.attempts,
                    row.at,
                    row.message
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        if !state.is_final() {
            savepoint
                .execute(
                    "DELETE FROM remote_settled_orders WHERE order_id = ?1",
                    [sql_order],
                )
                .map_err(|error| self.fail(&action, error))?;
        }
        savepoint
            .commit()
            .map_err(|error| self.fail(&action, error))
    }

    /// Lists the remote orders with a line that is pending or in flight.
    pub(crate) fn remote_orders_due(&self) -> Result<Vec<OrderId>, StoreError> {
        let action = "listing the remote orders with unfinished sale states";
        let connection = self.lock();
        let ids = connection
            .prepare_cached(
                "SELECT DISTINCT order_id FROM remote_sale_notifications \
                 WHERE state IN ('pending', 'in_flight') ORDER BY order_id",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get::<_, i64>(0))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            })
            .map_err(|error| self.fail(action, error))?;
        drop(connection);
        ids.into_iter()
            .map(|id| self.read_id("order id", id).map(OrderId))
            .collect()
    }

    /// Returns true when the order was marked as having nothing to report.
    pub(crate) fn remote_order_is_settled(&self, order: OrderId) -> Result<bool, StoreError> {
        let action = format!("looking up order {order} in the state");
        let key = self.write_id("order id", order.get())?;
        let connection = self.lock();
        connection
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM remote_settled_orders WHERE order_id = ?1)",
                [key],
                |row| row.get(0),
            )
            .map_err(|error| self.fail(&action, error))
    }

    /// Marks an order whose LitRes lines all reached a final state, so
    /// later listings skip it without reading it from the shop.
    pub(crate) fn mark_remote_order_settled(&self, order: OrderId) -> Result<(), StoreError> {
        let action = format!("marking order {order} as settled");
        let key = self.write_id("order id", order.get())?;
        let connection = self.lock_for_write()?;
        connection
            .execute(
                "INSERT OR IGNORE INTO remote_settled_orders (order_id) VALUES (?1)",
                [key],
            )
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }
}
