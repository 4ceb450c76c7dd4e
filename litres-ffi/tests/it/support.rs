//! Shared helpers: a sandbox on its own runtime, calls of the exports with
//! Rust strings, and a pull loop that answers from a `MemoryStore`.

use std::ffi::{c_char, CStr};
use std::ptr;
use std::time::Duration;

use litres_core::store::{
    CartStore, CategoryDraft, MemoryStore, NotificationState, OrderStore, ProductDraft, StoreError,
};
use litres_core::{ArtId, CategoryId, MoscowTime, OrderId, ProductId, WorkType};
use litres_ffi::*;
use litres_testkit::sandbox::{
    RecordKind, Sandbox, SandboxConfig, SandboxHandle, DEFAULT_NOTIFICATION_KEY, DEFAULT_SECRET_KEY,
};
use serde_json::{json, Value};
use tokio::runtime::Runtime;

/// A sandbox serving the sample catalog with no rate limit, and the
/// runtime it runs on. Tests call the blocking exports from their own
/// thread, never from inside this runtime.
pub struct TestSandbox {
    pub runtime: Runtime,
    pub handle: SandboxHandle,
}

impl TestSandbox {
    pub fn start() -> Self {
        let runtime = Runtime::new().expect("test runtime starts");
        let config = SandboxConfig::new()
            .with_catalog_dir(litres_testkit::sample_catalog_dir())
            .with_min_request_interval(Duration::ZERO);
        let handle = runtime
            .block_on(Sandbox::start(config))
            .expect("sandbox starts");
        Self { runtime, handle }
    }

    /// Returns the JSON config of a client for this sandbox.
    pub fn config_json(&self) -> String {
        json!({
            "partner_id": self.handle.partner_id(),
            "secret_key": DEFAULT_SECRET_KEY,
            "base_url": self.handle.base_url(),
            "download_domain": "dl.example.com",
            "min_request_interval_ms": 0,
            "request_timeout": 30,
        })
        .to_string()
    }

    /// Returns the JSON config of a client that sends sales to this
    /// sandbox and builds links on its address, with `test_mode` set.
    pub fn sale_config_json(&self, test_mode: bool) -> String {
        let mut config: Value = serde_json::from_str(&self.config_json()).expect("config");
        let domain = self.handle.base_url().replacen("http://", "", 1);
        config["download_domain"] = json!(domain);
        config["notification_secret_key"] = json!(DEFAULT_NOTIFICATION_KEY);
        config["test_mode"] = json!(test_mode);
        config.to_string()
    }

    /// Returns the art id and external id of the first text books of the
    /// sample catalog.
    pub fn text_books(&self) -> Vec<(ArtId, String)> {
        let records = self.handle.catalog().records().iter();
        records
            .filter(|record| {
                record.kind == RecordKind::Updated && record.work_type.as_deref() == Some("0")
            })
            .filter_map(|record| {
                let external_id = record.external_id.clone()?;
                Some((record.art_id.parse().ok()?, external_id))
            })
            .collect()
    }

    /// Returns the settings of `config_json`, for direct Rust imports.
    pub fn settings(&self) -> litres_core::settings::Settings {
        serde_json::from_str(&self.config_json()).expect("settings parse")
    }
}

/// Makes a client, panicking with the last error on failure.
pub fn new_client(config: &str) -> *mut LitresClient {
    let mut client = ptr::null_mut();
    let status = unsafe { litres_client_new(config.as_ptr().cast(), config.len(), &mut client) };
    assert_eq!(status, LitresStatus::Ok, "{}", last_error());
    client
}

/// Returns the last error message of this thread, or an empty string.
pub fn last_error() -> String {
    take_string(litres_last_error()).unwrap_or_default()
}

/// Copies and frees a string returned by the library.
pub fn take_string(raw: *mut c_char) -> Option<String> {
    if raw.is_null() {
        return None;
    }
    let text = unsafe { CStr::from_ptr(raw) }
        .to_str()
        .expect("library strings are UTF-8")
        .to_owned();
    unsafe { litres_string_free(raw) };
    Some(text)
}

