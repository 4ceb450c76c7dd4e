//! Sale notification and buyer link jobs: invalid arguments, invalid
//! answers to the order requests, and runs against the sandbox with a
//! `MemoryStore` answering.

use std::ffi::c_char;
use std::ptr;

use litres_core::store::{MemoryStore, NotificationState, Order, OrderLine, OrderStore};
use litres_core::{ArtId, ExternalId, OrderId, Price, ProductId};
use litres_ffi::*;
use serde_json::Value;

use crate::support::*;

const CONFIG: &str =
    r#"{"partner_id": "TEST", "secret_key": "key", "download_domain": "dl.example.com"}"#;

type Start = unsafe extern "C" fn(
    *const LitresClient,
    *const c_char,
    usize,
    *mut *mut LitresJob,
) -> LitresStatus;

const STARTS: [(&str, Start); 2] = [
    ("litres_notify_start", litres_notify_start),
    ("litres_buyer_link_start", litres_buyer_link_start),
];

/// A pointer value that a failed call must leave as it is.
fn sentinel<T>() -> *mut T {
    ptr::NonNull::dangling().as_ptr()
}

fn start(function: Start, client: *mut LitresClient, params: &[u8]) -> (LitresStatus, String) {
    let mut job = sentinel();
    let status = unsafe { function(client, params.as_ptr().cast(), params.len(), &mut job) };
    if status == LitresStatus::Ok {
        assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
        return (status, String::new());
    }
    assert_eq!(job, sentinel(), "no job is written on failure");
    (status, last_error())
}

fn start_job_ok(function: Start, client: *mut LitresClient, params: &str) -> *mut LitresJob {
    let mut job = ptr::null_mut();
    let status = unsafe { function(client, params.as_ptr().cast(), params.len(), &mut job) };
    assert_eq!(status, LitresStatus::Ok, "{}", last_error());
    job
}

#[test]
fn sale_starts_reject_null_arguments() {
    let client = new_client(CONFIG);
    let params = br#"{"order_id": 1}"#;
    for (name, function) in STARTS {
        let mut job = sentinel();
        let status =
            unsafe { function(ptr::null(), params.as_ptr().cast(), params.len(), &mut job) };
        assert_eq!(status, LitresStatus::NullArgument, "{name}");
        assert!(last_error().contains("`client`"), "{name}");
        let status = unsafe { function(client, ptr::null(), 0, &mut job) };
        assert_eq!(status, LitresStatus::NullArgument, "{name}");
        assert!(last_error().contains("`params`"), "{name}");
        assert_eq!(job, sentinel(), "{name}");
        let status = unsafe {
            function(
                client,
                params.as_ptr().cast(),
                params.len(),
                ptr::null_mut(),
            )
        };
        assert_eq!(status, LitresStatus::NullArgument, "{name}");
        assert!(last_error().contains("`out_job`"), "{name}");
    }
    unsafe { litres_client_free(client) };
}

