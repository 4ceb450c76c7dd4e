//! The one boundary helper every export runs its body in: it catches
//! panics, so none unwinds into the host, and records the message of a
//! failed call for `litres_last_error`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::last_error;
use crate::status::{FfiError, LitresStatus};

/// Runs the body of a fallible export and returns its status.
///
/// On `Err` or a panic the message is stored as the calling thread's last
/// error. The body writes its outputs itself, only once it has succeeded.
pub fn guard<F>(body: F) -> LitresStatus
where
    F: FnOnce() -> Result<(), FfiError>,
{
    // Exports share no state that a panic could leave half-changed and
    // that a later call trusts without checking, so unwind safety is
    // asserted here once for all of them.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => LitresStatus::Ok,
        Ok(Err(error)) => {
            let status = error.status();
            last_error::set(error);
            status
        }
        Err(payload) => {
            last_error::set(panic_error(payload.as_ref()));
            LitresStatus::Panic
        }
    }
}

/// Runs the body of an infallible export, returning `fallback` after a
/// panic, whose message becomes the last error.
pub fn guard_value<T, F>(fallback: T, body: F) -> T
where
    F: FnOnce() -> T,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            last_error::set(panic_error(payload.as_ref()));
            fallback
        }
    }
}

/// Turns a panic payload into the error returned to the host.
pub(crate) fn panic_error(payload: &(dyn Any + Send)) -> FfiError {
    let text = if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "no message".to_owned()
    };
    FfiError::new(
        LitresStatus::Panic,
        format!("internal error in the litres library (Rust panic: {text}); please report it"),
    )
}
