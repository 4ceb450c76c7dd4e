//! Sale notification: telling LitRes that a buyer paid for a book.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::query::{Query, SIGNATURE_PARAM};
use super::ClientError;
use crate::model::{ArtId, ExternalId, Price};
use crate::secret::Secret;
use crate::sign;

/// One sold book of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRequest {
    /// The store's order id.
    pub order_id: String,
    /// The store's buyer id, the same one download links carry.
    pub user_id: String,
    /// The buyer's e-mail address.
    pub email: String,
    /// LitRes art id of the book.
    pub art_id: ArtId,
    /// LitRes external id of the book.
    pub external_id: ExternalId,
    /// Price the buyer paid, in RUB.
    pub price: Price,
}

/// The LitRes response to a sale notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SaleResponse {
    /// `status="0"`: the sale was recorded.
    Accepted,
    /// Any other status: the sale was not recorded, for the reason given.
    Rejected {
        /// The `status` value LitRes sent.
        code: String,
        /// The `message` LitRes sent; empty when there was none.
        message: String,
    },
}

// NOTE: LitRes has not published the sale call. The path, the book
// identifier (`art` = the art id) and the parameter list below are our
// reading of a sister interface of the same family, and the signature's
// field order is in `sign::sale_notification`. This constant and
// `sale_query` are the one place to change when LitRes confirms another
// shape.
/// Path of the sale notification call.
pub(crate) const SALE_PATH: &str = "/purchase";

/// Builds the sale query: `user`, `price` (`109.00`), `art` (the art id),
/// `place`, `mail`, `order`, `timestamp`, and
/// `sha = sha256(timestamp:user:art:order:notification_key)`.
pub(crate) fn sale_query(
    sale: &SaleRequest,
    place: &str,
    notification_key: &Secret,
    timestamp: i64,
) -> Query {
    let art = sale.art_id.get();
    let sha = sign::sale_notification(
        timestamp,
        &sale.user_id,
        art,
        &sale.order_id,
        notification_key,
    );
    let mut query = Query::new();
    query
        .push("user", sale.user_id.as_str())
        .push("price", sale.price.to_string())
        .push("art", art.to_string())
        .push("place", place)
        .push("mail", sale.email.as_str())
        .push("order", sale.order_id.as_str())
        .push("timestamp", timestamp.to_string())
        .push(SIGNATURE_PARAM, sha);
    query
}

/// Rejects a sale whose ids are empty, since LitRes could not match it.
pub(crate) fn check_sale(sale: &SaleRequest) -> Result<(), ClientError> {
    if sale.order_id.trim().is_empty() {
        return Err(ClientError::config(
            "sale order_id is empty: pass the store's order id",
        ));
    }
    if sale.user_id.trim().is_empty() {
        return Err(ClientError::config(
            "sale user_id is empty: pass the store's buyer id",
        ));
    }
    Ok(())
}

/// Reads `<response status="0" message="…"/>`.
pub(crate) fn parse_sale_response(body: &[u8]) -> Result<SaleResponse, ClientError> {
    let text = String::from_utf8_lossy(body);
    let mut reader = Reader::from_str(&text);
    loop {
        let event = reader.read_event().map_err(|error| {
            ClientError::invalid_response(format!(
                "the sale response is not valid XML at byte {}",
                reader.error_position()
            ))
            .with_source(error)
        })?;
        match event {
            Event::Start(start) | Event::Empty(start)
                if start.local_name().as_ref() == b"response" =>
            {
                let status = attribute(&start, "status");
                let message = attribute(&start, "message").unwrap_or_default();
                return match status.as_deref().map(str::trim) {
                    Some("0") => Ok(SaleResponse::Accepted),
                    Some(code) if !code.is_empty() => Ok(SaleResponse::Rejected {
                        code: code.to_owned(),
                        message,
                    }),
                    _ => Err(ClientError::invalid_response(
                        "the sale response <response> has no status attribute",
                    )),
                };
            }
            Event::Eof => {
                return Err(ClientError::invalid_response(
                    "the sale response has no <response> element",
                ))
            }
            _ => {}
        }
    }
}

fn attribute(start: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = start.try_get_attribute(name).ok()??;
    attribute
        .unescape_value()
        .ok()
        .map(|value| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale() -> SaleRequest {
        SaleRequest {
            order_id: "1001".into(),
            user_id: "42".into(),
            email: "buyer@example.com".into(),
            art_id: ArtId(10315207),
            external_id: ExternalId::new("37828892-1a76-11e5-ad6a-002590591dd6"),
            price: Price::from_kopecks(10900),
        }
    }

    #[test]
    fn query_lists_fields_in_order() {
        let query = sale_query(&sale(), "TEST", &Secret::new("NOTIFY"), 1_700_000_000);
        let sha = sign::sign_fields(&["1700000000", "42", "10315207", "1001", "NOTIFY"]);
        assert_eq!(
            query.encode(),
            format!(
                "user=42&price=109.00&art=10315207&place=TEST&mail=buyer%40example.com\
                 &order=1001&timestamp=1700000000&sha={sha}"
            )
        );
    }

    #[test]
    fn response_table() {
        let cases = [
            ("<response status=\"0\" message=\"OK\"/>", SaleResponse::Accepted),
            (
                "<?xml version=\"1.0\"?><response status=\"3\" message=\"Unknown book &amp; user\"/>",
                SaleResponse::Rejected {
                    code: "3".into(),
                    message: "Unknown book & user".into(),
                },
            ),
            (
                "<response status=\"-1\"></response>",
                SaleResponse::Rejected {
                    code: "-1".into(),
                    message: String::new(),
                },
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                parse_sale_response(body.as_bytes()).unwrap(),
                expected,
                "{body}"
            );
        }
    }

    #[test]
    fn response_without_status_is_invalid() {
        for body in [
            "<response message=\"x\"/>",
            "<other/>",
            "",
            "<response status=\"\"/>",
        ] {
            let error = parse_sale_response(body.as_bytes()).unwrap_err();
            assert!(!error.is_retryable(), "{body}");
            assert!(error.to_string().contains("sale response"), "{error}");
        }
    }

    #[test]
    fn empty_ids_are_rejected() {
        let mut no_order = sale();
        no_order.order_id = " ".into();
        assert!(check_sale(&no_order)
            .unwrap_err()
            .to_string()
            .contains("order_id"));
        let mut no_user = sale();
        no_user.user_id.clear();
        assert!(check_sale(&no_user)
            .unwrap_err()
            .to_string()
            .contains("user_id"));
        assert!(check_sale(&sale()).is_ok());
    }
}
