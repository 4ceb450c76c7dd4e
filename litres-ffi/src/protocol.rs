//! The JSON of the pull loop: store requests sent to the host and the
//! answers it sends back.
//!
//! A request is an object whose `op` names the `CartStore` or `OrderStore`
//! method, with the method's arguments as fields. An answer is `{"ok": VALUE}` or
//! `{"error": {"kind": KIND, "message": TEXT}}`.

use litres_core::store::{
    CategoryDraft, NotificationState, Order, ProductDraft, StoreError, StoreErrorKind,
    StoredCategory, StoredProduct,
};
use litres_core::{ArtId, CategoryId, MoscowTime, OrderId, ProductId, WorkType};
use serde::Serialize;
use serde_json::Value;

/// One store request, serialized with its `op`.
#[derive(Debug, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum StoreRequest<'a> {
    GenreCategories,
    CreateCategory {
        draft: &'a CategoryDraft,
    },
    UpdateCategory {
        id: CategoryId,
        draft: &'a CategoryDraft,
    },
    DisableCategory {
        id: CategoryId,
    },
    FindProduct {
        art_id: ArtId,
    },
    CreateProduct {
        draft: &'a ProductDraft,
    },
    UpdateProduct {
        id: ProductId,
        draft: &'a ProductDraft,
        send_cover: bool,
    },
    DisableProduct {
        id: ProductId,
        changed_at: Option<MoscowTime>,
    },
    LoadCheckpoint {
        work_type: &'a WorkType,
    },
    BeginWindow,
    CommitWindow {
        work_type: &'a WorkType,
        checkpoint: MoscowTime,
    },
    AbortWindow,
    LoadOrder {
        order_id: OrderId,
    },
    OrdersToNotify {
        statuses: &'a [String],
    },
    SetOrderStatus {
        order_id: OrderId,
        status: &'a str,
        reason: &'a str,
    },
    LoadNotification {
        order_id: OrderId,
        product_id: ProductId,
    },
    SaveNotification {
        order_id: OrderId,
        product_id: ProductId,
        state: &'a NotificationState,
    },
}

impl StoreRequest<'_> {
    /// Returns the `op` name.
    pub(crate) fn op(&self) -> &'static str {
        match self {
            Self::GenreCategories => "genre_categories",
            Self::CreateCategory { .. } => "create_category",
            Self::UpdateCategory { .. } => "update_category",
            Self::DisableCategory { .. } => "disable_category",
            Self::FindProduct { .. } => "find_product",
            Self::CreateProduct { .. } => "create_product",
            Self::UpdateProduct { .. } => "update_product",
            Self::DisableProduct { .. } => "disable_product",
            Self::LoadCheckpoint { .. } => "load_checkpoint",
            Self::BeginWindow => "begin_window",
            Self::CommitWindow { .. } => "commit_window",
            Self::AbortWindow => "abort_window",
            Self::LoadOrder { .. } => "load_order",
            Self::OrdersToNotify { .. } => "orders_to_notify",
            Self::SetOrderStatus { .. } => "set_order_status",
            Self::LoadNotification { .. } => "load_notification",
            Self::SaveNotification { .. } => "save_notification",
        }
    }

    /// Returns the shape of the `ok` value the request expects.
    pub(crate) fn expect(&self) -> Expect {
        match self {
            Self::GenreCategories => Expect::Categories,
            Self::CreateCategory { .. } => Expect::CategoryId,
            Self::FindProduct { .. } => Expect::Product,
            Self::CreateProduct { .. } => Expect::ProductId,
            Self::LoadCheckpoint { .. } => Expect::Checkpoint,
            Self::LoadOrder { order_id } => Expect::Order(*order_id),
            Self::OrdersToNotify { .. } => Expect::OrderIds,
            Self::LoadNotification { .. } => Expect::Notification,
            _ => Expect::Nothing,
        }
    }
}

/// Shape of the `ok` value of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    Categories,
    CategoryId,
    Nothing,
    Product,
    ProductId,
    Checkpoint,
    /// The order with this id, or `null`.
    Order(OrderId),
    OrderIds,
    Notification,
}

