//! [`OrderStore`] for [`MemoryStore`].

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;

use super::{MemoryStore, NotificationState, Order, OrderStore, StoreError, StoreErrorKind};
use crate::model::{OrderId, ProductId};

/// Orders and notification states of a [`MemoryStore`].
#[derive(Debug, Default)]
pub(super) struct Orders {
    orders: BTreeMap<OrderId, Order>,
    states: HashMap<(OrderId, ProductId), NotificationState>,
}

impl MemoryStore {
    /// Adds an order, as a shop's checkout would.
    ///
    /// # Errors
    ///
    /// `Rejected` when the order id is taken or two lines name the same
    /// product.
    pub fn insert_order(&self, order: &Order) -> Result<(), StoreError> {
        check_lines(order)?;
        let mut state = self.lock();
        let orders = &mut state.orders.orders;
        if orders.contains_key(&order.id) {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                format!("order {} already exists in the memory store", order.id),
            ));
        }
        orders.insert(order.id, order.clone());
        Ok(())
    }
}

/// Rejects an order with two lines for one product, since notification
/// states are kept per order and product.
pub(super) fn check_lines(order: &Order) -> Result<(), StoreError> {
    for (index, line) in order.lines.iter().enumerate() {
        let repeated = order.lines[..index]
            .iter()
            .any(|earlier| earlier.product_id == line.product_id);
        if repeated {
            return Err(StoreError::new(
                StoreErrorKind::Rejected,
                format!(
                    "order {} lists product {} twice; merge the lines into one",
                    order.id, line.product_id
                ),
            ));
        }
    }
    Ok(())
}

fn order_not_found(id: OrderId) -> StoreError {
    StoreError::new(
        StoreErrorKind::NotFound,
        format!("order {id} not found in the memory store"),
    )
}

#[async_trait]
impl OrderStore for MemoryStore {
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        Ok(self.lock().orders.orders.get(&id).cloned())
    }

    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        let state = self.lock();
        let orders = &state.orders;
        let due = orders.orders.values().filter(|order| {
            let in_status = statuses.contains(&order.status);
            order.lines.iter().any(|line| {
                let line_state = orders.states.get(&(order.id, line.product_id));
                match line_state {
                    Some(
                        NotificationState::Pending { .. } | NotificationState::InFlight { .. },
                    ) => true,
                    None => in_status && line.art_id.is_some(),
                    Some(_) => false,
                }
            })
        });
        Ok(due.map(|order| order.id).collect())
    }

    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let order = state
            .orders
            .orders
            .get_mut(&id)
            .ok_or_else(|| order_not_found(id))?;
        order.status = status.to_owned();
        order.status_reason = Some(reason.to_owned());
        Ok(())
    }

    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        Ok(self.lock().orders.states.get(&(order, product)).cloned())
    }

    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        notification: &NotificationState,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let orders = &mut state.orders;
        let known = orders
            .orders
            .get(&order)
            .is_some_and(|found| found.line(product).is_some());
        if !known {
            return Err(StoreError::new(
                StoreErrorKind::NotFound,
                format!("order {order} has no line for product {product} in the memory store"),
            ));
        }
        orders.states.insert((order, product), notification.clone());
        Ok(())
    }
}
