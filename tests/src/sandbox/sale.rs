//! `GET /purchase`: sale notifications, checked and recorded.
//!
//! NOTE: LitRes has not published its sale call. The sandbox follows the
//! shape of a sister interface: parameters `user`, `price`, `art`, `place`,
//! `mail`, `order`, `timestamp` and `sha`, signed by
//! [`litres_core::sign::sale_notification`] with the notification key, and
//! a response `<response status="0" message="OK"/>` (any other status is a
//! rejection). A sale of a book set with
//! [`SandboxConfig::with_rejected_sale`](super::SandboxConfig::with_rejected_sale)
//! is rejected. To make the call fail with a 5xx status, inject
//! [`Fault::Status`](super::Fault::Status) on the path `/purchase`; such a
//! request is not recorded.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use litres_core::{sign, ArtId};

use super::error::{escape_text, xml_body, ApiError};
use super::state::SandboxState;

/// Status the sandbox sends for a rejected sale.
pub const REJECTED_STATUS: u32 = 1;

/// The sandbox's response to one sale notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SaleOutcome {
    /// Status 0.
    Accepted,
    /// Status [`REJECTED_STATUS`] with this message.
    Rejected(String),
}

/// A sale notification that passed the signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SaleRecord {
    /// Buyer id (`user`).
    pub user: String,
    /// Book (`art`).
    pub art_id: ArtId,
    /// Store order id (`order`).
    pub order: String,
    /// Price as sent (`price`), empty when absent.
    pub price: String,
    /// Buyer e-mail (`mail`), when sent.
    pub mail: Option<String>,
    /// Request time (`timestamp`).
    pub timestamp: i64,
    /// The response sent.
    pub outcome: SaleOutcome,
}

pub(crate) async fn purchase(
    State(state): State<Arc<SandboxState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match record_sale(&state, &params) {
        Ok(record) => sale_response(&record.outcome),
        Err(error) => error.into_response(),
    }
}

fn record_sale(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<SaleRecord, ApiError> {
    state.check_place(params.get("place"))?;
    state.check_rate(&state.partner_id)?;
    let timestamp = state.check_timestamp(params.get("timestamp"))?;
    let required = |name: &str| {
        params
            .get(name)
            .cloned()
            .ok_or_else(|| ApiError::bad_request(format!("missing parameter `{name}`")))
    };
    let user = required("user")?;
    let order = required("order")?;
    let art_text = required("art")?;
    let art_id: ArtId = art_text.parse().map_err(|_| {
        ApiError::bad_request(format!("invalid art `{art_text}`: expected a whole number"))
    })?;
    let expected = sign::sale_notification(
        timestamp,
        &user,
        art_id.get(),
        &order,
        &state.notification_key,
    );
    state.check_signature(params.get("sha"), &expected)?;
    let rejection = state
        .rejected_sales
        .lock()
        .ok()
        .and_then(|rejected| rejected.get(&art_id).cloned());
    let outcome = match rejection {
        Some(message) => SaleOutcome::Rejected(message),
        None => SaleOutcome::Accepted,
    };
    let record = SaleRecord {
        user,
        art_id,
        order,
        price: params.get("price").cloned().unwrap_or_default(),
        mail: params.get("mail").cloned(),
        timestamp,
        outcome,
    };
    tracing::debug!(art_id = %record.art_id, order = %record.order, outcome = ?record.outcome, "sale notification");
    if let Ok(mut sales) = state.sales.lock() {
        sales.push(record.clone());
    }
    Ok(record)
}

fn sale_response(outcome: &SaleOutcome) -> Response {
    let (status, message) = match outcome {
        SaleOutcome::Accepted => (0, "OK"),
        SaleOutcome::Rejected(message) => (REJECTED_STATUS, message.as_str()),
    };
    xml_body(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <response status=\"{status}\" message=\"{}\"/>",
        escape_text(message)
    ))
}
