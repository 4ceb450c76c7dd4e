//! Lenient reading of CS-Cart's JSON, which prints every scalar as a
//! string (`"123"`, `"10.00"`, `"Y"`).

use serde_json::Value;

/// Reads a string, number or boolean as text.
pub(crate) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(if *flag { "Y" } else { "N" }.to_owned()),
        _ => None,
    }
}

/// Reads an unsigned integer given as a number or a numeric string.
pub(crate) fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Reads `object[key]` as an unsigned integer.
pub(crate) fn field_u64(object: &Value, key: &str) -> Option<u64> {
    object.get(key).and_then(as_u64)
}

/// Reads `object[key]` as text.
pub(crate) fn field_text(object: &Value, key: &str) -> Option<String> {
    object.get(key).and_then(text_of)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_read_from_strings_and_numbers() {
        let cases = [
            (json!("123"), Some(123)),
            (json!(" 7 "), Some(7)),
            (json!(42), Some(42)),
            (json!("10.00"), None),
            (json!(-1), None),
            (json!(null), None),
        ];
        for (value, expected) in cases {
            assert_eq!(as_u64(&value), expected, "{value}");
        }
    }

    #[test]
    fn text_reads_every_scalar() {
        assert_eq!(text_of(&json!("Y")), Some("Y".to_owned()));
        assert_eq!(text_of(&json!(10)), Some("10".to_owned()));
        assert_eq!(text_of(&json!(true)), Some("Y".to_owned()));
        assert_eq!(text_of(&json!([1])), None);
    }
}
