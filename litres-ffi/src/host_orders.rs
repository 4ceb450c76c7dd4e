//! The `OrderStore` side of the host store: sale notification and buyer
//! link jobs read and update the host's orders through the pull loop.

use async_trait::async_trait;
use litres_core::store::{NotificationState, Order, OrderStore, StoreError};
use litres_core::{OrderId, ProductId};

use crate::host_store::{expect_nothing, mismatch, HostStore};
use crate::protocol::{Answer, StoreRequest};

#[async_trait]
impl OrderStore for HostStore {
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        match self.call(StoreRequest::LoadOrder { order_id: id }).await? {
            Answer::Order(order) => Ok(order),
            _ => Err(mismatch("load_order")),
        }
    }

    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError> {
        match self.call(StoreRequest::OrdersToNotify { statuses }).await? {
            Answer::OrderIds(ids) => Ok(ids),
            _ => Err(mismatch("orders_to_notify")),
        }
    }

    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let request = StoreRequest::SetOrderStatus {
            order_id: id,
            status,
            reason,
        };
        expect_nothing(self.call(request).await?, "set_order_status")
    }

    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        let request = StoreRequest::LoadNotification {
            order_id: order,
            product_id: product,
        };
        match self.call(request).await? {
            Answer::Notification(state) => Ok(state),
            _ => Err(mismatch("load_notification")),
        }
    }

    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError> {
        let request = StoreRequest::SaveNotification {
            order_id: order,
            product_id: product,
            state,
        };
        expect_nothing(self.call(request).await?, "save_notification")
    }
}
