//! Integration tests of litres-cscart.

mod cscart;
mod cscart_cli;
mod import;
mod sqlite;
