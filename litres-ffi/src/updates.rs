//! Starting the genre and product updates as jobs.

use std::ffi::c_char;

use chrono::NaiveDate;
use litres_core::sync::{self, BookRequest, NoProgress, SyncError};
use litres_core::{ExternalId, WorkType};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::client::client_ref;
use crate::client::LitresClient;
use crate::job::{start_job, LitresJob};
use crate::panic::guard;
use crate::status::{FfiError, LitresStatus};
use crate::strings::{str_arg, write_out};

/// Starts the genre update and writes the job handle to `*out_job`.
///
/// Drive the job with `litres_job_next` and `litres_job_answer`; the
/// `done` report has `positions`, `created`, `updated`, `unchanged`,
/// `disabled` and `elapsed` (seconds). Starts the async runtime on first
/// use.
///
/// # Safety
///
/// `client` must be NULL or a live client; `out_job` must be NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn litres_genres_start(
    client: *const LitresClient,
    out_job: *mut *mut LitresJob,
) -> LitresStatus {
    guard(|| {
        if out_job.is_null() {
            return Err(FfiError::null("out_job"));
        }
        // SAFETY: see the function's contract.
        let client = unsafe { client_ref(client) }?;
        let litres = client.litres()?;
        let config = client.settings.sync_config();
        let job = start_job(move |store| async move {
            let report = sync::update_genres(&litres, &store, &config)
                .await
                .map_err(sync_error)?;
            Ok(done_json(true, &report))
        })?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_job, job) };
        Ok(())
    })
}

/// Starts the product update with parameters as JSON and writes the job
/// handle to `*out_job`.
///
/// Parameters are those of the admin page and the `litres` tool, each
/// optional:
///
/// - `product_type`: one work type code, such as `"0"`. Default: every
///   type of `product_types`.
/// - `from`: a date `YYYY-MM-DD`. The update starts at 00:00 Moscow time
///   of that day instead of the checkpoint.
/// - `days` or `minutes`: the window length. Default: one day.
/// - `uuid`: import one book by external id.
///
/// Empty strings and `null` count as absent, and `{}` or an empty string
/// takes every default. Returns `InvalidArgument` naming a parameter that
/// is invalid.
///
/// The `done` report has `windows`, `seen`, `created`, `updated`,
/// `unchanged`, `disabled`, `failed` and `elapsed`; `success` is false
/// when a window or record failed.
///
/// # Safety
///
/// `client` must be NULL or a live client; `params` must point to
/// `params_len` readable bytes; `out_job` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_books_start(
    client: *const LitresClient,
    params: *const c_char,
    params_len: usize,
    out_job: *mut *mut LitresJob,
) -> LitresStatus {
    guard(|| {
        if out_job.is_null() {
            return Err(FfiError::null("out_job"));
        }
        // SAFETY: see the function's contract.
        let client = unsafe { client_ref(client) }?;
        // SAFETY: the caller passes `params_len` readable bytes.
        let text = unsafe { str_arg(params, params_len, "params") }?;
        let request = book_request(text)?;
        let litres = client.litres()?;
        let config = client.settings.sync_config();
        let job = start_job(move |store| async move {
            let report = sync::update_books(&litres, &store, &config, &request, &NoProgress)
                .await
                .map_err(sync_error)?;
            Ok(done_json(report.is_success(), &report))
        })?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_job, job) };
        Ok(())
    })
}

pub(crate) fn done_json(success: bool, report: &impl serde::Serialize) -> String {
    json!({"op": "done", "success": success, "report": report}).to_string()
}

fn sync_error(error: SyncError) -> FfiError {
    let status = match error {
        SyncError::Window(_) => LitresStatus::InvalidArgument,
        _ => LitresStatus::UpdateFailed,
    };
    FfiError::new(status, error.to_string())
}

/// The product update parameters as the host sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct BookParams {
    product_type: Value,
    from: Value,
    days: Value,
    minutes: Value,
    uuid: Value,
}

fn invalid(message: String) -> FfiError {
    FfiError::new(LitresStatus::InvalidArgument, message)
}

/// Parses the parameters JSON into a product update request.
pub(crate) fn book_request(text: &str) -> Result<BookRequest, FfiError> {
    let params: BookParams = if text.trim().is_empty() {
        BookParams::default()
    } else {
        serde_json::from_str(text)
            .map_err(|error| invalid(format!("invalid product update parameters: {error}")))?
    };
    let mut request = BookRequest::default();
    if let Some(code) = text_param("product_type", &params.product_type)? {
        if !code.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(invalid(format!(
                "parameter product_type {code:?} is not a work type code: use a number such as 0 (text), 1 (audio), 4 (PDF) or 11"
            )));
        }
        request.work_type = Some(WorkType::from_code(&code));
    }
    if let Some(date) = text_param("from", &params.from)? {
        let parsed = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
            invalid(format!(
                "parameter from {date:?} is not a date: use YYYY-MM-DD, such as 2026-11-20"
            ))
        })?;
        request.from = Some(parsed);
    }
    request.days = count_param("days", &params.days)?;
    request.minutes = count_param("minutes", &params.minutes)?;
    request.uuid = text_param("uuid", &params.uuid)?.map(|uuid| ExternalId::new(&uuid));
    Ok(request)
}

/// Reads a string or number parameter; `null` and blank text are absent.
fn text_param(name: &str, value: &Value) -> Result<Option<String>, FfiError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        Value::String(text) => Ok(Some(text.trim().to_owned())),
        Value::Number(number) => Ok(Some(number.to_string())),
        other => Err(invalid(format!(
            "parameter {name} is {other}; pass a string or a number"
        ))),
    }
}

/// Reads a whole-number parameter given as a number or numeric text.
fn count_param(name: &str, value: &Value) -> Result<Option<u32>, FfiError> {
    let Some(text) = text_param(name, value)? else {
        return Ok(None);
    };
    text.parse::<u32>().map(Some).map_err(|_| {
        invalid(format!(
            "parameter {name} {text:?} is not a whole number of at least 0; pass a count such as 1"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_accept_form_strings() {
        let text = r#"{"product_type": "0", "from": "2026-11-20", "days": "2", "minutes": "", "uuid": null}"#;
        let request = book_request(text).unwrap();
        assert_eq!(request.work_type, Some(WorkType::from_code("0")));
        assert_eq!(request.from, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(request.days, Some(2));
        assert_eq!(request.minutes, None);
        assert_eq!(request.uuid, None);
    }

    #[test]
    fn params_empty_takes_defaults() {
        let request = book_request("").unwrap();
        assert!(request.work_type.is_none());
        assert!(request.from.is_none());
    }

    #[test]
    fn invalid_params_name_the_parameter() {
        let cases = [
            (r#"{"product_type": "text"}"#, "product_type"),
            (r#"{"from": "20.11.2026"}"#, "from"),
            (r#"{"days": -1}"#, "days"),
            (r#"{"minutes": [1]}"#, "minutes"),
            (r#"{"type": 0}"#, "type"),
        ];
        for (text, name) in cases {
            let error = book_request(text).unwrap_err();
            assert_eq!(error.status(), LitresStatus::InvalidArgument, "{text}");
            assert!(
                error.message().contains(name),
                "{text}: {}",
                error.message()
            );
        }
    }
}