/// Starts a product update, panicking with the last error on failure.
pub fn start_books(client: *mut LitresClient, params: &str) -> *mut LitresJob {
    let mut job = ptr::null_mut();
    let status =
        unsafe { litres_books_start(client, params.as_ptr().cast(), params.len(), &mut job) };
    assert_eq!(status, LitresStatus::Ok, "{}", last_error());
    job
}

/// Starts a genre update, panicking with the last error on failure.
pub fn start_genres(client: *mut LitresClient) -> *mut LitresJob {
    let mut job = ptr::null_mut();
    let status = unsafe { litres_genres_start(client, &mut job) };
    assert_eq!(status, LitresStatus::Ok, "{}", last_error());
    job
}

/// Calls `litres_job_next`; returns the request JSON or the failure.
pub fn job_next(job: *mut LitresJob) -> Result<Value, (LitresStatus, String)> {
    let mut out = ptr::null_mut();
    let status = unsafe { litres_job_next(job, &mut out) };
    if status != LitresStatus::Ok {
        assert!(out.is_null(), "no output is written on failure");
        return Err((status, last_error()));
    }
    let text = take_string(out).expect("next writes a string");
    Ok(serde_json::from_str(&text).expect("requests are JSON"))
}

/// Calls `litres_job_answer` with a Rust string.
pub fn job_answer(job: *mut LitresJob, answer: &str) -> LitresStatus {
    unsafe { litres_job_answer(job, answer.as_ptr().cast(), answer.len()) }
}

/// Runs a job to its end, answering each request from `store`; returns
/// the `done` object, or the status and message of the failed end.
/// `override_answer` may replace the answer to a request.
pub fn drive(
    job: *mut LitresJob,
    store: &MemoryStore,
    runtime: &Runtime,
    mut override_answer: impl FnMut(&Value) -> Option<String>,
) -> Result<Value, (LitresStatus, String)> {
    for _ in 0..100_000 {
        let request = job_next(job)?;
        if request["op"] == "done" {
            return Ok(request);
        }
        let answer = override_answer(&request)
            .unwrap_or_else(|| runtime.block_on(dispatch(store, &request)).to_string());
        let status = job_answer(job, &answer);
        assert!(
            matches!(status, LitresStatus::Ok | LitresStatus::InvalidAnswer),
            "answer status {status:?}: {}",
            last_error()
        );
    }
    panic!("the job sent more than 100000 requests");
}

fn field<T: serde::de::DeserializeOwned>(request: &Value, name: &str) -> T {
    serde_json::from_value(request[name].clone())
        .unwrap_or_else(|error| panic!("request field {name}: {error}: {request}"))
}

/// Executes one store request against `store` and returns the answer.
pub async fn dispatch(store: &MemoryStore, request: &Value) -> Value {
    let op = request["op"].as_str().expect("op is a string");
    let result: Result<Value, StoreError> = match op {
        "genre_categories" => store.genre_categories().await.map(|v| json!(v)),
        "create_category" => {
            let draft: CategoryDraft = field(request, "draft");
            store.create_category(&draft).await.map(|v| json!(v))
        }
        "update_category" => {
            let draft: CategoryDraft = field(request, "draft");
            let id: CategoryId = field(request, "id");
            store.update_category(id, &draft).await.map(|_| Value::Null)
        }
        "disable_category" => {
            let id: CategoryId = field(request, "id");
            store.disable_category(id).await.map(|_| Value::Null)
        }
        "find_product" => {
            let art_id: ArtId = field(request, "art_id");
            store.find_product(art_id).await.map(|v| json!(v))
        }
        "create_product" => {
            let draft: ProductDraft = field(request, "draft");
            store.create_product(&draft).await.map(|v| json!(v))
        }
        "update_product" => {
            let draft: ProductDraft = field(request, "draft");
            let id: ProductId = field(request, "id");
            let send_cover: bool = field(request, "send_cover");
            let result = store.update_product(id, &draft, send_cover).await;
            result.map(|_| Value::Null)
        }
        "disable_product" => {
            let id: ProductId = field(request, "id");
            let changed_at: Option<MoscowTime> = field(request, "changed_at");
            store
                .disable_product(id, changed_at)
                .await
                .map(|_| Value::Null)
        }
        "load_checkpoint" => {
            let work_type: WorkType = field(request, "work_type");
            store.load_checkpoint(&work_type).await.map(|v| json!(v))
        }
        "begin_window" => store.begin_window().await.map(|_| Value::Null),
        "commit_window" => {
            let work_type: WorkType = field(request, "work_type");
            let checkpoint: MoscowTime = field(request, "checkpoint");
            let result = store.commit_window(&work_type, checkpoint).await;
            result.map(|_| Value::Null)
        }
        "abort_window" => store.abort_window().await.map(|_| Value::Null),
        _ => dispatch_order(store, request).await,
    };
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({"error": {"kind": "rejected", "message": error.to_string()}}),
    }
}

