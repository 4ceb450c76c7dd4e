//! The REST entities: `products`, `categories`, `features`, `vendors`,
//! `orders` and the add-on's `litres_files`.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::catalog::{number, text, Catalog, Rejection};
use super::model::FakeFile;
use super::orders;

/// CS-Cart's default page size.
const DEFAULT_ITEMS_PER_PAGE: u64 = 10;

/// A response before scalars are turned into strings.
pub(crate) type Reply = (StatusCode, Value);

/// One parsed API call.
pub(crate) struct Call<'a> {
    pub method: &'a Method,
    pub entity: &'a str,
    pub id: Option<u64>,
    pub query: &'a HashMap<String, String>,
    pub body: &'a Map<String, Value>,
}

/// Routes a call to its entity.
pub(crate) fn handle(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match call.entity {
        "products" => products(catalog, call),
        "categories" => categories(catalog, call),
        "features" => features(catalog, call),
        "vendors" => vendors(catalog, call),
        "litres_files" => files(catalog, call),
        "orders" => orders::orders(catalog, call),
        other => error(StatusCode::NOT_FOUND, &format!("Entity {other} not found")),
    }
}

/// CS-Cart's error body.
pub(crate) fn error(status: StatusCode, message: &str) -> Reply {
    (
        status,
        json!({
            "message": message,
            "messages": [message],
            "errors": [message],
            "status": status.as_u16(),
        }),
    )
}

fn rejected(rejection: Rejection) -> Reply {
    error(StatusCode::BAD_REQUEST, &rejection.0)
}

pub(crate) fn not_found(what: &str, id: u64) -> Reply {
    error(StatusCode::NOT_FOUND, &format!("{what} {id} not found"))
}

