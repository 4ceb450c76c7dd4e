//! Settings shared by every front end: the add-on, `litres.toml`, the C ABI
//! JSON config and Rust callers use the same names.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::client::ClientConfig;
use crate::model::{CategoryId, FileFormat, WorkType};
use crate::secret::Secret;
use crate::sync::SyncConfig;

pub use crate::client::DEFAULT_BASE_URL;

/// Address cover paths are appended to, the default `cover_base_url`.
///
/// NOTE: LitRes documents the cover path (`/pub/c/cover/<art id>.<ext>`)
/// but not the host that serves it; the public LitRes site is assumed.
pub const DEFAULT_COVER_BASE_URL: &str = "https://www.litres.ru";

/// Every setting, with the defaults of the product.
///
/// Lists (`product_types`, `text_formats`) accept an array or a
/// comma-separated string such as `"0, 1, 11"`, as the add-on stores them.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Settings {
    /// Partner id issued by LitRes (`place`), such as `TEST`.
    pub partner_id: String,
    /// Key that signs catalog and download requests.
    pub secret_key: Secret,
    /// Key that signs sale notifications; empty means `secret_key`.
    pub notification_secret_key: Secret,
    /// Domain the store points at LitRes for buyer downloads.
    pub download_domain: String,
    /// Order status an order moves to when LitRes rejects its sale.
    /// Default: `F` (failed).
    pub failed_sale_status: String,
    /// Record sale notifications as tests instead of sending them.
    pub test_mode: bool,
    /// LitRes partner interface address. Default: [`DEFAULT_BASE_URL`].
    pub base_url: String,
    /// Seconds to wait for a connection. Default: 10.
    pub connect_timeout: u64,
    /// Seconds a small request may take, and the longest pause between two
    /// parts of a catalog response. Default: 120.
    pub request_timeout: u64,
    /// Address that cover paths are appended to. Default:
    /// [`DEFAULT_COVER_BASE_URL`].
    pub cover_base_url: String,
    /// Milliseconds between two LitRes requests. Default: 1000, the LitRes
    /// limit of one request per second.
    pub min_request_interval_ms: u64,
    /// Parent category of the genre tree; 0 puts it at the top level.
    pub genre_category_id: u64,
    /// Checkbox-group feature (`M`) for the authors; 0 for none.
    pub author_feature_id: u64,
    /// Feature for the series name (`T`, `O`, `S` or `N`); 0 for none.
    pub series_feature_id: u64,
    /// Feature for the number in the series (`T`, `O` or `N`); 0 for none.
    pub series_number_feature_id: u64,
    /// Feature that holds the ISBN (`T` or `O`); 0 for none.
    pub isbn_feature_id: u64,
    /// Company that owns imported products; 0 outside Multi-Vendor.
    pub vendor_id: u64,
    /// Work types imported by default. Default: `0, 1, 11`.
    #[serde(deserialize_with = "list")]
    pub product_types: Vec<String>,
    /// Formats of a text book that become files. Default:
    /// `fb2.zip, epub, a4.pdf, mobi.prc`.
    #[serde(deserialize_with = "list")]
    pub text_formats: Vec<String>,
    /// Download limit of each file; 0 for no limit.
    pub max_downloads: u32,
}

impl Default for Settings {
    fn default() -> Self {
        let sync = SyncConfig::default();
        Self {
            partner_id: String::new(),
            secret_key: Secret::default(),
            notification_secret_key: Secret::default(),
            download_domain: String::new(),
            failed_sale_status: "F".to_owned(),
            test_mode: false,
            base_url: DEFAULT_BASE_URL.to_owned(),
            cover_base_url: DEFAULT_COVER_BASE_URL.to_owned(),
            connect_timeout: 10,
            request_timeout: 120,
            min_request_interval_ms: 1000,
            genre_category_id: 0,
            author_feature_id: 0,
            series_feature_id: 0,
            series_number_feature_id: 0,
            isbn_feature_id: 0,
            vendor_id: 0,
            product_types: sync
                .product_types
                .iter()
                .map(|kind| kind.code().to_owned())
                .collect(),
            text_formats: sync
                .text_formats
                .iter()
                .map(|format| format.as_str().to_owned())
                .collect(),
            max_downloads: 0,
        }
    }
}

/// Names of every setting, for front ends that read environment variables
/// (`LITRES_` followed by the name in upper case).
pub const SETTING_NAMES: &[&str] = &[
    "partner_id",
    "secret_key",
    "notification_secret_key",
    "download_domain",
    "failed_sale_status",
    "test_mode",
    "base_url",
    "cover_base_url",
    "connect_timeout",
    "request_timeout",
    "min_request_interval_ms",
    "genre_category_id",
    "author_feature_id",
    "series_feature_id",
    "series_number_feature_id",
    "isbn_feature_id",
    "vendor_id",
    "product_types",
    "text_formats",
    "max_downloads",
];

