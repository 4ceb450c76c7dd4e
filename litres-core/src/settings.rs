//! Settings shared by every front end: the add-on, `litres.toml`, the C ABI
//! JSON config and Rust callers use the same names.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::client::ClientConfig;
use crate::model::{CategoryId, FileFormat, WorkType};
use crate::sale::{LinkConfig, SaleConfig};
use crate::secret::Secret;
use crate::sync::SyncConfig;

pub use crate::client::DEFAULT_BASE_URL;

/// Default pause between LitRes requests in milliseconds: the LitRes
/// limit of one request per second, plus a margin so that jitter on the
/// way never makes two requests arrive less than a second apart.
pub const DEFAULT_REQUEST_INTERVAL_MS: u64 = 1100;

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
    #[serde(deserialize_with = "flag")]
    pub test_mode: bool,
    /// Order statuses that send sale notifications ("Send request to
    /// LitRes about a sale"); orders in them count as paid for download
    /// links. Default: `P, C`.
    #[serde(deserialize_with = "list")]
    pub sale_statuses: Vec<String>,
    /// Runs that may try one sale notification before it gives up and
    /// fails its order. Default: 5.
    #[serde(deserialize_with = "number")]
    pub sale_max_attempts: u32,
    /// Seconds to wait after the first failed sale notification; the wait
    /// doubles after each later failure, up to 6 hours. Default: 300.
    #[serde(deserialize_with = "number")]
    pub sale_retry_base_seconds: u64,
    /// LitRes partner interface address. Default: [`DEFAULT_BASE_URL`].
    pub base_url: String,
    /// Seconds to wait for a connection. Default: 10.
    #[serde(deserialize_with = "number")]
    pub connect_timeout: u64,
    /// Seconds a small request may take, and the longest pause between two
    /// parts of a catalog response. Default: 120.
    #[serde(deserialize_with = "number")]
    pub request_timeout: u64,
    /// Address that cover paths are appended to. Default:
    /// [`DEFAULT_COVER_BASE_URL`].
    pub cover_base_url: String,
    /// Milliseconds between two LitRes requests. Default:
    /// [`DEFAULT_REQUEST_INTERVAL_MS`].
    #[serde(deserialize_with = "number")]
    pub min_request_interval_ms: u64,
    /// Parent category of the genre tree; 0 puts it at the top level.
    #[serde(deserialize_with = "number")]
    pub genre_category_id: u64,
    /// Checkbox-group feature (`M`) for the authors; 0 for none.
    #[serde(deserialize_with = "number")]
    pub author_feature_id: u64,
    /// Feature for the series name (`T`, `O`, `S` or `N`); 0 for none.
    #[serde(deserialize_with = "number")]
    pub series_feature_id: u64,
    /// Feature for the number in the series (`T`, `O` or `N`); 0 for none.
    #[serde(deserialize_with = "number")]
    pub series_number_feature_id: u64,
    /// Feature for the ISBN (`T` or `O`); 0 for none.
    #[serde(deserialize_with = "number")]
    pub isbn_feature_id: u64,
    /// Company that owns imported products; 0 outside Multi-Vendor.
    #[serde(deserialize_with = "number")]
    pub vendor_id: u64,
    /// Work types imported by default. Default: `0, 1, 11`.
    #[serde(deserialize_with = "list")]
    pub product_types: Vec<String>,
    /// Formats of a text book that become files. Default:
    /// `fb2.zip, epub, a4.pdf, mobi.prc`.
    #[serde(deserialize_with = "list")]
    pub text_formats: Vec<String>,
    /// Download limit of each file; 0 for no limit.
    #[serde(deserialize_with = "number")]
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
            sale_statuses: vec!["P".to_owned(), "C".to_owned()],
            sale_max_attempts: 5,
            sale_retry_base_seconds: 300,
            base_url: DEFAULT_BASE_URL.to_owned(),
            cover_base_url: DEFAULT_COVER_BASE_URL.to_owned(),
            connect_timeout: 10,
            request_timeout: 120,
            min_request_interval_ms: DEFAULT_REQUEST_INTERVAL_MS,
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
    "sale_statuses",
    "sale_max_attempts",
    "sale_retry_base_seconds",
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
        for code in &self.product_types {
            if !code.bytes().all(|byte| byte.is_ascii_digit()) {
                problems.push(SettingsError::new(
                    "product_types",
                    format!("{code:?} is not a work type code: list numbers such as \"0, 1, 11\""),
                ));
            }
        }
        if self.product_types.is_empty() {
            problems.push(SettingsError::new(
                "product_types",
                "empty: list at least one work type, such as \"0, 1, 11\"",
            ));
        }
        if self.sale_statuses.is_empty() {
            problems.push(SettingsError::new(
                "sale_statuses",
                "empty: list the order statuses that send sales, such as \"P, C\"",
            ));
        }
        if self.sale_max_attempts == 0 {
            problems.push(SettingsError::new("sale_max_attempts", "0: set at least 1"));
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

    /// Returns the sale notification part of the settings.
    pub fn sale_config(&self) -> SaleConfig {
        SaleConfig::default()
            .send_statuses(self.sale_statuses.iter().cloned())
            .failed_status(self.failed_sale_status.trim())
            .test_mode(self.test_mode)
            .max_attempts(self.sale_max_attempts)
            .retry_base(Duration::from_secs(self.sale_retry_base_seconds))
    }

    /// Returns the buyer link part of the settings.
    pub fn link_config(&self) -> LinkConfig {
        LinkConfig::new(
            self.download_domain.trim(),
            self.secret_key.clone(),
            self.sale_statuses.clone(),
        )
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

/// Reads a whole number given as a number or as text, because environment
/// variables and the add-on's stored settings arrive as text.
fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    struct NumberVisitor;

    impl serde::de::Visitor<'_> for NumberVisitor {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number")
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<u64, E> {
            Ok(value)
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<u64, E> {
            u64::try_from(value).map_err(|_| invalid_number(value))
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<u64, E> {
            text.trim()
                .parse()
                .map_err(|_| invalid_number(format!("{text:?}")))
        }
    }

    let value = deserializer.deserialize_any(NumberVisitor)?;
    T::try_from(value).map_err(|_| invalid_number(value))
}

fn invalid_number<E: serde::de::Error>(shown: impl std::fmt::Display) -> E {
    E::custom(format!("invalid number {shown}: expected a whole number"))
}

/// Reads a yes-or-no setting given as a boolean, as 0 or 1, or as text
/// (`true`, `false`, `yes`, `no`, `Y`, `N`, as CS-Cart stores checkboxes).
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct FlagVisitor;

    impl serde::de::Visitor<'_> for FlagVisitor {
        type Value = bool;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("true or false")
        }

        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<bool, E> {
            Ok(value)
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<bool, E> {
            match value {
                0 => Ok(false),
                1 => Ok(true),
                other => Err(E::custom(format!(
                    "invalid flag {other}: expected true or false"
                ))),
            }
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<bool, E> {
            match text.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "y" | "yes" => Ok(true),
                "0" | "false" | "n" | "no" | "" => Ok(false),
                _ => Err(E::custom(format!(
                    "invalid flag {text:?}: expected true or false"
                ))),
            }
        }
    }

    deserializer.deserialize_any(FlagVisitor)
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
    fn product_types_must_be_codes() {
        let settings: Settings = serde_json::from_str(
            r#"{"partner_id": "P", "secret_key": "K", "product_types": "0, l1, 99"}"#,
        )
        .unwrap();
        let problems = settings.validate();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].to_string().contains("\"l1\""),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn numbers_and_flags_accept_text() {
        let settings: Settings =
            serde_json::from_str(r#"{"vendor_id": " 7 ", "test_mode": "Y", "max_downloads": 3}"#)
                .unwrap();
        assert_eq!(settings.vendor_id, 7);
        assert!(settings.test_mode);
        assert_eq!(settings.max_downloads, 3);
        let negative = serde_json::from_str::<Settings>(r#"{"connect_timeout": -1}"#).unwrap_err();
        assert!(
            negative.to_string().contains("invalid number -1"),
            "{negative}"
        );
        let flag = serde_json::from_str::<Settings>(r#"{"test_mode": "maybe"}"#).unwrap_err();
        assert!(
            flag.to_string().contains("invalid flag \"maybe\""),
            "{flag}"
        );
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
    fn sale_settings_accept_text_numbers() {
        let settings: Settings = serde_json::from_str(
            r#"{"sale_statuses": "C", "sale_max_attempts": "3", "sale_retry_base_seconds": 60}"#,
        )
        .unwrap();
        let config = settings.sale_config();
        assert!(config.sends("C"));
        assert!(!config.sends("P"));
        assert_eq!(settings.sale_max_attempts, 3);
        assert_eq!(settings.sale_retry_base_seconds, 60);
    }

    #[test]
    fn sale_settings_reject_bad_number() {
        let error = serde_json::from_str::<Settings>(r#"{"sale_max_attempts": "many"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"many\""), "{error}");
    }

    #[test]
    fn sale_statuses_default_to_processed_and_complete() {
        assert_eq!(Settings::default().sale_statuses, vec!["P", "C"]);
        assert_eq!(Settings::default().sale_max_attempts, 5);
    }

    #[test]
    fn notification_key_defaults_to_secret_key() {
        let settings: Settings = serde_json::from_str(r#"{"secret_key": "A"}"#).unwrap();
        assert_eq!(settings.notification_key().expose(), "A");
    }
}
