//! Tests that every [`CartStore`] must pass, behind the `contract` feature.
//!
//! A store crate runs them from an integration test, with a function that
//! makes a new, empty store for each check:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use litres_core::store::contract::{run_contract_suite, Transactions};
//! use litres_core::store::MemoryStore;
//!
//! run_contract_suite(Transactions::Atomic, || async { MemoryStore::new() }).await;
//! # });
//! ```
//!
//! A store that also implements
//! [`OrderStore`](super::OrderStore) runs [`run_order_contract_suite`]
//! too, on stores seeded with [`sample_orders`].
//!
//! A failed check panics with the check's name and what differed, so the
//! suite runs inside a `#[tokio::test]` (or any executor) and fails it.

mod categories;
mod orders;
mod products;
mod samples;
mod windows;

use std::future::Future;

pub use orders::{run_order_contract_suite, sample_orders};
pub use samples::{sample_category, sample_product};

use super::{CartStore, StoreError};

/// Whether the store under test rolls back the writes of an aborted window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transactions {
    /// A window is one transaction: `abort_window` drops every write made
    /// since `begin_window` (SQLite, [`super::MemoryStore`]).
    Atomic,
    /// Writes take effect at once and `abort_window` keeps them, so the
    /// suite expects them to survive (a shop's REST API).
    None,
}

/// Runs every contract check, each on a store from `make_store`.
///
/// `make_store` must return a new, empty store on every call. The checks
/// that depend on rollback expect what `transactions` selects; every other
/// check is the same for all stores.
///
/// # Panics
///
/// Panics on the first failed check, with its name and what differed.
pub async fn run_contract_suite<S, F, Fut>(transactions: Transactions, make_store: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
    S: CartStore,
{
    products::create_then_find(&make_store().await).await;
    products::find_unknown_is_none(&make_store().await).await;
    products::update_overwrites(&make_store().await).await;
    products::disable_keeps_findable(&make_store().await).await;
    products::distinct_art_ids_get_distinct_ids(&make_store().await).await;
    products::missing_id_is_not_found(&make_store().await).await;

    categories::create_then_list(&make_store().await).await;
    categories::update_overwrites(&make_store().await).await;
    categories::disable_keeps_listed(&make_store().await).await;
    categories::two_positions_of_one_genre(&make_store().await).await;
    categories::missing_id_is_not_found(&make_store().await).await;

    windows::checkpoint_absent_before_save(&make_store().await).await;
    windows::checkpoints_independent_per_type(&make_store().await).await;
    windows::commit_saves_checkpoint(&make_store().await).await;
    windows::open_window_writes_are_found(&make_store().await).await;
    windows::abort_after_begin(&make_store().await, transactions).await;
    windows::window_after_abort_commits(&make_store().await).await;
}

/// Unwraps a store call's result or panics naming the check and the step.
fn expect_ok<T>(check: &str, step: &str, result: Result<T, StoreError>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("contract check {check}: {step} failed: {error}"),
    }
}
