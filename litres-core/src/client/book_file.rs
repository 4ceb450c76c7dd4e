//! `get_the_book`: a book file downloaded by the store's server.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::Response;

use super::error_body::{is_xml_content_type, MAX_ERROR_BODY_BYTES};
use super::query::{Query, SIGNATURE_PARAM};
use super::send::{header_text, read_prefix, Call};
use super::ClientError;
use crate::model::{ExternalId, FileFormat};
use crate::secret::Secret;
use crate::sign;

/// Path of the server download call.
pub(crate) const GET_THE_BOOK_PATH: &str = "/get_the_book/";

/// A reference to one file of a book.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BookFileRef {
    /// A text book in this format, sent as `type` (LitRes defaults to
    /// `fb2.zip`).
    Format(FileFormat),
    /// A file of an audio or PDF book by its LitRes file id, sent as `file`.
    FileId(String),
}

impl BookFileRef {
    /// Builds the query: `book` (the external id in lower case), `place`,
    /// `sha = sha256(book:secret_key)`, then `type` or `file`.
    pub(crate) fn query(&self, id: &ExternalId, place: &str, secret_key: &Secret) -> Query {
        let book = id.to_lowercase();
        let sha = sign::get_the_book(&book, secret_key);
        let mut query = Query::new();
        query
            .push("book", book)
            .push("place", place)
            .push(SIGNATURE_PARAM, sha);
        match self {
            Self::Format(format) => query.push("type", format.as_str()),
            Self::FileId(file) => query.push("file", file.as_str()),
        };
        query
    }
}

/// A book file being received. Read it piece by piece with
/// [`chunk`](Self::chunk), or whole with [`bytes`](Self::bytes).
pub struct BookDownload {
    response: Response,
    read_timeout: Duration,
    url: String,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl std::fmt::Debug for BookDownload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookDownload")
            .field("url", &self.url)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl BookDownload {
    /// Checks that `response` carries a file and not an error document.
    ///
    /// LitRes reports errors as an XML body, sometimes with status 200,
    /// so an XML content type is an error whatever the status.
    // NOTE: a book ordered in a bare XML format (plain `fb2`) would be
    // taken for an error; the formats LitRes lists are all archives or
    // non-XML files.
    pub(crate) async fn from_response(
        response: Response,
        read_timeout: Duration,
        call: &Call,
    ) -> Result<Self, ClientError> {
        let content_type = header_text(&response, CONTENT_TYPE);
        if content_type.as_deref().is_some_and(is_xml_content_type) {
            let status = response.status().as_u16();
            let body =
                tokio::time::timeout(read_timeout, read_prefix(response, MAX_ERROR_BODY_BYTES))
                    .await
                    .unwrap_or_default();
            let message = call
                .error_message(content_type.as_deref(), &body)
                .or_else(|| Some("an XML error document instead of the file".to_owned()));
            return Err(ClientError::api(status, message, None).with_url(call.redacted()));
        }
        let file_name = header_text(&response, CONTENT_DISPOSITION)
            .and_then(|value| file_name_from_disposition(&value));
        Ok(Self {
            response,
            read_timeout,
            url: call.redacted().to_owned(),
            file_name,
            content_type,
        })
    }

    /// Returns the file name from `Content-Disposition`, when given.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// Returns the `Content-Type` header, when given.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Returns the `Content-Length` header, when given.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// Returns the next piece of the file, or `None` at its end.
    ///
    /// # Errors
    ///
    /// A timeout when no piece came within `read_timeout`, or a transport
    /// error when the connection broke.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, ClientError> {
        match tokio::time::timeout(self.read_timeout, self.response.chunk()).await {
            Ok(Ok(chunk)) => Ok(chunk),
            Ok(Err(error)) => Err(ClientError::transport(error).with_url(&self.url)),
            Err(_) => Err(ClientError::timeout().with_url(&self.url)),
        }
    }

    /// Reads the rest of the file into memory.
    ///
    /// # Errors
    ///
    /// As [`chunk`](Self::chunk).
    pub async fn bytes(mut self) -> Result<Bytes, ClientError> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

/// Reads `filename="…"` or `filename=…` from a `Content-Disposition` value.
fn file_name_from_disposition(value: &str) -> Option<String> {
    value.split(';').find_map(|part| {
        let (name, raw) = part.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("filename") {
            return None;
        }
        let file_name = raw.trim().trim_matches('"').trim();
        Some(file_name.to_owned()).filter(|name| !name.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_matches_signature_vector() {
        let id = ExternalId::new("65830123-26B8-4B07-8098-C18229E5026E");
        let query = BookFileRef::Format(FileFormat::new("fb2.zip")).query(
            &id,
            "TEST",
            &Secret::new("TESTKEY"),
        );
        assert_eq!(
            query.encode(),
            "book=65830123-26b8-4b07-8098-c18229e5026e&place=TEST\
             &sha=cb421a18d59ea7d4bcfee89e192908a75ef0fe719c2703b738809252baa35963&type=fb2.zip"
        );
    }

    #[test]
    fn file_id_is_sent_as_file() {
        let id = ExternalId::new("a");
        let query = BookFileRef::FileId("123".into()).query(&id, "P", &Secret::new("K"));
        assert_eq!(query.get("file"), Some("123"));
        assert_eq!(query.get("type"), None);
    }

    #[test]
    fn disposition_file_names() {
        let cases = [
            (
                "attachment; filename=\"book.fb2.zip\"",
                Some("book.fb2.zip"),
            ),
            ("attachment; filename=book.epub", Some("book.epub")),
            ("attachment; FileName = \"a b.pdf\" ", Some("a b.pdf")),
            ("attachment", None),
            ("attachment; filename=\"\"", None),
        ];
        for (value, expected) in cases {
            assert_eq!(
                file_name_from_disposition(value).as_deref(),
                expected,
                "{value}"
            );
        }
    }
}
