//! Pure mapping from the domain model to CS-Cart request bodies.

use litres_core::store::{CategoryDraft, ProductDraft, ProductFile, ProductStatus};
use litres_core::{ArtId, CategoryId, ProductId};
use serde_json::{json, Map, Value};

/// CS-Cart's limit on a text feature value, in characters.
pub const TEXT_FEATURE_MAX_CHARS: usize = 255;

/// Prefix of the product code that identifies an imported book.
pub const PRODUCT_CODE_PREFIX: &str = "LR";

/// Activation of an imported file: after full payment.
pub const FILE_ACTIVATION: &str = "P";

/// Returns the product code of a book, such as `LR10315207`.
pub fn product_code(art_id: ArtId) -> String {
    format!("{PRODUCT_CODE_PREFIX}{}", art_id.get())
}

/// Reads the art id back from a product code made by [`product_code`].
pub fn art_id_from_code(code: &str) -> Option<ArtId> {
    let digits = code.trim().strip_prefix(PRODUCT_CODE_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(ArtId)
}

/// A feature's type letter, as CS-Cart stores it in `feature_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeatureType {
    /// `M`: checkbox group, several variants.
    CheckboxGroup,
    /// `S`: text select box.
    TextSelect,
    /// `N`: number select box.
    NumberSelect,
    /// `T`: text field.
    Text,
    /// `O`: number field.
    Number,
    /// Any other letter (`C`, `E`, `D`, `G`), kept as read.
    Other(char),
}

impl FeatureType {
    /// Reads a type letter.
    pub fn from_letter(letter: &str) -> Self {
        match letter.trim() {
            "M" => Self::CheckboxGroup,
            "S" => Self::TextSelect,
            "N" => Self::NumberSelect,
            "T" => Self::Text,
            "O" => Self::Number,
            other => Self::Other(other.chars().next().unwrap_or('?')),
        }
    }

    /// Returns the type letter.
    pub fn letter(self) -> char {
        match self {
            Self::CheckboxGroup => 'M',
            Self::TextSelect => 'S',
            Self::NumberSelect => 'N',
            Self::Text => 'T',
            Self::Number => 'O',
            Self::Other(letter) => letter,
        }
    }

    /// Returns the name the CS-Cart admin panel shows for the type.
    pub fn label(self) -> &'static str {
        match self {
            Self::CheckboxGroup => "checkbox group (multiple)",
            Self::TextSelect => "text select box",
            Self::NumberSelect => "number select box",
            Self::Text => "text field",
            Self::Number => "number field",
            Self::Other('C') => "single checkbox",
            Self::Other('E') => "brand",
            Self::Other('D') => "date",
            Self::Other('G') => "group",
            Self::Other(_) => "unknown type",
        }
    }
}

/// A configured feature and its type, as the settings check read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureRef {
    /// Feature id.
    pub id: u64,
    /// Feature type.
    pub kind: FeatureType,
}

/// The features a product's values go to; `None` when not configured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeatureMap {
    /// Checkbox group of authors.
    pub author: Option<FeatureRef>,
    /// Series name.
    pub series: Option<FeatureRef>,
    /// Number in the series.
    pub series_number: Option<FeatureRef>,
    /// ISBN.
    pub isbn: Option<FeatureRef>,
}

/// Builds the body of a product create or update.
///
/// Categories and feature values go in the same body because CS-Cart drops
/// a feature value when the feature is not available in the product's
/// categories as stored at that moment. A draft without categories gets
/// `fallback_category` (the genre root), if any. The cover goes only when
/// `send_cover` is true, because CS-Cart deletes and downloads the image
/// again on every `main_pair`.
pub fn product_body(
    draft: &ProductDraft,
    features: &FeatureMap,
    fallback_category: Option<CategoryId>,
    send_cover: bool,
) -> Value {
    let mut categories: Vec<u64> = draft.category_ids.iter().map(|id| id.get()).collect();
    if categories.is_empty() {
        categories.extend(fallback_category.map(CategoryId::get));
    }
    let main = draft
        .main_category
        .map(CategoryId::get)
        .or_else(|| categories.first().copied());
    let mut body = json!({
        "product": draft.name,
        "product_code": product_code(draft.art_id),
        "full_description": draft.description_html,
        "price": draft.price.to_string(),
        "status": status_letter(draft.status),
        "company_id": draft.vendor_id,
        "is_edp": "Y",
        "edp_shipping": "N",
        "category_ids": categories,
    });
    if let (Some(main), Some(object)) = (main, body.as_object_mut()) {
        object.insert("main_category".to_owned(), json!(main));
    }
    let (values, new_variants) = feature_values(draft, features);
    if let Some(object) = body.as_object_mut() {
        if !values.is_empty() {
            object.insert("product_features".to_owned(), Value::Object(values));
        }
        if !new_variants.is_empty() {
            object.insert("add_new_variant".to_owned(), Value::Object(new_variants));
        }
        if send_cover {
            if let Some(url) = &draft.cover_url {
                object.insert(
                    "main_pair".to_owned(),
                    json!({"detailed": {"image_path": url}}),
                );
            }
        }
    }
    body
}

