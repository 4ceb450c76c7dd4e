//! C ABI over `litres-core`, for the CS-Cart add-on through PHP FFI.
//!
//! Handles are opaque; fallible calls return a [`LitresStatus`] and write
//! their outputs only on success; the message of a failure is read with
//! [`litres_last_error`]. Strings go in as pointer and length and come
//! out as `char *` that the host frees with [`litres_string_free`].
//! Structured data is UTF-8 JSON. The host's store is driven through a
//! pull loop, never through callbacks: see [`litres_job_next`].
//!
//! ```
//! use std::ffi::{c_char, CStr};
//! use std::ptr;
//! use litres_ffi::*;
//!
//! let config = r#"{"partner_id": "TEST", "secret_key": "k", "download_domain": "dl.example.com"}"#;
//! let mut client = ptr::null_mut();
//! let status = unsafe { litres_client_new(config.as_ptr().cast(), config.len(), &mut client) };
//! assert_eq!(status, LitresStatus::Ok);
//!
//! let (user, book, ext) = ("666", "fb2-test-id-123", "epub");
//! let mut link: *mut c_char = ptr::null_mut();
//! let status = unsafe {
//!     litres_download_link(
//!         client,
//!         user.as_ptr().cast(), user.len(),
//!         book.as_ptr().cast(), book.len(),
//!         ext.as_ptr().cast(), ext.len(),
//!         0,
//!         &mut link,
//!     )
//! };
//! assert_eq!(status, LitresStatus::Ok);
//! let text = unsafe { CStr::from_ptr(link) }.to_str().unwrap().to_owned();
//! assert!(text.starts_with("https://dl.example.com/get_litres_file/"));
//! unsafe {
//!     litres_string_free(link);
//!     litres_client_free(client);
//! }
//! ```

#![deny(missing_docs)]
// Only this crate of the workspace may use `unsafe`. Each block has a
// SAFETY comment with the reason it holds.
#![deny(unsafe_op_in_unsafe_fn)]

mod client;
mod download;
mod feed;
mod host_orders;
mod host_store;
mod job;
mod last_error;
pub mod panic;
mod protocol;
mod runtime;
mod sales;
mod status;
mod strings;
mod updates;
mod version;

pub use client::{litres_client_free, litres_client_new, LitresClient};
pub use download::litres_download_link;
pub use feed::litres_feed_inspect;
pub use job::{litres_job_answer, litres_job_cancel, litres_job_free, litres_job_next, LitresJob};
pub use sales::{litres_buyer_link_start, litres_notify_start};
pub use status::{FfiError, LitresStatus};
pub use strings::litres_string_free;
pub use updates::{litres_books_start, litres_genres_start};
pub use version::{litres_abi_version, litres_last_error, litres_version, LITRES_ABI_VERSION};
