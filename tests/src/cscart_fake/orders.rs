//! Orders in the fake shop and the `orders` entity.
//!
//! As in CS-Cart 4.12–4.20:
//!
//! - `GET /api/orders` lists orders paged like every list (a page past the
//!   end returns the last page again) and filters by `status` (one letter)
//!   and `updated_at_from` (Unix time). Parent orders are listed too.
//! - `GET /api/orders/:id` returns the order with `products` keyed by item
//!   id, every scalar a string.
//! - `PUT /api/orders/:id` with only `status` (and `notify_*`) changes the
//!   status. A body with any other key would make CS-Cart recalculate the
//!   whole order, so the fake records it in [`FakeOrder::full_updates`].
//!   A `notify_*` key with any non-empty value, even `"N"`, turns that
//!   notification on, so the fake records it in [`FakeOrder::notifications`].

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::catalog::{text, Catalog};
use super::routes::{error, method_not_allowed, not_found, page, Call, Reply};

/// Keys a status-only update may carry.
const STATUS_KEYS: [&str; 4] = [
    "status",
    "notify_user",
    "notify_department",
    "notify_vendor",
];

/// An order as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeOrder {
    /// Order id.
    pub order_id: u64,
    /// Status letter, such as `P`.
    pub status: String,
    /// Buyer's user id; 0 for a guest.
    pub user_id: u64,
    /// Buyer's e-mail address.
    pub email: String,
    /// Multi-Vendor: true for a parent order, whose status is `T`.
    pub is_parent_order: bool,
    /// Multi-Vendor: the parent of a child order; 0 for none.
    pub parent_order_id: u64,
    /// Ordered products.
    pub items: Vec<FakeOrderItem>,
    /// Unix time of the last change.
    pub updated_at: u64,
    /// Statuses set through the API, oldest first.
    pub status_history: Vec<String>,
    /// Bodies of the updates that had keys other than `status` and
    /// `notify_*`. CS-Cart recalculates the whole order for such a body.
    pub full_updates: Vec<String>,
    /// `notify_*` keys that arrived with a non-empty value.
    pub notifications: Vec<String>,
}

/// One product in an order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeOrderItem {
    /// Item id, the key of the item in `products`.
    pub item_id: u64,
    /// Product id.
    pub product_id: u64,
    /// Product code at the time of the order.
    pub product_code: String,
    /// Unit price as CS-Cart prints it, such as `109.00`.
    pub price: String,
    /// Quantity.
    pub amount: u64,
}

impl FakeOrder {
    /// Makes an order with no items.
    pub fn new(order_id: u64, status: &str, user_id: u64, email: &str) -> Self {
        Self {
            order_id,
            status: status.to_owned(),
            user_id,
            email: email.to_owned(),
            is_parent_order: false,
            parent_order_id: 0,
            items: Vec::new(),
            updated_at: 0,
            status_history: Vec::new(),
            full_updates: Vec::new(),
            notifications: Vec::new(),
        }
    }

    /// Adds an item of amount 1. The item id is the product id plus a
    /// thousand times the item's position, so it differs from the product
    /// id as in CS-Cart.
    pub fn item(mut self, product_id: u64, product_code: &str, price: &str) -> Self {
        let position = self.items.len() as u64 + 1;
        self.items.push(FakeOrderItem {
            item_id: position * 1000 + product_id,
            product_id,
            product_code: product_code.to_owned(),
            price: price.to_owned(),
            amount: 1,
        });
        self
    }

    /// Makes this a Multi-Vendor parent order with status `T`.
    pub fn parent(mut self) -> Self {
        self.is_parent_order = true;
        self.status = "T".to_owned();
        self
    }

    /// Makes this a child order of `parent`.
    pub fn child_of(mut self, parent: u64) -> Self {
        self.parent_order_id = parent;
        self
    }

    fn summary_json(&self) -> Value {
        json!({
            "order_id": self.order_id,
            "status": self.status,
            "user_id": self.user_id,
            "email": self.email,
            "is_parent_order": if self.is_parent_order { "Y" } else { "N" },
            "parent_order_id": self.parent_order_id,
            "timestamp": self.updated_at,
            "updated_at": self.updated_at,
        })
    }

    pub(crate) fn to_json(&self) -> Value {
        let products: Map<String, Value> = self
            .items
            .iter()
            .map(|item| {
                (
                    item.item_id.to_string(),
                    json!({
                        "item_id": item.item_id,
                        "product_id": item.product_id,
                        "product_code": item.product_code,
                        "price": item.price,
                        "amount": item.amount,
                    }),
                )
            })
            .collect();
        let mut body = self.summary_json();
        if let Value::Object(map) = &mut body {
            map.insert("products".to_owned(), Value::Object(products));
        }
        body
    }
}

/// Handles `/api/orders[/:id]`.
pub(crate) fn orders(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let status = call.query.get("status").map(|status| status.trim());
            let since = call
                .query
                .get("updated_at_from")
                .and_then(|t| t.parse().ok());
            let items = catalog
                .orders
                .values()
                .filter(|order| status.is_none_or(|status| order.status == status))
                .filter(|order| since.is_none_or(|since: u64| order.updated_at >= since))
                .map(FakeOrder::summary_json)
                .collect();
            page("orders", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.orders.get(&id) {
            Some(order) => (StatusCode::OK, order.to_json()),
            None => not_found("Order", id),
        },
        (Method::PUT, Some(id)) => update(catalog, id, call.body),
        _ => method_not_allowed(),
    }
}

fn update(catalog: &mut Catalog, id: u64, body: &Map<String, Value>) -> Reply {
    let now = catalog.tick();
    let Some(order) = catalog.orders.get_mut(&id) else {
        return not_found("Order", id);
    };
    if body.keys().any(|key| !STATUS_KEYS.contains(&key.as_str())) {
        order
            .full_updates
            .push(Value::Object(body.clone()).to_string());
    }
    for key in &STATUS_KEYS[1..] {
        if text(body, key).is_some_and(|value| !value.is_empty()) {
            order.notifications.push((*key).to_owned());
        }
    }
    let Some(status) = text(body, "status") else {
        return error(StatusCode::BAD_REQUEST, "status is required");
    };
    order.status = status.clone();
    order.status_history.push(status);
    order.updated_at = now;
    (StatusCode::OK, json!({"order_id": id}))
}
