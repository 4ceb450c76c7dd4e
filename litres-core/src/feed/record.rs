//! One feed record: an `updated-book` or `removed-book` element, read from
//! its own bytes with a strict XML reader.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::annotation;
use super::elements::{self, TitleInfo};
use super::xml::{non_empty, Child, Cursor, Failure};
use super::RecordError;
use crate::model::{ArtId, Book, ExternalId, GenreRef, Record, RemovedBook, WorkType};
use crate::time::MoscowTime;

/// Buffers reused from one record to the next.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// Annotation as unsanitized HTML.
    markup: String,
    /// Annotation after sanitizing.
    html: String,
}

/// Parses the bytes of one record, which start at feed offset `offset`.
pub(super) fn parse_record(
    bytes: &[u8],
    offset: u64,
    scratch: &mut Scratch,
) -> Result<Record, RecordError> {
    let mut cursor = Cursor::new(bytes, offset);
    let root = match first_element(&mut cursor) {
        Ok(root) => root,
        Err(message) => return Err(RecordError::new(sniff_art_id(bytes), offset, message)),
    };
    let result = match root.name() {
        b"removed-book" => parse_removed(&mut cursor, &root),
        _ => parse_updated(&mut cursor, &root, scratch).map(|book| Record::Updated(Box::new(book))),
    };
    result.map_err(|message| RecordError::new(sniff_art_id(bytes), offset, message))
}

fn first_element<'a>(cursor: &mut Cursor<'a>) -> Result<Child<'a>, Failure> {
    loop {
        match cursor.next()? {
            Event::Start(start) => {
                return Ok(Child {
                    start,
                    empty: false,
                })
            }
            Event::Empty(start) => return Ok(Child { start, empty: true }),
            Event::Eof => return Err("record has no element".to_owned()),
            _ => {}
        }
    }
}

fn parse_removed<'a>(cursor: &mut Cursor<'a>, root: &Child<'a>) -> Result<Record, Failure> {
    let mut art_id = None;
    let mut updated = None;
    root.attributes(&[b"id", b"updated"], |key, value| {
        match key {
            b"id" => art_id = Some(parse_art_id(&value)?),
            b"updated" => updated = parse_time(&value)?,
            _ => {}
        }
        Ok(())
    })?;
    cursor.skip(root)?;
    let art_id = art_id.ok_or("removed-book has no id attribute")?;
    let mut removed = RemovedBook::new(art_id);
    removed.updated = updated;
    Ok(Record::Removed(removed))
}

fn parse_updated<'a>(
    cursor: &mut Cursor<'a>,
    root: &Child<'a>,
    scratch: &mut Scratch,
) -> Result<Book, Failure> {
    let mut book = Book::new(ArtId(0), ExternalId::new(""));
    let mut seen = Required::default();
    root.attributes(BOOK_ATTRIBUTES, |key, value| {
        book_attribute(&mut book, &mut seen, key, value)
    })?;
    seen.check()?;

    let mut title_info = TitleInfo::default();
    let mut top_title = None;
    let mut top_annotation: Option<&[u8]> = None;
    let mut series = None;
    if !root.empty {
        while let Some(child) = cursor.next_child()? {
            match child.name() {
                b"files" => book.files = elements::parse_files(cursor, &child)?,
                b"title-info" => {
                    title_info = elements::parse_title_info(cursor, &child, &mut scratch.markup)?
                }
                b"annotation" => top_annotation = Some(cursor.inner(&child)?),
                b"book-title" => top_title = elements::parse_top_title(cursor, &child)?,
                b"authors" => book.authors = elements::parse_authors(cursor, &child)?,
                b"sequences" => series = Some(elements::parse_sequences(cursor, &child)?),
                b"genres" => book.genres.extend(elements::parse_genres(cursor, &child)?),
                b"in_genre" => {
                    book.genres.push(elements::legacy_genre(&child)?);
                    cursor.skip(&child)?;
                }
                _ => cursor.skip(&child)?,
            }
        }
    }

    book.title = title_info.title.or(top_title).unwrap_or_default();
    book.series = series.unwrap_or(title_info.series);
    if book.lang.is_none() {
        book.lang = title_info.lang;
    }
    // The 2018 top-level annotation repeats the `title-info` one, so it is
    // only converted when `title-info` has none.
    if title_info.has_annotation {
        annotation::sanitize(&scratch.markup, &mut scratch.html);
        book.annotation_html.push_str(&scratch.html);
    } else if let Some(inner) = top_annotation {
        annotation::to_html(inner, &mut scratch.markup, &mut scratch.html)?;
        book.annotation_html.push_str(&scratch.html);
    }
    keep_legacy_last(&mut book.genres);
    Ok(book)
}

