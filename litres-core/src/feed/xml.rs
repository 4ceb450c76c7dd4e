//! A strict XML cursor over the bytes of one record, with the helpers every
//! element parser shares: attributes, text, skipping.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::annotation;

/// Failure message of a record, which becomes the message of its
/// `RecordError`.
pub(super) type Failure = String;

/// A strict quick-xml reader over one record, reporting positions as feed
/// offsets.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    reader: Reader<&'a [u8]>,
    offset: u64,
}

impl<'a> Cursor<'a> {
    /// Makes a cursor over a record that starts at feed offset `offset`.
    pub(super) fn new(bytes: &'a [u8], offset: u64) -> Self {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Self {
            bytes,
            reader,
            offset,
        }
    }

    /// Reads the next event; a malformed document fails with the feed
    /// offset of the error.
    pub(super) fn next(&mut self) -> Result<Event<'a>, Failure> {
        self.reader.read_event().map_err(|error| {
            format!(
                "malformed XML at byte {}: {error}",
                self.offset + self.reader.error_position()
            )
        })
    }

    /// Reads the next child event inside the element being parsed: a
    /// `Start` or `Empty` child, or `None` at the element's end tag. Text,
    /// comments and the like are passed over.
    pub(super) fn next_child(&mut self) -> Result<Option<Child<'a>>, Failure> {
        loop {
            match self.next()? {
                Event::Start(start) => {
                    return Ok(Some(Child {
                        start,
                        empty: false,
                    }))
                }
                Event::Empty(start) => return Ok(Some(Child { start, empty: true })),
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.unexpected_end()),
                _ => {}
            }
        }
    }

    /// Skips the rest of `child`, whose start tag was just read.
    pub(super) fn skip(&mut self, child: &Child<'a>) -> Result<(), Failure> {
        if !child.empty {
            self.inner(child)?;
        }
        Ok(())
    }

    /// Reads to the end of `child` and returns its raw inner bytes.
    pub(super) fn inner(&mut self, child: &Child<'a>) -> Result<&'a [u8], Failure> {
        if child.empty {
            return Ok(b"");
        }
        let span = self
            .reader
            .read_to_end(child.start.name())
            .map_err(|error| {
                format!(
                    "malformed XML inside <{}> at byte {}: {error}",
                    child.name_lossy(),
                    self.offset + self.reader.error_position()
                )
            })?;
        let start = usize::try_from(span.start).unwrap_or(usize::MAX);
        let end = usize::try_from(span.end).unwrap_or(usize::MAX);
        self.bytes
            .get(start..end)
            .ok_or_else(|| format!("element <{}> has no readable content", child.name_lossy()))
    }

    /// Reads the content of an `annotation` child, writing it into
    /// `markup` (cleared first) as HTML with FictionBook tags renamed.
    pub(super) fn annotation(
        &mut self,
        child: &Child<'a>,
        markup: &mut String,
    ) -> Result<(), Failure> {
        markup.clear();
        if child.empty {
            return Ok(());
        }
        let mut depth = 0usize;
        loop {
            let event = self.next()?;
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.unexpected_end()),
                _ => {}
            }
            annotation::write_event(&event, markup)?;
        }
    }

    /// Reads the text of `child` and its descendants, with entities
    /// resolved and CDATA taken as written.
    pub(super) fn text(&mut self, child: &Child<'a>) -> Result<String, Failure> {
        let mut text = String::new();
        if child.empty {
            return Ok(text);
        }
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(text),
                Event::End(_) => depth -= 1,
                Event::Text(part) => text.push_str(&String::from_utf8_lossy(&part)),
                Event::CData(part) => text.push_str(&String::from_utf8_lossy(&part)),
                Event::GeneralRef(reference) => push_reference(&mut text, &reference)?,
                Event::Eof => return Err(self.unexpected_end()),
                _ => {}
            }
        }
    }

    fn unexpected_end(&self) -> Failure {
        format!(
            "record ends at byte {} before all its elements are closed",
            self.offset + self.bytes.len() as u64
        )
    }
}

/// A child element whose start tag was just read.
pub(super) struct Child<'a> {
    /// The start tag.
    pub(super) start: BytesStart<'a>,
    /// True for a self-closing tag, which has no content or end tag.
    pub(super) empty: bool,
}

impl Child<'_> {
    /// Returns the local name of the element.
    pub(super) fn name(&self) -> &[u8] {
        self.start.local_name().into_inner()
    }

    fn name_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.name())
    }

    /// Calls `visit` with the local name and unescaped value of each
    /// attribute named in `wanted` (at most 64 names). Other attributes are
    /// checked for syntax but not unescaped, which keeps records with
    /// dozens of unused attributes cheap.
    ///
    /// A repeated attribute is rejected only when it is one of `wanted`:
    /// quick-xml's own duplicate check allocates for every element, and a
    /// repeated attribute the parser ignores cannot change the result.
    pub(super) fn attributes(
        &self,
        wanted: &[&[u8]],
        mut visit: impl FnMut(&[u8], Cow<'_, str>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let mut attributes = self.start.attributes();
        attributes.with_checks(false);
        let mut seen: u64 = 0;
        for attribute in attributes {
            let attribute = attribute.map_err(|error| {
                format!("invalid attribute in <{}>: {error}", self.name_lossy())
            })?;
            let key = attribute.key.local_name().into_inner();
            let Some(index) = wanted.iter().position(|name| *name == key) else {
                continue;
            };
            let bit = 1u64 << (index % 64);
            if seen & bit != 0 {
                return Err(format!(
                    "duplicate attribute {} in <{}>",
                    String::from_utf8_lossy(key),
                    self.name_lossy()
                ));
            }
            seen |= bit;
            let value = attribute.unescape_value().map_err(|error| {
                format!(
                    "invalid value of attribute {} in <{}>: {error}",
                    String::from_utf8_lossy(attribute.key.as_ref()),
                    self.name_lossy()
                )
            })?;
            visit(key, value)?;
        }
        Ok(())
    }
}

/// Appends the character an entity reference stands for.
fn push_reference(text: &mut String, reference: &[u8]) -> Result<(), Failure> {
    let name = String::from_utf8_lossy(reference);
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse(),
        };
        let character = code.ok().and_then(char::from_u32).filter(|c| *c != '\0');
        return match character {
            Some(character) => {
                text.push(character);
                Ok(())
            }
            None => Err(format!("invalid character reference &{name};")),
        };
    }
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(value) => {
            text.push_str(value);
            Ok(())
        }
        None => Err(format!("unknown entity &{name}; in text")),
    }
}

/// Returns the trimmed value, or `None` when it is empty.
pub(super) fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}
