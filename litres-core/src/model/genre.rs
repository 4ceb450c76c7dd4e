//! The LitRes genre tree, one node per tree position.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::GenreId;

/// Kind of a genre node (`type` attribute).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GenreKind {
    /// `root`: a top-level section.
    Root,
    /// `container`: a node that groups genres.
    Container,
    /// `genre`: a genre books are filed under.
    Genre,
    /// A kind this version does not know, kept as sent.
    Other(String),
}

impl GenreKind {
    /// Reads a `type` attribute value.
    pub fn from_code(code: &str) -> Self {
        match code {
            "root" => Self::Root,
            "container" => Self::Container,
            "genre" => Self::Genre,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// One position in the tree. A genre listed under two parents is two nodes
/// with the same id and different paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenreNode {
    /// Genre id.
    pub id: GenreId,
    /// Title.
    pub title: String,
    /// Node kind.
    pub kind: GenreKind,
    /// URL token, when given.
    pub token: Option<String>,
    /// Ids from the top-level ancestor down to this node, inclusive. The
    /// path identifies the position, so it is the key a store keeps.
    pub path: Vec<GenreId>,
    /// Index of the parent node in [`GenreTree::nodes`], `None` at the top.
    pub parent: Option<usize>,
}

impl GenreNode {
    /// Returns the path as text, ids joined by `/`, such as `5003/5047/5334`.
    pub fn path_key(&self) -> String {
        path_key(&self.path)
    }

    /// Returns the depth, 1 for a top-level node.
    pub fn depth(&self) -> usize {
        self.path.len()
    }
}

/// Joins genre ids with `/`, the text form of a tree position.
pub fn path_key(path: &[GenreId]) -> String {
    let mut key = String::new();
    for (index, id) in path.iter().enumerate() {
        if index > 0 {
            key.push('/');
        }
        key.push_str(&id.to_string());
    }
    key
}

/// The whole tree in document order: every parent comes before its children.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenreTree {
    nodes: Vec<GenreNode>,
}

impl GenreTree {
    /// Makes a tree from nodes in document order.
    ///
    /// The caller keeps the invariant that a parent index points at an
    /// earlier node; the genre parser does.
    pub fn from_nodes(nodes: Vec<GenreNode>) -> Self {
        Self { nodes }
    }

    /// Returns every node, parents before children.
    pub fn nodes(&self) -> &[GenreNode] {
        &self.nodes
    }

    /// Returns the number of tree positions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Returns true when the tree has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Returns every position of a genre id, in document order.
    pub fn positions_of(&self, id: GenreId) -> Vec<&GenreNode> {
        self.nodes.iter().filter(|node| node.id == id).collect()
    }

    /// Returns an index from title to the positions carrying it, for
    /// matching 2015 `in_genre` titles. Titles are compared after trimming
    /// and lower-casing.
    pub fn title_index(&self) -> HashMap<String, Vec<usize>> {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, node) in self.nodes.iter().enumerate() {
            index
                .entry(normalize_title(&node.title))
                .or_default()
                .push(position);
        }
        index
    }
}

/// Returns a title trimmed and in lower case, the form titles are matched in.
pub fn normalize_title(title: &str) -> String {
    title.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_key_joins_ids() {
        assert_eq!(path_key(&[GenreId(5003), GenreId(5047)]), "5003/5047");
        assert_eq!(path_key(&[]), "");
    }
}
