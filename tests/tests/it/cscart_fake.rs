//! The fake CS-Cart REST API reproduces CS-Cart's behaviour, traps
//! included.

use std::time::Duration;

use litres_testkit::cscart_fake::{
    CsCartFake, CsCartFakeHandle, CsFault, CsInjection, FakeConfig, FeatureValue, AUTH_REALM,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn start() -> CsCartFakeHandle {
    CsCartFake::start(FakeConfig::new()).await.unwrap()
}

async fn call(
    fake: &CsCartFakeHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let url = format!("{}/api/{path}", fake.base_url());
    let mut request = reqwest::Client::new()
        .request(method, url)
        .basic_auth(fake.email(), Some(fake.api_key().expose()))
        .header("Content-Type", "application/json");
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value)
}

#[tokio::test]
async fn missing_credentials_get_401_with_realm() {
    let fake = start().await;
    let response = reqwest::get(format!("{}/api/products", fake.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let realm = response.headers().get("www-authenticate").cloned();
    assert_eq!(realm.unwrap().to_str().unwrap(), AUTH_REALM);
    assert!(
        fake.requests().is_empty(),
        "rejected requests are not logged"
    );
}

#[tokio::test]
async fn create_returns_201_and_string_scalars() {
    let fake = start().await;
    let body = json!({"product": "Book", "price": 10, "company_id": 0});
    let (status, created) = call(&fake, Method::POST, "products", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["product_id"].as_str().expect("id as a string");
    let (status, product) = call(&fake, Method::GET, &format!("products/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(product["price"], "10");
    assert_eq!(product["product_id"], id);
}

#[tokio::test]
async fn missing_name_gets_cs_cart_error() {
    let fake = start().await;
    let (status, error) = call(&fake, Method::POST, "products", Some(json!({"price": 1}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().unwrap().contains("product"));
    assert_eq!(error["status"], "400");
    assert!(error["errors"].is_array());
}

#[tokio::test]
async fn body_without_json_type_is_ignored() {
    let fake = start().await;
    let url = format!("{}/api/products", fake.base_url());
    let response = reqwest::Client::new()
        .post(url)
        .basic_auth(fake.email(), Some(fake.api_key().expose()))
        .body(json!({"product": "Book", "price": 1}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(fake.products().is_empty());
}

#[tokio::test]
async fn page_past_end_repeats_last_page() {
    let fake = start().await;
    for index in 0..3 {
        fake.add_product(&format!("Book {index}"), &format!("LR{index}"), 0);
    }
    let (_, page) = call(&fake, Method::GET, "products?items_per_page=2&page=9", None).await;
    assert_eq!(page["params"]["total_items"], "3");
    let items = page["products"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the last page, not an empty one");
    assert_eq!(items[0]["product_code"], "LR2");
}

#[tokio::test]
async fn pcode_matches_substrings_and_repeats() {
    let fake = start().await;
    fake.add_product("A", "LR12", 0);
    fake.add_product("B", "LR123", 0);
    fake.add_product("C", "LR12", 0);
    let (_, page) = call(&fake, Method::GET, "products?pcode=LR12", None).await;
    assert_eq!(page["params"]["total_items"], "3");
}

#[tokio::test]
async fn feature_outside_categories_is_dropped() {
    let fake = start().await;
    let books = fake.add_category("Books", 0);
    let prose = fake.add_category("Prose", books);
    let other = fake.add_category("Other", 0);
    let isbn = fake.add_feature("ISBN", "T", &[books]);
    let body = |category: u64| {
        json!({
            "product": "Book", "price": 1, "category_ids": [category],
            "product_features": {isbn.to_string(): "978"},
        })
    };
    call(&fake, Method::POST, "products", Some(body(prose))).await;
    call(&fake, Method::POST, "products", Some(body(other))).await;
    let products = fake.products();
    assert_eq!(
        products[0].features.get(&isbn),
        Some(&FeatureValue::Text("978".into())),
        "a subcategory of the feature's category keeps the value"
    );
    assert_eq!(products[1].features.get(&isbn), None, "dropped silently");
}

#[tokio::test]
async fn new_variant_is_found_ignoring_case() {
    let fake = start().await;
    let authors = fake.add_feature("Authors", "M", &[]);
    for name in ["Anna Sample", "ANNA SAMPLE"] {
        let body = json!({
            "product": "Book", "price": 1,
            "add_new_variant": {authors.to_string(): {"variant": name}},
        });
        call(&fake, Method::POST, "products", Some(body)).await;
    }
    let feature = fake.feature(authors).unwrap();
    assert_eq!(feature.variants.len(), 1);
    let products = fake.products();
    assert_eq!(products[0].features, products[1].features);
}

#[tokio::test]
async fn timeout_after_write_keeps_write() {
    let fake = start().await;
    fake.inject(
        CsInjection::new(CsFault::TimeoutAfterWrite(Duration::from_secs(2))).method(Method::POST),
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let result = client
        .post(format!("{}/api/products", fake.base_url()))
        .basic_auth(fake.email(), Some(fake.api_key().expose()))
        .header("Content-Type", "application/json")
        .body(json!({"product": "Book", "price": 1}).to_string())
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    assert_eq!(fake.products().len(), 1, "the write happened");
    assert_eq!(fake.write_count("/api/products"), 1);
}

#[tokio::test]
async fn injected_status_skips_handler() {
    let fake = start().await;
    fake.inject(CsInjection::new(CsFault::Status(503)).times(2));
    let body = json!({"product": "Book", "price": 1});
    let (first, _) = call(&fake, Method::POST, "products", Some(body.clone())).await;
    let (second, _) = call(&fake, Method::POST, "products", Some(body.clone())).await;
    let (third, _) = call(&fake, Method::POST, "products", Some(body)).await;
    assert_eq!(first, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(second, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third, StatusCode::CREATED);
    assert_eq!(fake.products().len(), 1);
}

#[tokio::test]
async fn files_carry_product_vendor() {
    let fake = start().await;
    let vendor = fake.add_vendor("Vendor");
    let product = fake.add_product("Book", "LR1", vendor);
    let file = json!({"product_id": product, "file_name": "a.epub", "format": "epub"});
    let (status, _) = call(&fake, Method::POST, "litres_files", Some(file)).await;
    assert_eq!(status, StatusCode::CREATED);
    let wrong = json!({"product_id": product, "file_name": "b", "company_id": vendor + 1});
    let (status, _) = call(&fake, Method::POST, "litres_files", Some(wrong)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let files = fake.files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].company_id, vendor);
}
