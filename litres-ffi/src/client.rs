//! Client handles: the settings and the LitRes client made from a JSON
//! config.

use std::ffi::c_char;
use std::sync::{Mutex, PoisonError};

use litres_core::client::Client;
use litres_core::settings::Settings;

use crate::panic::{guard, guard_value};
use crate::status::{FfiError, LitresStatus};
use crate::strings::{str_arg, write_out};

/// Settings and a LitRes client. Opaque to the host.
#[derive(Debug)]
pub struct LitresClient {
    pub(crate) settings: Settings,
    /// The LitRes client and the id of the process that made it.
    client: Mutex<(u32, Client)>,
}

impl LitresClient {
    /// Parses and checks the JSON config and makes the LitRes client.
    pub(crate) fn from_json(config: &str) -> Result<Self, FfiError> {
        let invalid = |message: String| FfiError::new(LitresStatus::InvalidConfig, message);
        let settings: Settings = serde_json::from_str(config)
            .map_err(|error| invalid(format!("invalid JSON config: {error}")))?;
        let problems = settings.validate();
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(invalid(format!("invalid config: {}", list.join("; "))));
        }
        let client = Client::new(settings.client_config())
            .map_err(|error| invalid(format!("invalid LitRes settings: {error}")))?;
        let client = Mutex::new((std::process::id(), client));
        Ok(Self { settings, client })
    }

    /// Returns the LitRes client of this process.
    ///
    /// Pooled connections belong to the runtime of the process that opened
    /// them. After a fork that runtime has no threads, and a request on
    /// such a connection waits for its timeout, so a forked child gets a
    /// new client, with a new pool and rate limiter.
    pub(crate) fn litres(&self) -> Result<Client, FfiError> {
        let mut slot = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if slot.0 != pid {
            let client = Client::new(self.settings.client_config()).map_err(|error| {
                FfiError::new(
                    LitresStatus::InvalidConfig,
                    format!("invalid LitRes settings: {error}"),
                )
            })?;
            *slot = (pid, client);
        }
        Ok(slot.1.clone())
    }
}

/// Makes a client from a JSON object of settings (the names of the add-on
/// and `litres.toml`, such as `partner_id`, `secret_key`, `base_url`) and
/// writes the handle to `*out_client`.
///
/// Returns `InvalidConfig` for JSON that does not parse, an unknown
/// setting, or a setting that fails validation; the last error names it.
/// The async runtime is not started here.
///
/// # Safety
///
/// `config` must point to `config_len` readable bytes; `out_client` must be
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_client_new(
    config: *const c_char,
    config_len: usize,
    out_client: *mut *mut LitresClient,
) -> LitresStatus {
    guard(|| {
        if out_client.is_null() {
            return Err(FfiError::null("out_client"));
        }
        // SAFETY: the caller passes `config_len` readable bytes.
        let text = unsafe { str_arg(config, config_len, "config") }?;
        let client = LitresClient::from_json(text)?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_client, Box::into_raw(Box::new(client))) };
        Ok(())
    })
}

/// Frees a client. `NULL` does nothing. Jobs started from the client keep
/// their own copy and may outlive it.
///
/// # Safety
///
/// `client` must be NULL or a handle from `litres_client_new` not freed
/// yet. Unlike job handles, a freed client handle is not detected.
#[no_mangle]
pub unsafe extern "C" fn litres_client_free(client: *mut LitresClient) {
    guard_value((), || {
        if client.is_null() {
            return;
        }
        // SAFETY: the handle came from `Box::into_raw` in
        // `litres_client_new` and is freed once, per the contract.
        drop(unsafe { Box::from_raw(client) });
    });
}

/// Returns the client behind a handle.
///
/// # Safety
///
/// `client` must be NULL or a live handle from `litres_client_new`.
pub(crate) unsafe fn client_ref<'a>(
    client: *const LitresClient,
) -> Result<&'a LitresClient, FfiError> {
    if client.is_null() {
        return Err(FfiError::null("client"));
    }
    // SAFETY: non-NULL handles are live per the caller's contract.
    Ok(unsafe { &*client })
}
