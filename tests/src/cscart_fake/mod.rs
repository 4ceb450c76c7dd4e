//! A stateful fake of CS-Cart's REST API on loopback, with the add-on's
//! `litres_files` entity.
//!
//! It follows what CS-Cart 4.12–4.20 does, traps included:
//!
//! - HTTP Basic with e-mail and API key; otherwise 401 with
//!   `WWW-Authenticate: Basic realm="User email/API key"`.
//! - A body without `Content-Type: application/json` is read as form text,
//!   so none of its fields arrive.
//! - Every scalar in a response is a string (`"123"`, `"10.00"`).
//! - Create returns 201 with `{"product_id": N}` (key per entity); errors
//!   are 400 or 404 with `{"message", "messages", "errors", "status"}`.
//! - Lists return `{"<entity>": [...], "params": {"total_items": ...}}`,
//!   10 items per page by default, and a page past the end returns the
//!   last page again.
//! - The `pcode` filter matches substrings and product codes are not
//!   unique.
//! - A feature value is dropped without an error when the feature's
//!   categories include none of the product's categories or their
//!   ancestors.
//! - `add_new_variant` finds a variant by name ignoring case, or creates it.
//! - `PUT /api/orders/:id` with a key other than `status` and `notify_*`
//!   recalculates the order; the fake records it as a full update.
//!
//! ```no_run
//! use litres_testkit::cscart_fake::{CsCartFake, FakeConfig};
//!
//! # async fn run() -> std::io::Result<()> {
//! let fake = CsCartFake::start(FakeConfig::new()).await?;
//! let authors = fake.add_feature("Authors", "M", &[]);
//! println!("CS-Cart API at {}/api, feature {authors}", fake.base_url());
//! # Ok(())
//! # }
//! ```

mod catalog;
mod model;
mod orders;
mod routes;
mod server;

use std::net::SocketAddr;
use std::sync::Arc;

use litres_core::Secret;
use tokio::sync::oneshot;

pub use model::{FakeCategory, FakeFeature, FakeFile, FakeProduct, FeatureValue, LoggedRequest};
pub use orders::{FakeOrder, FakeOrderItem};
pub use server::{CsFault, CsInjection, AUTH_REALM};

use server::FakeState;

/// E-mail the fake accepts by default.
pub const DEFAULT_EMAIL: &str = "admin@example.com";
/// API key the fake accepts by default (32 characters, like CS-Cart's).
pub const DEFAULT_API_KEY: &str = "0123456789abcdef0123456789abcdef";

/// How the fake starts.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    addr: SocketAddr,
    email: String,
    api_key: Secret,
}

impl FakeConfig {
    /// Makes a config with [`DEFAULT_EMAIL`], [`DEFAULT_API_KEY`] and a free
    /// port on 127.0.0.1.
    pub fn new() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            email: DEFAULT_EMAIL.to_owned(),
            api_key: Secret::new(DEFAULT_API_KEY),
        }
    }

    /// Sets the accepted credentials. Default: [`DEFAULT_EMAIL`] and
    /// [`DEFAULT_API_KEY`].
    pub fn credentials(mut self, email: impl Into<String>, api_key: Secret) -> Self {
        self.email = email.into();
        self.api_key = api_key;
        self
    }
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// The fake CS-Cart server.
#[derive(Debug)]
pub struct CsCartFake;

impl CsCartFake {
    /// Binds 127.0.0.1 and serves on the current tokio runtime until the
    /// handle drops.
    ///
    /// # Errors
    ///
    /// The bind error when the address is taken or is not on loopback.
    pub async fn start(config: FakeConfig) -> std::io::Result<CsCartFakeHandle> {
        if !config.addr.ip().is_loopback() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("fake CS-Cart address {} is not on loopback", config.addr),
            ));
        }
        let state = Arc::new(FakeState::new(&config.email, &config.api_key));
        let (shutdown, signal) = oneshot::channel();
        let (addr, _task) = server::serve(config.addr, state.clone(), signal).await?;
        tracing::info!(%addr, "fake CS-Cart started");
        Ok(CsCartFakeHandle {
            addr,
            email: config.email,
            api_key: config.api_key,
            state,
            shutdown: Some(shutdown),
        })
    }
}

