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

/// Returns `path` after checking that it exists, so a missing fixture
/// stops a test with a message instead of a bare "not found". The real
/// recorded LitRes responses are not part of this repository: they are
/// read from a `shared/fixtures/litres` folder next to the checkout.
pub fn recorded(path: &str) -> &str {
    assert!(
        std::path::Path::new(path).exists(),
        "fixture {path} is missing: the real recorded LitRes responses are read from \
         a `shared/fixtures/litres` folder next to the checkout; put that folder there"
    );
    path
}
