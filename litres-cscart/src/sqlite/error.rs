//! Conversion of SQLite failures into [`StoreError`] kinds.

use litres_core::store::{StoreError, StoreErrorKind};
use rusqlite::ErrorCode;

/// Converts a SQLite failure during `action` on the database at `path`.
///
/// `action` names the step and the value, such as `updating product 7`. The message adds
/// what the operator can do about the failure, and the SQLite error stays
/// as the source.
pub(super) fn database_error(path: &str, action: &str, error: rusqlite::Error) -> StoreError {
    let (kind, advice) = classify(&error);
    StoreError::new(
        kind,
        format!("{action} failed in SQLite database {path} ({advice})"),
    )
    .with_source(error)
}

fn classify(error: &rusqlite::Error) -> (StoreErrorKind, &'static str) {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            StoreErrorKind::Unavailable,
            "another process is writing to it; retry when that process finishes",
        ),
        Some(ErrorCode::NotADatabase) => (
            StoreErrorKind::Corrupt,
            "the file is not a SQLite database; choose a new file or move this one away",
        ),
        Some(ErrorCode::DatabaseCorrupt) => (
            StoreErrorKind::Corrupt,
            "the file is damaged; restore it from a backup or start a new file",
        ),
        Some(ErrorCode::CannotOpen) => (
            StoreErrorKind::Config,
            "check that the folder exists and that this user may write to it",
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => (
            StoreErrorKind::Config,
            "check that this user may write to the file and its folder",
        ),
        Some(ErrorCode::DiskFull) => (
            StoreErrorKind::Unavailable,
            "the disk is full; free space and retry",
        ),
        Some(ErrorCode::SystemIoFailure | ErrorCode::FileLockingProtocolFailed) => (
            StoreErrorKind::Unavailable,
            "reading or writing the file failed; check the disk and retry",
        ),
        Some(ErrorCode::ConstraintViolation) => (
            StoreErrorKind::Rejected,
            "the data breaks a database constraint",
        ),
        _ => (
            StoreErrorKind::Corrupt,
            "the database returned unexpected data; check that no other program changed it",
        ),
    }
}

/// Converts an id or count to SQLite's signed 64-bit integer.
pub(super) fn to_sql_integer(path: &str, field: &str, value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| {
        StoreError::new(
            StoreErrorKind::Rejected,
            format!(
                "{field} {value} is larger than SQLite database {path} can store (max {})",
                i64::MAX
            ),
        )
    })
}

/// Converts an integer read from the database back to an unsigned id.
pub(super) fn from_sql_integer(path: &str, field: &str, value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| {
        StoreError::new(
            StoreErrorKind::Corrupt,
            format!("SQLite database {path} contains a negative {field} {value}"),
        )
    })
}
