//! Integration tests of litres-cscart.

mod addon_php;
mod cli;
mod cscart;
mod cscart_cli;
mod import;
mod sqlite;
