//! Client settings and their builder.

use std::time::Duration;

use reqwest::Url;

use super::ClientError;
use crate::secret::Secret;

/// The LitRes host of the partner interface.
pub const DEFAULT_BASE_URL: &str = "https://partnersdnld.litres.ru";

/// Settings of a [`Client`](super::Client).
///
/// Made with [`ClientConfig::new`] and adjusted with setters that take and
/// return `self`; [`Client::new`](super::Client::new) checks them. `Debug`
/// prints both keys as `[redacted]`.
///
/// ```
/// use std::time::Duration;
/// use litres_core::client::ClientConfig;
/// use litres_core::Secret;
///
/// let config = ClientConfig::new("TEST", Secret::new("TESTKEY"))
///     .base_url("http://127.0.0.1:8080")
///     .max_attempts(2)
///     .min_request_interval(Duration::ZERO);
/// assert!(!format!("{config:?}").contains("TESTKEY"));
/// ```
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) partner_id: String,
    pub(crate) secret_key: Secret,
    pub(crate) notification_secret_key: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) download_domain: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) max_attempts: u32,
    pub(crate) base_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) min_request_interval: Duration,
}

impl ClientConfig {
    /// Makes settings for partner `partner_id` (sent as `place`) signing
    /// with `secret_key`; every other setting has its documented default.
    pub fn new(partner_id: impl Into<String>, secret_key: Secret) -> Self {
        Self {
            partner_id: partner_id.into(),
            secret_key,
            notification_secret_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            download_domain: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(120),
            max_attempts: 4,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            min_request_interval: Duration::from_secs(1),
        }
    }

    /// Sets the URL every call path is appended to, such as a sandbox or
    /// a loopback test server. Default: [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sets the key that signs sale notifications. Default: the secret key.
    pub fn notification_secret_key(mut self, key: Secret) -> Self {
        self.notification_secret_key = Some(key);
        self
    }

    /// Sets the host name of buyer download links, such as
    /// `dl.example.com`. Default: none, and
    /// [`Client::download_link`](super::Client::download_link) fails.
    pub fn download_domain(mut self, domain: impl Into<String>) -> Self {
        self.download_domain = Some(domain.into());
        self
    }

    /// Sets the time allowed to open a connection. Default: 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time allowed for a whole small call (genre tree, single
    /// book, sale), body included. Default: 60 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the time allowed for the response headers of a streamed call
    /// (feed, book file), and then between two pieces of its body. The
    /// total time of such a body has no limit. Default: 120 s.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the number of attempts per call, the first one included; 1
    /// turns retries off. Default: 4.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the backoff before the second attempt; it doubles for each
    /// later one, with random jitter. Default: 500 ms.
    pub fn base_backoff(mut self, backoff: Duration) -> Self {
        self.base_backoff = backoff;
        self
    }

    /// Sets the cap on the backoff, and on the `Retry-After` delay the
    /// client waits for; a longer `Retry-After` ends the retries.
    /// Default: 30 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the least time between two requests of one client and its
    /// clones, retries included. LitRes allows one request per second.
    /// Default: 1 s.
    pub fn min_request_interval(mut self, interval: Duration) -> Self {
        self.min_request_interval = interval;
        self
    }

    /// Returns the partner id.
    pub fn partner_id(&self) -> &str {
        &self.partner_id
    }

    /// Returns the key that signs sale notifications.
    pub(crate) fn notification_key(&self) -> &Secret {
        self.notification_secret_key
            .as_ref()
            .unwrap_or(&self.secret_key)
    }

    /// Checks the settings and returns the parsed base URL without a
    /// trailing `/`.
    pub(crate) fn validate(&self) -> Result<Url, ClientError> {
        if self.partner_id.trim().is_empty() {
            return Err(ClientError::config(
                "partner_id is empty: set the partner id LitRes issued",
            ));
        }
        if self.secret_key.is_empty() {
            return Err(ClientError::config(
                "secret_key is empty: set the secret key LitRes issued",
            ));
        }
        if self
            .notification_secret_key
            .as_ref()
            .is_some_and(Secret::is_empty)
        {
            return Err(ClientError::config(
                "notification_secret_key is empty: set it or leave it unset to use secret_key",
            ));
        }
        if self.max_attempts == 0 {
            return Err(ClientError::config("max_attempts is 0: set at least 1"));
        }
        let timeouts = [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
            ("read_timeout", self.read_timeout),
        ];
        for (name, value) in timeouts {
            if value.is_zero() {
                return Err(ClientError::config(format!(
                    "{name} is zero: set a positive duration"
                )));
            }
        }
        parse_base_url(&self.base_url)
    }
}

fn parse_base_url(text: &str) -> Result<Url, ClientError> {
    let invalid = |why: &str| {
        ClientError::config(format!(
            "base_url {text:?} {why}: set an http or https URL such as {DEFAULT_BASE_URL}"
        ))
    };
    let url = Url::parse(text.trim().trim_end_matches('/')).map_err(|_| invalid("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("is not http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("has a query or fragment"));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(invalid("has no host"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig::new("TEST", Secret::new("TESTKEY"))
    }

    #[test]
    fn defaults() {
        let config = config();
        assert_eq!(config.base_url, DEFAULT_BASE_URL);
        assert_eq!(config.connect_timeout, Duration::from_secs(10));
        assert_eq!(config.request_timeout, Duration::from_secs(60));
        assert_eq!(config.read_timeout, Duration::from_secs(120));
        assert_eq!(config.max_attempts, 4);
        assert_eq!(config.base_backoff, Duration::from_millis(500));
        assert_eq!(config.max_backoff, Duration::from_secs(30));
        assert_eq!(config.min_request_interval, Duration::from_secs(1));
        assert_eq!(config.notification_key().expose(), "TESTKEY");
    }

    #[test]
    fn notification_key_overrides_secret_key() {
        let config = config().notification_secret_key(Secret::new("NOTIFY"));
        assert_eq!(config.notification_key().expose(), "NOTIFY");
    }

    #[test]
    fn debug_hides_keys() {
        let config = config().notification_secret_key(Secret::new("NOTIFY"));
        let debug = format!("{config:?}");
        assert!(!debug.contains("TESTKEY"), "{debug}");
        assert!(!debug.contains("NOTIFY"), "{debug}");
        assert!(debug.contains("TEST"), "{debug}");
    }

    #[test]
    fn validate_accepts_defaults_and_strips_slash() {
        let url = config()
            .base_url("http://127.0.0.1:9/litres/")
            .validate()
            .unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/litres");
        assert!(config().validate().is_ok());
    }

    #[test]
    fn validate_rejects_bad_settings() {
        let cases = [
            (ClientConfig::new(" ", Secret::new("K")), "partner_id"),
            (ClientConfig::new("P", Secret::new("")), "secret_key"),
            (
                config().notification_secret_key(Secret::new("")),
                "notification_secret_key",
            ),
            (config().max_attempts(0), "max_attempts"),
            (config().request_timeout(Duration::ZERO), "request_timeout"),
            (config().base_url("partnersdnld.litres.ru"), "base_url"),
            (config().base_url("ftp://h"), "base_url"),
            (config().base_url("https://h/?a=1"), "base_url"),
        ];
        for (config, setting) in cases {
            let error = config.validate().unwrap_err();
            assert!(error.is_config(), "{error}");
            assert!(error.to_string().contains(setting), "{error}");
        }
    }
}