pub(crate) fn method_not_allowed() -> Reply {
    error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

/// Returns one page of `items`. A page past the end returns the last page
/// again, as CS-Cart does.
pub(crate) fn page(key: &str, items: Vec<Value>, query: &HashMap<String, String>) -> Reply {
    let per_page = query
        .get("items_per_page")
        .and_then(|value| value.parse::<u64>().ok())
        .filter(|value| *value > 0)
        .unwrap_or(DEFAULT_ITEMS_PER_PAGE);
    let total = items.len() as u64;
    let last_page = total.div_ceil(per_page).max(1);
    let requested = query
        .get("page")
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let current = requested.min(last_page);
    let skip = usize::try_from((current - 1) * per_page).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(usize::MAX);
    let items: Vec<Value> = items.into_iter().skip(skip).take(take).collect();
    (
        StatusCode::OK,
        json!({
            key: items,
            "params": {"page": current, "items_per_page": per_page, "total_items": total},
        }),
    )
}

fn products(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let code = call.query.get("pcode").map(|code| code.to_lowercase());
            let company = call.query.get("company_id").and_then(|id| id.parse().ok());
            let items = catalog
                .products
                .values()
                .filter(|product| match &code {
                    Some(code) => product.product_code.to_lowercase().contains(code),
                    None => true,
                })
                .filter(|product| company.is_none_or(|id: u64| product.company_id == id))
                .map(|product| product.to_json(&catalog.features))
                .collect();
            page("products", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.products.get(&id) {
            Some(product) => (StatusCode::OK, product.to_json(&catalog.features)),
            None => not_found("Product", id),
        },
        (Method::POST, None) => match catalog.create_product(call.body) {
            Ok(id) => (StatusCode::CREATED, json!({"product_id": id})),
            Err(rejection) => rejected(rejection),
        },
        (Method::PUT, Some(id)) => {
            if !catalog.products.contains_key(&id) {
                return not_found("Product", id);
            }
            match catalog.update_product(id, call.body) {
                Ok(()) => (StatusCode::OK, json!({"product_id": id})),
                Err(rejection) => rejected(rejection),
            }
        }
        _ => method_not_allowed(),
    }
}

fn categories(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let parent = call.query.get("parent_id").and_then(|id| id.parse().ok());
            let items = catalog
                .categories
                .values()
                .filter(|category| parent.is_none_or(|id: u64| category.parent_id == id))
                .map(|category| category.to_json(&catalog.id_path(category.category_id)))
                .collect();
            page("categories", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.categories.get(&id) {
            Some(category) => (StatusCode::OK, category.to_json(&catalog.id_path(id))),
            None => not_found("Category", id),
        },
        (Method::POST, None) => match catalog.write_category(None, call.body) {
            Ok(id) => (StatusCode::CREATED, json!({"category_id": id})),
            Err(rejection) => rejected(rejection),
        },
        (Method::PUT, Some(id)) => {
            if !catalog.categories.contains_key(&id) {
                return not_found("Category", id);
            }
            match catalog.write_category(Some(id), call.body) {
                Ok(id) => (StatusCode::OK, json!({"category_id": id})),
                Err(rejection) => rejected(rejection),
            }
        }
        _ => method_not_allowed(),
    }
}

fn features(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let items = catalog.features.values().map(|f| f.to_json()).collect();
            page("features", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.features.get(&id) {
            Some(feature) => (StatusCode::OK, feature.to_json()),
            None => not_found("Feature", id),
        },
        _ => method_not_allowed(),
    }
}

fn vendors(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    let vendor = |id: u64, name: &String| json!({"company_id": id, "company": name, "status": "A"});
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let items = catalog
                .vendors
                .iter()
                .map(|(id, name)| vendor(*id, name))
                .collect();
            page("vendors", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.vendors.get(&id) {
            Some(name) => (StatusCode::OK, vendor(id, name)),
            None => not_found("Vendor", id),
        },
        _ => method_not_allowed(),
    }
}

fn files(catalog: &mut Catalog, call: &Call<'_>) -> Reply {
    match (call.method.clone(), call.id) {
        (Method::GET, None) => {
            let product = call.query.get("product_id").and_then(|id| id.parse().ok());
            let items = catalog
                .files
                .values()
                .filter(|file| product.is_none_or(|id: u64| file.product_id == id))
                .map(FakeFile::to_json)
                .collect();
            page("files", items, call.query)
        }
        (Method::GET, Some(id)) => match catalog.files.get(&id) {
            Some(file) => (StatusCode::OK, file.to_json()),
            None => not_found("File", id),
        },
        (Method::POST, None) => create_file(catalog, call.body),
        (Method::PUT, Some(id)) => {
            let Some(mut file) = catalog.files.get(&id).cloned() else {
                return not_found("File", id);
            };
            if let Err(rejection) = apply_file(&mut file, call.body) {
                return rejected(rejection);
            }
            catalog.files.insert(id, file);
            (StatusCode::OK, json!({"file_id": id}))
        }
        (Method::DELETE, Some(id)) => match catalog.files.remove(&id) {
            Some(_) => (StatusCode::NO_CONTENT, Value::Null),
            None => not_found("File", id),
        },
        _ => method_not_allowed(),
    }
}

fn create_file(catalog: &mut Catalog, body: &Map<String, Value>) -> Reply {
    let Some(product_id) = body.get("product_id").and_then(number) else {
        return error(StatusCode::BAD_REQUEST, "product_id is required");
    };
    let Some(product) = catalog.products.get(&product_id) else {
        return not_found("Product", product_id);
    };
    let mut file = FakeFile {
        file_id: 0,
        product_id,
        file_name: String::new(),
        format: String::new(),
        litres_file_id: String::new(),
        max_downloads: 0,
        activation_type: "P".to_owned(),
        status: "A".to_owned(),
        company_id: product.company_id,
    };
    if let Err(rejection) = apply_file(&mut file, body) {
        return rejected(rejection);
    }
    if file.file_name.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "file_name is required");
    }
    file.file_id = catalog.next_id();
    let id = file.file_id;
    catalog.files.insert(id, file);
    (StatusCode::CREATED, json!({"file_id": id}))
}

/// Applies a body to a file; the add-on rejects a vendor other than the
/// product's, so a vendor can never attach files to another's product.
fn apply_file(file: &mut FakeFile, body: &Map<String, Value>) -> Result<(), Rejection> {
    if let Some(company) = body.get("company_id").and_then(number) {
        if company != file.company_id {
            return Err(Rejection(format!(
                "company_id {company} differs from the vendor {} of product {}",
                file.company_id, file.product_id
            )));
        }
    }
    if let Some(value) = text(body, "file_name") {
        file.file_name = value;
    }
    if let Some(value) = text(body, "format") {
        file.format = value;
    }
    if let Some(value) = text(body, "litres_file_id") {
        file.litres_file_id = value;
    }
    if let Some(value) = body.get("max_downloads").and_then(number) {
        file.max_downloads = value;
    }
    if let Some(value) = text(body, "activation_type") {
        if !matches!(value.as_str(), "M" | "I" | "P") {
            return Err(Rejection(format!(
                "activation_type {value:?} is not M, I or P"
            )));
        }
        file.activation_type = value;
    }
    if let Some(value) = text(body, "status") {
        file.status = value;
    }
    Ok(())
}
