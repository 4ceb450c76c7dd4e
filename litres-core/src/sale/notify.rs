//! The notification run: reads orders, sends due lines, saves each state.

use chrono::{DateTime, Utc};

use super::policy::{self, Action, SendResult, Skip};
use super::report::FailedOrder;
use super::{LineOutcome, LineReport, SaleConfig, SaleReport};
use crate::client::{Client, SaleRequest, SaleResponse};
use crate::model::{ArtId, ExternalId, OrderId};
use crate::store::{NotificationState, Order, OrderLine, OrderStore, StoreError};

/// A notification run that stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaleError {
    /// The order does not exist in the store.
    #[error("order {0} not found in the store; check the order id")]
    OrderNotFound(OrderId),
    /// The store failed; the run stopped so that no line is sent without
    /// its state saved.
    #[error("sale notification stopped because the store failed: {0}")]
    Store(#[from] StoreError),
}

/// Reports every due LitRes line of one order to LitRes.
///
/// Each line is planned by [`policy::plan_line`]. A line to send is saved
/// [`NotificationState::InFlight`] first, then sent, then saved with the
/// state [`policy::after_send`] gives. When a line is rejected or gives
/// up, the order moves to the failed status with the reason, after the
/// other lines of the run. `now` is the time saved in the states and
/// compared with retry times.
///
/// # Errors
///
/// [`SaleError::OrderNotFound`] for an unknown order, and
/// [`SaleError::Store`] when a store call fails. After a failed save the
/// line stays in flight and later runs report it as unconfirmed.
pub async fn notify_order<S: OrderStore + ?Sized>(
    client: &Client,
    store: &S,
    config: &SaleConfig,
    order_id: OrderId,
    now: DateTime<Utc>,
) -> Result<SaleReport, SaleError> {
    let order = store
        .load_order(order_id)
        .await?
        .ok_or(SaleError::OrderNotFound(order_id))?;
    let order_sends = config.sends(&order.status);
    let mut report = SaleReport::default();
    let mut fail_reason = None;
    for line in &order.lines {
        let state = store.load_notification(order.id, line.product_id).await?;
        let action = policy::plan_line(order_sends, line, state.as_ref(), now, config);
        let (outcome, reason) = apply(client, store, config, &order, line, action, now).await?;
        log_outcome(order.id, line.art_id, &outcome);
        fail_reason = fail_reason.or(reason);
        report.lines.push(LineReport {
            order_id: order.id,
            product_id: line.product_id,
            art_id: line.art_id,
            outcome,
        });
    }
    if let Some(reason) = fail_reason {
        let status = config.failed();
        store.set_order_status(order.id, status, &reason).await?;
        tracing::warn!(order = %order.id, status, reason, "order moved to the failed status");
        report.failed_orders.push(FailedOrder {
            order_id: order.id,
            status: status.to_owned(),
            reason,
        });
    }
    Ok(report)
}

/// Runs [`notify_order`] on every order that
/// [`OrderStore::orders_to_notify`] lists: the cron run.
///
/// # Errors
///
/// As [`notify_order`]; the orders before the failure keep their saved
/// states.
pub async fn notify_pending<S: OrderStore + ?Sized>(
    client: &Client,
    store: &S,
    config: &SaleConfig,
    now: DateTime<Utc>,
) -> Result<SaleReport, SaleError> {
    let orders = store.orders_to_notify(config.statuses()).await?;
    tracing::info!(orders = orders.len(), "sale notification run started");
    let mut report = SaleReport::default();
    for order_id in orders {
        report.merge(notify_order(client, store, config, order_id, now).await?);
    }
    tracing::info!(
        sent = report.count("sent"),
        rejected = report.count("rejected"),
        unconfirmed = report.count("unconfirmed"),
        "sale notification run finished"
    );
    Ok(report)
}

/// Carries out one planned action and returns the line's outcome and, when
/// the order must fail, the reason.
async fn apply<S: OrderStore + ?Sized>(
    client: &Client,
    store: &S,
    config: &SaleConfig,
    order: &Order,
    line: &OrderLine,
    action: Action,
    now: DateTime<Utc>,
) -> Result<(LineOutcome, Option<String>), SaleError> {
    let outcome = match action {
        Action::Skip(skip) => skip_outcome(skip),
        Action::Unconfirmed {
            attempt,
            started_at,
        } => LineOutcome::Unconfirmed {
            attempt,
            started_at,
        },
        Action::RecordTest => {
            let state = NotificationState::Test { at: now };
            store
                .save_notification(order.id, line.product_id, &state)
                .await?;
            LineOutcome::Test
        }
        Action::Send { attempt } => match line.art_id {
            Some(art_id) => {
                let target = SendTarget {
                    order,
                    line,
                    art_id,
                    attempt,
                };
                return send_line(client, store, config, target, now).await;
            }
            None => skip_outcome(Skip::NotLitres),
        },
    };
    Ok((outcome, None))
}

