//! Starting and stopping the sandbox, its routes, and the request layer
//! that injects faults and logs.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use litres_core::{ArtId, Secret};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::catalog::Catalog;
use super::config::{CatalogSource, SandboxClock, SandboxConfig};
use super::download::{get_litres_file, get_the_book};
use super::error::{xml_body, ApiError, SandboxError};
use super::faults::{self, Fault, InjectMalformedRecord, Injection};
use super::fresh_book::get_fresh_book;
use super::sale::{purchase, SaleRecord};
use super::state::SandboxState;

/// How long [`SandboxHandle::shutdown`] waits for open requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The LitRes sandbox server.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Loads the catalog, binds the address and serves on the current tokio
    /// runtime until the handle is dropped or shut down.
    ///
    /// # Errors
    ///
    /// [`SandboxError::Catalog`] when the catalog directory cannot be
    /// loaded, [`SandboxError::NotLoopback`] for an address outside
    /// loopback, [`SandboxError::Bind`] when the address is taken.
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
        if !config.addr.ip().is_loopback() {
            return Err(SandboxError::NotLoopback { addr: config.addr });
        }
        let catalog = match config.catalog {
            CatalogSource::Dir(dir) => Catalog::from_dir(dir)?,
            CatalogSource::Memory(catalog) => catalog,
        };
        let state = Arc::new(SandboxState {
            partner_id: config.partner_id,
            secret_key: config.secret_key,
            notification_key: config.notification_key,
            catalog,
            min_request_interval: config.min_request_interval,
            timestamp_tolerance: config.timestamp_tolerance,
            clock: Mutex::new(config.clock),
            faults: Default::default(),
            last_request: Default::default(),
            sales: Default::default(),
            rejected_sales: Mutex::new(config.rejected_sales),
        });
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: config.addr,
            source,
        })?;
        let (shutdown, signal) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = signal.await;
            });
            if let Err(error) = server.await {
                tracing::error!(%error, "LitRes sandbox server failed");
            }
        });
        tracing::info!(%addr, records = state.catalog.records().len(), "LitRes sandbox started");
        Ok(SandboxHandle {
            addr,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/get_fresh_book/", get(get_fresh_book))
        .route("/get_fresh_book", get(get_fresh_book))
        .route("/genres_list_2/", get(genres_list))
        .route("/genres_list_2", get(genres_list))
        .route("/purchase", get(purchase))
        .route("/purchase/", get(purchase))
        .route("/get_the_book/", get(get_the_book))
        .route("/get_the_book", get(get_the_book))
        .route(
            "/get_litres_file/{timestamp}/{user}/{file}",
            get(get_litres_file),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            inject_and_log,
        ))
        .with_state(state)
}

async fn genres_list(State(state): State<Arc<SandboxState>>) -> Response {
    match state.catalog.genres() {
        Some(xml) => xml_body(xml.clone()),
        None => ApiError::new(
            StatusCode::NOT_FOUND,
            "the sandbox catalog has no genre tree: add a genres.xml file",
        )
        .into_response(),
    }
}

/// Applies the next matching fault, then logs the request by method, path
/// and status. The query is never logged, because it carries signatures.
async fn inject_and_log(
    State(state): State<Arc<SandboxState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let fault = state.faults.take(&path);
    let response = match &fault {
        None => next.run(request).await,
        Some(Fault::Status(status)) => faults::status_response(*status),
        Some(Fault::HtmlErrorPage(status)) => faults::html_page(*status),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(*delay).await;
            next.run(request).await
        }
        Some(Fault::TruncateBody(limit)) => faults::truncate(next.run(request).await, *limit),
        Some(Fault::MalformedRecord) => {
            request.extensions_mut().insert(InjectMalformedRecord);
            next.run(request).await
        }
    };
    tracing::debug!(%method, path, status = response.status().as_u16(), ?fault, "sandbox request");
    response
}

/// A running sandbox. Dropping it stops the server; so does
/// [`SandboxHandle::shutdown`], which also waits for open requests.
pub struct SandboxHandle {
    addr: SocketAddr,
    state: Arc<SandboxState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// Returns the base URL, such as `http://127.0.0.1:41234`, with no
    /// trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Returns the bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the partner id the sandbox accepts.
    pub fn partner_id(&self) -> &str {
        &self.state.partner_id
    }

    /// Returns the secret key the sandbox checks signatures with.
    pub fn secret_key(&self) -> &Secret {
        &self.state.secret_key
    }

    /// Returns the notification key the sandbox checks sales with.
    pub fn notification_key(&self) -> &Secret {
        &self.state.notification_key
    }

    /// Returns the loaded catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.state.catalog
    }

    /// Queues a fault for the next matching requests. A [`Fault`] converts
    /// into an injection for the next request on any path.
    pub fn inject(&self, injection: impl Into<Injection>) {
        self.state.faults.push(injection.into());
    }

    /// Returns how many injected faults are still waiting for requests.
    pub fn pending_faults(&self) -> usize {
        self.state.faults.len()
    }

    /// Returns every sale notification that passed the signature check, in
    /// arrival order, with the response sent.
    pub fn sales(&self) -> Vec<SaleRecord> {
        self.state
            .sales
            .lock()
            .map(|sales| sales.clone())
            .unwrap_or_default()
    }

    /// Makes later sales of `art_id` fail with `message`.
    pub fn reject_sale(&self, art_id: ArtId, message: impl Into<String>) {
        if let Ok(mut rejected) = self.state.rejected_sales.lock() {
            rejected.insert(art_id, message.into());
        }
    }

    /// Makes later sales of `art_id` succeed again.
    pub fn accept_sale(&self, art_id: ArtId) {
        if let Ok(mut rejected) = self.state.rejected_sales.lock() {
            rejected.remove(&art_id);
        }
    }

    /// Returns the sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// Fixes the sandbox clock at `now`.
    pub fn set_now(&self, now: DateTime<Utc>) {
        if let Ok(mut clock) = self.state.clock.lock() {
            *clock = SandboxClock::Fixed(now);
        }
    }

    /// Stops accepting connections and waits up to 5 s for open requests.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                tracing::warn!(addr = %self.addr, "LitRes sandbox did not stop in time; aborting");
                task.abort();
            }
        }
        tracing::info!(addr = %self.addr, "LitRes sandbox stopped");
    }
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .field("partner_id", &self.state.partner_id)
            .finish_non_exhaustive()
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
