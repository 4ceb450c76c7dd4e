//! Integration tests of the C ABI: Rust calls of the exports, the headers,
//! and the PHP wrapper run by the real `php` binary.

mod header;
