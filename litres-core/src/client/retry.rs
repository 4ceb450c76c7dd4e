//! Retry decisions: which failures are worth another attempt, and when.
//!
//! Pure functions with no I/O, so the policy is tested without a network.
//! Connection failures, timeouts, other transport failures, HTTP 5xx and
//! HTTP 429 are retried; every other status is final.

use std::time::Duration;

/// The result of one attempt of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// No response within the configured time.
    Timeout,
    /// The connection broke in another way, such as a reset mid-response.
    Transport,
    /// LitRes returned this HTTP status.
    Status {
        /// HTTP status code.
        code: u16,
        /// Delay asked for by a `Retry-After` header in seconds, if any.
        retry_after: Option<Duration>,
    },
}

impl Outcome {
    /// Returns true when repeating the same request may succeed.
    pub fn is_transient(&self) -> bool {
        match *self {
            Self::Connect | Self::Timeout | Self::Transport => true,
            Self::Status { code, .. } => code == 429 || (500..=599).contains(&code),
        }
    }
}

/// The next step after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send the request again.
    Retry(Duration),
    /// Stop and report the failure.
    GiveUp,
}

/// Limits of the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included; at least 1.
    pub max_attempts: u32,
    /// Backoff before the second attempt; it doubles for each later one.
    pub base_backoff: Duration,
    /// Cap on the backoff, and on a `Retry-After` delay the client will wait.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1-based), which ended
    /// with `outcome`.
    ///
    /// `jitter` is a random number in `[0, 1)`; the backoff is spread over
    /// `[cap / 2, cap)` by it, so that clients started together do not
    /// retry in step. A `Retry-After` delay is used as sent, without
    /// jitter, when it is at least the backoff. A `Retry-After` longer than
    /// `max_backoff` gives up, so the caller is not blocked that long.
    pub fn decide(&self, outcome: &Outcome, attempt: u32, jitter: f64) -> Decision {
        if !outcome.is_transient() || attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let backoff = self.backoff(attempt, jitter);
        match *outcome {
            Outcome::Status {
                retry_after: Some(asked),
                ..
            } => {
                if asked > self.max_backoff {
                    Decision::GiveUp
                } else {
                    Decision::Retry(asked.max(backoff))
                }
            }
            _ => Decision::Retry(backoff),
        }
    }

    /// Returns the backoff after attempt number `attempt` (1-based):
    /// `base_backoff * 2^(attempt - 1)`, capped at `max_backoff`, then
    /// scaled into `[cap / 2, cap)` by `jitter`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let cap = self
            .base_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        cap / 2 + cap.mul_f64(jitter / 2.0)
    }
}

/// Parses a `Retry-After` header given in whole seconds.
///
/// The HTTP-date form gives `None`, and the normal backoff applies.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_backoff: 100 * MS,
            max_backoff: 1000 * MS,
        }
    }

    fn status(code: u16) -> Outcome {
        Outcome::Status {
            code,
            retry_after: None,
        }
    }

    #[test]
    fn decision_table() {
        let cases = [
            (Outcome::Connect, 1, Decision::Retry(50 * MS)),
            (Outcome::Timeout, 1, Decision::Retry(50 * MS)),
            (Outcome::Transport, 2, Decision::Retry(100 * MS)),
            (status(500), 1, Decision::Retry(50 * MS)),
            (status(503), 3, Decision::Retry(200 * MS)),
            (status(429), 1, Decision::Retry(50 * MS)),
            (status(599), 1, Decision::Retry(50 * MS)),
            (status(400), 1, Decision::GiveUp),
            (status(401), 1, Decision::GiveUp),
            (status(403), 1, Decision::GiveUp),
            (status(404), 1, Decision::GiveUp),
            (status(200), 1, Decision::GiveUp),
            (status(503), 4, Decision::GiveUp),
            (Outcome::Connect, 4, Decision::GiveUp),
            (Outcome::Timeout, 9, Decision::GiveUp),
        ];
        for (outcome, attempt, expected) in cases {
            assert_eq!(
                policy().decide(&outcome, attempt, 0.0),
                expected,
                "{outcome:?} after attempt {attempt}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured() {
        let outcome = Outcome::Status {
            code: 429,
            retry_after: Some(Duration::from_secs(1)),
        };
        assert_eq!(
            policy().decide(&outcome, 1, 0.9),
            Decision::Retry(Duration::from_secs(1))
        );
    }

    #[test]
    fn retry_after_shorter_than_backoff_waits_backoff() {
        let outcome = Outcome::Status {
            code: 503,
            retry_after: Some(Duration::ZERO),
        };
        assert_eq!(policy().decide(&outcome, 3, 0.0), Decision::Retry(200 * MS));
    }

    #[test]
    fn retry_after_beyond_max_backoff_gives_up() {
        let outcome = Outcome::Status {
            code: 429,
            retry_after: Some(Duration::from_secs(5)),
        };
        assert_eq!(policy().decide(&outcome, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn retry_after_ignored_on_final_status() {
        let outcome = Outcome::Status {
            code: 400,
            retry_after: Some(Duration::from_secs(1)),
        };
        assert_eq!(policy().decide(&outcome, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = policy();
        let caps: Vec<Duration> = (1..=6)
            .map(|attempt| policy.backoff(attempt, 0.0))
            .collect();
        assert_eq!(
            caps,
            vec![50 * MS, 100 * MS, 200 * MS, 400 * MS, 500 * MS, 500 * MS]
        );
        assert_eq!(policy.backoff(u32::MAX, 0.0), 500 * MS);
    }

    #[test]
    fn jitter_spreads_within_half_to_full_cap() {
        let policy = policy();
        assert_eq!(policy.backoff(2, 0.5), 150 * MS);
        assert!(policy.backoff(2, 0.999_999) < 200 * MS);
        assert_eq!(policy.backoff(2, 7.0), 200 * MS);
        assert_eq!(policy.backoff(2, f64::NAN), 100 * MS);
        assert_eq!(policy.backoff(2, -1.0), 100 * MS);
    }

    #[test]
    fn single_attempt_never_retries() {
        let policy = RetryPolicy {
            max_attempts: 1,
            ..policy()
        };
        assert_eq!(policy.decide(&Outcome::Connect, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after(""), None);
    }
}
