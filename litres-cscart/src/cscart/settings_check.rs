//! The check of the shop settings that runs before any import: the
//! configured features, genre category and vendor must exist in CS-Cart,
//! and each feature must have a type the value fits.

use litres_core::settings::Settings;
use litres_core::store::{StoreError, StoreErrorKind};
use reqwest::Method;
use serde_json::Value;

use super::client::{RestClient, RestError};
use super::json::{field_text, field_u64};
use super::mapping::{FeatureMap, FeatureRef, FeatureType};

/// A feature setting and the types its values fit.
struct FeatureRule {
    setting: &'static str,
    allowed: &'static [FeatureType],
}

const AUTHOR: FeatureRule = FeatureRule {
    setting: "author_feature_id",
    allowed: &[FeatureType::CheckboxGroup],
};
const SERIES: FeatureRule = FeatureRule {
    setting: "series_feature_id",
    allowed: &[
        FeatureType::Text,
        FeatureType::Number,
        FeatureType::TextSelect,
        FeatureType::NumberSelect,
    ],
};
const SERIES_NUMBER: FeatureRule = FeatureRule {
    setting: "series_number_feature_id",
    allowed: &[
        FeatureType::Text,
        FeatureType::Number,
        FeatureType::NumberSelect,
    ],
};
const ISBN: FeatureRule = FeatureRule {
    setting: "isbn_feature_id",
    allowed: &[FeatureType::Text, FeatureType::Number],
};