/// Returns CS-Cart's status letter.
pub fn status_letter(status: ProductStatus) -> &'static str {
    match status {
        ProductStatus::Active => "A",
        ProductStatus::Disabled => "D",
    }
}

/// Builds `product_features` and `add_new_variant` for every configured
/// feature. A value that is absent clears the feature.
fn feature_values(
    draft: &ProductDraft,
    features: &FeatureMap,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut values = Map::new();
    let mut new_variants = Map::new();
    if let Some(author) = features.author {
        let key = author.id.to_string();
        values.insert(key.clone(), json!([]));
        let names: Vec<&str> = draft
            .authors
            .iter()
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .collect();
        // NOTE: CS-Cart 4.20 takes an array of names for `M`; 4.12–4.19
        // take one name per call, so only the first author reaches them.
        match names.as_slice() {
            [] => {}
            [one] => {
                new_variants.insert(key, json!({"variant": one}));
            }
            many => {
                new_variants.insert(key, json!({"variant": many}));
            }
        }
    }
    let singles = [
        (features.series, draft.series.as_deref(), false),
        (
            features.series_number,
            draft.series_number.as_deref(),
            false,
        ),
        (features.isbn, draft.isbn.as_deref(), true),
    ];
    for (feature, value, is_isbn) in singles {
        let Some(feature) = feature else {
            continue;
        };
        let key = feature.id.to_string();
        let value = value.map(str::trim).filter(|value| !value.is_empty());
        match feature.kind {
            FeatureType::Text => {
                let text: String = value
                    .unwrap_or_default()
                    .chars()
                    .take(TEXT_FEATURE_MAX_CHARS)
                    .collect();
                values.insert(key, json!(text));
            }
            FeatureType::Number => {
                let number = value.and_then(|value| number_value(value, is_isbn));
                values.insert(key, json!(number.unwrap_or_default()));
            }
            FeatureType::TextSelect | FeatureType::NumberSelect | FeatureType::CheckboxGroup => {
                values.insert(key.clone(), json!(""));
                if let Some(value) = value {
                    new_variants.insert(key, json!({"variant": value}));
                }
            }
            FeatureType::Other(_) => {}
        }
    }
    (values, new_variants)
}

/// Converts a value for a number field: an ISBN loses its hyphens, anything
/// else must already be a number. Returns `None` for text that is not one.
fn number_value(value: &str, is_isbn: bool) -> Option<String> {
    let candidate: String = if is_isbn {
        value.chars().filter(|c| !matches!(c, '-' | ' ')).collect()
    } else {
        value.replace(',', ".")
    };
    candidate.parse::<f64>().ok().map(|_| candidate)
}

/// Builds the body of a category create or update.
pub fn category_body(draft: &CategoryDraft) -> Value {
    let mut body = json!({
        "category": draft.name,
        "parent_id": draft.parent.map(CategoryId::get).unwrap_or(0),
        "position": draft.position,
        "status": if draft.enabled { "A" } else { "D" },
    });
    if draft.vendor_id != 0 {
        if let Some(object) = body.as_object_mut() {
            object.insert("company_id".to_owned(), json!(draft.vendor_id));
        }
    }
    body
}

/// Returns what identifies a file among a product's files: the LitRes file
/// id, else the format, else the name.
pub fn file_key(file: &ProductFile) -> String {
    if let Some(id) = &file.litres_file_id {
        return format!("id:{id}");
    }
    if let Some(format) = &file.format {
        return format!("format:{}", format.as_str());
    }
    format!("name:{}", file.name)
}

/// Builds the body of a `litres_files` create or update.
pub fn file_body(product: ProductId, file: &ProductFile, vendor_id: u64) -> Value {
    json!({
        "product_id": product.get(),
        "file_name": file.name,
        "format": file.format.as_ref().map(|format| format.as_str()).unwrap_or_default(),
        "litres_file_id": file.litres_file_id.as_deref().unwrap_or_default(),
        "max_downloads": file.max_downloads,
        "activation_type": FILE_ACTIVATION,
        "status": "A",
        "company_id": vendor_id,
    })
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
