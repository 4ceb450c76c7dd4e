//! Buyer download links: signed addresses on the partner's download domain
//! that LitRes serves the file from.
//!
//! ```
//! use litres_core::download::download_link;
//! use litres_core::{ExternalId, Secret};
//!
//! let link = download_link(
//!     "dl.example.com",
//!     &Secret::new("TESTKEY"),
//!     "666",
//!     &ExternalId::new("FB2-TEST-ID-123"),
//!     "fb2.zip",
//!     1_223_476_767,
//! )
//! .unwrap();
//! assert!(link.starts_with(
//!     "https://dl.example.com/get_litres_file/1223476707/666/fb2-test-id-123.fb2.zip?sha="
//! ));
//! ```

use crate::model::ExternalId;
use crate::secret::Secret;
use crate::sign;

/// How long LitRes honours a link after its timestamp, in seconds.
pub const LINK_VALIDITY_SECONDS: i64 = 12 * 3600;

/// How far a link's timestamp is set before now, in seconds, so that a
/// LitRes clock running behind ours still accepts it.
pub const LINK_BACKDATE_SECONDS: i64 = 60;

/// A link argument that cannot go into a download address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid download link {field} {value:?}: {expected}")]
pub struct DownloadLinkError {
    field: &'static str,
    value: String,
    expected: &'static str,
}

impl DownloadLinkError {
    /// Returns the name of the argument that was rejected.
    pub fn field(&self) -> &str {
        self.field
    }
}

/// Builds `https://<domain>/get_litres_file/<ts>/<user_id>/<book_id>.<ext>?sha=<sig>`.
///
/// `ts` is `now_unix - LINK_BACKDATE_SECONDS`, the book id is the external
/// id in lower case, and `sig = sha256(ts:user_id:book_id:secret_key)`.
/// The link stays valid until `ts + LINK_VALIDITY_SECONDS`.
///
/// # Errors
///
/// Rejects, naming the argument:
/// - a domain that is empty or more than a host name with an optional port;
/// - a user id that is empty or has characters other than ASCII letters,
///   digits, `-`, `_`, `.` and `@`;
/// - an external id that is empty or has characters other than ASCII
///   letters, digits, `-` and `_`;
/// - an extension that is empty or not dot-separated letters and digits.
pub fn download_link(
    domain: &str,
    secret_key: &Secret,
    user_id: &str,
    external_id: &ExternalId,
    ext: &str,
    now_unix: i64,
) -> Result<String, DownloadLinkError> {
    check_domain(domain)?;
    check_chars(
        "user id",
        user_id,
        |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'),
        "expected ASCII letters, digits, '-', '_', '.' or '@'",
    )?;
    check_chars(
        "external id",
        external_id.as_str(),
        |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'),
        "expected ASCII letters, digits, '-' or '_'",
    )?;
    check_ext(ext)?;
    let timestamp = now_unix.saturating_sub(LINK_BACKDATE_SECONDS);
    let book = external_id.to_lowercase();
    let sha = sign::download_link(timestamp, user_id, &book, secret_key);
    Ok(format!(
        "https://{domain}/get_litres_file/{timestamp}/{user_id}/{book}.{ext}?sha={sha}"
    ))
}

fn check_domain(domain: &str) -> Result<(), DownloadLinkError> {
    let reject = |expected| DownloadLinkError {
        field: "domain",
        value: domain.to_owned(),
        expected,
    };
    if domain.is_empty() {
        return Err(reject(
            "it is empty; set download_domain to the partner's download host",
        ));
    }
    if domain.contains("://") {
        return Err(reject("pass the host name only, without a scheme"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':');
    if !domain.chars().all(allowed) || domain.starts_with(['.', '-', ':']) {
        return Err(reject(
            "expected a host name such as dl.example.com, with an optional :port",
        ));
    }
    Ok(())
}

fn check_chars(
    field: &'static str,
    value: &str,
    allowed: impl Fn(char) -> bool,
    expected: &'static str,
) -> Result<(), DownloadLinkError> {
    if value.is_empty() || !value.chars().all(allowed) {
        return Err(DownloadLinkError {
            field,
            value: value.to_owned(),
            expected,
        });
    }
    Ok(())
}

fn check_ext(ext: &str) -> Result<(), DownloadLinkError> {
    let valid = !ext.is_empty()
        && ext
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if !valid {
        return Err(DownloadLinkError {
            field: "extension",
            value: ext.to_owned(),
            expected: "expected a format such as fb2.zip, epub or a4.pdf",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(domain: &str, user: &str, id: &str, ext: &str) -> Result<String, DownloadLinkError> {
        download_link(
            domain,
            &Secret::new("TESTKEY"),
            user,
            &ExternalId::new(id),
            ext,
            1_223_476_767,
        )
    }

    #[test]
    fn link_matches_signature_vector() {
        assert_eq!(
            link("dl.example.com", "666", "fb2-test-id-123", "fb2.zip").unwrap(),
            "https://dl.example.com/get_litres_file/1223476707/666/fb2-test-id-123.fb2.zip\
             ?sha=a36ed81c574d5552980ac02c497d2d9329e42f84d203d7db325dda2e07116214"
        );
    }

    #[test]
    fn book_id_is_lowercased_in_path_and_signature() {
        assert_eq!(
            link("dl.example.com", "666", "FB2-TEST-ID-123", "fb2.zip").unwrap(),
            link("dl.example.com", "666", "fb2-test-id-123", "fb2.zip").unwrap()
        );
    }

    #[test]
    fn timestamp_is_backdated() {
        let url = link("h", "1", "a", "epub").unwrap();
        let expected = format!(
            "/get_litres_file/{}/",
            1_223_476_767 - LINK_BACKDATE_SECONDS
        );
        assert!(url.contains(&expected), "{url}");
        assert_eq!(LINK_VALIDITY_SECONDS, 43_200);
    }

    #[test]
    fn invalid_arguments_are_rejected() {
        let cases = [
            ("", "666", "id", "epub", "domain"),
            ("https://dl.example.com", "666", "id", "epub", "domain"),
            ("dl.example.com/x", "666", "id", "epub", "domain"),
            ("dl.example.com", "", "id", "epub", "user id"),
            ("dl.example.com", "6/6", "id", "epub", "user id"),
            ("dl.example.com", "6 6", "id", "epub", "user id"),
            ("dl.example.com", "666", "", "epub", "external id"),
            ("dl.example.com", "666", "a/b", "epub", "external id"),
            ("dl.example.com", "666", "id", "", "extension"),
            ("dl.example.com", "666", "id", "fb2/zip", "extension"),
            ("dl.example.com", "666", "id", ".epub", "extension"),
            ("dl.example.com", "666", "id", "epub?x=1", "extension"),
        ];
        for (domain, user, id, ext, field) in cases {
            let error = link(domain, user, id, ext).unwrap_err();
            assert_eq!(error.field(), field, "{domain} {user} {id} {ext}");
        }
    }

    #[test]
    fn error_never_shows_key() {
        let error = link("", "666", "id", "epub").unwrap_err();
        assert!(!error.to_string().contains("TESTKEY"));
    }
}
