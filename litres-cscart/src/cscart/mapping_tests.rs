use litres_core::store::contract::{sample_category, sample_product};
use litres_core::{ArtId, CategoryId, FileFormat, ProductId};
use serde_json::json;

use super::*;

fn features(series: FeatureType, number: FeatureType, isbn: FeatureType) -> FeatureMap {
    FeatureMap {
        author: Some(FeatureRef {
            id: 10,
            kind: FeatureType::CheckboxGroup,
        }),
        series: Some(FeatureRef {
            id: 11,
            kind: series,
        }),
        series_number: Some(FeatureRef {
            id: 12,
            kind: number,
        }),
        isbn: Some(FeatureRef { id: 13, kind: isbn }),
    }
}

#[test]
fn product_code_round_trips() {
    assert_eq!(product_code(ArtId(10315207)), "LR10315207");
    assert_eq!(art_id_from_code("LR10315207"), Some(ArtId(10315207)));
    for bad in ["", "LR", "LR12x", "XX12", "lr12"] {
        assert_eq!(art_id_from_code(bad), None, "{bad:?}");
    }
}

#[test]
fn product_fields_map() {
    let mut draft = sample_product(ArtId(7));
    draft.category_ids = vec![CategoryId(3), CategoryId(4)];
    draft.main_category = Some(CategoryId(3));
    draft.vendor_id = 9;
    let body = product_body(&draft, &FeatureMap::default(), None, false);
    assert_eq!(body["product"], "Sample book 7");
    assert_eq!(body["product_code"], "LR7");
    assert_eq!(body["price"], "109.00");
    assert_eq!(body["status"], "A");
    assert_eq!(body["company_id"], 9);
    assert_eq!(body["is_edp"], "Y");
    assert_eq!(body["category_ids"], json!([3, 4]));
    assert_eq!(body["main_category"], 3);
    assert_eq!(body["full_description"], "<p>An invented annotation.</p>");
    assert!(body.get("product_features").is_none());
    assert!(body.get("main_pair").is_none(), "cover not asked for");
}

#[test]
fn disabled_status_is_d() {
    let mut draft = sample_product(ArtId(7));
    draft.status = ProductStatus::Disabled;
    let body = product_body(&draft, &FeatureMap::default(), None, false);
    assert_eq!(body["status"], "D");
}

#[test]
fn cover_only_when_sent() {
    let draft = sample_product(ArtId(7));
    let with = product_body(&draft, &FeatureMap::default(), None, true);
    assert_eq!(
        with["main_pair"]["detailed"]["image_path"],
        "https://covers.example/7.jpg"
    );
    let without = product_body(&draft, &FeatureMap::default(), None, false);
    assert!(without.get("main_pair").is_none());
}

#[test]
fn no_categories_uses_fallback() {
    let draft = sample_product(ArtId(7));
    let body = product_body(&draft, &FeatureMap::default(), Some(CategoryId(5)), false);
    assert_eq!(body["category_ids"], json!([5]));
    assert_eq!(body["main_category"], 5);
}

#[test]
fn features_by_type() {
    let cases = [
        (
            FeatureType::Text,
            FeatureType::Text,
            FeatureType::Text,
            json!({"10": [], "11": "Sample series", "12": "1", "13": "978-5-0000-0000-0"}),
            json!({"10": {"variant": "Anna Sample"}}),
        ),
        (
            FeatureType::Number,
            FeatureType::Number,
            FeatureType::Number,
            json!({"10": [], "11": "", "12": "1", "13": "9785000000000"}),
            json!({"10": {"variant": "Anna Sample"}}),
        ),
        (
            FeatureType::TextSelect,
            FeatureType::NumberSelect,
            FeatureType::Text,
            json!({"10": [], "11": "", "12": "", "13": "978-5-0000-0000-0"}),
            json!({
                "10": {"variant": "Anna Sample"},
                "11": {"variant": "Sample series"},
                "12": {"variant": "1"},
            }),
        ),
    ];
    for (series, number, isbn, values, variants) in cases {
        let map = features(series, number, isbn);
        let body = product_body(&sample_product(ArtId(7)), &map, None, false);
        assert_eq!(
            body["product_features"], values,
            "{series:?} {number:?} {isbn:?}"
        );
        assert_eq!(
            body["add_new_variant"], variants,
            "{series:?} {number:?} {isbn:?}"
        );
    }
}

#[test]
fn several_authors_go_as_array() {
    let mut draft = sample_product(ArtId(7));
    draft.authors = vec!["Anna Sample".into(), " ".into(), "Boris Sample".into()];
    let map = features(FeatureType::Text, FeatureType::Text, FeatureType::Text);
    let body = product_body(&draft, &map, None, false);
    assert_eq!(
        body["add_new_variant"]["10"]["variant"],
        json!(["Anna Sample", "Boris Sample"])
    );
}

#[test]
fn absent_values_clear_features() {
    let mut draft = sample_product(ArtId(7));
    draft.authors.clear();
    draft.series = None;
    draft.series_number = None;
    draft.isbn = None;
    let map = features(
        FeatureType::TextSelect,
        FeatureType::Text,
        FeatureType::Number,
    );
    let body = product_body(&draft, &map, None, false);
    assert_eq!(
        body["product_features"],
        json!({"10": [], "11": "", "12": "", "13": ""})
    );
    assert!(body.get("add_new_variant").is_none());
}

#[test]
fn long_text_is_cut_to_limit() {
    let mut draft = sample_product(ArtId(7));
    draft.series = Some("я".repeat(300));
    let map = features(FeatureType::Text, FeatureType::Text, FeatureType::Text);
    let body = product_body(&draft, &map, None, false);
    let text = body["product_features"]["11"].as_str().unwrap_or_default();
    assert_eq!(text.chars().count(), TEXT_FEATURE_MAX_CHARS);
}

#[test]
fn category_fields_map() {
    let mut draft = sample_category(&[1, 2], "Prose");
    draft.parent = Some(CategoryId(8));
    draft.position = 30;
    draft.enabled = false;
    assert_eq!(
        category_body(&draft),
        json!({"category": "Prose", "parent_id": 8, "position": 30, "status": "D"})
    );
    draft.vendor_id = 4;
    draft.parent = None;
    let body = category_body(&draft);
    assert_eq!(body["company_id"], 4);
    assert_eq!(body["parent_id"], 0);
}

#[test]
fn file_fields_map() {
    let mut file = sample_product(ArtId(7)).files[0].clone();
    file.name = "book.epub".into();
    file.format = Some(FileFormat::new(FileFormat::EPUB));
    file.max_downloads = 3;
    let body = file_body(ProductId(5), &file, 2);
    assert_eq!(
        body,
        json!({
            "product_id": 5, "file_name": "book.epub", "format": "epub",
            "litres_file_id": "", "max_downloads": 3, "activation_type": "P",
            "status": "A", "company_id": 2,
        })
    );
    assert_eq!(file_key(&file), "format:epub");
}

#[test]
fn feature_type_letters() {
    for letter in ["M", "S", "N", "T", "O", "C", "E", "D", "G"] {
        assert_eq!(
            FeatureType::from_letter(letter).letter().to_string(),
            letter
        );
    }
}