impl Expect {
    /// Describes the expected value for error messages.
    fn describe(self) -> &'static str {
        match self {
            Self::Categories => {
                "an array of categories, each {\"id\", \"genre_path\", \"name\", \"parent\", \"position\", \"enabled\"}"
            }
            Self::CategoryId => "the new category id, a positive integer",
            Self::Nothing => "null",
            Self::Product => {
                "null, or the product {\"id\", \"content_hash\", \"cover_url\", \"status\", \"source_updated\"}"
            }
            Self::ProductId => "the new product id, a positive integer",
            Self::Checkpoint => "null, or a Moscow time \"YYYY-MM-DD HH:MM:SS\"",
            Self::Order(_) => {
                "null, or the requested order {\"id\", \"status\", \"status_reason\", \"user_id\", \"email\", \"lines\"}, each line {\"product_id\", \"art_id\", \"external_id\", \"price\"} with the price as a decimal string"
            }
            Self::OrderIds => "an array of order ids, each a positive integer",
            Self::Notification => {
                "null, or the state object last saved by save_notification, unchanged"
            }
        }
    }
}

/// A parsed `ok` value.
#[derive(Debug)]
pub(crate) enum Answer {
    Categories(Vec<StoredCategory>),
    CategoryId(CategoryId),
    Nothing,
    Product(Option<StoredProduct>),
    ProductId(ProductId),
    Checkpoint(Option<MoscowTime>),
    Order(Option<Order>),
    OrderIds(Vec<OrderId>),
    Notification(Option<NotificationState>),
}

