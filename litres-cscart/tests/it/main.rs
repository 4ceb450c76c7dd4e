//! Integration tests of litres-cscart.

mod sqlite;