/// A running fake: seeding, inspection and faults. Dropping it stops the
/// server.
#[derive(Debug)]
pub struct CsCartFakeHandle {
    addr: SocketAddr,
    email: String,
    api_key: Secret,
    state: Arc<FakeState>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl CsCartFakeHandle {
    /// Returns the shop address, such as `http://127.0.0.1:41234`; the API
    /// is under `/api`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Returns the accepted e-mail.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Returns the accepted API key.
    pub fn api_key(&self) -> &Secret {
        &self.api_key
    }

    /// Adds a category and returns its id; `parent` 0 is the top level.
    pub fn add_category(&self, name: &str, parent: u64) -> u64 {
        let mut catalog = self.state.catalog();
        let id = catalog.next_id();
        catalog.categories.insert(
            id,
            FakeCategory {
                category_id: id,
                category: name.to_owned(),
                parent_id: parent,
                status: "A".to_owned(),
                position: 0,
                company_id: 0,
            },
        );
        id
    }

    /// Adds a feature of a type letter (`M`, `S`, `T`, ...) available in
    /// `categories` (empty: every category) and returns its id.
    pub fn add_feature(&self, name: &str, feature_type: &str, categories: &[u64]) -> u64 {
        let mut catalog = self.state.catalog();
        let id = catalog.next_id();
        catalog.features.insert(
            id,
            FakeFeature {
                feature_id: id,
                description: name.to_owned(),
                feature_type: feature_type.to_owned(),
                categories: categories.to_vec(),
                variants: Vec::new(),
            },
        );
        id
    }

    /// Adds a vendor (company) and returns its id.
    pub fn add_vendor(&self, name: &str) -> u64 {
        let mut catalog = self.state.catalog();
        let id = catalog.next_id();
        catalog.vendors.insert(id, name.to_owned());
        id
    }

    /// Adds a product with a code, as another import or a person would, and
    /// returns its id.
    pub fn add_product(&self, name: &str, product_code: &str, company_id: u64) -> u64 {
        let mut body = serde_json::Map::new();
        body.insert("product".into(), name.into());
        body.insert("price".into(), "1.00".into());
        body.insert("product_code".into(), product_code.into());
        body.insert("company_id".into(), company_id.into());
        // The body has every required field, so the create cannot fail;
        // 0 would name no product.
        self.state
            .catalog()
            .create_product(&body)
            .unwrap_or_default()
    }

    /// Adds an order, or replaces the order with the same id, as a checkout
    /// would. Its change time is set to the fake's clock.
    pub fn add_order(&self, mut order: FakeOrder) {
        let mut catalog = self.state.catalog();
        order.updated_at = catalog.tick();
        catalog.orders.insert(order.order_id, order);
    }

    /// Sets an order's status as a person in the admin panel would,
    /// without going through the API log; returns false for an unknown
    /// order.
    pub fn set_order_status(&self, order_id: u64, status: &str) -> bool {
        let mut catalog = self.state.catalog();
        let now = catalog.tick();
        match catalog.orders.get_mut(&order_id) {
            Some(order) => {
                order.status = status.to_owned();
                order.updated_at = now;
                true
            }
            None => false,
        }
    }

    /// Returns an order with what the API did to it.
    pub fn order(&self, order_id: u64) -> Option<FakeOrder> {
        self.state.catalog().orders.get(&order_id).cloned()
    }

    /// Returns every product, by id.
    pub fn products(&self) -> Vec<FakeProduct> {
        self.state.catalog().products.values().cloned().collect()
    }

    /// Returns every category, by id.
    pub fn categories(&self) -> Vec<FakeCategory> {
        self.state.catalog().categories.values().cloned().collect()
    }

    /// Returns a feature with its variants.
    pub fn feature(&self, id: u64) -> Option<FakeFeature> {
        self.state.catalog().features.get(&id).cloned()
    }

    /// Returns every product file, by id.
    pub fn files(&self) -> Vec<FakeFile> {
        self.state.catalog().files.values().cloned().collect()
    }

    /// Returns every authenticated request, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log().clone()
    }

    /// Returns how many POST and PUT requests arrived on paths that start
    /// with `prefix`, such as `/api/products`.
    pub fn write_count(&self, prefix: &str) -> usize {
        self.state
            .log()
            .iter()
            .filter(|request| matches!(request.method.as_str(), "POST" | "PUT"))
            .filter(|request| request.path.starts_with(prefix))
            .count()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.state.log().clear();
    }

    /// Queues a fault.
    pub fn inject(&self, injection: CsInjection) {
        self.state.faults().push_back(injection);
    }

    /// Returns how many queued faults still wait for requests.
    pub fn pending_faults(&self) -> usize {
        self.state.faults().len()
    }
}

impl Drop for CsCartFakeHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
