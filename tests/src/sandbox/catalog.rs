//! The catalog a sandbox serves: raw feed records and the genre tree.
//!
//! Records are kept as the exact bytes of the file they came from, so a
//! record that is not well-formed reaches clients unchanged. A byte scan
//! finds each `<updated-book` or `<removed-book` start tag and its end tag.
//! Only the start tag is parsed, with quick-xml, for the attributes the
//! sandbox filters on.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use chrono::Duration;
use litres_core::MoscowTime;
use memchr::memmem;
use quick_xml::events::Event;

use super::error::SandboxError;

/// Kind of a feed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// `updated-book`.
    Updated,
    /// `removed-book`.
    Removed,
}

/// One top-level record of an `fb-updates` file, kept as raw bytes.
#[derive(Debug, Clone)]
pub struct CatalogRecord {
    /// Record kind.
    pub kind: RecordKind,
    /// The `id` attribute (art id), as written.
    pub art_id: String,
    /// The `external_id` attribute, when present.
    pub external_id: Option<String>,
    /// The `type` attribute; `None` when absent. A removed book without a
    /// type is served in every type's response.
    pub work_type: Option<String>,
    /// The time the window filter compares against.
    ///
    /// `updated` when present. A `removed-book` without `updated` gets one
    /// second before its file's `fb-updates/@timestamp`, the last second
    /// of the window that file covers. A record with neither is `None`
    /// and is only served by a `uuid` request.
    pub updated: Option<MoscowTime>,
    /// The record's bytes, from `<` of its start tag to `>` of its end tag.
    pub bytes: Bytes,
}

/// A loaded catalog: feed records in load order plus the genre tree.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    records: Vec<CatalogRecord>,
    genres: Option<Bytes>,
}

impl Catalog {
    /// Makes an empty catalog with no genre tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every `*.xml` file of a directory, in file-name order.
    ///
    /// Files whose root element is `fb-updates` add records; a file whose
    /// root is `genres` becomes the genre tree (the last one in name order
    /// wins). Other XML files are skipped.
    ///
    /// # Errors
    ///
    /// [`SandboxError::Catalog`] when the directory or a file cannot be
    /// read, or a feed record has no end tag or an unreadable start tag.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, SandboxError> {
        let dir = dir.as_ref();
        let mut paths = list_xml_files(dir)?;
        paths.sort();
        let mut catalog = Self::new();
        for path in paths {
            let data = std::fs::read(&path).map_err(|source| SandboxError::Catalog {
                path: path.clone(),
                message: format!("failed to read the file: {source}"),
            })?;
            catalog.add_file(&path, Bytes::from(data))?;
        }
        tracing::debug!(
            dir = %dir.display(),
            records = catalog.records.len(),
            has_genres = catalog.genres.is_some(),
            "loaded sandbox catalog"
        );
        Ok(catalog)
    }

    /// Adds one XML document: a feed (`fb-updates`) or a genre tree
    /// (`genres`). `origin` names the document in errors.
    ///
    /// # Errors
    ///
    /// [`SandboxError::Catalog`] when a feed record has no end tag or an
    /// unreadable start tag.
    pub fn add_file(&mut self, origin: &Path, data: Bytes) -> Result<(), SandboxError> {
        match root_element(&data).as_deref() {
            Some("fb-updates") => {
                let records = scan_records(&data).map_err(|message| SandboxError::Catalog {
                    path: origin.to_path_buf(),
                    message,
                })?;
                self.records.extend(records);
            }
            Some("genres") => self.genres = Some(data),
            other => tracing::debug!(
                file = %origin.display(),
                root = ?other,
                "skipped XML file that is neither a feed nor a genre tree"
            ),
        }
        Ok(())
    }

    /// Sets the genre tree served by `genres_list_2`.
    pub fn set_genres(&mut self, xml: Bytes) {
        self.genres = Some(xml);
    }

    /// Returns every record in load order.
    pub fn records(&self) -> &[CatalogRecord] {
        &self.records
    }

    /// Returns the genre tree document, if one was loaded.
    pub fn genres(&self) -> Option<&Bytes> {
        self.genres.as_ref()
    }

    /// Returns true when an `updated-book` with this external id exists
    /// (compared case-insensitively).
    pub fn has_book(&self, external_id: &str) -> bool {
        self.records.iter().any(|record| {
            record.kind == RecordKind::Updated
                && record
                    .external_id
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(external_id))
        })
    }
}

