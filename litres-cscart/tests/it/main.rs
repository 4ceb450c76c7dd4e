//! Integration tests of litres-cscart.

mod cli;
mod import;
mod sqlite;
