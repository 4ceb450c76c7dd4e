//! Genre tree parser tests.

use std::collections::{HashMap, HashSet};

use litres_core::genres::parse_genre_tree;
use litres_core::{GenreId, GenreKind, GenreTree};

const REAL_TREE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/litres/genres_list_2-2015.xml"
);

fn real_tree() -> GenreTree {
    let xml = std::fs::read(crate::recorded(REAL_TREE)).unwrap();
    parse_genre_tree(&xml).unwrap()
}

#[test]
fn real_tree_node_counts() {
    let tree = real_tree();
    let nodes = tree.nodes();
    assert_eq!(nodes.len(), 1214);
    let kinds = |kind: GenreKind| nodes.iter().filter(|node| node.kind == kind).count();
    assert_eq!(kinds(GenreKind::Genre), 1111);
    assert_eq!(kinds(GenreKind::Container), 71);
    // 30 nodes sit at the top level. Two more nodes of type root are
    // nested inside other roots.
    assert_eq!(kinds(GenreKind::Root), 32);
    let top_level = nodes.iter().filter(|node| node.parent.is_none()).count();
    assert_eq!(top_level, 30);
}

#[test]
fn real_tree_repeated_ids() {
    let tree = real_tree();
    let nodes = tree.nodes();
    let mut positions: HashMap<GenreId, usize> = HashMap::new();
    for node in nodes {
        *positions.entry(node.id).or_default() += 1;
    }
    assert_eq!(positions.len(), 905);
    // 306 ids sit at more than one position. Only 40 of them have
    // parents with different ids; the rest repeat inside copied subtrees.
    let repeated = positions.values().filter(|count| **count > 1).count();
    assert_eq!(repeated, 306);
    let mut parent_ids: HashMap<GenreId, HashSet<Option<GenreId>>> = HashMap::new();
    for node in nodes {
        let parent = node.parent.map(|index| nodes[index].id);
        parent_ids.entry(node.id).or_default().insert(parent);
    }
    let under_distinct_parents = parent_ids.values().filter(|set| set.len() > 1).count();
    assert_eq!(under_distinct_parents, 40);
}

#[test]
fn real_tree_paths_are_positions() {
    let tree = real_tree();
    let nodes = tree.nodes();
    let paths: HashSet<String> = nodes.iter().map(|node| node.path_key()).collect();
    assert_eq!(paths.len(), nodes.len());
    // Depth counts the top-level node as 1, so the deepest nodes sit five
    // levels below a top-level node.
    let max_depth = nodes.iter().map(|node| node.depth()).max().unwrap();
    assert_eq!(max_depth, 6);
    for (index, node) in nodes.iter().enumerate() {
        match node.parent {
            Some(parent) => {
                assert!(parent < index, "parent after child at {index}");
                assert_eq!(node.path[..node.path.len() - 1], nodes[parent].path[..]);
            }
            None => assert_eq!(node.path.len(), 1),
        }
    }
}

fn small_tree() -> GenreTree {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/genres-small.xml"
    );
    parse_genre_tree(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn small_tree_keeps_every_position() {
    let tree = small_tree();
    let paths: Vec<String> = tree.nodes().iter().map(|node| node.path_key()).collect();
    assert_eq!(
        paths,
        [
            "100",
            "100/110",
            "100/110/111",
            "100/110/112",
            "200",
            "200/111",
            "200/210",
            "200/210/211",
            "300"
        ]
    );
    let parents: Vec<Option<usize>> = tree.nodes().iter().map(|node| node.parent).collect();
    assert_eq!(
        parents,
        [
            None,
            Some(0),
            Some(1),
            Some(1),
            None,
            Some(4),
            Some(4),
            Some(6),
            None
        ]
    );
    assert_eq!(tree.positions_of(GenreId(111)).len(), 2);
    assert!(tree.positions_of(GenreId(999)).is_empty());
}

#[test]
fn small_tree_attributes() {
    let tree = small_tree();
    let nodes = tree.nodes();
    assert_eq!(nodes[2].token.as_deref(), Some("obshchij"));
    assert_eq!(nodes[2].kind, GenreKind::Genre);
    assert_eq!(nodes[1].kind, GenreKind::Container);
    assert_eq!(nodes[6].kind, GenreKind::Root);
    assert_eq!(nodes[6].token, None);
    assert_eq!(nodes[7].title, "Глубокий & жанр");
    assert_eq!(nodes[8].kind, GenreKind::Other("future-kind".into()));
}

#[test]
fn genre_without_id_names_offset() {
    let xml = b"<genres><genre id=\"1\" title=\"A\"/><genre title=\"B\"/></genres>";
    let error = parse_genre_tree(xml).unwrap_err();
    assert_eq!(error.offset(), 33);
    assert!(error.message().contains("no id"), "{error}");
    assert!(error.to_string().contains("at byte 33"), "{error}");
}

#[test]
fn genre_with_bad_id_names_value() {
    let xml = b"<genres><genre id=\"x1\" title=\"A\"/></genres>";
    let error = parse_genre_tree(xml).unwrap_err();
    assert!(error.message().contains("\"x1\""), "{error}");
    assert_eq!(error.offset(), 8);
}

#[test]
fn malformed_tree_is_rejected() {
    let xml = b"<genres><genre id=\"1\" title=\"A\"></genres>";
    let error = parse_genre_tree(xml).unwrap_err();
    assert!(error.message().contains("malformed"), "{error}");
    assert!(error.offset() > 0);
}

#[test]
fn empty_document_is_rejected() {
    let error = parse_genre_tree(b"  ").unwrap_err();
    assert!(error.message().contains("no elements"), "{error}");
}

#[test]
fn truncated_tree_is_rejected() {
    let xml = b"<genres><genre id=\"1\" title=\"A\"><genre id=\"2\" title=\"B\"/>";
    let error = parse_genre_tree(xml).unwrap_err();
    assert!(error.message().contains("ends before"), "{error}");
    assert_eq!(error.offset(), xml.len() as u64);
}
