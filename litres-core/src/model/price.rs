//! Prices in roubles, kept exactly as whole kopecks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A price in RUB with two decimals, such as `109.00`, stored as kopecks so
/// that no rounding happens on the way to the store.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Price {
    kopecks: i64,
}

impl Price {
    /// Makes a price from whole kopecks.
    pub fn from_kopecks(kopecks: i64) -> Self {
        Self { kopecks }
    }

    /// Returns the price in kopecks.
    pub fn kopecks(self) -> i64 {
        self.kopecks
    }
}

impl FromStr for Price {
    type Err = PriceParseError;

    /// Parses `109`, `109.5` or `109.00`; more than two decimals, a sign or
    /// any other character is an error.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || PriceParseError {
            input: text.to_owned(),
        };
        let trimmed = text.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(invalid());
        }
        let roubles: i64 = whole.parse().map_err(|_| invalid())?;
        let mut kopecks: i64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().map_err(|_| invalid())?
        };
        if fraction.len() == 1 {
            kopecks *= 10;
        }
        roubles
            .checked_mul(100)
            .and_then(|value| value.checked_add(kopecks))
            .map(Self::from_kopecks)
            .ok_or_else(invalid)
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.kopecks / 100, self.kopecks % 100)
    }
}

impl fmt::Debug for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Price({self})")
    }
}

impl Serialize for Price {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Price {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A price that is not a non-negative decimal with at most two decimals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid price {input:?}: expected roubles with up to two decimals, such as 109.00")]
pub struct PriceParseError {
    input: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_parses_table() {
        let cases = [
            ("109.00", 10900),
            ("109", 10900),
            ("0.5", 50),
            ("12.34", 1234),
            (" 7.07 ", 707),
        ];
        for (text, kopecks) in cases {
            assert_eq!(text.parse::<Price>().unwrap().kopecks(), kopecks, "{text}");
        }
    }

    #[test]
    fn price_rejects_table() {
        for text in [
            "",
            "-1.00",
            "1.234",
            "abc",
            "1,00",
            ".50",
            "99999999999999999999",
        ] {
            assert!(
                text.parse::<Price>().is_err(),
                "{text:?} should be rejected"
            );
        }
    }

    #[test]
    fn price_displays_two_decimals() {
        assert_eq!(Price::from_kopecks(10900).to_string(), "109.00");
        assert_eq!(Price::from_kopecks(5).to_string(), "0.05");
    }
}
