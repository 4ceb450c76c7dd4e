//! The report of a notification run, line by line.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{ArtId, OrderId, ProductId};

/// The result of one notification run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SaleReport {
    /// Every line looked at, in order and line order.
    pub lines: Vec<LineReport>,
    /// Orders moved to the failed status, with the reason recorded.
    pub failed_orders: Vec<FailedOrder>,
}

/// An order that a run moved to the failed status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedOrder {
    /// The order.
    pub order_id: OrderId,
    /// The status it moved to.
    pub status: String,
    /// The reason recorded with it.
    pub reason: String,
}

impl SaleReport {
    /// Returns true when a line was rejected, gave up or failed with an
    /// error in this run.
    pub fn has_failures(&self) -> bool {
        self.lines.iter().any(|line| line.outcome.is_failure())
    }

    /// Returns the number of lines with the outcome named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.lines
            .iter()
            .filter(|line| line.outcome.name() == name)
            .count()
    }

    pub(crate) fn merge(&mut self, other: SaleReport) {
        self.lines.extend(other.lines);
        self.failed_orders.extend(other.failed_orders);
    }
}

/// The result of one order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LineReport {
    /// The order.
    pub order_id: OrderId,
    /// The product of the line.
    pub product_id: ProductId,
    /// LitRes art id, `None` for a product that is not a LitRes book.
    pub art_id: Option<ArtId>,
    /// The outcome; its fields appear beside the ids in JSON.
    #[serde(flatten)]
    pub outcome: LineOutcome,
}

/// The outcome of one line in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LineOutcome {
    /// LitRes accepted the sale in this run.
    Sent,
    /// LitRes rejected the sale in this run.
    Rejected {
        /// The LitRes message.
        message: String,
    },
    /// The attempt failed; the line waits for a later run.
    RetryScheduled {
        /// Attempts made so far.
        attempts: u32,
        /// Earliest time of the next attempt.
        next_attempt_at: DateTime<Utc>,
        /// The error.
        error: String,
    },
    /// The attempt failed with an error that waiting does not fix, such as
    /// a bad signature; the line is sent again on the next run.
    Error {
        /// The error.
        error: String,
    },
    /// The last allowed attempt failed; the order failed.
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// The last error.
        error: String,
    },
    /// Recorded in test mode; nothing was sent.
    Test,
    /// An earlier run sent the line and stopped before saving the response.
    /// Check with LitRes, then rerun with `resend_unconfirmed` if the sale
    /// is missing there.
    Unconfirmed {
        /// Number of the attempt whose response was not saved.
        attempt: u32,
        /// When it started.
        started_at: DateTime<Utc>,
    },
    /// A failed attempt waits for its next try.
    Waiting {
        /// Earliest time of the next attempt.
        next_attempt_at: DateTime<Utc>,
    },
    /// Nothing to do: the line is done or does not concern LitRes.
    Skipped {
        /// Why, such as `already sent` or `not a LitRes product`.
        reason: String,
    },
}

impl LineOutcome {
    /// Returns the outcome's name as in the JSON report, such as `sent`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Rejected { .. } => "rejected",
            Self::RetryScheduled { .. } => "retry_scheduled",
            Self::Error { .. } => "error",
            Self::GaveUp { .. } => "gave_up",
            Self::Test => "test",
            Self::Unconfirmed { .. } => "unconfirmed",
            Self::Waiting { .. } => "waiting",
            Self::Skipped { .. } => "skipped",
        }
    }

    /// Returns true for rejected, gave up and error.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::Rejected { .. } | Self::GaveUp { .. } | Self::Error { .. }
        )
    }
}
