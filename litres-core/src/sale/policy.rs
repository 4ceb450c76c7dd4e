//! Sale notification decisions as pure functions: which lines to send,
//! and the state a line takes after the LitRes response.
//!
//! ```
//! use chrono::Utc;
//! use litres_core::sale::policy::{plan_line, Action};
//! use litres_core::sale::SaleConfig;
//! use litres_core::store::OrderLine;
//! use litres_core::{ArtId, Price, ProductId};
//!
//! let line = OrderLine::new(ProductId(1), Some(ArtId(5)), None, Price::from_kopecks(100));
//! let action = plan_line(true, &line, None, Utc::now(), &SaleConfig::default());
//! assert_eq!(action, Action::Send { attempt: 1 });
//! ```

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::SaleConfig;
use crate::model::ArtId;
use crate::store::{NotificationState, OrderLine};

/// The step a run takes for one order line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Save the line in flight, then send attempt number `attempt`.
    Send {
        /// Number of the attempt, the first being 1.
        attempt: u32,
    },
    /// Record the line as a test, sending nothing.
    RecordTest,
    /// Send nothing and report the line: an earlier run saved it in flight
    /// and never saved the response.
    Unconfirmed {
        /// Number of the attempt whose response was not saved.
        attempt: u32,
        /// When that attempt started.
        started_at: DateTime<Utc>,
    },
    /// Send nothing.
    Skip(Skip),
}

/// The reason a line is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// The product is not a LitRes book.
    NotLitres,
    /// The order's status is not one that sends.
    OrderNotSending,
    /// LitRes accepted the sale earlier.
    AlreadySent,
    /// LitRes rejected the sale earlier.
    AlreadyRejected,
    /// Recorded in test mode earlier.
    AlreadyTest,
    /// The attempts ran out earlier.
    AlreadyGaveUp,
    /// A failed attempt waits for its next try.
    NotDue {
        /// Earliest time of the next attempt.
        next_attempt_at: DateTime<Utc>,
    },
}

/// Decides what a run does with `line`, whose saved state is `state`.
///
/// `order_sends` is true when the order's status is one that sends. Lines
/// in a final state are never sent again. A line in flight is sent again
/// only with [`SaleConfig::resend_unconfirmed`] and an order that sends.
pub fn plan_line(
    order_sends: bool,
    line: &OrderLine,
    state: Option<&NotificationState>,
    now: DateTime<Utc>,
    config: &SaleConfig,
) -> Action {
    if line.art_id.is_none() {
        return Action::Skip(Skip::NotLitres);
    }
    let attempts_made = match state {
        None => 0,
        Some(NotificationState::Sent { .. }) => return Action::Skip(Skip::AlreadySent),
        Some(NotificationState::Rejected { .. }) => return Action::Skip(Skip::AlreadyRejected),
        Some(NotificationState::Test { .. }) => return Action::Skip(Skip::AlreadyTest),
        Some(NotificationState::GaveUp { .. }) => return Action::Skip(Skip::AlreadyGaveUp),
        Some(NotificationState::InFlight {
            attempt,
            started_at,
        }) => {
            if !(config.resend_unconfirmed && order_sends) {
                return Action::Unconfirmed {
                    attempt: *attempt,
                    started_at: *started_at,
                };
            }
            *attempt
        }
        Some(NotificationState::Pending {
            attempts,
            next_attempt_at,
            ..
        }) => {
            if order_sends && *next_attempt_at > now {
                return Action::Skip(Skip::NotDue {
                    next_attempt_at: *next_attempt_at,
                });
            }
            *attempts
        }
    };
    if !order_sends {
        return Action::Skip(Skip::OrderNotSending);
    }
    if config.test_mode {
        return Action::RecordTest;
    }
    Action::Send {
        attempt: attempts_made.saturating_add(1),
    }
}

/// The result of sending one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendResult<'a> {
    /// LitRes recorded the sale.
    Accepted,
    /// LitRes rejected the sale.
    Rejected {
        /// The LitRes status code.
        code: &'a str,
        /// The LitRes message; may be empty.
        message: &'a str,
    },
    /// The request failed without a LitRes response about the sale.
    Failed {
        /// The error, with no key or signature in it.
        error: &'a str,
        /// True for a transport failure (timeout, connection, HTTP 5xx or
        /// 429) that a later attempt may get past.
        retryable: bool,
    },
}

/// The state a line takes after a send, and whether its order fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// New state of the line.
    pub state: NotificationState,
    /// Reason to move the order to the failed status, when it must move.
    pub fail_order: Option<String>,
}

