//! Sale notification and buyer links as jobs over the host's orders.

use std::ffi::c_char;

use litres_core::sale::{self, LinkError, SaleError};
use litres_core::{OrderId, ProductId};
use serde::Deserialize;
use serde_json::json;

use crate::client::{client_ref, LitresClient};
use crate::job::{start_job, LitresJob};
use crate::panic::guard;
use crate::status::{FfiError, LitresStatus};
use crate::strings::{str_arg, write_out};
use crate::updates::done_json;

/// Starts a sale notification run as a job and writes the handle to
/// `*out_job`.
///
/// `params` is a JSON object, either `{"order_id": N}` to report the due
/// lines of one order, or `{"pending": true}` for every order the store
/// lists in `orders_to_notify` (the cron run). Both forms accept
/// `"resend_unconfirmed": true`, which sends again the lines that an
/// interrupted run left in flight. The run reads the orders through the
/// `OrderStore` requests of the pull loop. The settings `sale_statuses`,
/// `failed_sale_status`, `test_mode`, `sale_max_attempts` and
/// `sale_retry_base_seconds` of the client apply.
///
/// The `done` object carries the sale report (`lines` and
/// `failed_orders`). `success` is false when a line was rejected, gave up
/// or failed in this run. `litres_job_next` ends with `InvalidArgument`
/// when the order does not exist, and with `UpdateFailed` when the store
/// failed.
///
/// # Safety
///
/// `client` must be NULL or a live client; `params` must point to
/// `params_len` readable bytes; `out_job` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_notify_start(
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
        let params = notify_params(text)?;
        let litres = client.litres()?;
        let config = client
            .settings
            .sale_config()
            .resend_unconfirmed(params.resend_unconfirmed);
        let job = start_job(move |store| async move {
            let now = chrono::Utc::now();
            let report = match params.order_id {
                Some(order_id) => sale::notify_order(&litres, &store, &config, order_id, now).await,
                None => sale::notify_pending(&litres, &store, &config, now).await,
            }
            .map_err(sale_error)?;
            Ok(done_json(!report.has_failures(), &report))
        })?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_job, job) };
        Ok(())
    })
}

/// Starts building a buyer download link as a job and writes the handle
/// to `*out_job`.
///
/// `params` is a JSON object: `order_id`, `product_id`, `format` (a text
/// format such as `fb2.zip` or `epub`) and, optionally, `now_unix` (Unix
/// time in seconds; absent or 0 reads the clock). The job loads the order
/// and the line's notification state through the pull loop, because a
/// link is issued only for a LitRes line of an order in one of the
/// `sale_statuses` whose sale LitRes accepted or test mode recorded.
///
/// The `done` object is `{"op": "done", "success": true, "link": URL}`, or
/// `{"op": "done", "success": false, "refused": {"reason": R, "message":
/// TEXT}}` when no link is issued. `R` is one of `order_not_found`,
/// `line_not_found`, `not_paid`, `not_litres` or `not_notified`.
/// `litres_job_next` ends with `InvalidArgument` when the link cannot be
/// built from the settings and ids, and with `UpdateFailed` when the store
/// failed.
///
/// # Safety
///
/// `client` must be NULL or a live client; `params` must point to
/// `params_len` readable bytes; `out_job` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_buyer_link_start(
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
        let params: LinkParams = serde_json::from_str(text)
            .map_err(|error| invalid(format!("invalid buyer link parameters: {error}")))?;
        let config = client.settings.link_config();
        let job = start_job(move |store| async move {
            let now = match params.now_unix {
                0 => chrono::Utc::now().timestamp(),
                given => given,
            };
            let result = sale::buyer_link(
                &store,
                &config,
                params.order_id,
                params.product_id,
                &params.format,
                now,
            )
            .await;
            link_done(result)
        })?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_job, job) };
        Ok(())
    })
}

fn invalid(message: String) -> FfiError {
    FfiError::new(LitresStatus::InvalidArgument, message)
}

/// The notification parameters as the host sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct NotifyParams {
    order_id: Option<OrderId>,
    pending: bool,
    resend_unconfirmed: bool,
}

/// Parses the notification parameters; exactly one of `order_id` and
/// `"pending": true` must be given.
fn notify_params(text: &str) -> Result<NotifyParams, FfiError> {
    let params: NotifyParams = serde_json::from_str(text)
        .map_err(|error| invalid(format!("invalid sale notification parameters: {error}")))?;
    match (params.order_id, params.pending) {
        (Some(_), false) | (None, true) => Ok(params),
        (Some(order_id), true) => Err(invalid(format!(
            "sale notification parameters name order {order_id} and set pending; \
             pass either {{\"order_id\": N}} or {{\"pending\": true}}"
        ))),
        (None, false) => Err(invalid(
            "sale notification parameters name no order; pass {\"order_id\": N} for one order \
             or {\"pending\": true} for every due order"
                .to_owned(),
        )),
    }
}

fn sale_error(error: SaleError) -> FfiError {
    let status = match error {
        SaleError::OrderNotFound(_) => LitresStatus::InvalidArgument,
        _ => LitresStatus::UpdateFailed,
    };
    FfiError::new(status, error.to_string())
}

/// The buyer link parameters as the host sends them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkParams {
    order_id: OrderId,
    product_id: ProductId,
    format: String,
    #[serde(default)]
    now_unix: i64,
}

/// Turns the result of `buyer_link` into the `done` JSON, or the job's
/// failure when the link could not be built or the store failed.
fn link_done(result: Result<String, LinkError>) -> Result<String, FfiError> {
    let error = match result {
        Ok(link) => return Ok(json!({"op": "done", "success": true, "link": link}).to_string()),
        Err(error) => error,
    };
    let reason = match &error {
        LinkError::OrderNotFound(_) => "order_not_found",
        LinkError::LineNotFound { .. } => "line_not_found",
        LinkError::NotPaid { .. } => "not_paid",
        LinkError::NotLitres { .. } => "not_litres",
        LinkError::NotNotified { .. } => "not_notified",
        LinkError::Link(_) => return Err(invalid(error.to_string())),
        _ => return Err(FfiError::new(LitresStatus::UpdateFailed, error.to_string())),
    };
    let refused = json!({"reason": reason, "message": error.to_string()});
    Ok(json!({"op": "done", "success": false, "refused": refused}).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_params_accept_both_forms() {
        let one = notify_params(r#"{"order_id": "12"}"#).unwrap();
        assert_eq!(one.order_id, Some(OrderId(12)));
        assert!(!one.pending);
        let pending = notify_params(r#"{"pending": true, "resend_unconfirmed": true}"#).unwrap();
        assert_eq!(pending.order_id, None);
        assert!(pending.resend_unconfirmed);
    }

    #[test]
    fn notify_params_invalid_cases() {
        let cases = [
            ("", "invalid sale notification parameters"),
            ("{}", "name no order"),
            (r#"{"pending": false}"#, "name no order"),
            (r#"{"order_id": 1, "pending": true}"#, "either"),
            (r#"{"order_id": "x"}"#, "OrderId"),
            (r#"{"order": 1}"#, "order"),
        ];
        for (text, expected) in cases {
            let error = notify_params(text).unwrap_err();
            assert_eq!(error.status(), LitresStatus::InvalidArgument, "{text}");
            assert!(
                error.message().contains(expected),
                "{text}: {}",
                error.message()
            );
        }
    }
}
