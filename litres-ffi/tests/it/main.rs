//! Integration tests of the C ABI: Rust calls of the exports, the pull
//! loop, the headers, and the PHP wrapper run by the real `php` binary.

mod abi;
mod header;
mod php;
mod pull_loop;
mod sales;
mod support;
