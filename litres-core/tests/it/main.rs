//! Integration tests of litres-core.

mod feed;
mod fuzz;
mod genres;
