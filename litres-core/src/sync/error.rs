//! Errors that stop a whole genre or product update.

use crate::client::ClientError;
use crate::store::StoreError;
use crate::window::WindowError;

/// An error that stopped a run or kept it from starting. Failures of
/// single records and windows go into the report instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// LitRes could not be read.
    #[error("LitRes request failed: {0}")]
    Source(#[source] ClientError),
    /// The store failed.
    #[error("store operation failed: {0}")]
    Store(#[source] StoreError),
    /// The run's parameters are invalid.
    #[error(transparent)]
    Window(#[from] WindowError),
    /// A bug in the engine: an invariant did not hold.
    #[error("internal error in the sync engine: {0}")]
    Internal(String),
}

impl SyncError {
    pub(crate) fn internal(message: &str) -> Self {
        Self::Internal(message.to_owned())
    }
}
