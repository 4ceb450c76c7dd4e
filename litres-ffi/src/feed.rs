//! Feed inspection: the records of a saved `get_fresh_book` response as
//! JSON lines.

use std::ffi::c_char;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use litres_core::feed::{FeedItem, FeedReader};
use serde_json::json;

use crate::panic::guard;
use crate::status::{FfiError, LitresStatus};
use crate::strings::{into_raw, str_arg, write_out};

/// Reads a feed file and returns one JSON line per record.
fn inspect(path: &Path) -> Result<String, FfiError> {
    let file = File::open(path).map_err(|error| {
        FfiError::new(
            LitresStatus::Io,
            format!("cannot open feed file {}: {error}", path.display()),
        )
    })?;
    let mut reader = FeedReader::new(BufReader::new(file));
    let mut lines = String::new();
    let (mut records, mut failed) = (0u64, 0u64);
    for item in reader.by_ref() {
        let line = match item {
            Ok(FeedItem::Record(record)) => {
                records += 1;
                serde_json::to_string(&record).map_err(|error| {
                    FfiError::new(
                        LitresStatus::Internal,
                        format!(
                            "record {} could not be written as JSON: {error}",
                            record.art_id()
                        ),
                    )
                })?
            }
            Ok(FeedItem::Failed(error)) => {
                failed += 1;
                json!({"kind": "error", "art_id": error.art_id(), "offset": error.offset(), "message": error.message()})
                    .to_string()
            }
            Ok(other) => {
                failed += 1;
                json!({"kind": "error", "art_id": null, "offset": null, "message": format!("unknown feed item: {other:?}")})
                    .to_string()
            }
            Err(error) => {
                failed += 1;
                json!({"kind": "error", "art_id": null, "offset": error.offset(), "message": error.to_string()})
                    .to_string()
            }
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    let summary = json!({
        "kind": "summary",
        "records": records,
        "failed": failed,
        "complete": reader.is_complete(),
        "timestamp": reader.timestamp(),
    });
    lines.push_str(&summary.to_string());
    lines.push('\n');
    Ok(lines)
}

/// Parses the feed file at `path` and writes its records to `*out_lines`
/// as JSON lines.
///
/// Each record is one object: `"kind": "updated"` with the parsed book,
/// `"removed"`, or `"error"` with `art_id`, `offset` and `message`. A
/// record that cannot be parsed becomes an `error` line, and the rest of
/// the feed is still read. The last line is a `"summary"` with `records`,
/// `failed`, `complete` and the feed `timestamp`.
///
/// Returns `Io` when the file cannot be opened. The whole output is held
/// in memory.
///
/// # Safety
///
/// `path` must point to `path_len` readable bytes; `out_lines` must be
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_feed_inspect(
    path: *const c_char,
    path_len: usize,
    out_lines: *mut *mut c_char,
) -> LitresStatus {
    guard(|| {
        if out_lines.is_null() {
            return Err(FfiError::null("out_lines"));
        }
        // SAFETY: the caller passes `path_len` readable bytes.
        let path = unsafe { str_arg(path, path_len, "path") }?;
        let lines = inspect(Path::new(path))?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_lines, into_raw(lines)) };
        Ok(())
    })
}