/// Decides the line's state after attempt number `attempt` got `result`.
///
/// - accepted: sent;
/// - rejected: rejected, and the order fails with the LitRes message;
/// - transport failure: pending until `now` plus [`backoff`], or, at the
///   last allowed attempt, gave up, and the order fails;
/// - any other failure (an invalid setting, a bad signature, an
///   unreadable response): pending again at once, and the attempt is not
///   counted, because waiting does not fix it and the order must not fail
///   for the shop's own setup.
pub fn after_send(
    art_id: ArtId,
    attempt: u32,
    result: SendResult<'_>,
    now: DateTime<Utc>,
    config: &SaleConfig,
) -> Transition {
    match result {
        SendResult::Accepted => Transition {
            state: NotificationState::Sent { at: now },
            fail_order: None,
        },
        SendResult::Rejected { code, message } => {
            let reason = if message.trim().is_empty() {
                format!(
                    "LitRes rejected the sale of art id {art_id} with status {code} and no message"
                )
            } else {
                format!("LitRes rejected the sale of art id {art_id}: {message}")
            };
            Transition {
                state: NotificationState::Rejected {
                    message: message.to_owned(),
                },
                fail_order: Some(reason),
            }
        }
        SendResult::Failed {
            error,
            retryable: true,
        } if attempt >= config.max_attempts => Transition {
            state: NotificationState::GaveUp {
                attempts: attempt,
                last_error: error.to_owned(),
            },
            fail_order: Some(format!(
                "the sale of art id {art_id} could not be reported to LitRes \
                 after {attempt} attempts: {error}"
            )),
        },
        SendResult::Failed { error, retryable } => {
            let (attempts, wait) = if retryable {
                (
                    attempt,
                    backoff(attempt, config.retry_base, config.retry_cap),
                )
            } else {
                (attempt.saturating_sub(1), Duration::ZERO)
            };
            let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            Transition {
                state: NotificationState::Pending {
                    attempts,
                    next_attempt_at: now.checked_add_signed(wait).unwrap_or(now),
                    last_error: Some(error.to_owned()),
                },
                fail_order: None,
            }
        }
    }
}

