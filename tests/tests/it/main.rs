//! Integration tests of the LitRes sandbox and the catalog generator, over
//! real HTTP on 127.0.0.1.

mod catalog_gen;
mod cscart_fake;
mod download;
mod faults;
mod fixtures;
mod fresh_book;
mod lifecycle;
mod rate_limit;
mod sale;
mod support;
