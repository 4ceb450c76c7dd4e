//! The order side of a store: what sale notification and buyer links need.
//!
//! A shop implements [`OrderStore`] beside [`CartStore`](super::CartStore).
//! The store keeps, per order line, the [`NotificationState`] of its sale
//! notification, so a rerun or a repeated status change never reports a
//! line twice.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::model::{ArtId, ExternalId, OrderId, Price, ProductId};

/// An order as sale notification reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Order {
    /// Store id.
    pub id: OrderId,
    /// Current order status code, such as `P` (processed) in CS-Cart.
    pub status: String,
    /// Reason recorded with the current status by
    /// [`OrderStore::set_order_status`]; `None` when none was recorded.
    pub status_reason: Option<String>,
    /// The buyer's id, sent to LitRes and put into download links.
    pub user_id: String,
    /// The buyer's e-mail address.
    pub email: String,
    /// Ordered products, one line per product.
    pub lines: Vec<OrderLine>,
}

impl Order {
    /// Makes an order with no recorded status reason.
    pub fn new(
        id: OrderId,
        status: impl Into<String>,
        user_id: impl Into<String>,
        email: impl Into<String>,
        lines: Vec<OrderLine>,
    ) -> Self {
        Self {
            id,
            status: status.into(),
            status_reason: None,
            user_id: user_id.into(),
            email: email.into(),
            lines,
        }
    }

    /// Returns the line of a product.
    pub fn line(&self, product_id: ProductId) -> Option<&OrderLine> {
        self.lines.iter().find(|line| line.product_id == product_id)
    }
}

/// One ordered product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderLine {
    /// Store product id; unique within an order.
    pub product_id: ProductId,
    /// LitRes art id; `None` for a product that is not a LitRes book.
    pub art_id: Option<ArtId>,
    /// LitRes external id, which download links carry.
    pub external_id: Option<ExternalId>,
    /// Price the buyer paid, in RUB.
    pub price: Price,
}

impl OrderLine {
    /// Makes an order line.
    pub fn new(
        product_id: ProductId,
        art_id: Option<ArtId>,
        external_id: Option<ExternalId>,
        price: Price,
    ) -> Self {
        Self {
            product_id,
            art_id,
            external_id,
            price,
        }
    }
}

/// The progress of the sale notification of one order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotificationState {
    /// Not sent yet, or sent and failed in transport; sent again at or
    /// after `next_attempt_at`.
    Pending {
        /// Attempts made so far.
        attempts: u32,
        /// Earliest time of the next attempt.
        next_attempt_at: DateTime<Utc>,
        /// Error of the last attempt.
        last_error: Option<String>,
    },
    /// Saved before the request goes out. A line left in this state means
    /// the run stopped before the LitRes response was saved, so LitRes may
    /// or may not have recorded the sale.
    InFlight {
        /// Number of this attempt, the first being 1.
        attempt: u32,
        /// When the attempt started.
        started_at: DateTime<Utc>,
    },
    /// LitRes accepted the sale.
    Sent {
        /// When the acceptance was saved.
        at: DateTime<Utc>,
    },
    /// LitRes rejected the sale.
    Rejected {
        /// The LitRes message.
        message: String,
    },
    /// Every allowed attempt failed in transport.
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Error of the last attempt.
        last_error: String,
    },
    /// Recorded in test mode; nothing was sent.
    Test {
        /// When it was recorded.
        at: DateTime<Utc>,
    },
}

impl NotificationState {
    /// Returns the state's name as used in reports: `pending`,
    /// `in_flight`, `sent`, `rejected`, `gave_up` or `test`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pending { .. } => "pending",
            Self::InFlight { .. } => "in_flight",
            Self::Sent { .. } => "sent",
            Self::Rejected { .. } => "rejected",
            Self::GaveUp { .. } => "gave_up",
            Self::Test { .. } => "test",
        }
    }

    /// Returns true for a state no run changes: sent, rejected, gave up or
    /// test.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Pending { .. } | Self::InFlight { .. })
    }
}

/// A shop's orders, as sale notification reads and updates them.
///
/// Calls arrive one at a time from one task. A notification run saves
/// [`NotificationState::InFlight`] before each request and the outcome
/// after it, so a store must make each saved state durable before the
/// call returns.
// NOTE: two runs at the same time may both read a line as due and both
// send it; run one notification process at a time (one cron entry).
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Loads an order with its lines, or `None` when it does not exist.
    async fn load_order(&self, id: OrderId) -> Result<Option<Order>, StoreError>;

    /// Lists, in id order, the orders a notification run must look at.
    /// These are the orders whose status is one of `statuses` and that
    /// have a LitRes line (one with an art id) with no state, plus the
    /// orders of any status with a line that is pending or in flight.
    async fn orders_to_notify(&self, statuses: &[String]) -> Result<Vec<OrderId>, StoreError>;

    /// Sets an order's status and records why.
    ///
    /// # Errors
    ///
    /// `NotFound` when the order does not exist.
    async fn set_order_status(
        &self,
        id: OrderId,
        status: &str,
        reason: &str,
    ) -> Result<(), StoreError>;

    /// Loads the notification state of an order line, or `None` when no
    /// state was saved yet.
    async fn load_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError>;

    /// Saves the notification state of an order line, replacing the last.
    ///
    /// # Errors
    ///
    /// `NotFound` when the order has no line for the product.
    async fn save_notification(
        &self,
        order: OrderId,
        product: ProductId,
        state: &NotificationState,
    ) -> Result<(), StoreError>;
}
