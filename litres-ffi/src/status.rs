//! Status codes every fallible export returns, and the error behind them.

use std::fmt;

/// Result of a call. Values are fixed: a code is never renumbered or
/// reused for another meaning, so hosts may compare with the numbers.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LitresStatus {
    /// The call succeeded and wrote its outputs.
    Ok = 0,
    /// A pointer argument was NULL.
    NullArgument = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// The JSON config was invalid or a setting failed validation.
    InvalidConfig = 3,
    /// An argument other than the config was invalid, such as update
    /// parameters, a download link part, or an order id the store does
    /// not know.
    InvalidArgument = 4,
    /// A job stopped (an update, a sale notification run or a buyer
    /// link): LitRes or the host store failed.
    UpdateFailed = 5,
    /// The host's answer to a store request did not parse or had the wrong
    /// shape; the job fails.
    InvalidAnswer = 6,
    /// The job was cancelled.
    Cancelled = 7,
    /// The job handle is not live: it was freed or never made by this
    /// library.
    InvalidHandle = 8,
    /// The call does not fit the job's state, such as an answer when no
    /// request is pending.
    InvalidState = 9,
    /// A file could not be read.
    Io = 10,
    /// A Rust panic was caught at the boundary; the library state touched
    /// by the call may be unusable.
    Panic = 11,
    /// The library could not start its async runtime or hit a state it
    /// does not expect.
    Internal = 12,
}

/// A failed call: the status to return and the message for
/// `litres_last_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FfiError {
    status: LitresStatus,
    message: String,
}

impl FfiError {
    /// Makes an error with a status and a message that names the value and
    /// what to do.
    pub fn new(status: LitresStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// Makes the error of a NULL pointer argument.
    pub fn null(argument: &str) -> Self {
        Self::new(
            LitresStatus::NullArgument,
            format!("argument `{argument}` is NULL; pass a valid pointer"),
        )
    }

    /// Returns the status.
    pub fn status(&self) -> LitresStatus {
        self.status
    }

    /// Returns the message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FfiError {}
