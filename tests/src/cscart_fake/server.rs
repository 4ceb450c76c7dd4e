//! Starting and stopping the fake, authentication, fault injection and the
//! request log.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use litres_core::Secret;
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use super::catalog::Catalog;
use super::model::{stringify, LoggedRequest};
use super::routes::{self, Call, Reply};

/// Largest request body the fake reads.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// `WWW-Authenticate` value CS-Cart sends with a 401.
pub const AUTH_REALM: &str = "Basic realm=\"User email/API key\"";

/// A failure the fake injects into one request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsFault {
    /// Responds with this status (such as 500 or 503) without handling the
    /// request.
    Status(u16),
    /// Handles the request and stores its write, then waits this long
    /// before responding, so a client with a shorter timeout gives up on a
    /// write that happened.
    TimeoutAfterWrite(Duration),
}

/// A fault for the next requests with a method and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsInjection {
    fault: CsFault,
    method: Option<Method>,
    path_prefix: Option<String>,
    times: usize,
}

impl CsInjection {
    /// Makes an injection for the next request on any path.
    pub fn new(fault: CsFault) -> Self {
        Self {
            fault,
            method: None,
            path_prefix: None,
            times: 1,
        }
    }

    /// Limits the fault to one HTTP method. Default: any.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// Limits the fault to paths that start with `prefix`, such as
    /// `/api/products`. Default: any path.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Applies the fault to this many matching requests. Default: 1.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|wanted| wanted == method)
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
    }
}

/// Shared state of one fake.
#[derive(Debug)]
pub(crate) struct FakeState {
    pub authorization: String,
    pub catalog: Mutex<Catalog>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub faults: Mutex<VecDeque<CsInjection>>,
}

impl FakeState {
    pub(crate) fn new(email: &str, api_key: &Secret) -> Self {
        let credentials = format!("{email}:{}", api_key.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        Self {
            authorization: format!("Basic {encoded}"),
            catalog: Mutex::default(),
            log: Mutex::default(),
            faults: Mutex::default(),
        }
    }

    pub(crate) fn catalog(&self) -> MutexGuard<'_, Catalog> {
        self.catalog.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, Vec<LoggedRequest>> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, VecDeque<CsInjection>> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the first queued fault that matches the request.
    fn take_fault(&self, method: &Method, path: &str) -> Option<CsFault> {
        let mut faults = self.faults();
        let index = faults
            .iter()
            .position(|injection| injection.matches(method, path))?;
        let injection = faults.get_mut(index)?;
        let fault = injection.fault.clone();
        injection.times = injection.times.saturating_sub(1);
        if injection.times == 0 {
            faults.remove(index);
        }
        Some(fault)
    }
}

/// Binds `addr` and serves until `signal` fires.
pub(crate) async fn serve(
    addr: SocketAddr,
    state: Arc<FakeState>,
    signal: oneshot::Receiver<()>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new().fallback(dispatch).with_state(state);
    let task = tokio::spawn(async move {
        let server = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = signal.await;
        });
        if let Err(error) = server.await {
            tracing::error!(%error, "fake CS-Cart server failed");
        }
    });
    Ok((bound, task))
}

async fn dispatch(State(state): State<Arc<FakeState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let authorized = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        == Some(state.authorization.as_str());
    if !authorized {
        let (status, body) = routes::error(StatusCode::UNAUTHORIZED, "Unauthorized");
        let mut response = reply((status, body));
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static(AUTH_REALM),
        );
        return response;
    }
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return reply(routes::error(StatusCode::BAD_REQUEST, "Body too large")),
    };
    let path = parts.uri.path().to_owned();
    state.log().push(LoggedRequest {
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    });
    let fault = state.take_fault(&parts.method, &path);
    if let Some(CsFault::Status(status)) = fault {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return reply(routes::error(status, "Injected failure"));
    }
    let query = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map(|Query(query)| query)
        .unwrap_or_default();
    let body = parse_body(&parts.headers, &bytes);
    let result = handle_path(&state, &parts.method, &path, &query, &body);
    if let Some(CsFault::TimeoutAfterWrite(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    reply(result)
}

/// Parses a JSON body. Like CS-Cart, a body without the JSON content type
/// is read as form text, which for these tests means no fields at all.
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Map<String, Value> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !is_json {
        return Map::new();
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn handle_path(
    state: &FakeState,
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
    body: &Map<String, Value>,
) -> Reply {
    let Some(rest) = path.strip_prefix("/api/") else {
        return routes::error(StatusCode::NOT_FOUND, "Not found");
    };
    let mut segments = rest.trim_end_matches('/').split('/');
    let entity = segments.next().unwrap_or_default();
    let id = match segments.next() {
        None => None,
        Some(text) => match text.parse::<u64>() {
            Ok(id) => Some(id),
            Err(_) => return routes::error(StatusCode::NOT_FOUND, "Not found"),
        },
    };
    if segments.next().is_some() {
        return routes::error(StatusCode::NOT_FOUND, "Not found");
    }
    let call = Call {
        method,
        entity,
        id,
        query,
        body,
    };
    routes::handle(&mut state.catalog(), &call)
}

fn reply((status, body): Reply) -> Response {
    if status == StatusCode::NO_CONTENT {
        return (status, Body::empty()).into_response();
    }
    let text = serde_json::to_vec(&stringify(body)).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}