/// A setting that is missing or has an invalid value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("setting `{name}`: {problem}")]
pub struct SettingsError {
    name: &'static str,
    problem: String,
}

impl SettingsError {
    fn new(name: &'static str, problem: impl Into<String>) -> Self {
        Self {
            name,
            problem: problem.into(),
        }
    }

    /// Returns the name of the setting.
    pub fn name(&self) -> &str {
        self.name
    }
}

impl Settings {
    /// Checks what every LitRes call needs and returns each problem found.
    pub fn validate(&self) -> Vec<SettingsError> {
        let mut problems = Vec::new();
        if self.partner_id.trim().is_empty() {
            problems.push(SettingsError::new(
                "partner_id",
                "missing: set the partner id LitRes issued (for the sandbox, TEST)",
            ));
        }
        if self.secret_key.is_empty() {
            problems.push(SettingsError::new(
                "secret_key",
                "missing: set the secret key LitRes issued",
            ));
        }
        let addresses = [
            ("base_url", &self.base_url),
            ("cover_base_url", &self.cover_base_url),
        ];
        for (name, address) in addresses {
            let address = address.trim();
            if !(address.starts_with("http://") || address.starts_with("https://")) {
                problems.push(SettingsError::new(
                    name,
                    format!("{address:?} is not an http:// or https:// address"),
                ));
            }
        }
        if self.product_types.is_empty() {
            problems.push(SettingsError::new(
                "product_types",
                "empty: list at least one work type, such as \"0, 1, 11\"",
            ));
        }
        for format in &self.text_formats {
            if format.contains('/') || format.contains(char::is_whitespace) {
                problems.push(SettingsError::new(
                    "text_formats",
                    format!("{format:?} is not a file format such as fb2.zip or epub"),
                ));
            }
        }
        problems
    }

    /// Returns the key that signs sale notifications.
    pub fn notification_key(&self) -> &Secret {
        if self.notification_secret_key.is_empty() {
            &self.secret_key
        } else {
            &self.notification_secret_key
        }
    }

    /// Returns the pause between LitRes requests.
    pub fn min_request_interval(&self) -> Duration {
        Duration::from_millis(self.min_request_interval_ms)
    }

    /// Returns the LitRes client's part of the settings.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig::new(self.partner_id.trim(), self.secret_key.clone())
            .base_url(self.base_url.trim())
            .notification_secret_key(self.notification_key().clone())
            .download_domain(self.download_domain.trim())
            .connect_timeout(Duration::from_secs(self.connect_timeout))
            .request_timeout(Duration::from_secs(self.request_timeout))
            .read_timeout(Duration::from_secs(self.request_timeout))
            .min_request_interval(self.min_request_interval())
    }

    /// Returns the sync engine's part of the settings.
    pub fn sync_config(&self) -> SyncConfig {
        SyncConfig {
            product_types: self
                .product_types
                .iter()
                .map(|code| WorkType::from_code(code))
                .collect(),
            text_formats: self
                .text_formats
                .iter()
                .map(|name| FileFormat::new(name))
                .collect(),
            max_downloads: self.max_downloads,
            vendor_id: self.vendor_id,
            genre_root: (self.genre_category_id != 0).then_some(CategoryId(self.genre_category_id)),
            cover_base_url: self.cover_base_url.trim().trim_end_matches('/').to_owned(),
            ..SyncConfig::default()
        }
    }
}

fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<serde_json::Value>),
        Text(String),
    }
    let items: Vec<String> = match ListOrText::deserialize(deserializer)? {
        ListOrText::Text(text) => text.split(',').map(str::to_owned).collect(),
        ListOrText::List(values) => values
            .into_iter()
            .map(|value| match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            })
            .collect(),
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_accept_text_or_array() {
        let from_text: Settings = serde_json::from_str(r#"{"product_types": "0, 4 ,"}"#).unwrap();
        let from_array: Settings = serde_json::from_str(r#"{"product_types": [0, "4"]}"#).unwrap();
        assert_eq!(from_text.product_types, vec!["0", "4"]);
        assert_eq!(from_array.product_types, vec!["0", "4"]);
    }

    #[test]
    fn unknown_setting_is_rejected() {
        let err = serde_json::from_str::<Settings>(r#"{"partner": "TEST"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `partner`"), "{err}");
    }

    #[test]
    fn validate_names_missing_settings() {
        let problems = Settings::default().validate();
        let names: Vec<&str> = problems.iter().map(SettingsError::name).collect();
        assert_eq!(names, vec!["partner_id", "secret_key"]);
    }

    #[test]
    fn debug_hides_keys() {
        let settings: Settings = serde_json::from_str(r#"{"secret_key": "TOPSECRET"}"#).unwrap();
        assert!(!format!("{settings:?}").contains("TOPSECRET"));
    }

    #[test]
    fn notification_key_defaults_to_secret_key() {
        let settings: Settings = serde_json::from_str(r#"{"secret_key": "A"}"#).unwrap();
        assert_eq!(settings.notification_key().expose(), "A");
    }
}
