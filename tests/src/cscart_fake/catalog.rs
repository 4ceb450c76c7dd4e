//! The fake shop's data and the rules CS-Cart applies when a product is
//! written: feature values outside the product's categories are dropped,
//! and `add_new_variant` finds or creates variants by name.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::model::{FakeCategory, FakeFeature, FakeFile, FakeProduct, FeatureValue};
use super::orders::FakeOrder;

/// CS-Cart's limit on a text feature value.
const TEXT_FEATURE_MAX_CHARS: usize = 255;

/// Every record of the fake shop.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub products: BTreeMap<u64, FakeProduct>,
    pub categories: BTreeMap<u64, FakeCategory>,
    pub features: BTreeMap<u64, FakeFeature>,
    pub vendors: BTreeMap<u64, String>,
    pub files: BTreeMap<u64, FakeFile>,
    pub orders: BTreeMap<u64, FakeOrder>,
    next_id: u64,
    clock: u64,
}

/// A write the shop rejects, with CS-Cart's notification text.
pub(crate) struct Rejection(pub String);

impl Catalog {
    /// Returns a new id. Every kind of record draws from the same counter, so
    /// a test that passes a category id as a product id gets a 404.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Returns the next order change time: a Unix time that grows by one
    /// second on each call, so `updated_at_from` filters are exact.
    pub fn tick(&mut self) -> u64 {
        self.clock = self.clock.max(1_700_000_000) + 1;
        self.clock
    }

    /// Returns the category ids from the top down to `id`, inclusive.
    pub fn id_path(&self, id: u64) -> Vec<u64> {
        let mut path = Vec::new();
        let mut cursor = id;
        while let Some(category) = self.categories.get(&cursor) {
            if path.contains(&cursor) {
                break;
            }
            path.push(cursor);
            cursor = category.parent_id;
        }
        path.reverse();
        path
    }

    /// Creates a product from a REST body.
    pub fn create_product(&mut self, body: &Map<String, Value>) -> Result<u64, Rejection> {
        let name = text(body, "product").unwrap_or_default();
        if name.trim().is_empty() {
            return Err(Rejection(
                "The following required fields are missing: product".to_owned(),
            ));
        }
        if !body.contains_key("price") {
            return Err(Rejection(
                "The following required fields are missing: price".to_owned(),
            ));
        }
        let id = self.next_id();
        let product = FakeProduct {
            product_id: id,
            product: String::new(),
            product_code: String::new(),
            price: "0.00".to_owned(),
            status: "A".to_owned(),
            company_id: 0,
            category_ids: Vec::new(),
            main_category: None,
            is_edp: "N".to_owned(),
            full_description: String::new(),
            features: BTreeMap::new(),
            image_path: None,
            image_sends: 0,
        };
        self.products.insert(id, product);
        self.update_product(id, body)?;
        Ok(id)
    }

    /// Applies a REST body to a product, as `fn_update_product` does.
    pub fn update_product(&mut self, id: u64, body: &Map<String, Value>) -> Result<(), Rejection> {
        let Some(mut product) = self.products.get(&id).cloned() else {
            return Err(Rejection(format!("Product {id} not found")));
        };
        apply_scalars(&mut product, body);
        if let Some(main) = product.main_category {
            if !product.category_ids.contains(&main) {
                return Err(Rejection(format!(
                    "main_category {main} is not among the product's categories"
                )));
            }
        }

        let image = body
            .get("main_pair")
            .and_then(|pair| pair.get("detailed"))
            .and_then(|detailed| text_of(detailed.get("image_path")?));
        if let Some(path) = image {
            product.image_path = Some(path);
            product.image_sends += 1;
        }

        // Features go last, so they see the categories of this same body.
        self.apply_features(&mut product, body);
        self.products.insert(id, product);
        Ok(())
    }

    /// Sets the values of `product_features` and `add_new_variant`,
    /// silently skipping features not available in the product's
    /// categories, as CS-Cart does.
    fn apply_features(&mut self, product: &mut FakeProduct, body: &Map<String, Value>) {
        let empty = Map::new();
        let values = match body.get("product_features") {
            Some(Value::Object(map)) => map,
            _ => &empty,
        };
        let new_variants = match body.get("add_new_variant") {
            Some(Value::Object(map)) => map,
            _ => &empty,
        };
        let mut ids: Vec<&String> = values.keys().chain(new_variants.keys()).collect();
        ids.sort();
        ids.dedup();
        let allowed = self.product_category_set(product);
        for key in ids {
            let Ok(feature_id) = key.parse::<u64>() else {
                continue;
            };
            let Some(feature) = self.features.get(&feature_id) else {
                continue;
            };
            let available = feature.categories.is_empty()
                || feature.categories.iter().any(|id| allowed.contains(id));
            if !available {
                continue;
            }
            let names = new_variants
                .get(key)
                .and_then(|entry| entry.get("variant"))
                .map(variant_names)
                .unwrap_or_default();
            let value = self.feature_value(feature_id, values.get(key), &names);
            match value {
                Some(value) => {
                    product.features.insert(feature_id, value);
                }
                None => {
                    product.features.remove(&feature_id);
                }
            }
        }
    }

