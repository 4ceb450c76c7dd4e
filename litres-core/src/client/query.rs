//! Query strings built by hand, so the bytes on the wire are known exactly.
//!
//! Every value is percent-encoded except the RFC 3986 unreserved
//! characters `A-Z a-z 0-9 - . _ ~`. A space therefore goes out as `%20`
//! (never `+`) and a colon as `%3A`, so the checkpoint
//! `2015-10-08 00:00:00` is sent as `2015-10-08%2000%3A00%3A00`. Signatures
//! are computed over the values before this encoding.

use std::fmt::Write;

/// Name of the query parameter that carries a request signature.
pub(crate) const SIGNATURE_PARAM: &str = "sha";

/// An ordered list of query parameters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// Makes an empty query.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Appends a parameter. `value` is the text before encoding.
    pub(crate) fn push(&mut self, name: &'static str, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name, value.into()));
        self
    }

    /// Returns the value of the first parameter called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns the encoded query, without the leading `?`.
    pub(crate) fn encode(&self) -> String {
        let mut out = String::new();
        for (index, (name, value)) in self.pairs.iter().enumerate() {
            if index > 0 {
                out.push('&');
            }
            out.push_str(&percent_encode(name));
            out.push('=');
            out.push_str(&percent_encode(value));
        }
        out
    }
}

/// Percent-encodes every byte of `text` except the unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Returns `url` with every `sha` parameter and any fragment removed, for
/// logs and errors.
///
/// The rest of the query is kept as sent. Partner id, times and ids are
/// not secret. The signature is secret, because anyone holding it can
/// repeat the request.
pub fn redact_url(url: &str) -> String {
    let head = url.split_once('#').map_or(url, |(head, _)| head);
    let Some((path, query)) = head.split_once('?') else {
        return head.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split_once('=').map_or(*pair, |(name, _)| name);
            !name.eq_ignore_ascii_case(SIGNATURE_PARAM)
        })
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_is_encoded_as_percent_20() {
        assert_eq!(
            percent_encode("2015-10-08 00:00:00"),
            "2015-10-08%2000%3A00%3A00"
        );
    }

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode("a+b&c=d@e"), "a%2Bb%26c%3Dd%40e");
    }

    #[test]
    fn non_ascii_is_encoded_per_byte() {
        assert_eq!(percent_encode("ё"), "%D1%91");
    }

    #[test]
    fn query_keeps_order() {
        let mut query = Query::new();
        query.push("b", "1").push("a", "x y");
        assert_eq!(query.encode(), "b=1&a=x%20y");
        assert_eq!(query.get("a"), Some("x y"));
        assert_eq!(query.get("c"), None);
    }

    #[test]
    fn redact_drops_sha_only() {
        let cases = [
            (
                "https://h/get_fresh_book/?checkpoint=x&sha=abc&place=P",
                "https://h/get_fresh_book/?checkpoint=x&place=P",
            ),
            ("https://h/p?sha=abc", "https://h/p"),
            ("https://h/p?SHA=abc&a=1", "https://h/p?a=1"),
            ("https://h/p", "https://h/p"),
            ("https://h/p?shake=1", "https://h/p?shake=1"),
            ("https://h/p?a=1&sha=abc#frag", "https://h/p?a=1"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact_url(input), expected, "{input}");
        }
    }
}
