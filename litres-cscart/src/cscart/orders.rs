//! [`OrderStore`] for [`CsCartStore`]: orders and statuses are read from and
//! written to the shop over REST, sale states are kept in the state file.
//!
//! - An order line is a LitRes book when its product code is `LR<art id>`,
//!   the code the import gives every book. Its external id comes from the
//!   state file, because a CS-Cart product has no field that carries it. A
//!   book the state file does not know (such as after the file was lost)
//!   is still reported to LitRes, but gets no buyer link until the import
//!   writes the book again.
//! - A status is set with a `PUT` whose body contains only `status`, so
//!   CS-Cart changes the status without recalculating the order. No
//!   `notify_*` key is sent, because CS-Cart treats any non-empty value as
//!   "notify", and the status's own settings decide the e-mails.
//! - CS-Cart's API has no field for a status reason, so the reason is kept
//!   in the state file with the status it came with. An order whose status
//!   was changed in the shop afterwards has no reason.
//! - A Multi-Vendor parent order (status `T`, `is_parent_order` `Y`) is
//!   loaded with no lines, so it is never reported. Its products are
//!   reported through its child orders, which carry them.

use std::collections::BTreeSet;

use async_trait::async_trait;
use litres_core::store::{
    NotificationState, Order, OrderLine, OrderStore, StoreError, StoreErrorKind,
};
use litres_core::{OrderId, Price, ProductId};
use reqwest::Method;
use serde_json::{json, Value};

use super::json::{field_text, field_u64};
use super::mapping::art_id_from_code;
use super::store::CsCartStore;

/// Status letter of a Multi-Vendor parent order.
const PARENT_STATUS: &str = "T";

impl CsCartStore {
    /// Reads an order from the shop; `None` for a 404.
    async fn fetch_order(&self, id: OrderId) -> Result<Option<Value>, StoreError> {
        let action = format!("reading order {id}");
        let path = format!("orders/{}", id.get());
        match self
            .client()
            .send_idempotent(Method::GET, &path, &[], None)
            .await
        {
            Ok(Value::Null) => Ok(None),
            Ok(body) if body.get("order_id").is_none() => Ok(None),
            Ok(body) => Ok(Some(body)),
            Err(error) if error.status().map(|s| s.as_u16()) == Some(404) => Ok(None),
            Err(error) => Err(error.into_store(&action)),
        }
    }

    /// Converts CS-Cart's order JSON into an [`Order`].
    fn order_from_json(&self, id: OrderId, body: &Value) -> Result<Order, StoreError> {
        let status = field_text(body, "status").unwrap_or_default();
        let user_id = field_text(body, "user_id").unwrap_or_default();
        let email = field_text(body, "email").unwrap_or_default();
        let lines = if is_parent(body) {
            Vec::new()
        } else {
            self.lines_from_json(id, body)?
        };
        let mut order = Order::new(id, status.trim(), user_id.trim(), email.trim(), lines);
        if let Some((reason_status, reason)) = self.state().remote_reason(id)? {
            if reason_status == order.status {
                order.status_reason = Some(reason);
            }
        }
        Ok(order)
    }

    /// Reads the `products` of an order, keyed by item id in CS-Cart. A
    /// product listed twice (two items with different options) keeps its
    /// first item only, because the order lines are per product.
    fn lines_from_json(&self, id: OrderId, body: &Value) -> Result<Vec<OrderLine>, StoreError> {
        let items: Vec<&Value> = match body.get("products") {
            Some(Value::Object(map)) => map.values().collect(),
            Some(Value::Array(list)) => list.iter().collect(),
            _ => Vec::new(),
        };
        let mut lines: Vec<OrderLine> = Vec::with_capacity(items.len());
        for item in items {
            let Some(product_id) = field_u64(item, "product_id").map(ProductId) else {
                tracing::warn!(order = %id, "skipped an order item without a product_id");
                continue;
            };
            if lines.iter().any(|line| line.product_id == product_id) {
                tracing::warn!(order = %id, product = %product_id, "order lists a product twice; using its first item");
                continue;
            }
            let code = field_text(item, "product_code").unwrap_or_default();
            let art_id = art_id_from_code(&code);
            let external_id = match art_id {
                Some(art_id) => self.state().remote_external_id(art_id)?,
                None => None,
            };
            // NOTE: the unit price is reported; an item with `amount` above 1
            // is still one sale, because a buyer needs one copy of an e-book.
            let price = parse_price(id, product_id, item)?;
            lines.push(OrderLine::new(product_id, art_id, external_id, price));
        }
        lines.sort_by_key(|line| line.product_id);
        Ok(lines)
    }

    /// Lists the ids of the shop's orders in one status, parents left out.
    async fn list_orders_in(&self, status: &str) -> Result<Vec<OrderId>, StoreError> {
        let action = format!("listing the orders in status {status}");
        let orders = self
            .client()
            .list("orders", "orders", &[("status", status.to_owned())])
            .await
            .map_err(|error| error.into_store(&action))?;
        let ids = orders
            .iter()
            // The status filter is applied again, in case a CS-Cart version
            // ignores it.
            .filter(|order| field_text(order, "status").as_deref().map(str::trim) == Some(status))
            .filter(|order| !is_parent(order))
            .filter_map(|order| field_u64(order, "order_id").map(OrderId))
            .collect();
        Ok(ids)
    }

