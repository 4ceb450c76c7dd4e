//! Fuzz-style tests of the feed decoder: seeded random cuts and byte
//! changes of real and invented feeds. Every run must end, without a
//! panic, and give the same results whatever the chunk sizes.

use litres_core::feed::{FeedDecoder, FeedItem};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const FEEDS: [&str; 4] = [
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/litres/get_fresh_book-2015-07-19.xml"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/feed-2015-text.xml"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/feed-2018-groups.xml"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/feed-broken-records.xml"
    ),
];

/// Bytes that change how the splitter and the XML reader see a document.
const MARKUP_BYTES: &[u8] = b"<>/\"'=&![]-? \n";

#[derive(Debug, PartialEq)]
enum Outcome {
    Record(u64),
    Failed(Option<u64>, u64),
    Error(String),
}

/// Decodes `xml` in chunks of the sizes `sizes` returns. Panics when the
/// decoder yields more outcomes than the input could hold, which would
/// mean it does not terminate.
fn decode(xml: &[u8], mut sizes: impl FnMut() -> usize) -> Vec<Outcome> {
    let bound = xml.len() + 16;
    let mut decoder = FeedDecoder::new();
    let mut outcomes = Vec::new();
    let mut rest = xml;
    if rest.is_empty() {
        decoder.finish();
    }
    loop {
        loop {
            let outcome = match decoder.next_item() {
                Ok(None) => break,
                Ok(Some(FeedItem::Record(record))) => Outcome::Record(record.art_id().get()),
                Ok(Some(FeedItem::Failed(error))) => {
                    Outcome::Failed(error.art_id().map(|id| id.get()), error.offset())
                }
                Ok(Some(other)) => panic!("unexpected item {other:?}"),
                Err(error) => Outcome::Error(error.to_string()),
            };
            outcomes.push(outcome);
            assert!(outcomes.len() <= bound, "decoder does not terminate");
        }
        if rest.is_empty() {
            return outcomes;
        }
        let take = sizes().clamp(1, rest.len());
        decoder.push(&rest[..take]);
        rest = &rest[take..];
        if rest.is_empty() {
            decoder.finish();
        }
    }
}

fn mutate(feed: &[u8], rng: &mut StdRng) -> Vec<u8> {
    let mut xml = feed.to_vec();
    for _ in 0..rng.random_range(0..6) {
        if xml.is_empty() {
            break;
        }
        let at = rng.random_range(0..xml.len());
        match rng.random_range(0..4) {
            0 => xml[at] = MARKUP_BYTES[rng.random_range(0..MARKUP_BYTES.len())],
            1 => xml[at] = rng.random(),
            2 => xml.insert(at, MARKUP_BYTES[rng.random_range(0..MARKUP_BYTES.len())]),
            _ => {
                xml.remove(at);
            }
        }
    }
    if rng.random_bool(0.5) {
        let cut = rng.random_range(0..=xml.len());
        xml.truncate(cut);
    }
    xml
}

#[test]
fn mutated_feeds_end_without_panic() {
    let feeds: Vec<Vec<u8>> = FEEDS
        .iter()
        .map(|path| std::fs::read(crate::recorded(path)).unwrap())
        .collect();
    let mut rng = StdRng::seed_from_u64(20260);
    let mut errors = 0;
    let mut failed = 0;
    for case in 0..3000 {
        let feed = &feeds[case % feeds.len()];
        let xml = mutate(feed, &mut rng);
        let whole = decode(&xml, || usize::MAX);
        let mut chunk_rng = StdRng::seed_from_u64(case as u64);
        let chunked = decode(&xml, || chunk_rng.random_range(1..512));
        assert_eq!(chunked, whole, "case {case}: chunking changed the result");
        let error_count = whole
            .iter()
            .filter(|o| matches!(o, Outcome::Error(_)))
            .count();
        assert!(error_count <= 2, "case {case}: {whole:?}");
        errors += error_count;
        failed += whole
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(..)))
            .count();
    }
    // The mutations must reach both error paths, or the test proves little.
    assert!(errors > 100, "only {errors} feed errors");
    assert!(failed > 100, "only {failed} failed records");
}

#[test]
fn every_cut_of_feed_ends_truncated() {
    let xml = std::fs::read(crate::recorded(FEEDS[2])).unwrap();
    let whole = decode(&xml, || usize::MAX);
    let end = xml
        .windows(13)
        .rposition(|w| w == b"</fb-updates>")
        .unwrap();
    let root_start = xml.windows(11).position(|w| w == b"<fb-updates").unwrap();
    let root_end = root_start
        + xml[root_start..]
            .iter()
            .position(|byte| *byte == b'>')
            .unwrap();
    for cut in (0..end).step_by(7) {
        let outcomes = decode(&xml[..cut], || usize::MAX);
        let (last, records) = outcomes.split_last().unwrap();
        let expected = if cut <= root_end {
            "not a catalog feed"
        } else {
            "truncated"
        };
        assert!(
            matches!(last, Outcome::Error(message) if message.contains(expected)),
            "cut {cut}: {outcomes:?}"
        );
        assert_eq!(records, &whole[..records.len()], "cut {cut}");
    }
}
