//! Buyer download links.

use std::ffi::c_char;

use litres_core::download::download_link;
use litres_core::ExternalId;

use crate::client::{client_ref, LitresClient};
use crate::panic::guard;
use crate::status::{FfiError, LitresStatus};
use crate::strings::{into_raw, str_arg, write_out};

/// Builds a signed buyer link on the client's `download_domain`, valid 12
/// hours, and writes it to `*out_link`.
///
/// `user_id` is the buyer id put in the link, such as the order id.
/// `external_id` is the book's LitRes external id, and `ext` a file format
/// such as `fb2.zip`. `now_unix` is the current Unix time in seconds; 0 reads the
/// system clock. Returns `InvalidArgument` naming the part that is invalid.
///
/// # Safety
///
/// `client` must be NULL or a live client; each string must point to its
/// length in readable bytes; `out_link` must be NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn litres_download_link(
    client: *const LitresClient,
    user_id: *const c_char,
    user_id_len: usize,
    external_id: *const c_char,
    external_id_len: usize,
    ext: *const c_char,
    ext_len: usize,
    now_unix: i64,
    out_link: *mut *mut c_char,
) -> LitresStatus {
    guard(|| {
        if out_link.is_null() {
            return Err(FfiError::null("out_link"));
        }
        // SAFETY: see the function's contract for every pointer below.
        let client = unsafe { client_ref(client) }?;
        let user_id = unsafe { str_arg(user_id, user_id_len, "user_id") }?;
        let external_id = unsafe { str_arg(external_id, external_id_len, "external_id") }?;
        let ext = unsafe { str_arg(ext, ext_len, "ext") }?;
        let now = if now_unix == 0 {
            chrono::Utc::now().timestamp()
        } else {
            now_unix
        };
        let settings = &client.settings;
        let link = download_link(
            settings.download_domain.trim(),
            &settings.secret_key,
            user_id,
            &ExternalId::new(external_id),
            ext,
            now,
        )
        .map_err(|error| FfiError::new(LitresStatus::InvalidArgument, error.to_string()))?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_link, into_raw(link)) };
        Ok(())
    })
}
