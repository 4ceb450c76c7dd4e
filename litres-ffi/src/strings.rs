//! Strings across the boundary: pointer and length in, `char *` out, and
//! the one function that frees returned strings.

use std::ffi::{c_char, CString};

use crate::panic::guard_value;
use crate::status::{FfiError, LitresStatus};

/// Borrows a UTF-8 string argument given as pointer and length.
///
/// # Safety
///
/// `ptr`, when not NULL, must point to `len` readable bytes that stay
/// unchanged for `'a`.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::null(name));
    }
    // SAFETY: the caller guarantees `len` readable bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|error| {
        FfiError::new(
            LitresStatus::InvalidUtf8,
            format!(
                "argument `{name}` is not valid UTF-8 (invalid byte at offset {}); pass UTF-8 text",
                error.valid_up_to()
            ),
        )
    })
}

/// Hands a string to the host as a NUL-terminated `char *` that the host
/// frees with `litres_string_free`.
///
/// A NUL byte inside the text would cut it short in C, so it is written as
/// the escape `\0`. JSON from `serde_json` never contains one.
pub(crate) fn into_raw(text: String) -> *mut c_char {
    let text = if text.contains('\0') {
        text.replace('\0', "\\0")
    } else {
        text
    };
    match CString::new(text) {
        Ok(c_string) => c_string.into_raw(),
        // Unreachable after the replacement above, and NULL is the safe result.
        Err(_) => std::ptr::null_mut(),
    }
}

/// Writes `value` through an output pointer checked for NULL beforehand.
///
/// # Safety
///
/// `out` must be valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) {
    // SAFETY: the caller checked `out` and guarantees it is writable.
    unsafe { out.write(value) }
}

/// Frees a string returned by this library. `NULL` does nothing.
///
/// # Safety
///
/// `text` must be NULL or a string this library returned that was not
/// freed yet. Freeing a string twice, or one not made by this library, is
/// undefined behaviour and cannot be detected.
#[no_mangle]
pub unsafe extern "C" fn litres_string_free(text: *mut c_char) {
    guard_value((), || {
        if text.is_null() {
            return;
        }
        // SAFETY: by this function's contract the pointer came from
        // `CString::into_raw` in `into_raw` and is freed at most once.
        drop(unsafe { CString::from_raw(text) });
    });
}
