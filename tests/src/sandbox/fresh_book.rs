//! `GET /get_fresh_book/`: the catalog feed, filtered by window and type,
//! streamed.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use litres_core::{sign, MoscowTime};

use super::catalog::{CatalogRecord, RecordKind};
use super::error::{xml_body, ApiError};
use super::faults::{InjectMalformedRecord, MALFORMED_RECORD};
use super::state::SandboxState;

/// Size the streamed body is batched into.
const CHUNK_SIZE: usize = 64 * 1024;

/// What a valid request selects.
struct FeedQuery {
    checkpoint: MoscowTime,
    endpoint: Option<MoscowTime>,
    work_type: String,
    uuid: Option<String>,
}

pub(crate) async fn get_fresh_book(
    State(state): State<Arc<SandboxState>>,
    request: Request,
) -> Response {
    let malformed = request
        .extensions()
        .get::<InjectMalformedRecord>()
        .is_some();
    let params = match Query::<HashMap<String, String>>::try_from_uri(request.uri()) {
        Ok(Query(params)) => params,
        Err(error) => {
            return ApiError::bad_request(format!("invalid query: {error}")).into_response()
        }
    };
    match check_request(&state, &params) {
        Ok(query) => respond(&state, &query, malformed),
        Err(error) => error.into_response(),
    }
}

fn check_request(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<FeedQuery, ApiError> {
    state.check_place(params.get("place"))?;
    state.check_rate(&state.partner_id)?;
    let timestamp = state.check_timestamp(params.get("timestamp"))?;
    let checkpoint_text = params
        .get("checkpoint")
        .ok_or_else(|| ApiError::bad_request("missing parameter `checkpoint`"))?;
    let expected = sign::fresh_book(timestamp, &state.secret_key, checkpoint_text);
    state.check_signature(params.get("sha"), &expected)?;
    let checkpoint = parse_time("checkpoint", checkpoint_text)?;
    let endpoint = match params.get("endpoint") {
        Some(text) => Some(parse_time("endpoint", text)?),
        None => None,
    };
    let work_type = params
        .get("type")
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|| "0".to_owned());
    Ok(FeedQuery {
        checkpoint,
        endpoint,
        work_type,
        uuid: params.get("uuid").cloned(),
    })
}

fn parse_time(name: &str, text: &str) -> Result<MoscowTime, ApiError> {
    MoscowTime::parse(text).map_err(|_| {
        ApiError::bad_request(format!(
            "invalid {name} `{text}`: expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DD"
        ))
    })
}

fn respond(state: &SandboxState, query: &FeedQuery, malformed: bool) -> Response {
    let now = MoscowTime::from_utc(state.now());
    let records = state.catalog.records();
    let (bound, selected): (MoscowTime, Vec<&CatalogRecord>) = match &query.uuid {
        Some(uuid) => (now, select_by_uuid(records, uuid).into_iter().collect()),
        None => {
            let upper = query.endpoint.unwrap_or(now);
            let selected = records
                .iter()
                .filter(|record| in_window(record, query.checkpoint, upper))
                .filter(|record| type_matches(record, &query.work_type))
                .collect();
            (upper, selected)
        }
    };
    tracing::debug!(
        checkpoint = %query.checkpoint,
        timestamp = %bound,
        work_type = %query.work_type,
        uuid = query.uuid.is_some(),
        records = selected.len(),
        "serving get_fresh_book"
    );
    let mut parts = Vec::with_capacity(selected.len() + 3);
    parts.push(Bytes::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <fb-updates xmlns:l=\"http://www.w3.org/1999/xlink\" timestamp=\"{bound}\">"
    )));
    if malformed {
        parts.push(Bytes::from_static(MALFORMED_RECORD));
    }
    parts.extend(selected.into_iter().map(|record| record.bytes.clone()));
    parts.push(Bytes::from_static(b"</fb-updates>"));
    let batches = Batches {
        parts: parts.into_iter(),
    };
    let stream = futures_util::stream::iter(batches.map(Ok::<_, Infallible>));
    xml_body(Body::from_stream(stream))
}

/// Returns true when `checkpoint <= updated < upper`.
fn in_window(record: &CatalogRecord, checkpoint: MoscowTime, upper: MoscowTime) -> bool {
    record
        .updated
        .is_some_and(|updated| checkpoint <= updated && updated < upper)
}

/// Matches the `type` parameter. An updated book without a `type` is type
/// 0; a removed book without one is served for every type.
fn type_matches(record: &CatalogRecord, requested: &str) -> bool {
    if requested == "all" {
        return true;
    }
    match record.work_type.as_deref() {
        Some(code) => code.trim() == requested,
        None => record.kind == RecordKind::Removed || requested == "0",
    }
}

/// Returns the latest record of the book with this external id, whatever
/// its window and type; the last one in load order wins a tie.
fn select_by_uuid<'a>(records: &'a [CatalogRecord], uuid: &str) -> Option<&'a CatalogRecord> {
    records
        .iter()
        .filter(|record| {
            record
                .external_id
                .as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(uuid.trim()))
        })
        .max_by_key(|record| record.updated)
}

/// Joins small parts into chunks of about [`CHUNK_SIZE`] bytes.
struct Batches<I> {
    parts: I,
}

impl<I: Iterator<Item = Bytes>> Iterator for Batches<I> {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        let mut chunk = BytesMut::new();
        for part in self.parts.by_ref() {
            chunk.extend_from_slice(&part);
            if chunk.len() >= CHUNK_SIZE {
                break;
            }
        }
        if chunk.is_empty() {
            None
        } else {
            Some(chunk.freeze())
        }
    }
}
