//! Integration tests of litres-cscart.

mod cscart;
mod import;
mod sqlite;
