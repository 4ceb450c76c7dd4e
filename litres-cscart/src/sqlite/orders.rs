//! Order rows with their lines, and [`OrderStore`] for [`SqliteStore`].

use async_trait::async_trait;
use litres_core::store::{NotificationState, Order, OrderLine, OrderStore, StoreError};
use litres_core::{ArtId, ExternalId, OrderId, Price, ProductId};
use rusqlite::{params, OptionalExtension};

use super::SqliteStore;

impl SqliteStore {
    /// Adds an order with its lines, as a shop's checkout would; the
    /// `litres order add` command and tests use it.
    ///
    /// # Errors
    ///
    /// `Rejected` when the order id is taken or two lines name the same
    /// product.
    pub fn insert_order(&self, order: &Order) -> Result<(), StoreError> {
        let action = format!("creating order {}", order.id);
        let order_id = self.write_id("order id", order.id.get())?;
        let mut rows = Vec::with_capacity(order.lines.len());
        for line in &order.lines {
            let product = self.write_id("product id", line.product_id.get())?;
            let art = match line.art_id {
                Some(art) => Some(self.write_id("art id", art.get())?),
                None => None,
            };
            rows.push((product, art, line));
        }
        let mut connection = self.lock_for_write()?;
        let savepoint = connection
            .savepoint()
            .map_err(|error| self.fail(&action, error))?;
        savepoint
            .execute(
                "INSERT INTO orders (id, status, status_reason, user_id, email) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    order_id,
                    order.status,
                    order.status_reason,
                    order.user_id,
                    order.email
                ],
            )
            .map_err(|error| self.fail(&action, error))?;
        for (position, (product, art, line)) in rows.into_iter().enumerate() {
            savepoint
                .execute(
                    "INSERT INTO order_lines (order_id, position, product_id, art_id, \
                     external_id, price_kopecks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        order_id,
                        position as i64,
                        product,
                        art,
                        line.external_id.as_ref().map(ExternalId::as_str),
                        line.price.kopecks()
                    ],
                )
                .map_err(|error| self.fail(&action, error))?;
        }
        savepoint
            .commit()
            .map_err(|error| self.fail(&action, error))
    }

    fn select_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        let action = format!("loading order {id}");
        let sql_id = self.write_id("order id", id.get())?;
        let connection = self.lock();
        let head = connection
            .query_row(
                "SELECT status, status_reason, user_id, email FROM orders WHERE id = ?1",
                [sql_id],
                |row| {
                    let status: String = row.get(0)?;
                    let reason: Option<String> = row.get(1)?;
                    let user: String = row.get(2)?;
                    let email: String = row.get(3)?;
                    Ok((status, reason, user, email))
                },
            )
            .optional()
            .map_err(|error| self.fail(&action, error))?;
        let Some((status, reason, user, email)) = head else {
            return Ok(None);
        };

        let mut statement = connection
            .prepare_cached(
                "SELECT product_id, art_id, external_id, price_kopecks FROM order_lines \
                 WHERE order_id = ?1 ORDER BY position",
            )
            .map_err(|error| self.fail(&action, error))?;
        let raw_lines = statement
            .query_map([sql_id], |row| {
                let product: i64 = row.get(0)?;
                let art: Option<i64> = row.get(1)?;
                let external: Option<String> = row.get(2)?;
                let kopecks: i64 = row.get(3)?;
                Ok((product, art, external, kopecks))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|error| self.fail(&action, error))?;

        let mut lines = Vec::with_capacity(raw_lines.len());
        for (product, art, external, kopecks) in raw_lines {
            let art_id = match art {
                Some(art) => Some(ArtId(self.read_id("art id", art)?)),
                None => None,
            };
            lines.push(OrderLine::new(
                ProductId(self.read_id("product id", product)?),
                art_id,
                external.map(ExternalId::new),
                Price::from_kopecks(kopecks),
            ));
        }
        let mut order = Order::new(id, status, user, email, lines);
        order.status_reason = reason;
        Ok(Some(order))
    }

    fn select_orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        let action = "listing the orders to notify";
        let statuses_json = serde_json::to_string(statuses).unwrap_or_else(|_| "[]".to_owned());
        let connection = self.lock();
        let ids = connection
            .prepare_cached(
                "SELECT o.id FROM orders o WHERE EXISTS ( \
                   SELECT 1 FROM order_lines l \
                   LEFT JOIN sale_notifications n \
                     ON n.order_id = l.order_id AND n.product_id = l.product_id \
                   WHERE l.order_id = o.id AND ( \
                     n.state IN ('pending', 'in_flight') \
                     OR (n.state IS NULL AND l.art_id IS NOT NULL \
                         AND o.status IN (SELECT value FROM json_each(?1))))) \
                 ORDER BY o.id",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([statuses_json], |row| row.get::<_, i64>(0))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            })
            .map_err(|error| self.fail(action, error))?;
        ids.into_iter()
            .map(|id| self.read_id("order id", id).map(OrderId))
            .collect()
    }

    fn update_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let action = format!("setting the status of order {id} to {status:?}");
        let sql_id = self.write_id("order id", id.get())?;
        let connection = self.lock_for_write()?;
        let changed = connection
            .execute(
                "UPDATE orders SET status = ?2, status_reason = ?3 WHERE id = ?1",
                params![sql_id, status, reason],
            )
            .map_err(|error| self.fail(&action, error))?;
        if changed == 0 {
            return Err(self.not_found(&format!("order {id}")));
        }
        Ok(())
    }
}

#[async_trait]
impl OrderStore for SqliteStore {
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        self.select_order(id)
    }

    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        self.select_orders_to_notify(statuses)
    }

    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.update_order_status(id, status, reason)
    }

    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        self.select_notification(order, product)
    }

    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError> {
        self.upsert_notification(order, product, state)
    }
}
