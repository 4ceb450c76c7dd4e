//! Sandbox settings.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use litres_core::{ArtId, Secret};

use super::catalog::Catalog;

/// Partner id the sandbox accepts unless configured otherwise.
pub const DEFAULT_PARTNER_ID: &str = "TEST";

/// Secret key the sandbox accepts unless configured otherwise. Invented for the
/// sandbox; it is no LitRes key.
pub const DEFAULT_SECRET_KEY: &str = "sandbox-secret-key";

/// Notification key the sandbox accepts unless configured otherwise. Invented for
/// the sandbox; it is no LitRes key.
pub const DEFAULT_NOTIFICATION_KEY: &str = "sandbox-notification-key";

/// Where the sandbox catalog comes from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum CatalogSource {
    /// A directory of feed files and a genre tree, loaded at start.
    Dir(PathBuf),
    /// A catalog already in memory.
    Memory(Catalog),
}

/// The clock the sandbox checks timestamps against and uses as "now" for
/// feeds without an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SandboxClock {
    /// The system clock.
    System,
    /// A fixed instant; [`SandboxHandle::set_now`](super::SandboxHandle::set_now)
    /// can move it.
    Fixed(DateTime<Utc>),
}

/// Settings of a [`Sandbox`](super::Sandbox). Build with
/// [`SandboxConfig::new`] and the `with_*` setters.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub(crate) addr: SocketAddr,
    pub(crate) partner_id: String,
    pub(crate) secret_key: Secret,
    pub(crate) notification_key: Secret,
    pub(crate) catalog: CatalogSource,
    pub(crate) min_request_interval: Duration,
    pub(crate) timestamp_tolerance: Duration,
    pub(crate) clock: SandboxClock,
    pub(crate) rejected_sales: HashMap<ArtId, String>,
}

impl SandboxConfig {
    /// Makes the default settings: address `127.0.0.1:0` (a free port),
    /// partner `TEST`, keys [`DEFAULT_SECRET_KEY`] and
    /// [`DEFAULT_NOTIFICATION_KEY`], an empty catalog, one request per
    /// second, 600 s timestamp tolerance, the system clock, and every sale
    /// accepted.
    pub fn new() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            partner_id: DEFAULT_PARTNER_ID.to_owned(),
            secret_key: Secret::new(DEFAULT_SECRET_KEY),
            notification_key: Secret::new(DEFAULT_NOTIFICATION_KEY),
            catalog: CatalogSource::Memory(Catalog::new()),
            min_request_interval: Duration::from_secs(1),
            timestamp_tolerance: Duration::from_secs(600),
            clock: SandboxClock::System,
            rejected_sales: HashMap::new(),
        }
    }

    /// Sets the listening address; it must be a loopback address. Port 0
    /// picks a free port. Default `127.0.0.1:0`.
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Sets the partner id (`place`). Default `TEST`.
    pub fn with_partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.partner_id = partner_id.into();
        self
    }

    /// Sets the key that signs catalog, download and `get_the_book`
    /// requests. Default [`DEFAULT_SECRET_KEY`].
    pub fn with_secret_key(mut self, key: Secret) -> Self {
        self.secret_key = key;
        self
    }

    /// Sets the key that signs sale notifications. Default
    /// [`DEFAULT_NOTIFICATION_KEY`].
    pub fn with_notification_key(mut self, key: Secret) -> Self {
        self.notification_key = key;
        self
    }

    /// Loads the catalog from a directory at start (see
    /// [`Catalog::from_dir`]). Default: an empty in-memory catalog.
    pub fn with_catalog_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.catalog = CatalogSource::Dir(dir.into());
        self
    }

    /// Serves a catalog already in memory. Default: an empty catalog.
    pub fn with_catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = CatalogSource::Memory(catalog);
        self
    }

    /// Sets the shortest time between two accepted requests of one partner;
    /// zero turns the rate limit off. Default 1 s, the LitRes limit.
    pub fn with_min_request_interval(mut self, interval: Duration) -> Self {
        self.min_request_interval = interval;
        self
    }

    /// Sets how far a request's `timestamp` may be from the sandbox clock.
    /// Default 600 s (the LitRes value is not published).
    pub fn with_timestamp_tolerance(mut self, tolerance: Duration) -> Self {
        self.timestamp_tolerance = tolerance;
        self
    }

    /// Sets the clock. Default [`SandboxClock::System`].
    pub fn with_clock(mut self, clock: SandboxClock) -> Self {
        self.clock = clock;
        self
    }

    /// Makes the sandbox reject every sale of `art_id` with `message`.
    /// Default: every sale is accepted.
    pub fn with_rejected_sale(mut self, art_id: ArtId, message: impl Into<String>) -> Self {
        self.rejected_sales.insert(art_id, message.into());
        self
    }

    /// Returns the partner id.
    pub fn partner_id(&self) -> &str {
        &self.partner_id
    }

    /// Returns the secret key, for clients that sign requests to the
    /// sandbox.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// Returns the notification key.
    pub fn notification_key(&self) -> &Secret {
        &self.notification_key
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self::new()
    }
}