/// Reads the configured features, genre category and vendor from CS-Cart
/// and returns the features with their types.
///
/// Call it before any write: the `litres` tool runs it before the genre and
/// product updates, and [`super::CsCartStore::connect`] runs it too, so a
/// store with wrong settings is never built.
///
/// # Errors
///
/// `Config` naming every setting that is wrong. A setting is wrong when its
/// feature, category or vendor does not exist, when its feature's type does
/// not fit (the message gives both types), or when its feature is not
/// available in the genre category, because CS-Cart would drop its values.
/// Other kinds when CS-Cart cannot be read.
pub(crate) async fn check_with_client(
    client: &RestClient,
    settings: &Settings,
) -> Result<FeatureMap, StoreError> {
    let mut problems = Vec::new();
    let rules = [
        (settings.author_feature_id, AUTHOR),
        (settings.series_feature_id, SERIES),
        (settings.series_number_feature_id, SERIES_NUMBER),
        (settings.isbn_feature_id, ISBN),
    ];
    let mut found = [None; 4];
    for (slot, (id, rule)) in found.iter_mut().zip(rules.iter()) {
        if *id == 0 {
            continue;
        }
        let path = format!("features/{id}");
        match read(client, &path, "reading feature").await? {
            None => problems.push(format!(
                "setting `{}`: feature {id} does not exist in CS-Cart; create it or set \
                 the id of an existing feature (0 to leave the value out)",
                rule.setting
            )),
            Some(feature) => match check_feature(rule, *id, &feature, settings.genre_category_id) {
                Ok(reference) => *slot = Some(reference),
                Err(problem) => problems.push(problem),
            },
        }
    }
    if settings.genre_category_id != 0 {
        let id = settings.genre_category_id;
        let path = format!("categories/{id}");
        if read(client, &path, "reading category").await?.is_none() {
            problems.push(format!(
                "setting `genre_category_id`: category {id} does not exist in CS-Cart; \
                 create it or set 0 to put the genre tree at the top level"
            ));
        }
    }
    if settings.vendor_id != 0 {
        let id = settings.vendor_id;
        let path = format!("vendors/{id}");
        if read(client, &path, "reading vendor").await?.is_none() {
            problems.push(format!(
                "setting `vendor_id`: vendor (company) {id} does not exist in CS-Cart; \
                 set the id of an existing vendor, or 0 outside Multi-Vendor"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::new(
            StoreErrorKind::Config,
            format!(
                "the CS-Cart settings are wrong, so nothing was imported:\n  {}",
                problems.join("\n  ")
            ),
        ));
    }
    let [author, series, series_number, isbn] = found;
    Ok(FeatureMap {
        author,
        series,
        series_number,
        isbn,
    })
}

/// GETs a record; `None` when CS-Cart returns 404.
async fn read(client: &RestClient, path: &str, action: &str) -> Result<Option<Value>, StoreError> {
    match client.send_idempotent(Method::GET, path, &[], None).await {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.status() == Some(reqwest::StatusCode::NOT_FOUND) => Ok(None),
        Err(error) => Err(RestError::into_store(error, &format!("{action} {path}"))),
    }
}

/// Checks one feature's type and categories.
fn check_feature(
    rule: &FeatureRule,
    id: u64,
    feature: &Value,
    genre_category_id: u64,
) -> Result<FeatureRef, String> {
    let name = field_text(feature, "description").unwrap_or_default();
    let letter = field_text(feature, "feature_type").unwrap_or_default();
    let kind = FeatureType::from_letter(&letter);
    if !rule.allowed.contains(&kind) {
        let wanted: Vec<String> = rule
            .allowed
            .iter()
            .map(|kind| format!("{} ({})", kind.letter(), kind.label()))
            .collect();
        return Err(format!(
            "setting `{}`: feature {id} {name:?} has type {} ({}), but it must be {}; \
             choose a feature of that type or change the type of feature {id} in CS-Cart",
            rule.setting,
            kind.letter(),
            kind.label(),
            wanted.join(" or "),
        ));
    }
    let categories: Vec<u64> = field_text(feature, "categories_path")
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    if !categories.is_empty() && !categories.contains(&genre_category_id) {
        return Err(format!(
            "setting `{}`: feature {id} {name:?} is available only in categories {categories:?}, \
             which do not include the genre category {genre_category_id}, so CS-Cart would \
             drop its values; add category {genre_category_id} to the feature or make it \
             available in all categories",
            rule.setting
        ));
    }
    if field_u64(feature, "feature_id").is_some_and(|read| read != id) {
        return Err(format!(
            "setting `{}`: CS-Cart returned another feature for id {id}",
            rule.setting
        ));
    }
    Ok(FeatureRef { id, kind })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn feature_types_table() {
        let cases = [
            (&AUTHOR, "M", true),
            (&AUTHOR, "S", false),
            (&AUTHOR, "T", false),
            (&SERIES, "T", true),
            (&SERIES, "O", true),
            (&SERIES, "S", true),
            (&SERIES, "N", true),
            (&SERIES, "M", false),
            (&SERIES_NUMBER, "N", true),
            (&SERIES_NUMBER, "S", false),
            (&ISBN, "T", true),
            (&ISBN, "O", true),
            (&ISBN, "S", false),
            (&ISBN, "C", false),
        ];
        for (rule, letter, ok) in cases {
            let feature = json!({"feature_id": "5", "feature_type": letter, "description": "F"});
            let result = check_feature(rule, 5, &feature, 0);
            assert_eq!(result.is_ok(), ok, "{} {letter}: {result:?}", rule.setting);
        }
    }

    #[test]
    fn wrong_type_message_names_both_types() {
        let feature = json!({"feature_type": "T", "description": "Authors"});
        let message = check_feature(&AUTHOR, 5, &feature, 0).unwrap_err();
        assert!(message.contains("author_feature_id"), "{message}");
        assert!(message.contains("feature 5 \"Authors\""), "{message}");
        assert!(message.contains("type T (text field)"), "{message}");
        assert!(message.contains("must be M (checkbox group"), "{message}");
    }

    #[test]
    fn feature_outside_genre_category_is_rejected() {
        let feature = json!({"feature_type": "M", "categories_path": "4,9"});
        assert!(check_feature(&AUTHOR, 5, &feature, 3).is_err());
        assert!(check_feature(&AUTHOR, 5, &feature, 9).is_ok());
        let everywhere = json!({"feature_type": "M", "categories_path": ""});
        assert!(check_feature(&AUTHOR, 5, &everywhere, 3).is_ok());
    }
}
