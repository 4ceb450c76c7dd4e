//! Integration tests of litres-cscart.

mod cli;
mod import;
mod sales;
mod sqlite;
