//! A product's downloadable files through the add-on's `litres_files` API
//! entity, since CS-Cart has no REST endpoint for product files.

use std::collections::HashMap;

use litres_core::store::{ProductDraft, StoreError};
use litres_core::ProductId;
use reqwest::Method;
use serde_json::Value;

use super::client::RestClient;
use super::json::{field_text, field_u64};
use super::mapping::{file_body, file_key};

/// Path of the add-on's entity under `/api/`.
pub(crate) const FILES_ENTITY: &str = "litres_files";

/// Makes the product's files match the draft: creates missing files,
/// updates changed ones and disables files the draft no longer lists.
/// Files are never deleted, so past buyers keep their downloads.
pub(crate) async fn sync_files(
    client: &RestClient,
    product: ProductId,
    draft: &ProductDraft,
) -> Result<(), StoreError> {
    let action = format!("listing the files of product {product}");
    let filter = [("product_id", product.get().to_string())];
    let existing = client
        .list(FILES_ENTITY, "files", &filter)
        .await
        .map_err(|error| error.into_store(&action))?;
    let mut by_key: HashMap<String, &Value> = HashMap::new();
    for file in &existing {
        by_key.entry(stored_key(file)).or_insert(file);
    }
    for file in &draft.files {
        let body = file_body(product, file, draft.vendor_id);
        let key = file_key(file);
        match by_key.remove(&key) {
            None => {
                let action = format!("creating file {:?} of product {product}", file.name);
                client
                    .send(Method::POST, FILES_ENTITY, &[], Some(&body))
                    .await
                    .map_err(|error| error.into_store(&action))?;
            }
            Some(stored) if differs(stored, &body) => {
                let id = field_u64(stored, "file_id").unwrap_or_default();
                let action = format!("updating file {id} of product {product}");
                let path = format!("{FILES_ENTITY}/{id}");
                client
                    .send_idempotent(Method::PUT, &path, &[], Some(&body))
                    .await
                    .map_err(|error| error.into_store(&action))?;
            }
            Some(_) => {}
        }
    }
    for stored in by_key.into_values() {
        if field_text(stored, "status").as_deref() == Some("D") {
            continue;
        }
        let id = field_u64(stored, "file_id").unwrap_or_default();
        let action = format!("disabling file {id} of product {product}");
        let path = format!("{FILES_ENTITY}/{id}");
        let body = serde_json::json!({"status": "D"});
        client
            .send_idempotent(Method::PUT, &path, &[], Some(&body))
            .await
            .map_err(|error| error.into_store(&action))?;
    }
    Ok(())
}

/// Builds the same key as [`file_key`] from a file CS-Cart returned.
fn stored_key(file: &Value) -> String {
    let id = field_text(file, "litres_file_id").unwrap_or_default();
    if !id.is_empty() {
        return format!("id:{id}");
    }
    let format = field_text(file, "format").unwrap_or_default();
    if !format.is_empty() {
        return format!("format:{format}");
    }
    format!("name:{}", field_text(file, "file_name").unwrap_or_default())
}

/// Returns true when a stored file differs from the body in any field sent.
fn differs(stored: &Value, body: &Value) -> bool {
    let Some(fields) = body.as_object() else {
        return true;
    };
    fields
        .iter()
        .any(|(key, value)| field_text(stored, key) != super::json::text_of(value))
}
