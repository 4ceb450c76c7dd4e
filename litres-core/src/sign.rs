//! Request signatures: SHA-256, lower-case hex, over fields joined by `:`.
//!
//! Values are signed exactly as they are sent, before URL encoding. Each
//! function below names the field order of one LitRes call, so a change in
//! what LitRes expects is a change to one function.

use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// Returns the lower-case hex SHA-256 of `fields` joined by `:`, with no
/// trailing colon.
pub fn sign_fields(fields: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            hasher.update(b":");
        }
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Signs a `get_fresh_book` request: `sha256(timestamp:secret_key:checkpoint)`.
///
/// `checkpoint` is the text sent in the query, such as `2015-10-08 00:00:00`.
pub fn fresh_book(timestamp: i64, secret_key: &Secret, checkpoint: &str) -> String {
    let timestamp = timestamp.to_string();
    sign_fields(&[&timestamp, secret_key.expose(), checkpoint])
}

/// Signs a `get_the_book` request: `sha256(book_id:secret_key)`, where the
/// book id is the external id in lower case.
pub fn get_the_book(external_id: &str, secret_key: &Secret) -> String {
    let book = external_id.to_ascii_lowercase();
    sign_fields(&[&book, secret_key.expose()])
}

/// Signs a buyer download link:
/// `sha256(timestamp:user_id:book_id:secret_key)`, the book id being the
/// external id in lower case.
pub fn download_link(
    timestamp: i64,
    user_id: &str,
    external_id: &str,
    secret_key: &Secret,
) -> String {
    let timestamp = timestamp.to_string();
    let book = external_id.to_ascii_lowercase();
    sign_fields(&[&timestamp, user_id, &book, secret_key.expose()])
}

/// Signs a sale notification:
/// `sha256(timestamp:user_id:art_id:order_id:notification_key)`.
///
/// NOTE: LitRes has not published the sale call. This field order is our
/// reading of a sister interface of the same family; this function is the
/// one place to change when LitRes confirms another order.
pub fn sale_notification(
    timestamp: i64,
    user_id: &str,
    art_id: u64,
    order_id: &str,
    notification_key: &Secret,
) -> String {
    let timestamp = timestamp.to_string();
    let art = art_id.to_string();
    sign_fields(&[
        &timestamp,
        user_id,
        &art,
        order_id,
        notification_key.expose(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Secret {
        Secret::new("TESTKEY")
    }

    #[test]
    fn fresh_book_matches_vector() {
        assert_eq!(
            fresh_book(1_444_248_000, &key(), "2015-10-08 00:00:00"),
            "edc75896ca5120d04bed80e5f5913044ba53ca4708730a44f2d3f86a8d5ef1a6"
        );
    }

    #[test]
    fn get_the_book_matches_vector() {
        assert_eq!(
            get_the_book("65830123-26b8-4b07-8098-c18229e5026e", &key()),
            "cb421a18d59ea7d4bcfee89e192908a75ef0fe719c2703b738809252baa35963"
        );
    }

    #[test]
    fn get_the_book_lowercases_id() {
        assert_eq!(
            get_the_book("65830123-26B8-4B07-8098-C18229E5026E", &key()),
            get_the_book("65830123-26b8-4b07-8098-c18229e5026e", &key())
        );
    }

    #[test]
    fn download_link_matches_vector() {
        assert_eq!(
            download_link(1_223_476_707, "666", "fb2-test-id-123", &key()),
            "a36ed81c574d5552980ac02c497d2d9329e42f84d203d7db325dda2e07116214"
        );
    }

    #[test]
    fn sale_notification_signs_fields_in_order() {
        assert_eq!(
            sale_notification(1_700_000_000, "42", 10315207, "1001", &key()),
            sign_fields(&["1700000000", "42", "10315207", "1001", "TESTKEY"])
        );
    }

    #[test]
    fn sign_fields_has_no_trailing_colon() {
        // sha256("a:b"), not sha256("a:b:")
        assert_eq!(sign_fields(&["a", "b"]), sign_fields(&["a:b"]));
        assert_ne!(sign_fields(&["a", "b"]), sign_fields(&["a:b:"]));
    }
}
