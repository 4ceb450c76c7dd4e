//! Settings of sale notification.

use std::time::Duration;

/// Settings of a notification run.
///
/// ```
/// use std::time::Duration;
/// use litres_core::sale::SaleConfig;
///
/// let config = SaleConfig::default()
///     .send_statuses(["P", "C"])
///     .max_attempts(3)
///     .retry_base(Duration::from_secs(60));
/// assert!(config.sends("C"));
/// assert!(!config.sends("O"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleConfig {
    pub(crate) send_statuses: Vec<String>,
    pub(crate) failed_status: String,
    pub(crate) test_mode: bool,
    pub(crate) max_attempts: u32,
    pub(crate) retry_base: Duration,
    pub(crate) retry_cap: Duration,
    pub(crate) resend_unconfirmed: bool,
}

impl Default for SaleConfig {
    fn default() -> Self {
        Self {
            send_statuses: vec!["P".to_owned(), "C".to_owned()],
            failed_status: "F".to_owned(),
            test_mode: false,
            max_attempts: 5,
            retry_base: Duration::from_secs(300),
            retry_cap: Duration::from_secs(6 * 3600),
            resend_unconfirmed: false,
        }
    }
}

impl SaleConfig {
    /// Sets the order statuses that send ("Send request to LitRes about a
    /// sale"). Default: `P` and `C`.
    pub fn send_statuses<I, S>(mut self, statuses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send_statuses = statuses.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the status an order moves to when LitRes rejects a sale or the
    /// attempts run out. Default: `F`.
    pub fn failed_status(mut self, status: impl Into<String>) -> Self {
        self.failed_status = status.into();
        self
    }

    /// Records lines as tests instead of sending them. Default: off.
    pub fn test_mode(mut self, on: bool) -> Self {
        self.test_mode = on;
        self
    }

    /// Sets the number of runs that may try a line, the first one
    /// included. A line that fails in transport that often gives up and
    /// fails its order. Values below 1 count as 1. Default: 5.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the wait after the first failed attempt; it doubles after each
    /// later one, up to [`retry_cap`](Self::retry_cap). Default: 300 s.
    pub fn retry_base(mut self, wait: Duration) -> Self {
        self.retry_base = wait;
        self
    }

    /// Sets the longest wait between two attempts. Default: 6 hours.
    pub fn retry_cap(mut self, wait: Duration) -> Self {
        self.retry_cap = wait;
        self
    }

    /// Sends lines left in flight by an interrupted run again. LitRes may
    /// have recorded them already, so this is for an operator who checked.
    /// Default: off, and such lines are only reported as unconfirmed.
    pub fn resend_unconfirmed(mut self, on: bool) -> Self {
        self.resend_unconfirmed = on;
        self
    }

    /// Returns true when an order in `status` sends its sales.
    pub fn sends(&self, status: &str) -> bool {
        self.send_statuses.iter().any(|sending| sending == status)
    }

    /// Returns the statuses that send.
    pub fn statuses(&self) -> &[String] {
        &self.send_statuses
    }

    /// Returns the status of an order whose sale failed.
    pub fn failed(&self) -> &str {
        &self.failed_status
    }

    /// Returns true in test mode.
    pub fn is_test_mode(&self) -> bool {
        self.test_mode
    }
}
