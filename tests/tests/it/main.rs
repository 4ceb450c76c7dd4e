//! Integration tests of the LitRes sandbox and the catalog generator, over
//! real HTTP on 127.0.0.1.

mod catalog_gen;
mod cscart_fake;
mod download;
mod faults;
mod fixtures;
mod fresh_book;
mod lifecycle;
mod rate_limit;
mod sale;
mod support;

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
