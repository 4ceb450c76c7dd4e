//! The pull loop driven from Rust against the sandbox, with a
//! `MemoryStore` answering the store requests.

use litres_core::store::MemoryStore;
use litres_core::sync::BookRequest;
use litres_ffi::*;
use litres_testkit::sandbox::{Fault, Injection};

use crate::support::*;

const PARAMS: &str = r#"{"from": "2026-11-20", "days": 7}"#;

fn book_request() -> BookRequest {
    let mut request = BookRequest::default();
    request.from = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
    request.days = Some(7);
    request
}

/// Imports genres and books through the bridge into a new memory store.
fn bridge_import(sandbox: &TestSandbox, client: *mut LitresClient) -> MemoryStore {
    let store = MemoryStore::new();
    let genres = drive(start_genres(client), &store, &sandbox.runtime, |_| None);
    assert!(genres.is_ok(), "{genres:?}");
    let books = drive(
        start_books(client, PARAMS),
        &store,
        &sandbox.runtime,
        |_| None,
    );
    let done = books.expect("product update ends");
    assert!(done["report"]["created"].as_u64() > Some(0), "{done}");
    store
}

#[test]
fn bridge_matches_memory_store() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let bridged = bridge_import(&sandbox, client);
    let reference = rust_import(&sandbox, &book_request());
    assert_eq!(store_dump(&bridged), store_dump(&reference));
    assert!(!bridged.products().is_empty());
    unsafe { litres_client_free(client) };
}

#[test]
fn bridge_rerun_matches_rust_rerun() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let bridged = bridge_import(&sandbox, client);
    let reference = rust_import(&sandbox, &book_request());
    let genres = drive(start_genres(client), &bridged, &sandbox.runtime, |_| None);
    let genres = genres.expect("genres");
    assert_eq!(genres["report"]["created"], 0);
    assert_eq!(genres["success"], true);
    let books = drive(
        start_books(client, PARAMS),
        &bridged,
        &sandbox.runtime,
        |_| None,
    );
    let books = books.expect("books");
    assert_eq!(books["report"]["created"], 0);

    let rust_report = rust_books(&sandbox, &reference, &book_request());
    for count in ["seen", "created", "updated", "unchanged", "disabled"] {
        assert_eq!(books["report"][count], rust_report[count], "{count}");
    }
    assert_eq!(store_dump(&bridged), store_dump(&reference));
    assert_eq!(bridged.write_count(), reference.write_count());
    unsafe { litres_client_free(client) };
}

#[test]
fn invalid_answer_fails_job_and_rolls_back() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let store = MemoryStore::new();
    drive(start_genres(client), &store, &sandbox.runtime, |_| None).expect("genres");
    let mut rejected = 0;
    let result = drive(
        start_books(client, PARAMS),
        &store,
        &sandbox.runtime,
        |request| {
            (request["op"] == "create_product").then(|| {
                rejected += 1;
                r#"{"ok": "seven"}"#.to_owned()
            })
        },
    );
    let (status, message) = result.expect_err("the job fails");
    assert_eq!(status, LitresStatus::InvalidAnswer);
    assert!(message.contains("`create_product`"), "{message}");
    assert!(message.contains("product id"), "{message}");
    assert_eq!(rejected, 1, "no create_product after the invalid answer");
    assert!(!store.is_window_open());
    assert!(store.products().is_empty());
    assert!(store.checkpoints().is_empty());
    unsafe { litres_client_free(client) };
}

#[test]
fn host_error_answer_fails_record_only() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let store = MemoryStore::new();
    drive(start_genres(client), &store, &sandbox.runtime, |_| None).expect("genres");
    let mut first = true;
    let done = drive(
        start_books(client, PARAMS),
        &store,
        &sandbox.runtime,
        |request| {
            let fail = request["op"] == "create_product" && first;
            first &= !fail;
            fail.then(|| {
                r#"{"error": {"kind": "rejected", "message": "name too long"}}"#.to_owned()
            })
        },
    )
    .expect("the job ends with a report");
    assert_eq!(done["success"], false);
    let failed = done["report"]["failed"].as_array().expect("failed list");
    assert!(failed.iter().any(|record| record["reason"]
        .as_str()
        .is_some_and(|reason| reason.contains("name too long"))));
    assert!(!store.products().is_empty());
    unsafe { litres_client_free(client) };
}

#[test]
fn cancel_rolls_back_open_window() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let store = MemoryStore::new();
    drive(start_genres(client), &store, &sandbox.runtime, |_| None).expect("genres");
    let job = start_books(client, PARAMS);
    let mut ops = Vec::new();
    let end = loop {
        let request = match job_next(job) {
            Ok(request) => request,
            Err(end) => break end,
        };
        let op = request["op"].as_str().unwrap_or_default().to_owned();
        if op == "create_product" && !ops.contains(&op) {
            assert_eq!(unsafe { litres_job_cancel(job) }, LitresStatus::Ok);
            // The cancel failed the waiting request, so it takes no answer.
            assert_eq!(job_answer(job, r#"{"ok": 1}"#), LitresStatus::InvalidState);
        } else {
            let answer = sandbox.runtime.block_on(dispatch(&store, &request));
            assert_eq!(job_answer(job, &answer.to_string()), LitresStatus::Ok);
        }
        ops.push(op);
        assert!(ops.len() < 10_000, "the cancelled job does not stop");
    };
    assert_eq!(end.0, LitresStatus::Cancelled, "{}", end.1);
    assert!(end.1.contains("cancelled"), "{}", end.1);
    assert_eq!(ops.iter().filter(|op| *op == "create_product").count(), 1);
    assert!(ops.contains(&"abort_window".to_owned()), "{ops:?}");
    assert!(!ops.contains(&"commit_window".to_owned()), "{ops:?}");
    assert!(!store.is_window_open());
    assert!(store.products().is_empty());
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
}

#[test]
fn sandbox_fault_fails_genre_update() {
    let sandbox = TestSandbox::start();
    sandbox
        .handle
        .inject(Injection::new(Fault::HtmlErrorPage(200)).on_path("/genres_list_2/"));
    let client = new_client(&sandbox.config_json());
    let store = MemoryStore::new();
    let result = drive(start_genres(client), &store, &sandbox.runtime, |_| None);
    let (status, message) = result.expect_err("the genre update fails");
    assert_eq!(status, LitresStatus::UpdateFailed);
    assert!(message.contains("LitRes"), "{message}");
    unsafe { litres_client_free(client) };
}

#[test]
fn free_while_request_waits() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let job = start_genres(client);
    let request = job_next(job).expect("first request");
    assert_eq!(request["op"], "genre_categories");
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
}

#[test]
fn next_after_done_is_invalid_state() {
    let sandbox = TestSandbox::start();
    let client = new_client(&sandbox.config_json());
    let store = MemoryStore::new();
    let job = start_genres(client);
    drive(job, &store, &sandbox.runtime, |_| None).expect("genres");
    let (status, _) = job_next(job).expect_err("finished");
    assert_eq!(status, LitresStatus::InvalidState);
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
}