/// Parses the host's answer to a request of `op` expecting `expect`.
///
/// Returns `Ok(Ok(answer))` for an `ok` answer, `Ok(Err(error))` for an
/// `error` answer from the host store, and `Err(message)` when the answer
/// is invalid; the message names the op and what was expected.
pub(crate) fn parse_answer(
    op: &str,
    expect: Expect,
    text: &str,
) -> Result<Result<Answer, StoreError>, String> {
    let invalid = |problem: String| {
        format!(
            "invalid answer to the `{op}` store request: {problem}; expected {{\"ok\": {}}} \
             or {{\"error\": {{\"kind\": \"rejected\", \"message\": \"...\"}}}}",
            expect.describe()
        )
    };
    let value: Value = serde_json::from_str(text).map_err(|error| invalid(error.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(invalid("the answer is not a JSON object".to_owned()));
    };
    if object.len() != 1 {
        return Err(invalid(format!(
            "the answer has {} keys instead of one, `ok` or `error`",
            object.len()
        )));
    }
    if let Some(error) = object.remove("error") {
        return parse_host_error(op, error).map(Err).map_err(invalid);
    }
    let Some(ok) = object.remove("ok") else {
        return Err(invalid(
            "the answer has neither `ok` nor `error`".to_owned(),
        ));
    };
    parse_ok(expect, ok)
        .map(Ok)
        .map_err(|error| invalid(error.to_string()))
}

fn parse_ok(expect: Expect, ok: Value) -> Result<Answer, serde_json::Error> {
    Ok(match expect {
        Expect::Order(requested) => {
            let order: Option<Order> = serde_json::from_value(ok)?;
            if let Some(found) = &order {
                if found.id != requested {
                    return Err(serde::de::Error::custom(format!(
                        "the order has id {}, but order {requested} was requested",
                        found.id
                    )));
                }
            }
            Answer::Order(order)
        }
        Expect::OrderIds => Answer::OrderIds(serde_json::from_value(ok)?),
        Expect::Notification => Answer::Notification(serde_json::from_value(ok)?),
        Expect::Categories => Answer::Categories(serde_json::from_value(ok)?),
        Expect::CategoryId => Answer::CategoryId(serde_json::from_value(ok)?),
        Expect::Product => Answer::Product(serde_json::from_value(ok)?),
        Expect::ProductId => Answer::ProductId(serde_json::from_value(ok)?),
        Expect::Checkpoint => Answer::Checkpoint(serde_json::from_value(ok)?),
        Expect::Nothing => {
            if !ok.is_null() {
                return Err(serde::de::Error::custom(format!("`ok` is {ok}, not null")));
            }
            Answer::Nothing
        }
    })
}

/// Reads `{"kind": KIND, "message": TEXT}` into a store error.
fn parse_host_error(op: &str, error: Value) -> Result<StoreError, String> {
    let kind_name = error.get("kind").and_then(Value::as_str).unwrap_or("");
    let message = error.get("message").and_then(Value::as_str);
    let kind = match kind_name {
        "not_found" => StoreErrorKind::NotFound,
        "rejected" => StoreErrorKind::Rejected,
        "config" => StoreErrorKind::Config,
        "unavailable" => StoreErrorKind::Unavailable,
        "corrupt" => StoreErrorKind::Corrupt,
        other => {
            return Err(format!(
            "error kind {other:?} is not one of not_found, rejected, config, unavailable, corrupt"
        ))
        }
    };
    let Some(message) = message else {
        return Err("the error has no `message` string".to_owned());
    };
    Ok(StoreError::new(
        kind,
        format!("host store failed on {op}: {message}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_answers_parse_by_expect() {
        let id = parse_answer("create_product", Expect::ProductId, r#"{"ok": 7}"#);
        assert!(matches!(id, Ok(Ok(Answer::ProductId(ProductId(7))))));
        let none = parse_answer("find_product", Expect::Product, r#"{"ok": null}"#);
        assert!(matches!(none, Ok(Ok(Answer::Product(None)))));
        let unit = parse_answer("begin_window", Expect::Nothing, r#"{"ok": null}"#);
        assert!(matches!(unit, Ok(Ok(Answer::Nothing))));
    }

    #[test]
    fn error_answer_becomes_store_error() {
        let text = r#"{"error": {"kind": "unavailable", "message": "db down"}}"#;
        let Ok(Err(error)) = parse_answer("begin_window", Expect::Nothing, text) else {
            panic!("expected a store error");
        };
        assert_eq!(error.kind(), StoreErrorKind::Unavailable);
        assert!(error.message().contains("db down"));
    }

    #[test]
    fn invalid_answer_names_op_and_expectation() {
        let cases = [
            "not json",
            "[]",
            r#"{"ok": "seven"}"#,
            r#"{"ok": 1, "error": null}"#,
            r#"{"result": 1}"#,
            r#"{"error": {"kind": "boom", "message": "x"}}"#,
        ];
        for text in cases {
            let message = parse_answer("create_product", Expect::ProductId, text).unwrap_err();
            assert!(message.contains("`create_product`"), "{text}: {message}");
            assert!(message.contains("product id"), "{text}: {message}");
        }
    }

    #[test]
    fn unit_answer_rejects_value() {
        let message = parse_answer("commit_window", Expect::Nothing, r#"{"ok": 1}"#).unwrap_err();
        assert!(message.contains("not null"), "{message}");
    }

    #[test]
    fn order_answers_parse() {
        let text = r#"{"ok": {"id": "3", "status": "P", "status_reason": null, "user_id": "42",
            "email": "b@example.com", "lines": [{"product_id": 7, "art_id": 10,
            "external_id": "abc-1", "price": "109.00"}]}}"#;
        let Ok(Ok(Answer::Order(Some(order)))) =
            parse_answer("load_order", Expect::Order(OrderId(3)), text)
        else {
            panic!("expected an order");
        };
        assert_eq!(order.lines[0].price.to_string(), "109.00");
        let ids = parse_answer("orders_to_notify", Expect::OrderIds, r#"{"ok": [1, "2"]}"#);
        let Ok(Ok(Answer::OrderIds(ids))) = ids else {
            panic!("expected order ids");
        };
        assert_eq!(ids, vec![OrderId(1), OrderId(2)]);
        let state = r#"{"ok": {"state": "sent", "at": "2026-12-04T10:00:00Z"}}"#;
        let parsed = parse_answer("load_notification", Expect::Notification, state);
        assert!(matches!(
            parsed,
            Ok(Ok(Answer::Notification(Some(
                NotificationState::Sent { .. }
            ))))
        ));
    }

    #[test]
    fn order_answer_rejects_other_id_and_number_price() {
        let other = r#"{"ok": {"id": 4, "status": "P", "user_id": "1", "email": "", "lines": []}}"#;
        let message = parse_answer("load_order", Expect::Order(OrderId(3)), other).unwrap_err();
        assert!(message.contains("order 3 was requested"), "{message}");
        let price = r#"{"ok": {"id": 3, "status": "P", "user_id": "1", "email": "",
            "lines": [{"product_id": 7, "art_id": 10, "external_id": null, "price": 109}]}}"#;
        let message = parse_answer("load_order", Expect::Order(OrderId(3)), price).unwrap_err();
        assert!(message.contains("`load_order`"), "{message}");
        assert!(message.contains("decimal string"), "{message}");
    }
}
