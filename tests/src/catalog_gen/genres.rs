//! The invented genre tree every generated catalog uses: 43 positions,
//! 6 roots, depth 3, and genre 8223 under two parents.

use std::fmt::Write;

/// One node of the invented tree.
pub(crate) struct GenreDef {
    pub id: u64,
    pub title: &'static str,
    pub token: &'static str,
    pub children: &'static [GenreDef],
}

const fn leaf(id: u64, title: &'static str, token: &'static str) -> GenreDef {
    GenreDef {
        id,
        title,
        token,
        children: &[],
    }
}

/// Listed under both "Фэнтези" and "Сказки".
const FAIRY_NOVELLA: GenreDef = leaf(8223, "Сказочная повесть", "skazochnaya_povest");

pub(crate) const TREE: &[GenreDef] = &[
    GenreDef {
        id: 8001,
        title: "Проза",
        token: "proza",
        children: &[
            leaf(8101, "Современная проза", "sovremennaya_proza"),
            leaf(8102, "Историческая проза", "istoricheskaya_proza"),
            GenreDef {
                id: 8103,
                title: "Малая проза",
                token: "malaya_proza",
                children: &[
                    leaf(8201, "Рассказы", "rasskazy"),
                    leaf(8202, "Новеллы", "novelly"),
                    leaf(8203, "Очерки", "ocherki"),
                ],
            },
        ],
    },
    GenreDef {
        id: 8002,
        title: "Детективы и триллеры",
        token: "detektivy",
        children: &[
            leaf(8111, "Классический детектив", "klassicheskij_detektiv"),
            leaf(8112, "Иронический детектив", "ironicheskij_detektiv"),
            GenreDef {
                id: 8113,
                title: "Триллеры",
                token: "trillery",
                children: &[
                    leaf(8211, "Психологический триллер", "psihologicheskij_triller"),
                    leaf(8212, "Шпионский триллер", "shpionskij_triller"),
                ],
            },
            leaf(8114, "Полицейский детектив", "policejskij_detektiv"),
        ],
    },
    GenreDef {
        id: 8003,
        title: "Фантастика",
        token: "fantastika",
        children: &[
            leaf(8121, "Научная фантастика", "nauchnaya_fantastika"),
            GenreDef {
                id: 8122,
                title: "Фэнтези",
                token: "fentezi",
                children: &[
                    leaf(8221, "Городское фэнтези", "gorodskoe_fentezi"),
                    leaf(8222, "Эпическое фэнтези", "epicheskoe_fentezi"),
                    FAIRY_NOVELLA,
                ],
            },
            leaf(8123, "Космическая опера", "kosmicheskaya_opera"),
            leaf(8124, "Антиутопия", "antiutopiya"),
        ],
    },
    GenreDef {
        id: 8004,
        title: "Детские книги",
        token: "detskie_knigi",
        children: &[
            GenreDef {
                id: 8131,
                title: "Сказки",
                token: "skazki",
                children: &[
                    leaf(8231, "Народные сказки", "narodnye_skazki"),
                    FAIRY_NOVELLA,
                    leaf(8232, "Авторские сказки", "avtorskie_skazki"),
                ],
            },
            leaf(8132, "Детские стихи", "detskie_stihi"),
            leaf(8133, "Приключения для детей", "priklyucheniya_dlya_detej"),
        ],
    },
    GenreDef {
        id: 8005,
        title: "Нон-фикшн",
        token: "non_fikshn",
        children: &[
            GenreDef {
                id: 8141,
                title: "Научно-популярное",
                token: "nauchpop",
                children: &[
                    leaf(8241, "Астрономия", "astronomiya"),
                    leaf(8242, "Биология", "biologiya"),
                    leaf(8243, "История науки", "istoriya_nauki"),
                ],
            },
            leaf(8142, "Биографии", "biografii"),
            leaf(8143, "Путешествия", "puteshestviya"),
            GenreDef {
                id: 8144,
                title: "Бизнес",
                token: "biznes",
                children: &[
                    leaf(8244, "Маркетинг", "marketing"),
                    leaf(8245, "Управление", "upravlenie"),
                ],
            },
        ],
    },
    GenreDef {
        id: 8006,
        title: "Поэзия и драма",
        token: "poeziya_i_drama",
        children: &[
            leaf(8151, "Стихи", "stihi"),
            leaf(8152, "Пьесы", "pesy"),
            leaf(8153, "Переводная поэзия", "perevodnaya_poeziya"),
        ],
    },
];

/// Returns the `genres_list_2` document of [`TREE`].
pub(crate) fn tree_xml() -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<genres>\n");
    for root in TREE {
        write_node(&mut xml, root, 1);
    }
    xml.push_str("</genres>\n");
    xml
}

fn write_node(xml: &mut String, node: &GenreDef, depth: usize) {
    let kind = match (depth, node.children.is_empty()) {
        (1, _) => "root",
        (_, false) => "container",
        (_, true) => "genre",
    };
    let indent = "  ".repeat(depth);
    let _ = write!(
        xml,
        "{indent}<genre id=\"{}\" title=\"{}\" token=\"{}\" type=\"{kind}\"",
        node.id, node.title, node.token
    );
    if node.children.is_empty() {
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(">\n");
    for child in node.children {
        write_node(xml, child, depth + 1);
    }
    let _ = writeln!(xml, "{indent}</genre>");
}

/// Returns the genres books may be filed under: every leaf, each id once,
/// in document order.
pub(crate) fn leaves() -> Vec<&'static GenreDef> {
    let mut found: Vec<&'static GenreDef> = Vec::new();
    let mut stack: Vec<&'static GenreDef> = TREE.iter().rev().collect();
    while let Some(node) = stack.pop() {
        if node.children.is_empty() {
            if !found.iter().any(|seen| seen.id == node.id) {
                found.push(node);
            }
        } else {
            stack.extend(node.children.iter().rev());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_has_43_positions_and_one_shared_id() {
        let xml = tree_xml();
        assert_eq!(xml.matches("<genre ").count(), 43);
        assert_eq!(xml.matches("id=\"8223\"").count(), 2);
        assert_eq!(xml.matches("type=\"root\"").count(), 6);
    }

    #[test]
    fn leaves_are_unique() {
        let leaves = leaves();
        assert_eq!(leaves.len(), 30);
        assert!(leaves.iter().all(|leaf| leaf.children.is_empty()));
    }
}
