//! Short human messages pulled out of LitRes error bodies.
//!
//! No real LitRes error body is public, so every shape is accepted: XML
//! with a `message` attribute or `<error>` text, any other XML, HTML from a
//! proxy, plain text, or nothing at all.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Maximum length of a kept message, in characters. Longer ones are cut
/// and end with `…`.
pub(crate) const MAX_MESSAGE_CHARS: usize = 200;

/// Most bytes of an error body that are read.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Extracts a one-line message from an error body, or `None` when the body
/// contains no text.
pub(crate) fn extract_message(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return None;
    }
    let message = if is_html(content_type, trimmed) {
        html_message(trimmed)
    } else if trimmed.starts_with('<') {
        xml_message(trimmed)
    } else {
        Some(trimmed.to_owned())
    };
    message
        .map(|message| shorten(&collapse_whitespace(&message)))
        .filter(|message| !message.is_empty())
}

/// Returns true when a content type names an XML media type, such as
/// `text/xml; charset=utf-8;` or `application/atom+xml`.
pub(crate) fn is_xml_content_type(content_type: &str) -> bool {
    let essence = media_type(content_type);
    essence == "text/xml" || essence == "application/xml" || essence.ends_with("+xml")
}

/// Returns the lower-case media type of a `Content-Type` value without its
/// parameters. Tolerates a trailing `;` as LitRes sends it.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_html(content_type: Option<&str>, body: &str) -> bool {
    if content_type.is_some_and(|value| media_type(value) == "text/html") {
        return true;
    }
    let head: String = body
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Prefers a `message` attribute, then the text of an `<error>` element,
/// then all text of the document.
fn xml_message(body: &str) -> Option<String> {
    let mut reader = Reader::from_str(body);
    let mut error_text: Option<String> = None;
    let mut all_text = String::new();
    let mut error_depth: usize = 0;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(start) | Event::Empty(start) if attribute(&start, "message").is_some() => {
                return attribute(&start, "message");
            }
            Event::Start(start) if error_depth > 0 || start.local_name().as_ref() == b"error" => {
                error_depth += 1;
            }
            Event::End(_) if error_depth > 0 => error_depth -= 1,
            Event::Text(text) => {
                let piece = text
                    .decode()
                    .map(|cow| cow.into_owned())
                    .unwrap_or_default();
                append_text(&mut all_text, &mut error_text, error_depth, &piece);
            }
            Event::CData(data) => {
                let piece = String::from_utf8_lossy(&data).into_owned();
                append_text(&mut all_text, &mut error_text, error_depth, &piece);
            }
            Event::GeneralRef(reference) => {
                let piece = resolve_reference(&reference);
                append_text(&mut all_text, &mut error_text, error_depth, &piece);
            }
            _ => {}
        }
    }
    error_text
        .filter(|text| !text.trim().is_empty())
        .or_else(|| Some(all_text).filter(|text| !text.trim().is_empty()))
}

fn append_text(all: &mut String, error: &mut Option<String>, depth: usize, piece: &str) {
    all.push_str(piece);
    if depth > 0 {
        error.get_or_insert_with(String::new).push_str(piece);
    }
}

fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(character)) = reference.resolve_char_ref() {
        return character.to_string();
    }
    let name = reference
        .decode()
        .map(|cow| cow.into_owned())
        .unwrap_or_default();
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("&{name};"))
}

fn attribute(start: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = start.try_get_attribute(name).ok()??;
    let value = attribute.unescape_value().ok()?.into_owned();
    Some(value).filter(|value| !value.trim().is_empty())
}

/// Uses the `<title>` of an HTML page, else its first text with tags removed.
fn html_message(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    if let (Some(open), Some(close)) = (lower.find("<title>"), lower.find("</title>")) {
        let start = open + "<title>".len();
        if start < close {
            let title = body.get(start..close).unwrap_or_default().trim();
            if !title.is_empty() {
                return Some(title.to_owned());
            }
        }
    }
    Some(strip_tags(body))
}

fn strip_tags(body: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for character in body.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(character),
            _ => {}
        }
    }
    out
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX_MESSAGE_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(content_type: Option<&str>, body: &str) -> Option<String> {
        extract_message(content_type, body.as_bytes())
    }

    #[test]
    fn error_element_text() {
        assert_eq!(
            message(
                Some("text/xml; charset=utf-8;"),
                "<?xml version=\"1.0\"?>\n<error>Invalid  signature\n</error>"
            ),
            Some("Invalid signature".into())
        );
    }

    #[test]
    fn error_element_nested_in_root() {
        assert_eq!(
            message(
                None,
                "<response><code>7</code><error>Bad &amp; old</error></response>"
            ),
            Some("Bad & old".into())
        );
    }

    #[test]
    fn message_attribute_wins() {
        assert_eq!(
            message(None, "<response status=\"3\" message=\"Unknown place\"/>"),
            Some("Unknown place".into())
        );
    }

    #[test]
    fn other_xml_gives_all_text() {
        assert_eq!(
            message(None, "<fail><why>stale</why> <when>now</when></fail>"),
            Some("stale now".into())
        );
    }

    #[test]
    fn cdata_error_text() {
        assert_eq!(
            message(None, "<error><![CDATA[No <such> book]]></error>"),
            Some("No <such> book".into())
        );
    }

    #[test]
    fn html_title_is_used() {
        let body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
                    <body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
        assert_eq!(message(None, body), Some("502 Bad Gateway".into()));
    }

    #[test]
    fn html_without_title_is_stripped() {
        assert_eq!(
            message(Some("text/html"), "<p>Service <b>down</b></p>"),
            Some("Service down".into())
        );
    }

    #[test]
    fn empty_and_blank_bodies_give_none() {
        assert_eq!(message(None, ""), None);
        assert_eq!(message(None, " \n "), None);
        assert_eq!(message(None, "<error/>"), None);
    }

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(
            message(None, "too many requests\n"),
            Some("too many requests".into())
        );
    }

    #[test]
    fn long_message_is_cut() {
        let long = "x".repeat(500);
        let got = message(None, &long).unwrap();
        assert_eq!(got.chars().count(), MAX_MESSAGE_CHARS);
        assert!(got.ends_with('…'));
    }

    #[test]
    fn broken_xml_keeps_text_read_so_far() {
        assert_eq!(
            message(None, "<error>Half a message</err"),
            Some("Half a message".into())
        );
    }

    #[test]
    fn xml_content_types() {
        assert!(is_xml_content_type("text/xml; charset=utf-8;"));
        assert!(is_xml_content_type("Application/XML"));
        assert!(is_xml_content_type("application/rss+xml"));
        assert!(!is_xml_content_type("application/zip"));
        assert!(!is_xml_content_type("application/octet-stream"));
        assert!(!is_xml_content_type(""));
    }
}
