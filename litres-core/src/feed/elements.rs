//! Parsers for the children of `updated-book`, one function per element.
//! Each takes the cursor right after the element's start tag and leaves it
//! after the element's end.

use super::xml::{non_empty, Child, Cursor, Failure};
use crate::model::{
    Author, BookFiles, FileFormat, FileGroup, GenreId, GenreRef, GroupFile, Series, TextFile,
};

/// Book fields read from `title-info`.
#[derive(Debug, Default)]
pub(super) struct TitleInfo {
    pub(super) title: Option<String>,
    /// True when an `annotation` was read into the caller's markup buffer.
    pub(super) has_annotation: bool,
    pub(super) series: Vec<Series>,
    pub(super) lang: Option<String>,
}

/// Reads `title-info`: `book-title`, `sequence`, `lang`, and `annotation`,
/// which is written into `markup` as unsanitized HTML.
pub(super) fn parse_title_info<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
    markup: &mut String,
) -> Result<TitleInfo, Failure> {
    let mut info = TitleInfo::default();
    if element.empty {
        return Ok(info);
    }
    while let Some(child) = cursor.next_child()? {
        match child.name() {
            b"book-title" => info.title = non_empty(&cursor.text(&child)?),
            b"annotation" => {
                cursor.annotation(&child, markup)?;
                info.has_annotation = true;
            }
            b"lang" => info.lang = non_empty(&cursor.text(&child)?),
            b"sequence" => {
                info.series.extend(parse_series(&child)?);
                cursor.skip(&child)?;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(info)
}

/// Reads a top-level `book-title` (2018+ feeds): the `title` attribute,
/// else the text.
pub(super) fn parse_top_title<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
) -> Result<Option<String>, Failure> {
    let mut title = None;
    element.attributes(&[b"title"], |key, value| {
        if key == b"title" {
            title = non_empty(&value);
        }
        Ok(())
    })?;
    let text = non_empty(&cursor.text(element)?);
    Ok(title.or(text))
}

/// Reads `files`: flat `file` entries for text books, `group` entries for
/// audio and PDF books. The shape found decides, not the work type; when
/// both appear, the groups win.
pub(super) fn parse_files<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
) -> Result<BookFiles, Failure> {
    let mut flat = Vec::new();
    let mut groups = Vec::new();
    if !element.empty {
        while let Some(child) = cursor.next_child()? {
            match child.name() {
                b"file" => flat.extend(text_file(&child)?),
                b"group" => groups.push(parse_group(cursor, &child)?),
                _ => {}
            }
            if child.name() != b"group" {
                cursor.skip(&child)?;
            }
        }
    }
    if groups.is_empty() {
        Ok(BookFiles::Text(flat))
    } else {
        Ok(BookFiles::Groups(groups))
    }
}

fn text_file(element: &Child<'_>) -> Result<Option<TextFile>, Failure> {
    let mut format = None;
    let mut size = None;
    element.attributes(&[b"type", b"size"], |key, value| {
        match key {
            b"type" => format = non_empty(&value),
            b"size" => size = value.trim().parse().ok(),
            _ => {}
        }
        Ok(())
    })?;
    Ok(format.map(|format| TextFile::new(FileFormat::new(&format), size)))
}

fn parse_group<'a>(cursor: &mut Cursor<'a>, element: &Child<'a>) -> Result<FileGroup, Failure> {
    let mut name = String::new();
    element.attributes(&[b"value"], |key, value| {
        if key == b"value" {
            name = value.trim().to_owned();
        }
        Ok(())
    })?;
    let mut files = Vec::new();
    if !element.empty {
        while let Some(child) = cursor.next_child()? {
            if child.name() == b"file" {
                files.push(group_file(&child)?);
            }
            cursor.skip(&child)?;
        }
    }
    Ok(FileGroup::new(name, files))
}

fn group_file(element: &Child<'_>) -> Result<GroupFile, Failure> {
    let mut file = GroupFile::new("", "");
    element.attributes(
        &[b"id", b"filename", b"mime_type", b"size"],
        |key, value| {
            match key {
                b"id" => file.id = value.trim().to_owned(),
                b"filename" => file.filename = value.trim().to_owned(),
                b"mime_type" => file.mime_type = non_empty(&value),
                b"size" => file.size = value.trim().parse().ok(),
                _ => {}
            }
            Ok(())
        },
    )?;
    Ok(file)
}

