//! The README written beside a generated catalog.

use std::fmt::Write;

use super::{GeneratedCatalog, DAYS, FIRST_ART_ID, TRIAL_GROUP};

pub(crate) fn render(catalog: &GeneratedCatalog) -> String {
    let summary = catalog.summary();
    let ids = &summary.special_art_ids;
    let mut text = String::new();
    text.push_str(
        "# Generated LitRes catalog\n\n\
         Invented books in the layout of a LitRes `get_fresh_book` answer \
         (2018 generation), and an invented genre tree. Written by \
         `litres_testkit::catalog_gen`; do not edit by hand. Regenerate the \
         bundled sample with `cargo run -p litres-testkit --bin gen_sample`.\n\n\
         | file | covers |\n|---|---|\n",
    );
    text.push_str(
        "| `genres.xml` | `genres_list_2` tree: 43 positions, 6 roots, depth 3, \
         genre 8223 under two parents (8122 and 8131) |\n",
    );
    for feed in catalog.feeds() {
        let _ = writeln!(
            text,
            "| `{}` | `fb-updates@timestamp=\"{}\"`: {} `updated-book`, {} `removed-book` |",
            feed.name, feed.timestamp, feed.books, feed.removed
        );
    }
    let _ = write!(
        text,
        "\nTotals: {} books (art ids {} to {}), updated over {} days from \
         2026-11-20 00:00:00 Moscow time, one file per day.\n\n",
        summary.books,
        FIRST_ART_ID,
        FIRST_ART_ID + summary.books.saturating_sub(1) as u64,
        DAYS
    );
    text.push_str("| type | books |\n|---|---|\n");
    for (code, count) in &summary.by_type {
        let _ = writeln!(text, "| {code} | {count} |");
    }
    let show = |id: Option<u64>| id.map_or("none".to_owned(), |id| id.to_string());
    let _ = write!(
        text,
        "\nSpecial records:\n\n\
         - not for sale (`you_can_sell=\"0\"`): {}\n\
         - must not be imported (`must_import=\"0\"`): {}\n\
         - annotation that is not well-formed (an unclosed `<em>`): {}\n\
         - removed (`removed-book`): {:?}; the first carries `updated`, the \
         second does not, so the sandbox dates it one second before its \
         file's timestamp\n\n",
        show(ids.not_for_sale),
        show(ids.must_not_import),
        show(ids.broken),
        ids.removed
    );
    let _ = writeln!(
        text,
        "Every book has `genres/genre` entries with ids of `genres.xml` (the \
         first has `master=\"1\"`), title-info, publish-info, authors with \
         relation 0 and, for about half, a rights agent with relation 2 and \
         empty first and middle names. About 40% are in a series (most with \
         a number). Annotations alternate between markup and CDATA. Some \
         `isbn`, `litres_isbn`, `cover` and `url` attributes are empty. Text \
         books (types 0 and 11) list `files/file@type`; audio (1) and PDF (4) \
         books have `files/group`, one of them the trial group \
         `{TRIAL_GROUP}`."
    );
    text
}
