//! File downloads: buyer links (`get_litres_file`) and the server call
//! `get_the_book`. Both return a few bytes naming the book instead of a real
//! file.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use litres_core::sign;

use super::error::ApiError;
use super::state::SandboxState;

/// How long a buyer link stays valid after its timestamp, in seconds.
pub const LINK_LIFETIME_SECS: i64 = 12 * 3600;

/// How far a link timestamp may be ahead of the sandbox clock, in seconds.
pub const LINK_FUTURE_SKEW_SECS: i64 = 60;

/// `GET /get_litres_file/<ts>/<user_id>/<book_id>.<ext>?sha=…`.
pub(crate) async fn get_litres_file(
    State(state): State<Arc<SandboxState>>,
    Path((timestamp, user, file)): Path<(String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match check_link(&state, &timestamp, &user, &file, params.get("sha")) {
        Ok((book, format)) => file_response(&book, &format, &user),
        Err(error) => error.into_response(),
    }
}

fn check_link(
    state: &SandboxState,
    timestamp: &str,
    user: &str,
    file: &str,
    sha: Option<&String>,
) -> Result<(String, String), ApiError> {
    let timestamp: i64 = timestamp.parse().map_err(|_| {
        ApiError::bad_request(format!(
            "invalid link timestamp `{timestamp}`: expected Unix time in seconds"
        ))
    })?;
    let (book, format) = file.split_once('.').ok_or_else(|| {
        ApiError::bad_request(format!(
            "invalid file `{file}`: expected <book_id>.<format>"
        ))
    })?;
    let expected = sign::download_link(timestamp, user, book, &state.secret_key);
    state.check_signature(sha, &expected)?;
    let now = state.now().timestamp();
    if now - timestamp > LINK_LIFETIME_SECS {
        return Err(ApiError::forbidden(format!(
            "download link expired: created at {timestamp}, valid for {LINK_LIFETIME_SECS} s"
        )));
    }
    if timestamp - now > LINK_FUTURE_SKEW_SECS {
        return Err(ApiError::forbidden(format!(
            "download link timestamp {timestamp} is in the future (server time {now})"
        )));
    }
    if !state.catalog.has_book(book) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("book `{book}` not found"),
        ));
    }
    Ok((book.to_ascii_lowercase(), format.to_owned()))
}

/// `GET /get_the_book/?book=…&place=…&sha=…[&type=…|&file=…]`.
///
/// An unknown book gets an XML error and status 200, as LitRes
/// does, so clients must check the content type.
pub(crate) async fn get_the_book(
    State(state): State<Arc<SandboxState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match check_get_the_book(&state, &params) {
        Ok((book, format)) => file_response(&book, &format, "server"),
        Err(error) => error.into_response(),
    }
}

fn check_get_the_book(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<(String, String), ApiError> {
    state.check_place(params.get("place"))?;
    state.check_rate(&state.partner_id)?;
    let book = params
        .get("book")
        .ok_or_else(|| ApiError::bad_request("missing parameter `book`"))?;
    let expected = sign::get_the_book(book, &state.secret_key);
    state.check_signature(params.get("sha"), &expected)?;
    if !state.catalog.has_book(book) {
        return Err(ApiError::new(
            StatusCode::OK,
            format!("book `{book}` not found"),
        ));
    }
    let format = match (params.get("file"), params.get("type")) {
        (Some(file_id), _) => format!("file-{file_id}"),
        (None, Some(format)) => format.clone(),
        (None, None) => "fb2.zip".to_owned(),
    };
    Ok((book.to_ascii_lowercase(), format))
}

fn file_response(book: &str, format: &str, user: &str) -> Response {
    let body = format!("LitRes sandbox file\nbook: {book}\nformat: {format}\nuser: {user}\n");
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    let disposition = format!("attachment; filename=\"{book}.{format}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