/// Returns the wait after failed attempt number `attempt`:
/// `base * 2^(attempt - 1)`, at most `cap`.
pub fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let doublings = attempt.saturating_sub(1).min(31);
    base.checked_mul(1 << doublings).unwrap_or(cap).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Price, ProductId};

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    fn litres_line() -> OrderLine {
        OrderLine::new(ProductId(1), Some(ArtId(5)), None, Price::from_kopecks(100))
    }

    fn pending(attempts: u32, next: i64) -> NotificationState {
        NotificationState::Pending {
            attempts,
            next_attempt_at: at(next),
            last_error: None,
        }
    }

    fn in_flight() -> NotificationState {
        NotificationState::InFlight {
            attempt: 2,
            started_at: at(-5),
        }
    }

    #[test]
    fn plan_table() {
        let base = SaleConfig::default();
        let test = SaleConfig::default().test_mode(true);
        let resend = SaleConfig::default().resend_unconfirmed(true);
        let sent = NotificationState::Sent { at: at(-1) };
        let rejected = NotificationState::Rejected {
            message: "no".into(),
        };
        let gave_up = NotificationState::GaveUp {
            attempts: 5,
            last_error: "x".into(),
        };
        let tested = NotificationState::Test { at: at(-1) };
        let unconfirmed = Action::Unconfirmed {
            attempt: 2,
            started_at: at(-5),
        };
        let cases: Vec<(&str, bool, Option<NotificationState>, &SaleConfig, Action)> = vec![
            ("new line", true, None, &base, Action::Send { attempt: 1 }),
            (
                "order not sending",
                false,
                None,
                &base,
                Action::Skip(Skip::OrderNotSending),
            ),
            (
                "sent",
                true,
                Some(sent),
                &base,
                Action::Skip(Skip::AlreadySent),
            ),
            (
                "rejected",
                true,
                Some(rejected),
                &base,
                Action::Skip(Skip::AlreadyRejected),
            ),
            (
                "gave up",
                true,
                Some(gave_up),
                &base,
                Action::Skip(Skip::AlreadyGaveUp),
            ),
            (
                "test",
                true,
                Some(tested.clone()),
                &base,
                Action::Skip(Skip::AlreadyTest),
            ),
            (
                "test stays test",
                true,
                Some(tested),
                &test,
                Action::Skip(Skip::AlreadyTest),
            ),
            (
                "pending due",
                true,
                Some(pending(2, 0)),
                &base,
                Action::Send { attempt: 3 },
            ),
            (
                "pending past due",
                true,
                Some(pending(1, -60)),
                &base,
                Action::Send { attempt: 2 },
            ),
            (
                "pending not due",
                true,
                Some(pending(1, 60)),
                &base,
                Action::Skip(Skip::NotDue {
                    next_attempt_at: at(60),
                }),
            ),
            (
                "pending, order left sending",
                false,
                Some(pending(1, -60)),
                &base,
                Action::Skip(Skip::OrderNotSending),
            ),
            (
                "in flight",
                true,
                Some(in_flight()),
                &base,
                unconfirmed.clone(),
            ),
            (
                "in flight, resend",
                true,
                Some(in_flight()),
                &resend,
                Action::Send { attempt: 3 },
            ),
            (
                "in flight, resend, order not sending",
                false,
                Some(in_flight()),
                &resend,
                unconfirmed,
            ),
            ("test mode", true, None, &test, Action::RecordTest),
            (
                "test mode, order not sending",
                false,
                None,
                &test,
                Action::Skip(Skip::OrderNotSending),
            ),
        ];
        for (name, order_sends, state, config, expected) in cases {
            let action = plan_line(order_sends, &litres_line(), state.as_ref(), at(0), config);
            assert_eq!(action, expected, "{name}");
        }
    }

    #[test]
    fn plan_skips_non_litres_line() {
        let line = OrderLine::new(ProductId(2), None, None, Price::from_kopecks(100));
        let action = plan_line(true, &line, None, at(0), &SaleConfig::default());
        assert_eq!(action, Action::Skip(Skip::NotLitres));
    }

    #[test]
    fn send_result_table() {
        let config = SaleConfig::default()
            .max_attempts(3)
            .retry_base(Duration::from_secs(10));
        let transport = SendResult::Failed {
            error: "HTTP 503",
            retryable: true,
        };
        let setup = SendResult::Failed {
            error: "HTTP 403",
            retryable: false,
        };
        let cases = [
            (
                "accepted",
                1,
                SendResult::Accepted,
                NotificationState::Sent { at: at(0) },
                false,
            ),
            (
                "rejected",
                1,
                SendResult::Rejected {
                    code: "1",
                    message: "unknown book",
                },
                NotificationState::Rejected {
                    message: "unknown book".into(),
                },
                true,
            ),
            (
                "first transport failure",
                1,
                transport,
                NotificationState::Pending {
                    attempts: 1,
                    next_attempt_at: at(10),
                    last_error: Some("HTTP 503".into()),
                },
                false,
            ),
            (
                "second transport failure",
                2,
                transport,
                NotificationState::Pending {
                    attempts: 2,
                    next_attempt_at: at(20),
                    last_error: Some("HTTP 503".into()),
                },
                false,
            ),
            (
                "last transport failure",
                3,
                transport,
                NotificationState::GaveUp {
                    attempts: 3,
                    last_error: "HTTP 503".into(),
                },
                true,
            ),
            (
                "setup failure not counted",
                3,
                setup,
                NotificationState::Pending {
                    attempts: 2,
                    next_attempt_at: at(0),
                    last_error: Some("HTTP 403".into()),
                },
                false,
            ),
        ];
        for (name, attempt, result, state, fails) in cases {
            let transition = after_send(ArtId(5), attempt, result, at(0), &config);
            assert_eq!(transition.state, state, "{name}");
            assert_eq!(transition.fail_order.is_some(), fails, "{name}");
        }
    }

    #[test]
    fn rejection_reason_carries_message() {
        let result = SendResult::Rejected {
            code: "1",
            message: "unknown book",
        };
        let transition = after_send(ArtId(5), 1, result, at(0), &SaleConfig::default());
        let reason = transition.fail_order.unwrap();
        assert!(reason.contains("unknown book"), "{reason}");
        assert!(reason.contains("art id 5"), "{reason}");
    }

    #[test]
    fn empty_rejection_reason_names_code() {
        let result = SendResult::Rejected {
            code: "7",
            message: "",
        };
        let transition = after_send(ArtId(5), 1, result, at(0), &SaleConfig::default());
        let reason = transition.fail_order.unwrap();
        assert!(reason.contains("status 7"), "{reason}");
    }

    #[test]
    fn backoff_doubles_up_to_cap() {
        let base = Duration::from_secs(10);
        let cap = Duration::from_secs(50);
        let waits: Vec<u64> = (1..=5)
            .map(|attempt| backoff(attempt, base, cap).as_secs())
            .collect();
        assert_eq!(waits, vec![10, 20, 40, 50, 50]);
        assert_eq!(backoff(u32::MAX, base, cap), cap);
    }
}