/// The line an attempt sends, with its art id and attempt number.
struct SendTarget<'a> {
    order: &'a Order,
    line: &'a OrderLine,
    art_id: ArtId,
    attempt: u32,
}

async fn send_line<S: OrderStore + ?Sized>(
    client: &Client,
    store: &S,
    config: &SaleConfig,
    target: SendTarget<'_>,
    now: DateTime<Utc>,
) -> Result<(LineOutcome, Option<String>), SaleError> {
    let SendTarget {
        order,
        line,
        art_id,
        attempt,
    } = target;
    let in_flight = NotificationState::InFlight {
        attempt,
        started_at: now,
    };
    store
        .save_notification(order.id, line.product_id, &in_flight)
        .await?;

    let sale = SaleRequest {
        order_id: order.id.to_string(),
        user_id: order.user_id.clone(),
        email: order.email.clone(),
        art_id,
        // The sale call does not send the external id.
        external_id: line
            .external_id
            .clone()
            .unwrap_or_else(|| ExternalId::new("")),
        price: line.price,
    };

    let result = client.notify_sale(&sale).await;
    let error_text = result.as_ref().err().map(ToString::to_string);
    let sent = match &result {
        Ok(SaleResponse::Accepted) => SendResult::Accepted,
        Ok(SaleResponse::Rejected { code, message }) => SendResult::Rejected { code, message },
        Err(error) => SendResult::Failed {
            error: error_text.as_deref().unwrap_or_default(),
            retryable: error.is_retryable(),
        },
    };

    let transition = policy::after_send(art_id, attempt, sent, now, config);
    store
        .save_notification(order.id, line.product_id, &transition.state)
        .await?;
    let outcome = match sent {
        SendResult::Failed {
            error,
            retryable: false,
        } => LineOutcome::Error {
            error: error.to_owned(),
        },
        _ => state_outcome(&transition.state),
    };
    Ok((outcome, transition.fail_order))
}

fn state_outcome(state: &NotificationState) -> LineOutcome {
    match state {
        NotificationState::Sent { .. } => LineOutcome::Sent,
        NotificationState::Rejected { message } => LineOutcome::Rejected {
            message: message.clone(),
        },
        NotificationState::GaveUp {
            attempts,
            last_error,
        } => LineOutcome::GaveUp {
            attempts: *attempts,
            error: last_error.clone(),
        },
        NotificationState::Pending {
            attempts,
            next_attempt_at,
            last_error,
        } => LineOutcome::RetryScheduled {
            attempts: *attempts,
            next_attempt_at: *next_attempt_at,
            error: last_error.clone().unwrap_or_default(),
        },
        NotificationState::Test { .. } => LineOutcome::Test,
        NotificationState::InFlight {
            attempt,
            started_at,
        } => LineOutcome::Unconfirmed {
            attempt: *attempt,
            started_at: *started_at,
        },
    }
}

fn skip_outcome(skip: Skip) -> LineOutcome {
    let reason = match skip {
        Skip::NotDue { next_attempt_at } => return LineOutcome::Waiting { next_attempt_at },
        Skip::NotLitres => "not a LitRes product",
        Skip::OrderNotSending => "the order status does not send sales",
        Skip::AlreadySent => "already sent",
        Skip::AlreadyRejected => "already rejected",
        Skip::AlreadyTest => "already recorded as a test",
        Skip::AlreadyGaveUp => "already gave up",
    };
    LineOutcome::Skipped {
        reason: reason.to_owned(),
    }
}

fn log_outcome(order: OrderId, art_id: Option<ArtId>, outcome: &LineOutcome) {
    let art_id = art_id.map(|id| id.get());
    let name = outcome.name();
    match outcome {
        LineOutcome::Rejected { message } => {
            tracing::warn!(%order, art_id, outcome = name, message, "LitRes rejected a sale");
        }
        LineOutcome::GaveUp { attempts, error } => {
            tracing::warn!(%order, art_id, outcome = name, attempts, error, "sale notification gave up");
        }
        LineOutcome::RetryScheduled {
            attempts,
            next_attempt_at,
            error,
        } => {
            tracing::warn!(%order, art_id, outcome = name, attempts, %next_attempt_at, error, "sale notification failed, retry scheduled");
        }
        LineOutcome::Error { error } => {
            tracing::error!(%order, art_id, outcome = name, error, "sale notification failed; fix the setup and rerun");
        }
        LineOutcome::Unconfirmed { started_at, .. } => {
            tracing::warn!(%order, art_id, outcome = name, %started_at, "sale notification unconfirmed: a run stopped before saving the LitRes response");
        }
        LineOutcome::Skipped { .. } | LineOutcome::Waiting { .. } => {
            tracing::debug!(%order, art_id, outcome = name, "sale line not sent");
        }
        _ => tracing::info!(%order, art_id, outcome = name, "sale line done"),
    }
}
