//! Buyer download links for the lines of a paid order.
//!
//! A link is built only for a LitRes line of an order in a sending status
//! whose sale LitRes accepted (or that test mode recorded). The link
//! itself comes from [`download_link`]: back-dated 60 s, valid 12 hours,
//! the book id in lower case.

use crate::download::{download_link, DownloadLinkError};
use crate::model::{ExternalId, OrderId, ProductId};
use crate::secret::Secret;
use crate::store::{NotificationState, Order, OrderStore, StoreError};

/// Settings of buyer links: the download domain, the key that signs
/// links, and the order statuses that count as paid.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    domain: String,
    secret_key: Secret,
    paid_statuses: Vec<String>,
}

impl LinkConfig {
    /// Makes link settings. `paid_statuses` are the statuses that send
    /// sales (`sale_statuses`).
    pub fn new(domain: impl Into<String>, secret_key: Secret, paid_statuses: Vec<String>) -> Self {
        Self {
            domain: domain.into(),
            secret_key,
            paid_statuses,
        }
    }
}

/// A link that was not built, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// The order does not exist.
    #[error("order {0} not found in the store; check the order id")]
    OrderNotFound(OrderId),
    /// The order has no line for the product.
    #[error("order {order} has no line for product {product}; check the product id")]
    LineNotFound {
        /// The order.
        order: OrderId,
        /// The product asked for.
        product: ProductId,
    },
    /// The order's status does not count as paid.
    #[error(
        "order {order} is not paid: its status {status:?} is not one of the sale statuses \
         {paid:?}; no link is issued before payment"
    )]
    NotPaid {
        /// The order.
        order: OrderId,
        /// Its status.
        status: String,
        /// The statuses that count as paid.
        paid: Vec<String>,
    },
    /// The product is not a LitRes book, or has no external id.
    #[error(
        "product {product} of order {order} is not a LitRes book with an external id; \
         its file is not served by LitRes"
    )]
    NotLitres {
        /// The order.
        order: OrderId,
        /// The product.
        product: ProductId,
    },
    /// The sale of the line was not accepted by LitRes (or recorded in test
    /// mode).
    #[error(
        "the sale of product {product} in order {order} is {state}, not sent: LitRes serves \
         the file only after it accepted the sale; run `litres notify --order {order}` first"
    )]
    NotNotified {
        /// The order.
        order: OrderId,
        /// The product.
        product: ProductId,
        /// The line's notification state, `not reported` when it has none.
        state: &'static str,
    },
    /// The link could not be built from the settings and ids.
    #[error("the download link could not be built: {0}")]
    Link(#[from] DownloadLinkError),
    /// The store failed.
    #[error("the download link could not be checked because the store failed: {0}")]
    Store(#[from] StoreError),
}

/// Checks that `product` of `order` may get a link and returns its
/// external id.
///
/// # Errors
///
/// Every [`LinkError`] except `Link`, `Store` and `OrderNotFound`.
pub fn check_link_allowed<'a>(
    order: &'a Order,
    product: ProductId,
    state: Option<&NotificationState>,
    paid_statuses: &[String],
) -> Result<&'a ExternalId, LinkError> {
    let line = order.line(product).ok_or(LinkError::LineNotFound {
        order: order.id,
        product,
    })?;
    if !paid_statuses.contains(&order.status) {
        return Err(LinkError::NotPaid {
            order: order.id,
            status: order.status.clone(),
            paid: paid_statuses.to_vec(),
        });
    }
    let external_id = match (&line.art_id, &line.external_id) {
        (Some(_), Some(id)) => id,
        _ => {
            return Err(LinkError::NotLitres {
                order: order.id,
                product,
            })
        }
    };
    match state {
        Some(NotificationState::Sent { .. } | NotificationState::Test { .. }) => Ok(external_id),
        Some(other) => Err(LinkError::NotNotified {
            order: order.id,
            product,
            state: other.name(),
        }),
        None => Err(LinkError::NotNotified {
            order: order.id,
            product,
            state: "not reported",
        }),
    }
}

/// Builds the buyer link of a text book file in `format` (such as
/// `fb2.zip`) for one order line, dated `now_unix` minus 60 s.
///
/// # Errors
///
/// A [`LinkError`] naming the reason no link is issued.
// TODO: audio and PDF files need `<book_id>/<file id>/<filename>` links,
// a shape only one public client shows; only text formats are built.
pub async fn buyer_link<S: OrderStore + ?Sized>(
    store: &S,
    config: &LinkConfig,
    order_id: OrderId,
    product: ProductId,
    format: &str,
    now_unix: i64,
) -> Result<String, LinkError> {
    let order = store
        .load_order(order_id)
        .await?
        .ok_or(LinkError::OrderNotFound(order_id))?;
    let state = store.load_notification(order_id, product).await?;
    let external_id = check_link_allowed(&order, product, state.as_ref(), &config.paid_statuses)?;
    let link = download_link(
        &config.domain,
        &config.secret_key,
        &order.user_id,
        external_id,
        format,
        now_unix,
    )?;
    tracing::info!(order = %order_id, %product, format, "built a buyer download link");
    Ok(link)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{ArtId, Price};
    use crate::store::OrderLine;

    fn order(status: &str) -> Order {
        let book = OrderLine::new(
            ProductId(1),
            Some(ArtId(5)),
            Some(ExternalId::new("ABC-1")),
            Price::from_kopecks(100),
        );
        let mug = OrderLine::new(ProductId(2), None, None, Price::from_kopecks(500));
        Order::new(OrderId(9), status, "42", "b@example.com", vec![book, mug])
    }

    /// Name, order status, product, saved state, expected error text.
    type Case<'a> = (
        &'a str,
        &'a str,
        ProductId,
        Option<&'a NotificationState>,
        Option<&'a str>,
    );

    fn paid() -> Vec<String> {
        vec!["P".to_owned(), "C".to_owned()]
    }

    #[test]
    fn allowed_table() {
        let sent = NotificationState::Sent { at: Utc::now() };
        let test = NotificationState::Test { at: Utc::now() };
        let rejected = NotificationState::Rejected {
            message: "no".into(),
        };
        let in_flight = NotificationState::InFlight {
            attempt: 1,
            started_at: Utc::now(),
        };
        let cases: Vec<Case<'_>> = vec![
            ("sent", "P", ProductId(1), Some(&sent), None),
            ("test", "C", ProductId(1), Some(&test), None),
            ("unpaid", "O", ProductId(1), Some(&sent), Some("not paid")),
            (
                "not litres",
                "P",
                ProductId(2),
                None,
                Some("not a LitRes book"),
            ),
            ("no line", "P", ProductId(3), None, Some("no line")),
            (
                "rejected",
                "P",
                ProductId(1),
                Some(&rejected),
                Some("is rejected"),
            ),
            (
                "in flight",
                "P",
                ProductId(1),
                Some(&in_flight),
                Some("is in_flight"),
            ),
            (
                "never reported",
                "P",
                ProductId(1),
                None,
                Some("is not reported"),
            ),
        ];
        for (name, status, product, state, error) in cases {
            let order = order(status);
            let result = check_link_allowed(&order, product, state, &paid());
            match error {
                None => assert_eq!(result.unwrap().as_str(), "ABC-1", "{name}"),
                Some(text) => {
                    let message = result.unwrap_err().to_string();
                    assert!(message.contains(text), "{name}: {message}");
                }
            }
        }
    }
}
