//! Calls of the exports with invalid arguments: NULL pointers, bad config,
//! invalid UTF-8, freed handles and panics.

use std::ffi::c_char;
use std::ptr;

use litres_ffi::*;

use crate::support::{last_error, new_client, take_string};

const CONFIG: &str =
    r#"{"partner_id": "TEST", "secret_key": "key", "download_domain": "dl.example.com"}"#;

/// A pointer value that a failed call must leave as it is.
fn sentinel<T>() -> *mut T {
    ptr::NonNull::dangling().as_ptr()
}

fn client_new(bytes: &[u8]) -> (LitresStatus, *mut LitresClient) {
    let mut client = sentinel();
    let status = unsafe { litres_client_new(bytes.as_ptr().cast(), bytes.len(), &mut client) };
    (status, client)
}

#[test]
fn client_new_rejects_null_pointers() {
    let mut client = sentinel();
    let status = unsafe { litres_client_new(ptr::null(), 0, &mut client) };
    assert_eq!(status, LitresStatus::NullArgument);
    assert!(last_error().contains("`config`"));
    assert_eq!(client, sentinel());
    let status =
        unsafe { litres_client_new(CONFIG.as_ptr().cast(), CONFIG.len(), ptr::null_mut()) };
    assert_eq!(status, LitresStatus::NullArgument);
    assert!(last_error().contains("`out_client`"));
}

#[test]
fn client_new_rejects_bad_json() {
    let (status, client) = client_new(b"{\"partner_id\": ");
    assert_eq!(status, LitresStatus::InvalidConfig);
    assert_eq!(client, sentinel());
    assert!(
        last_error().contains("invalid JSON config"),
        "{}",
        last_error()
    );
}

