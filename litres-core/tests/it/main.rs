//! Integration tests of litres-core.

mod client;
mod feed;
mod fuzz;
mod genres;
mod store;
