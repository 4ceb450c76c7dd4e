//! Integration tests of litres-cscart.

mod import;
mod sqlite;