    /// Returns true when the order has a LitRes line with no saved state.
    /// Marks the order settled when every LitRes line has a final state.
    async fn has_unreported_line(&self, id: OrderId) -> Result<bool, StoreError> {
        let Some(order) = self.load_order(id).await? else {
            return Ok(false);
        };
        let mut settled = true;
        for line in order.lines.iter().filter(|line| line.art_id.is_some()) {
            match self.state().remote_notification(id, line.product_id)? {
                None => return Ok(true),
                Some(state) if !state.is_final() => settled = false,
                Some(_) => {}
            }
        }
        if settled {
            self.state().mark_remote_order_settled(id)?;
        }
        Ok(false)
    }

    /// Returns true when the order has a line for the product, reading the
    /// order from the shop when this process has not loaded it yet.
    async fn has_line(&self, order: OrderId, product: ProductId) -> Result<bool, StoreError> {
        if let Some(products) = self.known_lines(order) {
            return Ok(products.contains(&product));
        }
        Ok(self
            .load_order(order)
            .await?
            .is_some_and(|loaded| loaded.line(product).is_some()))
    }
}

fn is_parent(order: &Value) -> bool {
    field_text(order, "is_parent_order").as_deref() == Some("Y")
        || field_text(order, "status").as_deref().map(str::trim) == Some(PARENT_STATUS)
}

/// Reads an item's unit price. CS-Cart prints prices with two decimals,
/// such as `"109.00"`; zeros past the second decimal are accepted.
fn parse_price(order: OrderId, product: ProductId, item: &Value) -> Result<Price, StoreError> {
    let text = field_text(item, "price").unwrap_or_default();
    let trimmed = text.trim();
    let normalized = match trimmed.split_once('.') {
        Some((whole, fraction)) if fraction.len() > 2 => {
            let (kept, rest) = fraction.split_at(2);
            if rest.bytes().all(|byte| byte == b'0') {
                format!("{whole}.{kept}")
            } else {
                trimmed.to_owned()
            }
        }
        _ => trimmed.to_owned(),
    };
    normalized.parse().map_err(|error| {
        StoreError::new(
            StoreErrorKind::Corrupt,
            format!(
                "order {order} lists product {product} with an invalid price {text:?}; \
                 fix the order in CS-Cart"
            ),
        )
        .with_source(error)
    })
}

#[async_trait]
impl OrderStore for CsCartStore {
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        let Some(body) = self.fetch_order(id).await? else {
            return Ok(None);
        };
        let order = self.order_from_json(id, &body)?;
        self.remember_lines(id, order.lines.iter().map(|line| line.product_id));
        Ok(Some(order))
    }

    /// Lists the orders in each of `statuses` from the shop (one list call
    /// per status, paged), skips the orders marked settled in the state
    /// file, and reads each other order to find lines with no state. The
    /// orders with a pending or in-flight line come from the state file.
    ///
    /// Listing by status, not by `updated_at_from` with a saved time, means
    /// no order is missed after a crash, a clock difference or an order
    /// that failed to load in an earlier run.
    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        let mut candidates = BTreeSet::new();
        for status in statuses {
            let status = status.trim();
            if status.is_empty() || status == PARENT_STATUS {
                continue;
            }
            candidates.extend(self.list_orders_in(status).await?);
        }
        let mut due: BTreeSet<OrderId> = self.state().remote_orders_due()?.into_iter().collect();
        // NOTE: a settled order is not read again, so a LitRes book added to
        // it later in the admin panel is reported only by `--order N`.
        for id in candidates {
            if due.contains(&id) || self.state().remote_order_is_settled(id)? {
                continue;
            }
            if self.has_unreported_line(id).await? {
                due.insert(id);
            }
        }
        Ok(due.into_iter().collect())
    }

    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let action = format!("setting the status of order {id} to {status:?}");
        let path = format!("orders/{}", id.get());
        // Only `status`: any other key makes CS-Cart recalculate the order.
        let body = json!({ "status": status });
        self.client()
            .send_idempotent(Method::PUT, &path, &[], Some(&body))
            .await
            .map_err(|error| error.into_store(&action))?;
        tracing::info!(order = %id, status, reason, "set the CS-Cart order status");
        self.state().save_remote_reason(id, status, reason)
    }

    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        self.state().remote_notification(order, product)
    }

    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError> {
        if !self.has_line(order, product).await? {
            return Err(StoreError::new(
                StoreErrorKind::NotFound,
                format!(
                    "order {order} line for product {product} not found in CS-Cart; \
                     check the order and product ids"
                ),
            ));
        }
        self.state().save_remote_notification(order, product, state)
    }
}
