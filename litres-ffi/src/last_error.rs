//! The message of the last failed call, kept per thread.

use std::cell::RefCell;

use crate::status::FfiError;

thread_local! {
    static LAST_ERROR: RefCell<Option<FfiError>> = const { RefCell::new(None) };
}

/// Stores `error` as the calling thread's last error.
pub(crate) fn set(error: FfiError) {
    tracing::debug!(status = ?error.status(), message = error.message(), "litres call failed");
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(error));
}

/// Returns the calling thread's last error.
pub(crate) fn get() -> Option<FfiError> {
    LAST_ERROR.with(|slot| slot.borrow().clone())
}
