//! Records the fake keeps, and their JSON the way CS-Cart prints it: every
//! scalar as a string.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// A product as the fake stores it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FakeProduct {
    /// Product id.
    pub product_id: u64,
    /// Name (`product`).
    pub product: String,
    /// Product code; neither unique nor required.
    pub product_code: String,
    /// Price as sent, such as `109.00`.
    pub price: String,
    /// `A`, `D` or `H`.
    pub status: String,
    /// Owner company (vendor).
    pub company_id: u64,
    /// Categories, in the order sent.
    pub category_ids: Vec<u64>,
    /// Main category.
    pub main_category: Option<u64>,
    /// `Y` for a downloadable product.
    pub is_edp: String,
    /// Long HTML description.
    pub full_description: String,
    /// Feature values by feature id.
    pub features: BTreeMap<u64, FeatureValue>,
    /// Address of the last cover sent through `main_pair`.
    pub image_path: Option<String>,
    /// How many times a cover was sent (each send re-downloads it).
    pub image_sends: u32,
}

/// A product's value of one feature.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FeatureValue {
    /// Text field (`T`), at most 255 characters.
    Text(String),
    /// Number field (`O`), as sent.
    Number(String),
    /// Select box (`S`, `N`, `E`): one variant id.
    Variant(u64),
    /// Checkbox group (`M`): variant ids.
    Variants(Vec<u64>),
}

/// A category.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeCategory {
    /// Category id.
    pub category_id: u64,
    /// Name.
    pub category: String,
    /// Parent; 0 at the top level.
    pub parent_id: u64,
    /// `A` or `D`.
    pub status: String,
    /// Position among siblings.
    pub position: i64,
    /// Owner company.
    pub company_id: u64,
}

/// A product feature with its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeFeature {
    /// Feature id.
    pub feature_id: u64,
    /// Name (`description`).
    pub description: String,
    /// Type letter: `M`, `S`, `N`, `E`, `T`, `O`, `D`, `C`.
    pub feature_type: String,
    /// Categories the feature applies to (with their subcategories); empty
    /// for every category.
    pub categories: Vec<u64>,
    /// Variants as (id, name).
    pub variants: Vec<(u64, String)>,
}

/// A downloadable file created through the add-on's `litres_files` entity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeFile {
    /// File id.
    pub file_id: u64,
    /// Product the file belongs to.
    pub product_id: u64,
    /// Name shown to the buyer.
    pub file_name: String,
    /// Text format, such as `fb2.zip`; empty for audio and PDF files.
    pub format: String,
    /// LitRes file id; empty for text formats.
    pub litres_file_id: String,
    /// Download limit, 0 for no limit.
    pub max_downloads: u64,
    /// `M`, `I` or `P`.
    pub activation_type: String,
    /// `A` or `D`.
    pub status: String,
    /// Owner company, the product's vendor.
    pub company_id: u64,
}

/// One request the fake served, for counting writes in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// HTTP method, such as `POST`.
    pub method: String,
    /// Path without the query, such as `/api/products/7`.
    pub path: String,
    /// Raw query string, empty when there is none.
    pub query: String,
    /// Request body as text.
    pub body: String,
}

impl LoggedRequest {
    /// Returns true for a POST, PUT or DELETE.
    pub fn is_write(&self) -> bool {
        matches!(self.method.as_str(), "POST" | "PUT" | "DELETE")
    }
}

impl FakeProduct {
    pub(crate) fn to_json(&self, features: &BTreeMap<u64, FakeFeature>) -> Value {
        let mut values = Map::new();
        for (id, value) in &self.features {
            let feature_type = features
                .get(id)
                .map(|feature| feature.feature_type.clone())
                .unwrap_or_default();
            let (text, variant_id, variants) = match value {
                FeatureValue::Text(text) | FeatureValue::Number(text) => {
                    (text.clone(), String::new(), Vec::new())
                }
                FeatureValue::Variant(variant) => {
                    (String::new(), variant.to_string(), vec![*variant])
                }
                FeatureValue::Variants(list) => (String::new(), String::new(), list.clone()),
            };
            let names: Map<String, Value> = variants
                .iter()
                .map(|variant| {
                    let name = features
                        .get(id)
                        .and_then(|feature| feature.variant_name(*variant))
                        .unwrap_or_default();
                    (
                        variant.to_string(),
                        json!({"variant_id": variant, "variant": name}),
                    )
                })
                .collect();
            values.insert(
                id.to_string(),
                json!({
                    "feature_id": id,
                    "feature_type": feature_type,
                    "value": text,
                    "variant_id": variant_id,
                    "variants": names,
                }),
            );
        }
        json!({
            "product_id": self.product_id,
            "product": self.product,
            "product_code": self.product_code,
            "price": self.price,
            "status": self.status,
            "company_id": self.company_id,
            "category_ids": self.category_ids,
            "main_category": self.main_category.unwrap_or(0),
            "is_edp": self.is_edp,
            "full_description": self.full_description,
            "product_features": values,
        })
    }
}

impl FakeCategory {
    pub(crate) fn to_json(&self, id_path: &[u64]) -> Value {
        let path: Vec<String> = id_path.iter().map(u64::to_string).collect();
        json!({
            "category_id": self.category_id,
            "category": self.category,
            "parent_id": self.parent_id,
            "id_path": path.join("/"),
            "status": self.status,
            "position": self.position,
            "company_id": self.company_id,
        })
    }
}

impl FakeFeature {
    /// Returns the name of a variant of this feature.
    pub fn variant_name(&self, variant_id: u64) -> Option<String> {
        self.variants
            .iter()
            .find(|(id, _)| *id == variant_id)
            .map(|(_, name)| name.clone())
    }

    pub(crate) fn to_json(&self) -> Value {
        let variants: Map<String, Value> = self
            .variants
            .iter()
            .map(|(id, name)| (id.to_string(), json!({"variant_id": id, "variant": name})))
            .collect();
        let categories: Vec<String> = self.categories.iter().map(u64::to_string).collect();
        json!({
            "feature_id": self.feature_id,
            "description": self.description,
            "feature_type": self.feature_type,
            "categories_path": categories.join(","),
            "variants": variants,
        })
    }
}

impl FakeFile {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "file_id": self.file_id,
            "product_id": self.product_id,
            "file_name": self.file_name,
            "format": self.format,
            "litres_file_id": self.litres_file_id,
            "max_downloads": self.max_downloads,
            "activation_type": self.activation_type,
            "status": self.status,
            "company_id": self.company_id,
        })
    }
}

/// Turns every number and boolean into a string, as CS-Cart's API does.
pub(crate) fn stringify(value: Value) -> Value {
    match value {
        Value::Number(number) => Value::String(number.to_string()),
        Value::Bool(flag) => Value::String(if flag { "Y" } else { "N" }.to_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(stringify).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, stringify(value)))
                .collect(),
        ),
        other => other,
    }
}
