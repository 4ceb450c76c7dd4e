//! Book annotations: FictionBook markup or CDATA HTML, turned into
//! sanitized HTML.
//!
//! The FictionBook tags are renamed to their HTML counterparts, everything
//! else passes through unchanged, and `ammonia` decides what survives.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Tags an annotation keeps after sanitizing; all others are removed and
/// their text kept (except `script` and `style`, removed with their text).
const ALLOWED_TAGS: [&str; 17] = [
    "p",
    "br",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "code",
    "ul",
    "ol",
    "li",
    "blockquote",
    "div",
    "a",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from(ALLOWED_TAGS))
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny);
    builder
});

/// Converts the raw inner bytes of an `annotation` element to sanitized
/// HTML, written into `html` after clearing it. `markup` receives the
/// unsanitized HTML and is reused between calls.
///
/// # Errors
///
/// Returns a message when the markup is not well-formed XML.
pub(super) fn to_html(inner: &[u8], markup: &mut String, html: &mut String) -> Result<(), String> {
    markup.clear();
    map_fictionbook(inner, markup)?;
    sanitize(markup, html);
    Ok(())
}

/// Cleans HTML made by [`write_event`] with ammonia into `html`, after
/// clearing it. Blank markup gives an empty string without calling
/// ammonia.
pub(super) fn sanitize(markup: &str, html: &mut String) {
    html.clear();
    if markup.trim().is_empty() {
        return;
    }
    let cleaned = SANITIZER.clean(markup).to_string();
    html.push_str(cleaned.trim());
}

/// Returns the HTML tag for a FictionBook tag; other names are kept.
fn html_name(fictionbook: &[u8]) -> &[u8] {
    match fictionbook {
        b"emphasis" => b"em",
        b"empty-line" => b"br",
        b"strikethrough" => b"s",
        b"v" | b"subtitle" | b"text-author" => b"p",
        b"section" | b"title" | b"poem" | b"stanza" => b"div",
        b"epigraph" | b"cite" => b"blockquote",
        other => other,
    }
}

/// Writes the annotation bytes as HTML with FictionBook tags renamed.
fn map_fictionbook(inner: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::from_reader(inner);
    reader.config_mut().check_end_names = true;
    loop {
        let event = reader.read_event().map_err(|error| {
            format!(
                "malformed annotation markup at byte {} of the annotation: {error}",
                reader.error_position()
            )
        })?;
        if matches!(event, Event::Eof) {
            return Ok(());
        }
        write_event(&event, out)?;
    }
}

/// Writes one event of annotation markup as HTML, with FictionBook tags
/// renamed. Comments, declarations and processing instructions are
/// dropped.
pub(super) fn write_event(event: &Event<'_>, out: &mut String) -> Result<(), String> {
    match event {
        Event::Start(start) => write_start(start, out, false)?,
        Event::Empty(start) => write_start(start, out, true)?,
        Event::End(end) => {
            let name = html_name(end.local_name().into_inner());
            if name != b"br" {
                out.push_str("</");
                out.push_str(&String::from_utf8_lossy(name));
                out.push('>');
            }
        }
        Event::Text(text) => out.push_str(&String::from_utf8_lossy(text)),
        Event::CData(cdata) => out.push_str(&String::from_utf8_lossy(cdata)),
        Event::GeneralRef(reference) => {
            // HTML defines every XML entity and more (`&nbsp;`), so the
            // reference goes to the HTML parser as written.
            out.push('&');
            out.push_str(&String::from_utf8_lossy(reference));
            out.push(';');
        }
        Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Eof => {}
    }
    Ok(())
}

/// Writes a start tag with its attributes; `l:href` and `xlink:href`
/// become `href`.
fn write_start(start: &BytesStart<'_>, out: &mut String, empty: bool) -> Result<(), String> {
    let name = html_name(start.local_name().into_inner());
    let name = String::from_utf8_lossy(name);
    out.push('<');
    out.push_str(&name);
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|error| format!("invalid attribute in annotation: {error}"))?;
        let key = attribute.key.local_name();
        let key = if key.as_ref() == b"href" {
            "href".into()
        } else {
            String::from_utf8_lossy(attribute.key.as_ref())
        };
        let value = attribute
            .unescape_value()
            .map_err(|error| format!("invalid attribute value in annotation: {error}"))?;
        out.push(' ');
        out.push_str(&key);
        out.push_str("=\"");
        out.push_str(&escape(value.as_ref()));
        out.push('"');
    }
    out.push('>');
    if empty && name != "br" {
        out.push_str("</");
        out.push_str(&name);
        out.push('>');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(inner: &str) -> String {
        let mut scratch = String::new();
        let mut html = String::new();
        to_html(inner.as_bytes(), &mut scratch, &mut html).unwrap();
        html
    }

    #[test]
    fn fictionbook_tags_become_html() {
        let html =
            clean("<p>One <emphasis>two</emphasis></p><empty-line/><p><strong>3</strong></p>");
        assert_eq!(html, "<p>One <em>two</em></p><br><p><strong>3</strong></p>");
    }

    #[test]
    fn cdata_html_is_sanitized() {
        let html = clean("<![CDATA[<p onclick=\"x()\">Hi<script>alert(1)</script></p>]]>");
        assert_eq!(html, "<p>Hi</p>");
    }

    #[test]
    fn javascript_link_loses_href() {
        let html = clean("<p><a l:href=\"javascript:alert(1)\">x</a></p>");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains(">x</a>"), "{html}");
    }

    #[test]
    fn whitespace_annotation_is_empty() {
        assert_eq!(clean(" \n "), "");
    }

    #[test]
    fn mismatched_markup_is_rejected() {
        let mut scratch = String::new();
        let mut html = String::new();
        let error = to_html(b"<p>open<emphasis></p>", &mut scratch, &mut html).unwrap_err();
        assert!(error.contains("malformed annotation"), "{error}");
    }
}
