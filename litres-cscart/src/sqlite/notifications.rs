//! Sale notification states of order lines, one row per line.

use chrono::{DateTime, SecondsFormat, Utc};
use litres_core::store::{NotificationState, StoreError, StoreErrorKind};
use litres_core::{OrderId, ProductId};
use rusqlite::{params, OptionalExtension};

use super::SqliteStore;

/// A state split into the columns of `sale_notifications`.
pub(super) struct StateRow {
    pub(super) state: &'static str,
    pub(super) attempts: Option<u32>,
    pub(super) at: Option<String>,
    pub(super) message: Option<String>,
}

fn time_text(time: &DateTime<Utc>) -> Option<String> {
    Some(time.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

pub(super) fn to_row(state: &NotificationState) -> StateRow {
    let row = |attempts, at: Option<String>, message: Option<&String>| StateRow {
        state: state.name(),
        attempts,
        at,
        message: message.cloned(),
    };
    match state {
        NotificationState::Pending {
            attempts,
            next_attempt_at,
            last_error,
        } => row(
            Some(*attempts),
            time_text(next_attempt_at),
            last_error.as_ref(),
        ),
        NotificationState::InFlight {
            attempt,
            started_at,
        } => row(Some(*attempt), time_text(started_at), None),
        NotificationState::Sent { at } | NotificationState::Test { at } => {
            row(None, time_text(at), None)
        }
        NotificationState::Rejected { message } => row(None, None, Some(message)),
        NotificationState::GaveUp {
            attempts,
            last_error,
        } => row(Some(*attempts), None, Some(last_error)),
        // `NotificationState` is non-exhaustive; a state added later needs
        // its own columns here.
        _ => row(None, None, None),
    }
}

impl SqliteStore {
    pub(super) fn select_notification(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<Option<NotificationState>, StoreError> {
        let action = format!("loading the sale state of product {product} in order {order}");
        let (sql_order, sql_product) = self.line_key(order, product)?;
        let connection = self.lock();
        let row = connection
            .prepare_cached(
                "SELECT state, attempts, at, message FROM sale_notifications \
                 WHERE order_id = ?1 AND product_id = ?2",
            )
            .and_then(|mut statement| {
                statement
                    .query_row([sql_order, sql_product], |row| {
                        let state: String = row.get(0)?;
                        let attempts: Option<i64> = row.get(1)?;
                        let at: Option<String> = row.get(2)?;
                        let message: Option<String> = row.get(3)?;
                        Ok((state, attempts, at, message))
                    })
                    .optional()
            })
            .map_err(|error| self.fail(&action, error))?;
        let Some((state, attempts, at, message)) = row else {
            return Ok(None);
        };
        let line = format!("product {product} in order {order}");
        self.parse_state(&line, &state, attempts, at, message)
            .map(Some)
    }

    /// Saves a state, replacing the last one of the line.
    pub(super) fn upsert_notification(
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
        let connection = self.lock_for_write()?;
        let exists = connection
            .query_row(
                "SELECT 1 FROM order_lines WHERE order_id = ?1 AND product_id = ?2",
                [sql_order, sql_product],
                |_| Ok(()),
            )
            .optional()
            .map_err(|error| self.fail(&action, error))?;
        if exists.is_none() {
            return Err(self.not_found(&format!("order {order} line for product {product}")));
        }
        connection
            .prepare_cached(
                "INSERT INTO sale_notifications (order_id, product_id, state, attempts, at, message) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (order_id, product_id) DO UPDATE SET state = excluded.state, \
                 attempts = excluded.attempts, at = excluded.at, message = excluded.message",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    sql_order,
                    sql_product,
                    row.state,
                    row.attempts,
                    row.at,
                    row.message
                ])
            })
            .map_err(|error| self.fail(&action, error))?;
        Ok(())
    }

    pub(super) fn line_key(
        &self,
        order: OrderId,
        product: ProductId,
    ) -> Result<(i64, i64), StoreError> {
        Ok((
            self.write_id("order id", order.get())?,
            self.write_id("product id", product.get())?,
        ))
    }

    pub(super) fn parse_state(
        &self,
        line: &str,
        state: &str,
        attempts: Option<i64>,
        at: Option<String>,
        message: Option<String>,
    ) -> Result<NotificationState, StoreError> {
        let corrupt = |what: &str| {
            StoreError::new(
                StoreErrorKind::Corrupt,
                format!(
                    "SQLite database {} contains a sale state {state:?} of {line} with {what}; \
                     fix or delete that sale_notifications row",
                    self.path
                ),
            )
        };
        let attempts = || -> Result<u32, StoreError> {
            let value = attempts.ok_or_else(|| corrupt("no attempt count"))?;
            u32::try_from(value).map_err(|_| corrupt("an invalid attempt count"))
        };
        let time = || -> Result<DateTime<Utc>, StoreError> {
            let text = at.as_deref().ok_or_else(|| corrupt("no time"))?;
            DateTime::parse_from_rfc3339(text)
                .map(|time| time.with_timezone(&Utc))
                .map_err(|_| corrupt("an invalid time"))
        };
        let parsed = match state {
            "pending" => NotificationState::Pending {
                attempts: attempts()?,
                next_attempt_at: time()?,
                last_error: message,
            },
            "in_flight" => NotificationState::InFlight {
                attempt: attempts()?,
                started_at: time()?,
            },
            "sent" => NotificationState::Sent { at: time()? },
            "test" => NotificationState::Test { at: time()? },
            "rejected" => NotificationState::Rejected {
                message: message.unwrap_or_default(),
            },
            "gave_up" => NotificationState::GaveUp {
                attempts: attempts()?,
                last_error: message.unwrap_or_default(),
            },
            _ => return Err(corrupt("an unknown state name")),
        };
        Ok(parsed)
    }
}