/// Attributes a record cannot do without.
#[derive(Default)]
struct Required {
    id: bool,
    external_id: bool,
    price: bool,
}

impl Required {
    fn check(&self) -> Result<(), Failure> {
        let missing = [
            (self.id, "id"),
            (self.external_id, "external_id"),
            (self.price, "price"),
        ];
        match missing.iter().find(|(seen, _)| !seen) {
            Some((_, name)) => Err(format!("updated-book has no {name} attribute")),
            None => Ok(()),
        }
    }
}

/// The `updated-book` attributes [`book_attribute`] reads.
const BOOK_ATTRIBUTES: &[&[u8]] = &[
    b"id",
    b"external_id",
    b"type",
    b"price",
    b"isbn",
    b"litres_isbn",
    b"cover",
    b"publisher",
    b"lang",
    b"adult",
    b"updated",
    b"you_can_sell",
    b"must_import",
];

/// Stores one `updated-book` attribute; unknown attributes are ignored.
fn book_attribute(
    book: &mut Book,
    seen: &mut Required,
    key: &[u8],
    value: Cow<'_, str>,
) -> Result<(), Failure> {
    match key {
        b"id" => {
            book.art_id = parse_art_id(&value)?;
            seen.id = true;
        }
        b"external_id" => {
            book.external_id = ExternalId::new(value.trim());
            seen.external_id = !value.trim().is_empty();
        }
        b"type" => book.work_type = WorkType::from_code(value.trim()),
        b"price" => {
            book.price = value.parse().map_err(|error| format!("{error}"))?;
            seen.price = true;
        }
        b"isbn" => book.isbn = non_empty(&value),
        b"litres_isbn" => book.litres_isbn = non_empty(&value),
        b"cover" => book.cover = non_empty(&value),
        b"publisher" => book.publisher = non_empty(&value),
        b"lang" => book.lang = non_empty(&value),
        b"adult" => book.age_rating = parse_age_rating(&value)?,
        b"updated" => book.updated = parse_time(&value)?,
        b"you_can_sell" => book.you_can_sell = value.trim() != "0",
        b"must_import" => book.must_import = value.trim() != "0",
        _ => {}
    }
    Ok(())
}

fn parse_art_id(value: &str) -> Result<ArtId, Failure> {
    value
        .parse()
        .map_err(|_| format!("invalid id {value:?}: expected a whole number"))
}

fn parse_age_rating(value: &str) -> Result<Option<u8>, Failure> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| format!("invalid adult {value:?}: expected an age such as 16"))
}

fn parse_time(value: &str) -> Result<Option<MoscowTime>, Failure> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    MoscowTime::parse(value)
        .map(Some)
        .map_err(|error| format!("invalid updated: {error}"))
}

/// Puts 2018 tree genres before 2015 legacy ones, each group in document
/// order, so the order does not depend on the order of the children.
fn keep_legacy_last(genres: &mut [GenreRef]) {
    genres.sort_by_key(|genre| matches!(genre, GenreRef::Legacy { .. }));
}

/// Reads the `id` attribute of a record's start tag with a plain byte
/// scan, for the error of a record the XML reader could not read.
fn sniff_art_id(bytes: &[u8]) -> Option<ArtId> {
    let tag_end = memchr::memchr(b'>', bytes).unwrap_or(bytes.len());
    let tag = &bytes[..tag_end];
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&tag[from..], b"id=") {
        let at = from + found;
        from = at + 3;
        if at == 0 || !tag[at - 1].is_ascii_whitespace() {
            continue;
        }
        let quote = *tag.get(at + 3)?;
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let digits: Vec<u8> = tag[at + 4..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .copied()
            .collect();
        return std::str::from_utf8(&digits).ok()?.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_art_id_skips_other_ids() {
        let tag = b"<updated-book file_id=\"5\" sent_by_id=\"6\" id=\"42\" x=\"<\">";
        assert_eq!(sniff_art_id(tag), Some(ArtId(42)));
    }

    #[test]
    fn sniff_art_id_without_id_is_none() {
        assert_eq!(sniff_art_id(b"<updated-book file_id=\"5\">"), None);
    }
}
