//! Secret strings that never show up in logs, errors or `Debug` output.

use std::fmt;

/// A credential such as the LitRes secret key.
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable
/// through [`Secret::expose`], which signing code calls.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

/// Reads a key from text or a number, and never puts the value into an
/// error message.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

impl serde::de::Visitor<'_> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key as text")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Secret, E> {
        Ok(Secret::new(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Secret, E> {
        Ok(Secret::new(value.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Secret, E> {
        Ok(Secret::new(value.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, _value: bool) -> Result<Secret, E> {
        Err(E::custom("a key must be text, not true or false"))
    }

    fn visit_f64<E: serde::de::Error>(self, _value: f64) -> Result<Secret, E> {
        Err(E::custom("a key must be text: put it in quotes"))
    }
}

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the credential itself, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns true when no credential was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialize_never_echoes_value() {
        let from_number: Secret = serde_json::from_str("987654321").unwrap();
        assert_eq!(from_number.expose(), "987654321");
        let err = serde_json::from_str::<Secret>("12.75")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("12.75"), "{err}");
        let err = serde_json::from_str::<Secret>("[\"TOPSECRET\"]")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("TOPSECRET"), "{err}");
    }

    #[test]
    fn debug_and_display_hide_value() {
        let secret = Secret::new("TESTKEY");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.to_string(), "[redacted]");
        assert_eq!(secret.expose(), "TESTKEY");
    }
}
