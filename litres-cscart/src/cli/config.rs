//! Settings for the tool: `litres.toml`, then `LITRES_*` environment
//! variables on top.

use std::path::{Path, PathBuf};

use litres_core::settings::{Settings, SETTING_NAMES};
use litres_core::Secret;
use litres_cscart::cscart::{CsCartConfig, DEFAULT_STATE_FILE};
use serde::Deserialize;

use super::CliError;

/// The settings file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "litres.toml";
/// The SQLite file used when no store is configured.
pub const DEFAULT_DATABASE: &str = "litres.db";

/// The store the catalog is written to.
#[derive(Debug, Clone)]
pub enum StoreChoice {
    /// The embedded SQLite database file.
    Sqlite {
        /// Database file.
        path: PathBuf,
    },
    /// A CS-Cart shop over its REST API, with a local state file.
    CsCart {
        /// Address, credentials and state file.
        config: CsCartConfig,
    },
}

/// Everything a command needs from the settings file and the environment.
#[derive(Debug, Clone)]
pub struct ToolConfig {
    /// LitRes and import settings.
    pub settings: Settings,
    /// Target store.
    pub store: StoreChoice,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct StoreSection {
    kind: Option<String>,
    path: Option<PathBuf>,
    url: Option<String>,
    email: Option<String>,
    api_key: Option<Secret>,
    state_path: Option<PathBuf>,
}

/// Reads the settings file (or `litres.toml` when present), applies the
/// environment, and checks the LitRes settings.
pub fn load(explicit: Option<&Path>) -> Result<ToolConfig, CliError> {
    load_with_env(explicit, |name| std::env::var(name).ok())
}

/// [`load`] with the environment given as a lookup function, for tests.
pub fn load_with_env(
    explicit: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<ToolConfig, CliError> {
    let mut table = read_table(explicit)?;
    let store_value = table.remove("store");
    for name in SETTING_NAMES {
        if let Some(value) = env(&env_name(name)) {
            table.insert((*name).to_owned(), toml::Value::String(value));
        }
    }
    let settings = settings_from_table(table)?;
    let problems = settings.validate();
    if !problems.is_empty() {
        let lines: Vec<String> = problems
            .iter()
            .map(|problem| format!("  {problem}"))
            .collect();
        return Err(CliError::Usage(format!(
            "invalid settings (set them in litres.toml or as LITRES_* environment variables):\n{}",
            lines.join("\n")
        )));
    }
    let mut section: StoreSection = match store_value {
        Some(value) => value
            .try_into()
            .map_err(|error| CliError::Usage(format!("invalid [store] section: {error}")))?,
        None => StoreSection::default(),
    };
    apply_store_env(&mut section, &env);
    Ok(ToolConfig {
        settings,
        store: store_choice(section)?,
    })
}

/// Returns the environment variable that overrides a setting.
pub fn env_name(setting: &str) -> String {
    format!("LITRES_{}", setting.to_ascii_uppercase())
}

fn read_table(explicit: Option<&Path>) -> Result<toml::Table, CliError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG_FILE).exists() => PathBuf::from(DEFAULT_CONFIG_FILE),
        None => return Ok(toml::Table::new()),
    };
    let text = std::fs::read_to_string(&path).map_err(|error| {
        CliError::Usage(format!(
            "cannot read settings file {}: {error}",
            path.display()
        ))
    })?;
    // The error's own text quotes the broken line, which may hold a key,
    // so only its message and line number are shown.
    text.parse::<toml::Table>().map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let place = line
            .map(|line| format!(" at line {line}"))
            .unwrap_or_default();
        CliError::Usage(format!(
            "settings file {} is not valid TOML{place}: {}",
            path.display(),
            error.message()
        ))
    })
}

/// Converts the table through JSON into the settings, which read numbers
/// and flags given as text, as environment variables give them.
fn settings_from_table(table: toml::Table) -> Result<Settings, CliError> {
    let mut object = serde_json::Map::new();
    for (key, value) in table {
        let json = serde_json::to_value(value)
            .map_err(|error| CliError::Usage(format!("setting `{key}`: {error}")))?;
        object.insert(key, json);
    }
    serde_path_to_error::deserialize(serde_json::Value::Object(object)).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            CliError::Usage(format!(
                "invalid settings: {inner}. Known settings: {}",
                SETTING_NAMES.join(", ")
            ))
        } else {
            CliError::Usage(format!("invalid setting `{path}`: {inner}"))
        }
    })
}

fn apply_store_env(section: &mut StoreSection, env: &impl Fn(&str) -> Option<String>) {
    if let Some(kind) = env("LITRES_STORE_KIND") {
        section.kind = Some(kind);
    }
    if let Some(path) = env("LITRES_STORE_PATH") {
        section.path = Some(PathBuf::from(path));
    }
    if let Some(url) = env("LITRES_STORE_URL") {
        section.url = Some(url);
    }
    if let Some(email) = env("LITRES_STORE_EMAIL") {
        section.email = Some(email);
    }
    if let Some(key) = env("LITRES_STORE_API_KEY") {
        section.api_key = Some(Secret::new(key));
    }
    if let Some(path) = env("LITRES_STORE_STATE_PATH") {
        section.state_path = Some(PathBuf::from(path));
    }
}

