//! Errors of starting a sandbox, and the error responses it sends.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Content type of every XML response, with the trailing semicolon LitRes
/// sends.
pub const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8;";

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// A catalog directory or file could not be read.
    #[error("invalid sandbox catalog {path}: {message}")]
    Catalog {
        /// The directory or file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The configured address is not a loopback address.
    #[error("sandbox address {addr} is not a loopback address: use 127.0.0.1:PORT")]
    NotLoopback {
        /// The configured address.
        addr: SocketAddr,
    },
    /// The listening socket could not be bound.
    #[error("failed to bind the sandbox to {addr}: {source}; choose a free port or port 0")]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// An error response: an HTTP status with `<error>message</error>`.
///
/// NOTE: LitRes publishes no error body. The sandbox assumes a short XML
/// body whose text is the message; `Retry-After` is set on 429 responses.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(status = self.status.as_u16(), message = %self.message, "rejected request");
        let body = format!("<error>{}</error>", escape_text(&self.message));
        let mut response = (self.status, xml_body(body)).into_response();
        if let Some(seconds) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Wraps an XML document in a response with the LitRes content type.
pub(crate) fn xml_body(body: impl Into<axum::body::Body>) -> Response {
    let mut response = Response::new(body.into());
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XML_CONTENT_TYPE),
    );
    response
}

/// Escapes text for an XML attribute value or element content.
pub(crate) fn escape_text(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
