//! Sale notification and buyer download links for a shop's orders.
//!
//! When an order enters a status that sends ([`SaleConfig::send_statuses`]),
//! [`notify_order`] reports each LitRes line of it to LitRes once. The
//! state of every line is kept by the shop's
//! [`OrderStore`](crate::store::OrderStore), so a rerun never reports a
//! line twice. [`buyer_link`] builds signed download links for lines whose
//! sale LitRes accepted.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use chrono::Utc;
//! use litres_core::client::{Client, ClientConfig};
//! use litres_core::sale::{notify_order, SaleConfig};
//! use litres_core::store::{MemoryStore, NotificationState, Order, OrderLine, OrderStore};
//! use litres_core::{ArtId, OrderId, Price, ProductId, Secret};
//!
//! let store = MemoryStore::new();
//! let line = OrderLine::new(ProductId(7), Some(ArtId(10315207)), None, Price::from_kopecks(10900));
//! let order = Order::new(OrderId(1), "P", "42", "buyer@example.com", vec![line]);
//! store.insert_order(&order).unwrap();
//! let client = Client::new(ClientConfig::new("TEST", Secret::new("key"))).unwrap();
//! // Test mode records the sale without sending it.
//! let config = SaleConfig::default().test_mode(true);
//! let report = notify_order(&client, &store, &config, OrderId(1), Utc::now()).await.unwrap();
//! assert_eq!(report.lines[0].outcome.name(), "test");
//! let state = store.load_notification(OrderId(1), ProductId(7)).await.unwrap();
//! assert!(matches!(state, Some(NotificationState::Test { .. })));
//! # });
//! ```

mod config;
mod links;
mod notify;
pub mod policy;
mod report;

pub use config::SaleConfig;
pub use links::{buyer_link, check_link_allowed, LinkConfig, LinkError};
pub use notify::{notify_order, notify_pending, SaleError};
pub use report::{LineOutcome, LineReport, SaleReport};
