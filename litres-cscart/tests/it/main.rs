//! Integration tests of litres-cscart.

mod addon_php;
mod cli;
mod cli_sales;
mod cscart;
mod cscart_cli;
mod import;
mod sales;
mod sqlite;
