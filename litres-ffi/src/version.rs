//! Versions and the last error.

use std::ffi::c_char;

use crate::last_error;
use crate::panic::guard_value;
use crate::strings::into_raw;

/// Version of the C ABI. It grows by one whenever an existing function,
/// type, status or JSON shape changes incompatibly. Hosts refuse to run
/// with another value. Additions keep it: new functions, and new request
/// ops or `done` fields that only those functions' jobs send, because a
/// host built for the older ABI never calls them.
pub const LITRES_ABI_VERSION: u32 = 1;

/// Returns [`LITRES_ABI_VERSION`], the ABI this library was built with, or
/// 0 after a panic.
#[no_mangle]
pub extern "C" fn litres_abi_version() -> u32 {
    guard_value(0, || LITRES_ABI_VERSION)
}

/// Returns the library version, such as `0.1.0`, as a string the caller
/// frees with `litres_string_free`.
#[no_mangle]
pub extern "C" fn litres_version() -> *mut c_char {
    guard_value(std::ptr::null_mut(), || {
        into_raw(env!("CARGO_PKG_VERSION").to_owned())
    })
}

/// Returns the message of the last call on this thread that returned a
/// status other than `Ok`, or NULL when there was none. The caller frees
/// the string with `litres_string_free`. Successful calls leave the
/// message in place.
#[no_mangle]
pub extern "C" fn litres_last_error() -> *mut c_char {
    guard_value(std::ptr::null_mut(), || match last_error::get() {
        Some(error) => into_raw(error.message().to_owned()),
        None => std::ptr::null_mut(),
    })
}