fn list_xml_files(dir: &Path) -> Result<Vec<PathBuf>, SandboxError> {
    let read_error = |source: std::io::Error| SandboxError::Catalog {
        path: dir.to_path_buf(),
        message: format!("failed to list the catalog directory: {source}"),
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let is_xml = path.extension().is_some_and(|ext| ext == "xml");
        if is_xml && path.is_file() {
            paths.push(path);
        }
    }
    Ok(paths)
}

/// Returns the name of the first element of a document, skipping the XML
/// declaration, comments and doctype.
fn root_element(data: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(tag)) | Ok(Event::Empty(tag)) => {
                return Some(String::from_utf8_lossy(tag.name().as_ref()).into_owned());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => buf.clear(),
        }
    }
}

/// Finds every top-level record of a feed document.
fn scan_records(data: &Bytes) -> Result<Vec<CatalogRecord>, String> {
    let file_time = root_timestamp(data);
    let mut records = Vec::new();
    let mut starts = RecordStarts::default();
    let mut position = 0;
    while let Some((start, kind)) = starts.next(data, position) {
        let tag_end = start_tag_end(data, start)
            .ok_or_else(|| format!("record start tag at byte {start} is never closed"))?;
        let end = if data[tag_end - 2] == b'/' {
            tag_end
        } else {
            let close: &[u8] = match kind {
                RecordKind::Updated => b"</updated-book>",
                RecordKind::Removed => b"</removed-book>",
            };
            memmem::find(&data[tag_end..], close)
                .map(|offset| tag_end + offset + close.len())
                .ok_or_else(|| format!("record at byte {start} has no end tag"))?
        };
        let record = read_record(
            data.slice(start..end),
            kind,
            &data[start..tag_end],
            file_time,
        )
        .map_err(|message| format!("record at byte {start}: {message}"))?;
        records.push(record);
        position = end;
    }
    Ok(records)
}

/// The next start of each record kind, searched again only once the scan
/// has passed it. Searching both kinds from every record would be
/// quadratic in a file with few records of one kind.
#[derive(Default)]
struct RecordStarts {
    updated: Option<Option<usize>>,
    removed: Option<Option<usize>>,
}

impl RecordStarts {
    /// Returns the first record start at or after `from`, with its kind.
    fn next(&mut self, data: &[u8], from: usize) -> Option<(usize, RecordKind)> {
        let updated = Self::refresh(&mut self.updated, data, from, b"<updated-book");
        let removed = Self::refresh(&mut self.removed, data, from, b"<removed-book");
        match (updated, removed) {
            (Some(a), Some(b)) if b < a => Some((b, RecordKind::Removed)),
            (Some(a), _) => Some((a, RecordKind::Updated)),
            (None, Some(b)) => Some((b, RecordKind::Removed)),
            (None, None) => None,
        }
    }

    fn refresh(
        cached: &mut Option<Option<usize>>,
        data: &[u8],
        from: usize,
        needle: &[u8],
    ) -> Option<usize> {
        let stale = match cached {
            None => true,
            Some(Some(at)) => *at < from,
            Some(None) => false,
        };
        if stale {
            *cached = Some(find_tag(data, from, needle));
        }
        cached.flatten()
    }
}

/// Finds `needle` followed by whitespace, `>` or `/`, so that a longer
/// element name is not taken for it.
fn find_tag(data: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memmem::find(&data[at..], needle) {
        let start = at + offset;
        let next = data.get(start + needle.len()).copied();
        if matches!(next, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
            return Some(start);
        }
        at = start + needle.len();
    }
    None
}

/// Returns the index just past the `>` that ends the start tag at `start`,
/// skipping `>` inside quoted attribute values.
fn start_tag_end(data: &[u8], start: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, &byte) in data[start..].iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            (None, b'>') => return Some(start + offset + 1),
            _ => {}
        }
    }
    None
}