    /// Returns the product's categories with all their ancestors.
    fn product_category_set(&self, product: &FakeProduct) -> HashSet<u64> {
        product
            .category_ids
            .iter()
            .flat_map(|id| self.id_path(*id))
            .collect()
    }

    /// Converts a sent value to the stored value for the feature's type;
    /// `None` clears the value.
    fn feature_value(
        &mut self,
        feature_id: u64,
        sent: Option<&Value>,
        names: &[String],
    ) -> Option<FeatureValue> {
        let feature_type = self.features.get(&feature_id)?.feature_type.clone();
        match feature_type.as_str() {
            "T" => {
                let text = sent.and_then(text_of).unwrap_or_default();
                let text: String = text.chars().take(TEXT_FEATURE_MAX_CHARS).collect();
                (!text.is_empty()).then_some(FeatureValue::Text(text))
            }
            "O" | "D" | "C" => {
                let text = sent.and_then(text_of).unwrap_or_default();
                (!text.is_empty()).then_some(FeatureValue::Number(text))
            }
            "M" => {
                let mut ids: Vec<u64> = match sent {
                    Some(Value::Array(items)) => items.iter().filter_map(number).collect(),
                    Some(Value::Object(map)) => map.values().filter_map(number).collect(),
                    _ => Vec::new(),
                };
                for name in names {
                    let id = self.find_or_create_variant(feature_id, name)?;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                (!ids.is_empty()).then_some(FeatureValue::Variants(ids))
            }
            _ => {
                if let Some(name) = names.first() {
                    return self
                        .find_or_create_variant(feature_id, name)
                        .map(FeatureValue::Variant);
                }
                sent.and_then(number).map(FeatureValue::Variant)
            }
        }
    }

    /// Finds a variant by name, ignoring case, or creates it.
    fn find_or_create_variant(&mut self, feature_id: u64, name: &str) -> Option<u64> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let lower = name.to_lowercase();
        let existing = self
            .features
            .get(&feature_id)?
            .variants
            .iter()
            .find_map(|(id, variant)| (variant.to_lowercase() == lower).then_some(*id));
        if existing.is_some() {
            return existing;
        }
        let id = self.next_id();
        self.features
            .get_mut(&feature_id)?
            .variants
            .push((id, name.to_owned()));
        Some(id)
    }

    /// Creates or overwrites a category from a REST body.
    pub fn write_category(
        &mut self,
        id: Option<u64>,
        body: &Map<String, Value>,
    ) -> Result<u64, Rejection> {
        let mut category = match id {
            Some(id) => self
                .categories
                .get(&id)
                .cloned()
                .ok_or_else(|| Rejection(format!("Category {id} not found")))?,
            None => {
                let name = text(body, "category").unwrap_or_default();
                if name.trim().is_empty() {
                    return Err(Rejection(
                        "The following required fields are missing: category".to_owned(),
                    ));
                }
                FakeCategory {
                    category_id: self.next_id(),
                    category: name,
                    parent_id: 0,
                    status: "A".to_owned(),
                    position: 0,
                    company_id: 0,
                }
            }
        };
        if let Some(value) = text(body, "category") {
            category.category = value;
        }
        if let Some(value) = body.get("parent_id").and_then(number) {
            if value != 0 && !self.categories.contains_key(&value) {
                return Err(Rejection(format!("Parent category {value} not found")));
            }
            category.parent_id = value;
        }
        if let Some(value) = text(body, "status") {
            category.status = value;
        }
        if let Some(value) = body.get("position").and_then(number) {
            category.position = i64::try_from(value).unwrap_or(i64::MAX);
        }
        if let Some(value) = body.get("company_id").and_then(number) {
            category.company_id = value;
        }
        let id = category.category_id;
        self.categories.insert(id, category);
        Ok(id)
    }
}

/// Copies the plain fields a body sends onto a product.
fn apply_scalars(product: &mut FakeProduct, body: &Map<String, Value>) {
    let texts = [
        ("product", &mut product.product),
        ("product_code", &mut product.product_code),
        ("price", &mut product.price),
        ("status", &mut product.status),
        ("is_edp", &mut product.is_edp),
        ("full_description", &mut product.full_description),
    ];
    for (key, field) in texts {
        if let Some(value) = text(body, key) {
            *field = value;
        }
    }
    if let Some(value) = body.get("company_id").and_then(number) {
        product.company_id = value;
    }
    if let Some(Value::Array(ids)) = body.get("category_ids") {
        product.category_ids = ids.iter().filter_map(number).collect();
    }
    if let Some(value) = body.get("main_category").and_then(number) {
        product.main_category = Some(value);
    }
}

/// Reads a scalar field as text, as PHP would.
pub(crate) fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key).and_then(text_of)
}

/// Converts a string, number or boolean to text.
pub(crate) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(if *flag { "Y" } else { "N" }.to_owned()),
        _ => None,
    }
}

/// Reads a number given as a JSON number or a numeric string.
pub(crate) fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Reads `add_new_variant.<id>.variant`: one name, or several (4.20 `M`).
fn variant_names(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text_of).collect(),
        other => text_of(other).into_iter().collect(),
    }
}
