//! Integration tests of litres-cscart.

mod cli;
mod cli_sales;
mod import;
mod sales;
mod sqlite;
