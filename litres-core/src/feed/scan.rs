//! Byte-level scanning of the feed's top level: where a tag ends, what it
//! is called, and where an element's end tag is.

use memchr::memmem;

/// Kind and extent of the markup that starts at a `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// A start tag ending at `end` (one past its `>`).
    Start { end: usize, self_closing: bool },
    /// An end tag ending at `end`.
    End { end: usize },
    /// A declaration, processing instruction, comment or CDATA block ending
    /// at `end`; it carries nothing the feed uses.
    Other { end: usize },
    /// The buffer ends before the markup does.
    Incomplete,
}

/// Classifies the markup that starts with the `<` at `bytes[0]`.
pub(super) fn markup(bytes: &[u8]) -> Markup {
    match bytes.get(1) {
        None => Markup::Incomplete,
        Some(b'?') => skip_past(bytes, 2, b"?>"),
        Some(b'!') => declaration(bytes),
        Some(b'/') => match memchr::memchr(b'>', bytes) {
            Some(at) => Markup::End { end: at + 1 },
            None => Markup::Incomplete,
        },
        Some(_) => start_tag(bytes),
    }
}

/// Returns the element name of a start or end tag that starts at
/// `bytes[0]`.
pub(super) fn tag_name(tag: &[u8]) -> &[u8] {
    let body = tag
        .strip_prefix(b"</")
        .or_else(|| tag.strip_prefix(b"<"))
        .unwrap_or(tag);
    let len = body
        .iter()
        .position(|byte| byte.is_ascii_whitespace() || matches!(byte, b'/' | b'>'))
        .unwrap_or(body.len());
    &body[..len]
}

/// Finds the end tag `</name>` (spaces allowed before `>`) in `bytes` and
/// returns the index one past its `>`.
pub(super) fn find_end_tag(bytes: &[u8], finder: &memmem::Finder<'_>) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = finder.find(&bytes[from..]) {
        let after = from + found + finder.needle().len();
        let rest = bytes.get(after..)?;
        let close = rest.iter().position(|byte| !byte.is_ascii_whitespace())?;
        if rest[close] == b'>' {
            return Some(after + close + 1);
        }
        from = after;
    }
    None
}

fn declaration(bytes: &[u8]) -> Markup {
    const COMMENT: &[u8] = b"<!--";
    const CDATA: &[u8] = b"<![CDATA[";
    if bytes.starts_with(COMMENT) {
        return skip_past(bytes, COMMENT.len(), b"-->");
    }
    if bytes.starts_with(CDATA) {
        return skip_past(bytes, CDATA.len(), b"]]>");
    }
    if COMMENT.starts_with(bytes) || CDATA.starts_with(bytes) {
        return Markup::Incomplete;
    }
    // NOTE: a DOCTYPE with an internal subset holding `>` would end early
    // here; LitRes sends no DOCTYPE.
    skip_past(bytes, 2, b">")
}

fn skip_past(bytes: &[u8], from: usize, terminator: &[u8]) -> Markup {
    match memmem::find(bytes.get(from..).unwrap_or_default(), terminator) {
        Some(at) => Markup::Other {
            end: from + at + terminator.len(),
        },
        None => Markup::Incomplete,
    }
}

/// Scans a start tag for its closing `>`, skipping quoted attribute values
/// (which may hold `>` and raw newlines).
fn start_tag(bytes: &[u8]) -> Markup {
    let mut at = 1;
    loop {
        let Some(found) = memchr::memchr3(b'"', b'\'', b'>', &bytes[at..]) else {
            return Markup::Incomplete;
        };
        let index = at + found;
        let byte = bytes[index];
        if byte == b'>' {
            let self_closing = bytes[index - 1] == b'/';
            return Markup::Start {
                end: index + 1,
                self_closing,
            };
        }
        let Some(close) = memchr::memchr(byte, &bytes[index + 1..]) else {
            return Markup::Incomplete;
        };
        at = index + 1 + close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tag_skips_quoted_gt() {
        let markup = markup(b"<a x=\"1>2\" y='/>'/>rest");
        assert_eq!(
            markup,
            Markup::Start {
                end: 19,
                self_closing: true
            }
        );
    }

    #[test]
    fn start_tag_open_quote_is_incomplete() {
        assert_eq!(markup(b"<a x=\"1>"), Markup::Incomplete);
    }

    #[test]
    fn comment_and_declaration_are_skipped() {
        assert_eq!(markup(b"<!-- a > b -->x"), Markup::Other { end: 14 });
        assert_eq!(
            markup(b"<?xml version=\"1.0\"?>x"),
            Markup::Other { end: 21 }
        );
        assert_eq!(markup(b"<!-"), Markup::Incomplete);
        assert_eq!(markup(b"<![CDA"), Markup::Incomplete);
    }

    #[test]
    fn tag_name_stops_at_space_or_slash() {
        assert_eq!(tag_name(b"<removed-book id=\"1\"/>"), b"removed-book");
        assert_eq!(tag_name(b"</fb-updates >"), b"fb-updates");
        assert_eq!(tag_name(b"<x/>"), b"x");
    }

    #[test]
    fn end_tag_allows_trailing_space() {
        let finder = memmem::Finder::new(b"</b");
        assert_eq!(find_end_tag(b"<b>x</bb></b >", &finder), Some(14));
        assert_eq!(find_end_tag(b"<b>x</b", &finder), None);
    }
}
