//! The error every store returns.

use std::error::Error as StdError;
use std::fmt;

/// What kind of failure a store reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// A record the call names does not exist.
    NotFound,
    /// The store rejected the data (a validation error from the shop).
    Rejected,
    /// The store's settings are wrong (missing feature, wrong type).
    Config,
    /// The store could not be reached or failed on its side; retrying later
    /// may work.
    Unavailable,
    /// The store's own data is broken or of an unexpected shape.
    Corrupt,
}

/// A failed store operation, with what failed and the cause.
#[derive(Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl StoreError {
    /// Makes an error of a kind with a message that names the value and
    /// what to do.
    pub fn new(kind: StoreErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Returns the kind of failure.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// Returns the message without the cause.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns true when retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind == StoreErrorKind::Unavailable
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}
