//! Integration tests of litres-cscart.

mod addon_php;
mod cli;
mod cli_sales;
mod cscart;
mod cscart_cli;
mod cscart_sales;
mod import;
mod sales;
mod sqlite;