fn read_record(
    bytes: Bytes,
    kind: RecordKind,
    start_tag: &[u8],
    file_time: Option<MoscowTime>,
) -> Result<CatalogRecord, String> {
    let attributes = start_tag_attributes(start_tag)?;
    let find = |name: &str| {
        attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let art_id = find("id").ok_or("the `id` attribute is missing")?;
    let updated = match find("updated") {
        Some(text) => Some(
            MoscowTime::parse(&text)
                .map_err(|error| format!("book {art_id}: invalid `updated`: {error}"))?,
        ),
        None if kind == RecordKind::Removed => file_time.map(|time| time - Duration::seconds(1)),
        None => None,
    };
    Ok(CatalogRecord {
        kind,
        art_id,
        external_id: find("external_id"),
        work_type: find("type"),
        updated,
        bytes,
    })
}

/// Reads the attributes of one start tag with quick-xml.
fn start_tag_attributes(start_tag: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut reader = quick_xml::Reader::from_reader(start_tag);
    let mut buf = Vec::new();
    let tag = match reader.read_event_into(&mut buf) {
        Ok(Event::Start(tag)) | Ok(Event::Empty(tag)) => tag.into_owned(),
        Ok(other) => return Err(format!("expected a start tag, found {other:?}")),
        Err(error) => return Err(format!("invalid start tag: {error}")),
    };
    let mut attributes = Vec::new();
    for attribute in tag.attributes().with_checks(false) {
        let attribute = attribute.map_err(|error| format!("invalid attribute: {error}"))?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        // A value with a bad entity is kept raw: the record is still served.
        let value = match attribute.unescape_value() {
            Ok(value) => value.into_owned(),
            Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
        };
        attributes.push((key, value));
    }
    Ok(attributes)
}

/// Reads `fb-updates/@timestamp`, if the root carries a valid one.
fn root_timestamp(data: &Bytes) -> Option<MoscowTime> {
    let start = find_tag(data, 0, b"<fb-updates")?;
    let end = start_tag_end(data, start)?;
    let attributes = start_tag_attributes(&data[start..end]).ok()?;
    let (_, text) = attributes.iter().find(|(key, _)| key == "timestamp")?;
    MoscowTime::parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<fb-updates timestamp="2026-11-21 00:00:00">"#,
        r#"<updated-book id="1" external_id="a" type="0" updated="2026-11-20 10:00:00" "#,
        r#"note="a > b"><annotation><p>broken</annotation></updated-book>"#,
        r#"<removed-book id="2" note="a & b"/>"#,
        r#"<updated-books-note/>"#,
        r#"<removed-book id="3" updated="2026-11-20 11:00:00"></removed-book>"#,
        r#"</fb-updates>"#,
    );

    #[test]
    fn scan_keeps_broken_record_bytes() {
        let records = scan_records(&Bytes::from_static(FEED.as_bytes())).unwrap();
        assert_eq!(records.len(), 3);
        let first = &records[0];
        assert_eq!(first.art_id, "1");
        assert!(first
            .bytes
            .ends_with(b"<p>broken</annotation></updated-book>"));
        assert_eq!(first.work_type.as_deref(), Some("0"));
    }

    #[test]
    fn removed_book_without_time_uses_file_timestamp() {
        let records = scan_records(&Bytes::from_static(FEED.as_bytes())).unwrap();
        let removed = &records[1];
        assert_eq!(removed.kind, RecordKind::Removed);
        let updated = removed.updated.unwrap().to_string();
        assert_eq!(updated, "2026-11-20 23:59:59");
        assert_eq!(
            records[2].updated.unwrap().to_string(),
            "2026-11-20 11:00:00"
        );
    }

    #[test]
    fn root_element_skips_declaration() {
        assert_eq!(root_element(FEED.as_bytes()).as_deref(), Some("fb-updates"));
        assert_eq!(
            root_element(b"<?xml version=\"1.0\"?><genres/>").as_deref(),
            Some("genres")
        );
    }
}