fn store_choice(section: StoreSection) -> Result<StoreChoice, CliError> {
    let kind = section.kind.as_deref().map(str::trim).unwrap_or("sqlite");
    match kind {
        "sqlite" => {
            let path = section
                .path
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATABASE));
            // SQLite takes an empty name as a temporary database that is
            // gone when the tool exits, so an empty path would lose the import.
            if path.as_os_str().is_empty() {
                return Err(CliError::Usage(
                    "[store] path is empty: name the SQLite database file, such as \"litres.db\""
                        .to_owned(),
                ));
            }
            Ok(StoreChoice::Sqlite { path })
        }
        "cscart" => cscart_choice(section),
        other => Err(CliError::Usage(format!(
            "[store] kind {other:?} is unknown: use \"sqlite\" or \"cscart\""
        ))),
    }
}

fn cscart_choice(section: StoreSection) -> Result<StoreChoice, CliError> {
    let missing = |key: &str, env: &str| {
        CliError::Usage(format!(
            "[store] kind = \"cscart\" needs `{key}`: set it in the [store] section or as {env}"
        ))
    };
    let url = section
        .url
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| missing("url", "LITRES_STORE_URL"))?;
    let email = section
        .email
        .filter(|email| !email.trim().is_empty())
        .ok_or_else(|| missing("email", "LITRES_STORE_EMAIL"))?;
    let api_key = section
        .api_key
        .filter(|key| !key.is_empty())
        .ok_or_else(|| missing("api_key", "LITRES_STORE_API_KEY"))?;
    let state_path = section
        .state_path
        .unwrap_or_else(|| PathBuf::from(DEFAULT_STATE_FILE));
    Ok(StoreChoice::CsCart {
        config: CsCartConfig::new(url.trim(), email.trim(), api_key, state_path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn environment_overrides_file() {
        let file = write("partner_id = \"FILE\"\nsecret_key = \"K\"\nvendor_id = 1\n");
        let config = load_with_env(Some(file.path()), |name| match name {
            "LITRES_PARTNER_ID" => Some("ENV".into()),
            "LITRES_VENDOR_ID" => Some("7".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(config.settings.partner_id, "ENV");
        assert_eq!(config.settings.vendor_id, 7);
        assert!(matches!(config.store, StoreChoice::Sqlite { .. }));
    }

    #[test]
    fn missing_settings_are_named() {
        let file = write("");
        let err = load_with_env(Some(file.path()), |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("partner_id"), "{err}");
        assert!(err.contains("secret_key"), "{err}");
    }

    #[test]
    fn wrong_number_is_rejected_with_name() {
        let file = write("partner_id = \"P\"\nsecret_key = \"K\"\nvendor_id = \"three\"\n");
        let err = load_with_env(Some(file.path()), |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("three"), "{err}");
        assert!(err.contains("`vendor_id`"), "{err}");
    }

    #[test]
    fn toml_error_hides_the_line() {
        let file = write("partner_id = \"P\"\nsecret_key = \"TOPSECRET\n");
        let err = load_with_env(Some(file.path()), |_| None)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("TOPSECRET"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn empty_database_path_is_rejected() {
        let file = write("partner_id = \"P\"\nsecret_key = \"K\"\n");
        let err = load_with_env(Some(file.path()), |name| {
            (name == "LITRES_STORE_PATH").then(String::new)
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("path is empty"), "{err}");
    }

    #[test]
    fn cscart_store_reads_env() {
        let file = write("partner_id = \"P\"\nsecret_key = \"K\"\n[store]\nkind = \"cscart\"\nurl = \"http://127.0.0.1:1\"\n");
        let config = load_with_env(Some(file.path()), |name| match name {
            "LITRES_STORE_EMAIL" => Some("admin@example.com".into()),
            "LITRES_STORE_API_KEY" => Some("KEY".into()),
            _ => None,
        })
        .unwrap();
        let StoreChoice::CsCart { config } = config.store else {
            panic!("expected the CS-Cart store");
        };
        assert_eq!(config.url, "http://127.0.0.1:1");
        assert_eq!(config.email, "admin@example.com");
        assert_eq!(config.api_key.expose(), "KEY");
        assert_eq!(config.state_path, PathBuf::from(DEFAULT_STATE_FILE));
    }

    #[test]
    fn cscart_store_without_key_is_rejected() {
        let file = write("partner_id = \"P\"\nsecret_key = \"K\"\n[store]\nkind = \"cscart\"\nurl = \"http://127.0.0.1:1\"\nemail = \"a@b.c\"\n");
        let err = load_with_env(Some(file.path()), |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("api_key"), "{err}");
        assert!(err.contains("LITRES_STORE_API_KEY"), "{err}");
    }

    #[test]
    fn unknown_store_kind_is_rejected() {
        let file = write("partner_id = \"P\"\nsecret_key = \"K\"\n[store]\nkind = \"mysql\"\n");
        let err = load_with_env(Some(file.path()), |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"mysql\""), "{err}");
    }

    #[test]
    fn missing_file_is_named() {
        let err = load_with_env(Some(Path::new("/nonexistent/litres.toml")), |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/litres.toml"), "{err}");
    }
}