#[test]
fn client_new_names_unknown_setting() {
    let (status, _) = client_new(br#"{"partner": "TEST"}"#);
    assert_eq!(status, LitresStatus::InvalidConfig);
    assert!(last_error().contains("partner"), "{}", last_error());
}

#[test]
fn client_new_names_missing_settings() {
    let (status, _) = client_new(b"{}");
    assert_eq!(status, LitresStatus::InvalidConfig);
    let message = last_error();
    assert!(message.contains("partner_id"), "{message}");
    assert!(message.contains("secret_key"), "{message}");
}

#[test]
fn client_new_rejects_invalid_utf8() {
    let (status, client) = client_new(b"{\"partner_id\": \"\xff\"}");
    assert_eq!(status, LitresStatus::InvalidUtf8);
    assert_eq!(client, sentinel());
    assert!(last_error().contains("offset 16"), "{}", last_error());
}

#[test]
fn config_error_hides_secret() {
    let (status, _) = client_new(br#"{"partner_id": "", "secret_key": "TOPSECRET"}"#);
    assert_eq!(status, LitresStatus::InvalidConfig);
    assert!(!last_error().contains("TOPSECRET"));
}

#[test]
fn start_rejects_null_client() {
    let mut job = sentinel();
    let status = unsafe { litres_genres_start(ptr::null(), &mut job) };
    assert_eq!(status, LitresStatus::NullArgument);
    assert_eq!(job, sentinel());
    let status = unsafe { litres_books_start(ptr::null(), "{}".as_ptr().cast(), 2, &mut job) };
    assert_eq!(status, LitresStatus::NullArgument);
    let client = new_client(CONFIG);
    let status = unsafe { litres_books_start(client, ptr::null(), 0, &mut job) };
    assert_eq!(status, LitresStatus::NullArgument);
    let status = unsafe { litres_genres_start(client, ptr::null_mut()) };
    assert_eq!(status, LitresStatus::NullArgument);
    unsafe { litres_client_free(client) };
}

#[test]
fn books_start_rejects_bad_params() {
    let client = new_client(CONFIG);
    let params = r#"{"from": "yesterday"}"#;
    let mut job = sentinel();
    let status =
        unsafe { litres_books_start(client, params.as_ptr().cast(), params.len(), &mut job) };
    assert_eq!(status, LitresStatus::InvalidArgument);
    assert_eq!(job, sentinel());
    assert!(last_error().contains("from"), "{}", last_error());
    unsafe { litres_client_free(client) };
}

#[test]
fn job_calls_reject_null() {
    let mut out = sentinel();
    assert_eq!(
        unsafe { litres_job_next(ptr::null_mut(), &mut out) },
        LitresStatus::NullArgument
    );
    assert_eq!(out, sentinel());
    let answer = r#"{"ok": null}"#;
    let status =
        unsafe { litres_job_answer(ptr::null_mut(), answer.as_ptr().cast(), answer.len()) };
    assert_eq!(status, LitresStatus::NullArgument);
    assert_eq!(
        unsafe { litres_job_cancel(ptr::null_mut()) },
        LitresStatus::NullArgument
    );
}

#[test]
fn free_null_does_nothing() {
    unsafe {
        litres_string_free(ptr::null_mut());
        litres_client_free(ptr::null_mut());
        assert_eq!(litres_job_free(ptr::null_mut()), LitresStatus::Ok);
    }
}

#[test]
fn job_double_free_is_detected() {
    // The base URL is never reached: the job is freed at its first request.
    let client = new_client(CONFIG);
    let mut job = ptr::null_mut();
    assert_eq!(
        unsafe { litres_genres_start(client, &mut job) },
        LitresStatus::Ok
    );
    unsafe { litres_client_free(client) };
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::InvalidHandle);
    assert!(last_error().contains("already freed"), "{}", last_error());
    let mut out = sentinel();
    assert_eq!(
        unsafe { litres_job_next(job, &mut out) },
        LitresStatus::InvalidHandle
    );
    assert_eq!(out, sentinel());
    assert_eq!(
        unsafe { litres_job_cancel(job) },
        LitresStatus::InvalidHandle
    );
}

#[test]
fn unknown_job_handle_is_detected() {
    let mut fake = 0u64;
    let handle = (&mut fake as *mut u64).cast::<LitresJob>();
    assert_eq!(
        unsafe { litres_job_free(handle) },
        LitresStatus::InvalidHandle
    );
}

#[test]
fn answer_without_request_is_invalid_state() {
    let client = new_client(CONFIG);
    let mut job = ptr::null_mut();
    assert_eq!(
        unsafe { litres_genres_start(client, &mut job) },
        LitresStatus::Ok
    );
    let answer = r#"{"ok": []}"#;
    let status = unsafe { litres_job_answer(job, answer.as_ptr().cast(), answer.len()) };
    assert_eq!(status, LitresStatus::InvalidState);
    assert!(last_error().contains("litres_job_next"), "{}", last_error());
    assert_eq!(unsafe { litres_job_free(job) }, LitresStatus::Ok);
    unsafe { litres_client_free(client) };
}

#[test]
fn panic_is_caught_with_message() {
    let status = litres_ffi::panic::guard(|| panic!("boom in a test"));
    assert_eq!(status, LitresStatus::Panic);
    assert!(last_error().contains("boom in a test"), "{}", last_error());
    let value = litres_ffi::panic::guard_value(7, || -> i32 { panic!("second boom") });
    assert_eq!(value, 7);
    assert!(last_error().contains("second boom"));
}

#[test]
fn last_error_is_null_on_fresh_thread() {
    let raw = std::thread::spawn(|| litres_last_error() as usize)
        .join()
        .expect("thread ends");
    assert_eq!(raw, 0);
}

#[test]
fn versions_match_the_crate() {
    assert_eq!(litres_abi_version(), LITRES_ABI_VERSION);
    assert_eq!(
        take_string(litres_version()).as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

fn link(client: *mut LitresClient, ext: &str) -> (LitresStatus, *mut c_char) {
    let (user, book) = ("666", "fb2-test-id-123");
    let mut out = sentinel();
    let status = unsafe {
        litres_download_link(
            client,
            user.as_ptr().cast(),
            user.len(),
            book.as_ptr().cast(),
            book.len(),
            ext.as_ptr().cast(),
            ext.len(),
            1_223_476_767,
            &mut out,
        )
    };
    (status, out)
}

#[test]
fn download_link_is_signed() {
    let client = new_client(
        r#"{"partner_id": "TEST", "secret_key": "TESTKEY", "download_domain": "dl.example.com"}"#,
    );
    let (status, out) = link(client, "fb2.zip");
    assert_eq!(status, LitresStatus::Ok);
    assert_eq!(
        take_string(out).as_deref(),
        Some(
            "https://dl.example.com/get_litres_file/1223476707/666/fb2-test-id-123.fb2.zip\
             ?sha=a36ed81c574d5552980ac02c497d2d9329e42f84d203d7db325dda2e07116214"
        )
    );
    let (status, out) = link(client, "fb2/zip");
    assert_eq!(status, LitresStatus::InvalidArgument);
    assert_eq!(out, sentinel());
    assert!(last_error().contains("extension"), "{}", last_error());
    unsafe { litres_client_free(client) };
}

#[test]
fn feed_inspect_prints_json_lines() {
    let path = litres_testkit::sample_catalog_dir().join("fb-updates-2026-11-20.xml");
    let path = path.to_str().expect("UTF-8 path");
    let mut out = sentinel();
    let status = unsafe { litres_feed_inspect(path.as_ptr().cast(), path.len(), &mut out) };
    assert_eq!(status, LitresStatus::Ok, "{}", last_error());
    let text = take_string(out).expect("lines");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert!(lines.iter().any(|line| line["kind"] == "updated"));
    let summary = lines.last().expect("summary line");
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["complete"], true);
    assert_eq!(
        summary["records"].as_u64(),
        Some(lines.len() as u64 - 1 - summary["failed"].as_u64().unwrap_or(0))
    );
}

#[test]
fn feed_inspect_missing_file_is_io() {
    let path = "/nonexistent/feed.xml";
    let mut out = sentinel();
    let status = unsafe { litres_feed_inspect(path.as_ptr().cast(), path.len(), &mut out) };
    assert_eq!(status, LitresStatus::Io);
    assert_eq!(out, sentinel());
    assert!(last_error().contains(path), "{}", last_error());
}