#[test]
fn notify_start_rejects_bad_params() {
    let client = new_client(CONFIG);
    let cases: [(&[u8], LitresStatus, &str); 5] = [
        (
            b"{\"order_id\": ",
            LitresStatus::InvalidArgument,
            "invalid sale notification parameters",
        ),
        (b"{}", LitresStatus::InvalidArgument, "name no order"),
        (
            br#"{"order_id": 1, "pending": true}"#,
            LitresStatus::InvalidArgument,
            "either",
        ),
        (
            br#"{"orders": [1]}"#,
            LitresStatus::InvalidArgument,
            "orders",
        ),
        (
            b"{\"order_id\": \"\xff\"}",
            LitresStatus::InvalidUtf8,
            "params",
        ),
    ];
    for (params, expected, text) in cases {
        let (status, message) = start(litres_notify_start, client, params);
        assert_eq!(status, expected, "{message}");
        assert!(message.contains(text), "{message}");
    }
    let (status, message) = start(litres_notify_start, client, br#"{"pending": true}"#);
    assert_eq!(status, LitresStatus::Ok, "{message}");
    unsafe { litres_client_free(client) };
}

#[test]
fn buyer_link_start_rejects_bad_params() {
    let client = new_client(CONFIG);
    let cases: [(&[u8], &str); 3] = [
        (b"[", "invalid buyer link parameters"),
        (br#"{"order_id": 1, "product_id": 2}"#, "format"),
        (
            br#"{"order_id": 1, "product_id": 2, "format": "epub", "user": 3}"#,
            "user",
        ),
    ];
    for (params, text) in cases {
        let (status, message) = start(litres_buyer_link_start, client, params);
        assert_eq!(status, LitresStatus::InvalidArgument, "{message}");
        assert!(message.contains(text), "{message}");
    }
    unsafe { litres_client_free(client) };
}

/// Returns a store with order 1 (status `status`): a LitRes book and a
/// product that is not a LitRes book.
fn store_with_order(status: &str, book: &(ArtId, String)) -> MemoryStore {
    let store = MemoryStore::new();
    let line = OrderLine::new(
        ProductId(7),
        Some(book.0),
        Some(ExternalId::new(&book.1)),
        Price::from_kopecks(10900),
    );
    let mug = OrderLine::new(ProductId(8), None, None, Price::from_kopecks(500));
    let order = Order::new(OrderId(1), status, "42", "b@example.com", vec![line, mug]);
    store.insert_order(&order).expect("order inserted");
    store
}

fn notify(
    sandbox: &TestSandbox,
    client: *mut LitresClient,
    store: &MemoryStore,
    params: &str,
) -> Result<Value, (LitresStatus, String)> {
    let job = start_job_ok(litres_notify_start, client, params);
    let result = drive(job, store, &sandbox.runtime, |_| None);
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    result
}

fn link(
    sandbox: &TestSandbox,
    client: *mut LitresClient,
    store: &MemoryStore,
    order: u64,
) -> Value {
    let params = format!(r#"{{"order_id": {order}, "product_id": 7, "format": "epub"}}"#);
    let job = start_job_ok(litres_buyer_link_start, client, &params);
    let done = drive(job, store, &sandbox.runtime, |_| None).expect("link job ends");
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    done
}

#[test]
fn bridge_notify_sends_once_then_links() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(false));

    let done = notify(&sandbox, client, &store, r#"{"order_id": 1}"#).expect("notify ends");
    assert_eq!(done["success"], true, "{done}");
    assert_eq!(done["report"]["lines"][0]["outcome"], "sent", "{done}");
    assert_eq!(done["report"]["lines"][1]["outcome"], "skipped", "{done}");
    let sales = sandbox.handle.sales();
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].art_id, book.0);
    assert_eq!(sales[0].order, "1");

    let rerun = notify(&sandbox, client, &store, r#"{"pending": true}"#).expect("rerun ends");
    assert_eq!(
        rerun["report"]["lines"],
        Value::Array(Vec::new()),
        "{rerun}"
    );
    assert_eq!(sandbox.handle.sales().len(), 1, "the rerun sends nothing");

    let done = link(&sandbox, client, &store, 1);
    assert_eq!(done["success"], true, "{done}");
    let url = done["link"].as_str().expect("link is a string");
    let prefix = format!(
        "https://{}/get_litres_file/",
        sandbox.handle.base_url().replacen("http://", "", 1)
    );
    assert!(url.starts_with(&prefix), "{url}");
    assert!(
        url.contains(&format!("/42/{}.epub?sha=", book.1.to_lowercase())),
        "{url}"
    );
    unsafe { litres_client_free(client) };
}

#[test]
fn bridge_link_refuses_unpaid_and_unknown() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("O", &book);
    let client = new_client(&sandbox.sale_config_json(false));
    let unpaid = link(&sandbox, client, &store, 1);
    assert_eq!(unpaid["success"], false, "{unpaid}");
    assert_eq!(unpaid["refused"]["reason"], "not_paid", "{unpaid}");
    assert!(unpaid.get("link").is_none(), "{unpaid}");
    let unknown = link(&sandbox, client, &store, 5);
    assert_eq!(unknown["refused"]["reason"], "order_not_found", "{unknown}");
    unsafe { litres_client_free(client) };
}

#[test]
fn bridge_rejection_fails_order() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    sandbox.handle.reject_sale(book.0, "sale not allowed");
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(false));
    let done = notify(&sandbox, client, &store, r#"{"pending": true}"#).expect("notify ends");
    assert_eq!(done["success"], false, "{done}");
    assert_eq!(done["report"]["lines"][0]["outcome"], "rejected", "{done}");
    assert_eq!(done["report"]["failed_orders"][0]["status"], "F", "{done}");
    let order = sandbox
        .runtime
        .block_on(store.load_order(OrderId(1)))
        .unwrap()
        .unwrap();
    assert_eq!(order.status, "F");
    let reason = order.status_reason.unwrap_or_default();
    assert!(reason.contains("sale not allowed"), "{reason}");
    unsafe { litres_client_free(client) };
}

#[test]
fn notify_unknown_order_fails() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.sale_config_json(false));
    let store = MemoryStore::new();
    let (status, message) = notify(&sandbox, client, &store, r#"{"order_id": 3}"#).unwrap_err();
    assert_eq!(status, LitresStatus::InvalidArgument);
    assert!(message.contains("order 3 not found"), "{message}");
    unsafe { litres_client_free(client) };
}

