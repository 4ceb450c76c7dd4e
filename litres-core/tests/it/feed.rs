//! Feed parser tests against the recorded LitRes feed and the project's
//! own fixtures.

use litres_core::feed::{FeedDecoder, FeedItem, FeedReader};
use litres_core::{BookFiles, GenreRef, Record};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const REAL_FEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/litres/get_fresh_book-2015-07-19.xml"
);

#[test]
fn real_feed_books_match_recording() {
    let file = std::fs::File::open(REAL_FEED).unwrap();
    let mut reader = FeedReader::new(file);
    let items: Vec<FeedItem> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    assert!(reader.is_complete());
    assert_eq!(
        reader.timestamp().unwrap().to_string(),
        "2015-08-01 10:50:28"
    );
    assert_eq!(items.len(), 2);
    let FeedItem::Record(Record::Updated(book)) = &items[0] else {
        panic!("first item is not a book: {:?}", items[0]);
    };
    println!("{book:#?}");
    assert_eq!(book.art_id.get(), 10315207);
    assert!(matches!(&book.files, BookFiles::Text(files) if files.len() == 12));
    assert!(matches!(&book.genres[0], GenreRef::Legacy { id, .. } if id == "201"));
}

/// Decodes `xml` pushed in the chunk sizes `sizes` yields (cycled), and
/// returns every item and error in order.
fn decode_in_chunks(xml: &[u8], mut sizes: impl FnMut() -> usize) -> Vec<Result<FeedItem, String>> {
    let mut decoder = FeedDecoder::new();
    let mut out = Vec::new();
    let mut rest = xml;
    loop {
        loop {
            match decoder.next_item() {
                Ok(Some(item)) => out.push(Ok(item)),
                Ok(None) => break,
                Err(error) => out.push(Err(error.to_string())),
            }
        }
        if rest.is_empty() {
            break;
        }
        let take = sizes().clamp(1, rest.len());
        decoder.push(&rest[..take]);
        rest = &rest[take..];
        if rest.is_empty() {
            decoder.finish();
        }
    }
    out
}

#[test]
fn push_one_byte_matches_whole() {
    let xml = std::fs::read(REAL_FEED).unwrap();
    let whole = decode_in_chunks(&xml, || usize::MAX);
    assert_eq!(whole.len(), 2);
    assert_eq!(decode_in_chunks(&xml, || 1), whole);
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..20 {
        let chunks = decode_in_chunks(&xml, || rng.random_range(1..4096));
        assert_eq!(chunks, whole);
    }
}
