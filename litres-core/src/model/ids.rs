//! Typed identifiers, so an art id cannot be passed where a product id goes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// Returns the number.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse().map(Self)
            }
        }

        impl From<u64> for $name {
            fn from(value: u64) -> Self {
                Self(value)
            }
        }

        // Accepts a number or a numeric string, because CS-Cart and LitRes
        // both send numbers as strings.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct IdVisitor;

                impl serde::de::Visitor<'_> for IdVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " as a whole number"))
                    }

                    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<$name, E> {
                        Ok($name(value))
                    }

                    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<$name, E> {
                        u64::try_from(value).map($name).map_err(|_| {
                            E::custom(format!(
                                concat!("invalid ", stringify!($name), " {}: expected a whole number"),
                                value
                            ))
                        })
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        text.parse().map_err(|_| {
                            E::custom(format!(
                                concat!("invalid ", stringify!($name), " {:?}: expected a whole number"),
                                text
                            ))
                        })
                    }
                }

                deserializer.deserialize_any(IdVisitor)
            }
        }
    };
}

numeric_id!(
    /// LitRes art id: the numeric id of a book, unique per book.
    ArtId
);
numeric_id!(
    /// LitRes genre id from `genres_list_2`.
    GenreId
);
numeric_id!(
    /// A store's product id.
    ProductId
);
numeric_id!(
    /// A store's category id.
    CategoryId
);
numeric_id!(
    /// A store's order id.
    OrderId
);

/// LitRes external id: the document UUID used in download links.
///
/// Kept as sent; [`ExternalId::to_lowercase`] gives the form that download
/// links and signatures use.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExternalId(String);

impl ExternalId {
    /// Wraps an external id.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the id as sent by LitRes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the id in lower case, as download links need it.
    pub fn to_lowercase(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExternalId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_deserializes_from_number_or_string() {
        let from_number: ArtId = serde_json::from_str("10315207").unwrap();
        let from_text: ArtId = serde_json::from_str("\"10315207\"").unwrap();
        assert_eq!(from_number, ArtId(10315207));
        assert_eq!(from_text, ArtId(10315207));
    }

    #[test]
    fn id_rejects_negative_number() {
        let err = serde_json::from_str::<ArtId>("-5").unwrap_err();
        assert!(err.to_string().contains("invalid ArtId -5"), "{err}");
    }

    #[test]
    fn id_rejects_non_numeric_string() {
        let err = serde_json::from_str::<ProductId>("\"abc\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid ProductId \"abc\""),
            "{err}"
        );
    }
}