/// Reads `authors`: `author@id` with name parts and `relation`. A missing
/// relation is taken as 0 (author).
pub(super) fn parse_authors<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
) -> Result<Vec<Author>, Failure> {
    let mut authors = Vec::new();
    if element.empty {
        return Ok(authors);
    }
    while let Some(child) = cursor.next_child()? {
        if child.name() == b"author" {
            authors.push(parse_author(cursor, &child)?);
        } else {
            cursor.skip(&child)?;
        }
    }
    Ok(authors)
}

fn parse_author<'a>(cursor: &mut Cursor<'a>, element: &Child<'a>) -> Result<Author, Failure> {
    let mut author = Author::new(Author::RELATION_AUTHOR, "");
    element.attributes(&[b"id"], |key, value| {
        if key == b"id" {
            author.id = value.trim().to_owned();
        }
        Ok(())
    })?;
    if element.empty {
        return Ok(author);
    }
    while let Some(child) = cursor.next_child()? {
        match child.name() {
            b"first-name" => author.first_name = cursor.text(&child)?.trim().to_owned(),
            b"middle-name" => author.middle_name = cursor.text(&child)?.trim().to_owned(),
            b"last-name" => author.last_name = cursor.text(&child)?.trim().to_owned(),
            b"relation" => {
                let text = cursor.text(&child)?;
                author.relation = text.trim().parse().map_err(|_| {
                    format!("invalid author relation {text:?}: expected a whole number")
                })?;
            }
            _ => cursor.skip(&child)?,
        }
    }
    Ok(author)
}

/// Reads `sequences/sequence@name,uuid,number`.
pub(super) fn parse_sequences<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
) -> Result<Vec<Series>, Failure> {
    let mut series = Vec::new();
    if element.empty {
        return Ok(series);
    }
    while let Some(child) = cursor.next_child()? {
        if child.name() == b"sequence" {
            series.extend(parse_series(&child)?);
        }
        cursor.skip(&child)?;
    }
    Ok(series)
}

/// Reads one `sequence@name,uuid,number`; a nameless one is dropped.
fn parse_series(element: &Child<'_>) -> Result<Option<Series>, Failure> {
    let mut name = None;
    let mut uuid = None;
    let mut number = None;
    element.attributes(&[b"name", b"uuid", b"number"], |key, value| {
        match key {
            b"name" => name = non_empty(&value),
            b"uuid" => uuid = non_empty(&value),
            b"number" => number = non_empty(&value),
            _ => {}
        }
        Ok(())
    })?;
    Ok(name.map(|name| {
        let mut series = Series::new(name, number);
        series.uuid = uuid;
        series
    }))
}

/// Reads the 2018+ `genres/genre@id,title,master` list.
pub(super) fn parse_genres<'a>(
    cursor: &mut Cursor<'a>,
    element: &Child<'a>,
) -> Result<Vec<GenreRef>, Failure> {
    let mut genres = Vec::new();
    if element.empty {
        return Ok(genres);
    }
    while let Some(child) = cursor.next_child()? {
        if child.name() == b"genre" {
            genres.push(tree_genre(&child)?);
        }
        cursor.skip(&child)?;
    }
    Ok(genres)
}

fn tree_genre(element: &Child<'_>) -> Result<GenreRef, Failure> {
    let mut id = None;
    let mut title = String::new();
    let mut master = false;
    element.attributes(&[b"id", b"title", b"master"], |key, value| {
        match key {
            b"id" => {
                let parsed = value
                    .parse::<GenreId>()
                    .map_err(|_| format!("invalid genre id {value:?}: expected a whole number"))?;
                id = Some(parsed);
            }
            b"title" => title = value.trim().to_owned(),
            b"master" => master = value.trim() == "1",
            _ => {}
        }
        Ok(())
    })?;
    let id = id.ok_or("genre has no id attribute")?;
    Ok(GenreRef::Tree { id, title, master })
}

/// Reads a 2015 `in_genre@id,title`.
pub(super) fn legacy_genre(element: &Child<'_>) -> Result<GenreRef, Failure> {
    let mut id = String::new();
    let mut title = String::new();
    element.attributes(&[b"id", b"title"], |key, value| {
        match key {
            b"id" => id = value.trim().to_owned(),
            b"title" => title = value.trim().to_owned(),
            _ => {}
        }
        Ok(())
    })?;
    Ok(GenreRef::Legacy { id, title })
}
