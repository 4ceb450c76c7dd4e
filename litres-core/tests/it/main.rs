//! Integration tests of litres-core.

mod store;
