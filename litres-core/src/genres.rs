//! Parser of the `genres_list_2` genre tree.
//!
//! The response nests `<genre id title type [token]>` elements under
//! `<genres>`. One id may sit under several parents; every position is
//! kept as its own [`GenreNode`], in document order.

use std::fmt;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::model::{GenreId, GenreKind, GenreNode, GenreTree};

/// A genre tree document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenreParseError {
    offset: u64,
    message: String,
}

impl GenreParseError {
    fn new(offset: u64, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
        }
    }

    /// Returns the byte offset in the document where the problem was found.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Returns what is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for GenreParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid genre tree at byte {}: {}; request genres_list_2 again",
            self.offset, self.message
        )
    }
}

impl std::error::Error for GenreParseError {}

/// Parses a `genres_list_2` response into a tree with one node per
/// position.
///
/// Elements other than `genre` below the root are skipped with their
/// content.
///
/// ```
/// let xml = br#"<genres><genre id="1" title="A" type="root"><genre id="2" title="B" type="genre"/></genre></genres>"#;
/// let tree = litres_core::genres::parse_genre_tree(xml).unwrap();
/// assert_eq!(tree.nodes()[1].path_key(), "1/2");
/// assert_eq!(tree.nodes()[1].parent, Some(0));
/// ```
///
/// # Errors
///
/// Returns a [`GenreParseError`] with the byte offset when the document is
/// not well-formed XML or a `genre` has a missing or non-numeric `id`.
pub fn parse_genre_tree(xml: &[u8]) -> Result<GenreTree, GenreParseError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut nodes: Vec<GenreNode> = Vec::new();
    // Indices of the open `genre` elements, outermost first.
    let mut open: Vec<usize> = Vec::new();
    let mut seen_element = false;
    // Depth of all open elements, to catch a document that ends early.
    let mut depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| {
            GenreParseError::new(reader.error_position(), format!("malformed XML: {error}"))
        })?;
        match event {
            Event::Start(start) if start.local_name().as_ref() == b"genre" => {
                nodes.push(genre_node(&start, &open, &nodes, position)?);
                open.push(nodes.len() - 1);
                seen_element = true;
                depth += 1;
            }
            Event::Empty(start) if start.local_name().as_ref() == b"genre" => {
                nodes.push(genre_node(&start, &open, &nodes, position)?);
                seen_element = true;
            }
            Event::Start(start) if seen_element => {
                reader.read_to_end(start.name()).map_err(|error| {
                    GenreParseError::new(reader.error_position(), format!("malformed XML: {error}"))
                })?;
            }
            Event::Start(_) => {
                seen_element = true;
                depth += 1;
            }
            Event::End(end) => {
                if end.local_name().as_ref() == b"genre" {
                    open.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof if depth > 0 => {
                return Err(GenreParseError::new(
                    reader.buffer_position(),
                    "the document ends before all elements are closed",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_element {
        return Err(GenreParseError::new(0, "the document has no elements"));
    }
    Ok(GenreTree::from_nodes(nodes))
}

/// Makes the node for a `genre` start tag at `offset` under the open
/// elements `open`.
fn genre_node(
    start: &BytesStart<'_>,
    open: &[usize],
    nodes: &[GenreNode],
    offset: u64,
) -> Result<GenreNode, GenreParseError> {
    let mut id = None;
    let mut title = String::new();
    let mut kind = GenreKind::Other(String::new());
    let mut token = None;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| {
            GenreParseError::new(offset, format!("invalid attribute in <genre>: {error}"))
        })?;
        let value = attribute.unescape_value().map_err(|error| {
            GenreParseError::new(
                offset,
                format!("invalid attribute value in <genre>: {error}"),
            )
        })?;
        match attribute.key.local_name().as_ref() {
            b"id" => {
                let parsed = value.parse::<GenreId>().map_err(|_| {
                    GenreParseError::new(
                        offset,
                        format!("invalid genre id {value:?}: expected a whole number"),
                    )
                })?;
                id = Some(parsed);
            }
            b"title" => title = value.trim().to_owned(),
            b"type" => kind = GenreKind::from_code(value.trim()),
            b"token" => token = Some(value.trim().to_owned()).filter(|token| !token.is_empty()),
            _ => {}
        }
    }
    let id = id.ok_or_else(|| GenreParseError::new(offset, "<genre> has no id attribute"))?;
    let parent = open.last().copied();
    let mut path = parent
        .map(|index| nodes[index].path.clone())
        .unwrap_or_default();
    path.push(id);
    Ok(GenreNode {
        id,
        title,
        kind,
        token,
        path,
        parent,
    })
}