/// Executes one `OrderStore` request against `store`.
async fn dispatch_order(store: &MemoryStore, request: &Value) -> Result<Value, StoreError> {
    let op = request["op"].as_str().expect("op is a string");
    if op == "orders_to_notify" {
        let statuses: Vec<String> = field(request, "statuses");
        return store.orders_to_notify(&statuses).await.map(|v| json!(v));
    }
    let order: OrderId = field(request, "order_id");
    match op {
        "load_order" => store.load_order(order).await.map(|v| json!(v)),
        "set_order_status" => {
            let status: String = field(request, "status");
            let reason: String = field(request, "reason");
            let result = store.set_order_status(order, &status, &reason).await;
            result.map(|_| Value::Null)
        }
        "load_notification" => {
            let product: ProductId = field(request, "product_id");
            let state = store.load_notification(order, product).await;
            state.map(|v| json!(v))
        }
        "save_notification" => {
            let product: ProductId = field(request, "product_id");
            let state: NotificationState = field(request, "state");
            let result = store.save_notification(order, product, &state).await;
            result.map(|_| Value::Null)
        }
        other => panic!("unknown op {other}"),
    }
}

/// Returns a store's categories and products as comparable JSON:
/// categories by id with their draft, products by id with draft and
/// status.
pub fn store_dump(store: &MemoryStore) -> Value {
    let categories: serde_json::Map<String, Value> = store
        .categories()
        .into_iter()
        .map(|category| (category.id.to_string(), json!(category.draft)))
        .collect();
    let products: serde_json::Map<String, Value> = store
        .products()
        .into_iter()
        .map(|product| {
            let value = json!({"draft": product.draft, "status": product.status});
            (product.id.to_string(), value)
        })
        .collect();
    let checkpoints: Vec<String> = store
        .checkpoints()
        .keys()
        .map(|work_type| work_type.code().to_owned())
        .collect();
    json!({"categories": categories, "products": products, "checkpoint_types": checkpoints})
}

/// Imports genres and the sample catalog straight into a `MemoryStore`
/// with the Rust engine, as the reference for the bridge.
pub fn rust_import(sandbox: &TestSandbox, params: &litres_core::sync::BookRequest) -> MemoryStore {
    let settings = sandbox.settings();
    let store = MemoryStore::new();
    let client = litres_core::client::Client::new(settings.client_config()).expect("client");
    let config = settings.sync_config();
    sandbox.runtime.block_on(async {
        litres_core::sync::update_genres(&client, &store, &config)
            .await
            .expect("genre update");
        litres_core::sync::update_books(
            &client,
            &store,
            &config,
            params,
            &litres_core::sync::NoProgress,
        )
        .await
        .expect("product update");
    });
    store
}

/// Runs the product update straight into `store` and returns its report
/// as JSON.
pub fn rust_books(
    sandbox: &TestSandbox,
    store: &MemoryStore,
    params: &litres_core::sync::BookRequest,
) -> Value {
    let settings = sandbox.settings();
    let client = litres_core::client::Client::new(settings.client_config()).expect("client");
    let config = settings.sync_config();
    let report = sandbox.runtime.block_on(litres_core::sync::update_books(
        &client,
        store,
        &config,
        params,
        &litres_core::sync::NoProgress,
    ));
    json!(report.expect("product update"))
}