/// Runs notify of order 1 with the answer to the first `op` request
/// replaced by `answer`; returns the failure and the ops the host saw.
fn notify_with_answer(op: &str, answer: &str) -> (LitresStatus, String, Vec<String>, usize) {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(false));
    let job = start_job_ok(litres_notify_start, client, r#"{"order_id": 1}"#);
    let mut ops = Vec::new();
    let mut replaced = false;
    let result = drive(job, &store, &sandbox.runtime, |request| {
        let name = request["op"].as_str().unwrap_or_default().to_owned();
        ops.push(name.clone());
        if name == op && !replaced {
            replaced = true;
            return Some(answer.to_owned());
        }
        None
    });
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
    let (status, message) = result.expect_err("the job fails");
    let state = sandbox
        .runtime
        .block_on(store.load_notification(OrderId(1), ProductId(7)))
        .unwrap();
    assert_eq!(state, None, "no state is saved after the invalid answer");
    (status, message, ops, sandbox.handle.sales().len())
}

#[test]
fn invalid_order_answers_send_nothing() {
    let cases = [
        ("load_order", r#"{"ok": {"id": 1}}"#, "status"),
        (
            "load_order",
            r#"{"ok": {"id": 2, "status": "P", "user_id": "42", "email": "", "lines": []}}"#,
            "order 1 was requested",
        ),
        (
            "load_notification",
            r#"{"ok": {"state": "done"}}"#,
            "unknown variant",
        ),
        ("save_notification", r#"{"ok": true}"#, "not null"),
        ("save_notification", "not json", "at line 1 column"),
    ];
    for (op, answer, problem) in cases {
        let (status, message, ops, sales) = notify_with_answer(op, answer);
        assert_eq!(
            status,
            LitresStatus::InvalidAnswer,
            "{op} {answer}: {message}"
        );
        assert!(message.contains(&format!("`{op}`")), "{op}: {message}");
        assert!(message.contains(problem), "{op} {answer}: {message}");
        assert_eq!(
            ops.last().map(String::as_str),
            Some(op),
            "no request after {op}: {ops:?}"
        );
        assert_eq!(sales, 0, "{op} {answer}: nothing is sent to LitRes");
    }
}

#[test]
fn test_mode_records_without_sending() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(true));
    let done = notify(&sandbox, client, &store, r#"{"order_id": 1}"#).expect("notify ends");
    assert_eq!(done["report"]["lines"][0]["outcome"], "test", "{done}");
    assert!(sandbox.handle.sales().is_empty());
    let state = sandbox
        .runtime
        .block_on(store.load_notification(OrderId(1), ProductId(7)))
        .unwrap();
    assert!(
        matches!(state, Some(NotificationState::Test { .. })),
        "{state:?}"
    );
    unsafe { litres_client_free(client) };
}

/// Runs a link job for order 1 with the answer to the first `op` request
/// replaced by `answer`; returns the failure.
fn link_with_answer(op: &str, answer: &str) -> (LitresStatus, String) {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(false));
    let params = r#"{"order_id": 1, "product_id": 7, "format": "epub"}"#;
    let job = start_job_ok(litres_buyer_link_start, client, params);
    let result = drive(job, &store, &sandbox.runtime, |request| {
        (request["op"] == op).then(|| answer.to_owned())
    });
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
    result.expect_err("the link job fails")
}

#[test]
fn link_job_failing_answers() {
    let (status, message) = link_with_answer("load_notification", r#"{"ok": "sent"}"#);
    assert_eq!(status, LitresStatus::InvalidAnswer, "{message}");
    assert!(message.contains("`load_notification`"), "{message}");

    let error = r#"{"error": {"kind": "unavailable", "message": "database is down"}}"#;
    let (status, message) = link_with_answer("load_order", error);
    assert_eq!(status, LitresStatus::UpdateFailed, "{message}");
    assert!(message.contains("database is down"), "{message}");
}

#[test]
fn notify_store_error_stops_run() {
    let sandbox = TestSandbox::start();
    let book = sandbox.text_books().remove(0);
    let store = store_with_order("P", &book);
    let client = new_client(&sandbox.sale_config_json(false));
    let job = start_job_ok(litres_notify_start, client, r#"{"pending": true}"#);
    let error = r#"{"error": {"kind": "unavailable", "message": "database is down"}}"#;
    let result = drive(job, &store, &sandbox.runtime, |request| {
        (request["op"] == "save_notification").then(|| error.to_owned())
    });
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    let (status, message) = result.expect_err("the run stops");
    assert_eq!(status, LitresStatus::UpdateFailed, "{message}");
    assert!(message.contains("database is down"), "{message}");
    assert!(
        sandbox.handle.sales().is_empty(),
        "no sale without a saved state"
    );
    unsafe { litres_client_free(client) };
}
