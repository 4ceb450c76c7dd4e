//! Feed parser tests against the recorded LitRes feed and the project's
//! own fixtures.

use litres_core::feed::{FeedDecoder, FeedError, FeedItem, FeedReader, RecordError};
use litres_core::{ArtId, Author, Book, BookFiles, GenreId, GenreRef, Record, WorkType};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const REAL_FEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/litres/get_fresh_book-2015-07-19.xml"
);

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// What reading a whole feed gave.
struct Decoded {
    complete: bool,
    timestamp: Option<String>,
}

/// Reads a whole feed that must have no feed error.
fn read_all(xml: &[u8]) -> (Vec<FeedItem>, Decoded) {
    let mut reader = FeedReader::new(xml);
    let items = reader.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    let decoded = Decoded {
        complete: reader.is_complete(),
        timestamp: reader.timestamp().map(|time| time.to_string()),
    };
    (items, decoded)
}

fn book(item: &FeedItem) -> &Book {
    match item {
        FeedItem::Record(Record::Updated(book)) => book,
        other => panic!("expected an updated book, got {other:?}"),
    }
}

fn failure(item: &FeedItem) -> &RecordError {
    match item {
        FeedItem::Failed(error) => error,
        other => panic!("expected a failed record, got {other:?}"),
    }
}

fn relation_zero_last_names(book: &Book) -> Vec<&str> {
    book.authors
        .iter()
        .filter(|author| author.relation == Author::RELATION_AUTHOR)
        .map(|author| author.last_name.as_str())
        .collect()
}

#[test]
fn real_feed_first_book() {
    let xml = std::fs::read(crate::recorded(REAL_FEED)).unwrap();
    let (items, reader) = read_all(&xml);
    assert!(reader.complete);
    assert_eq!(reader.timestamp.as_deref(), Some("2015-08-01 10:50:28"));
    assert_eq!(items.len(), 2);

    let first = book(&items[0]);
    assert_eq!(first.art_id, ArtId(10315207));
    assert_eq!(
        first.external_id.as_str(),
        "37828892-1a76-11e5-ad6a-002590591dd6"
    );
    assert_eq!(first.price.to_string(), "109.00");
    assert_eq!(first.isbn.as_deref(), Some("978-5-699-80961-5"));
    assert_eq!(first.litres_isbn.as_deref(), Some("978-5-457-83767-6"));
    assert_eq!(relation_zero_last_names(first), ["Сухов"]);
    assert_eq!(first.series.len(), 1);
    assert_eq!(
        first.series[0].name,
        "Расследования криминального репортера"
    );
    assert_eq!(first.series[0].number, None);
    let BookFiles::Text(files) = &first.files else {
        panic!("expected text files, got {:?}", first.files);
    };
    assert_eq!(files.len(), 12);
    let legacy = GenreRef::Legacy {
        id: "201".into(),
        title: "Современные детективы".into(),
    };
    assert_eq!(first.genres, [legacy]);
    assert_eq!(first.cover.as_deref(), Some("jpg"));
    assert_eq!(first.age_rating, Some(16));
    assert_eq!(first.work_type, WorkType::Text);
    assert!(
        first.annotation_html.starts_with("<p>"),
        "{}",
        first.annotation_html
    );
}

#[test]
fn real_feed_second_book() {
    let xml = std::fs::read(crate::recorded(REAL_FEED)).unwrap();
    let (items, _) = read_all(&xml);
    let second = book(&items[1]);
    assert_eq!(second.art_id, ArtId(10316290));
    assert_eq!(second.price.to_string(), "129.00");
    let genre_ids: Vec<&str> = second
        .genres
        .iter()
        .map(|genre| match genre {
            GenreRef::Legacy { id, .. } => id.as_str(),
            other => panic!("expected a legacy genre, got {other:?}"),
        })
        .collect();
    assert_eq!(genre_ids, ["181", "198"]);
    assert_eq!(second.authors.len(), 3);
    assert_eq!(relation_zero_last_names(second).len(), 1);
}

#[test]
fn markup_annotation_and_2015_fields() {
    let (items, reader) = read_all(&fixture("feed-2015-text.xml"));
    assert!(reader.complete);
    assert_eq!(reader.timestamp.as_deref(), Some("2020-02-03 04:05:06"));
    assert_eq!(items.len(), 4);

    let book = book(&items[0]);
    assert_eq!(book.title, "Тестовая книга & её тень");
    assert_eq!(
        book.annotation_html,
        "<p>Первый <em>важный</em> абзац с <strong>жирным</strong>.</p><br><p>Второй абзац.</p>"
    );
    assert_eq!(
        book.publisher.as_deref(),
        Some("Издательство \"Пример\" & Ко")
    );
    assert_eq!(book.lang.as_deref(), Some("ru"));
    assert_eq!(book.age_rating, Some(12));
    assert_eq!(book.price.kopecks(), 14990);
    assert_eq!(book.cover.as_deref(), Some("png"));
    assert_eq!(book.updated.unwrap().to_string(), "2020-02-01 09:30:00");
    assert!(book.you_can_sell);
    assert!(book.must_import);

    assert_eq!(book.series.len(), 1);
    assert_eq!(book.series[0].name, "Серия из title-info");
    assert_eq!(book.series[0].number.as_deref(), Some("3"));
    assert_eq!(book.series[0].uuid, None);

    let BookFiles::Text(files) = &book.files else {
        panic!("expected text files, got {:?}", book.files);
    };
    let formats: Vec<(&str, Option<u64>)> = files
        .iter()
        .map(|file| (file.format.as_str(), file.size))
        .collect();
    assert_eq!(
        formats,
        [("fb2.zip", Some(1000)), ("epub", Some(2000)), ("txt", None)]
    );

    let first_author = &book.authors[0];
    assert_eq!(first_author.id, "person-1");
    assert_eq!(first_author.full_name(), "Иван Петрович Образцов");
    assert_eq!(book.authors[1].relation, 2);
}

#[test]
fn empty_attributes_and_shuffled_children() {
    let (items, _) = read_all(&fixture("feed-2015-text.xml"));
    let book = book(&items[2]);
    assert_eq!(book.art_id, ArtId(900003));
    assert_eq!(book.work_type, WorkType::Other("99".into()));
    assert_eq!(book.isbn, None);
    assert_eq!(book.litres_isbn, None);
    assert_eq!(book.cover, None);
    assert_eq!(book.age_rating, None);
    assert_eq!(book.lang, None);
    assert_eq!(book.publisher, None);
    assert_eq!(book.price.kopecks(), 0);
    assert!(!book.you_can_sell);
    assert!(!book.must_import);
    assert_eq!(book.title, "Книга без аннотации");
    assert_eq!(book.annotation_html, "");
    assert_eq!(book.files, BookFiles::Text(Vec::new()));

    assert_eq!(book.series.len(), 1);
    assert_eq!(book.series[0].name, "Серия из sequences");
    assert_eq!(book.series[0].number.as_deref(), Some("1.5"));
    assert_eq!(
        book.series[0].uuid.as_deref(),
        Some("bbbbbbbb-0000-4000-8000-000000000001")
    );

    let genre_ids: Vec<String> = book
        .genres
        .iter()
        .map(|genre| match genre {
            GenreRef::Legacy { id, .. } => id.clone(),
            other => panic!("expected a legacy genre, got {other:?}"),
        })
        .collect();
    assert_eq!(genre_ids, ["181", "198"]);

    assert_eq!(book.authors[0].relation, 3);
    assert_eq!(book.authors[0].full_name(), "Пётр Рисовальщик");
    assert_eq!(book.authors[1].relation, Author::RELATION_AUTHOR);
}

#[test]
fn removed_books_in_both_forms() {
    let (items, _) = read_all(&fixture("feed-2015-text.xml"));
    let removed: Vec<(ArtId, Option<String>)> = items
        .iter()
        .filter_map(|item| match item {
            FeedItem::Record(Record::Removed(removed)) => {
                Some((removed.art_id, removed.updated.map(|time| time.to_string())))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        [
            (ArtId(900002), None),
            (ArtId(900004), Some("2015-07-19 12:09:00".to_owned()))
        ]
    );
}

#[test]
fn audio_groups_with_trial() {
    let (items, reader) = read_all(&fixture("feed-2018-groups.xml"));
    assert!(reader.complete);
    assert_eq!(items.len(), 4);
    let audio = book(&items[0]);
    assert_eq!(audio.work_type, WorkType::Audio);
    assert_eq!(audio.title, "Аудиокнига для проверки");
    assert_eq!(
        audio.annotation_html,
        "<p>Описание <b>в CDATA</b>.<br>Вторая строка.</p>"
    );
    assert_eq!(audio.age_rating, Some(18));
    let BookFiles::Groups(groups) = &audio.files else {
        panic!("expected file groups, got {:?}", audio.files);
    };
    assert_eq!(groups.len(), 2);
    assert!(groups[0].is_trial());
    assert!(!groups[1].is_trial());
    assert_eq!(groups[0].files[0].id, "71");
    assert_eq!(groups[0].files[0].filename, "trial.mp3");
    assert_eq!(groups[0].files[0].mime_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(groups[0].files[0].size, Some(123456));
    assert_eq!(groups[1].files.len(), 2);
    assert_eq!(groups[1].files[1].mime_type, None);
    assert_eq!(groups[1].files[1].size, None);
}

#[test]
fn tree_genres_with_master() {
    let (items, _) = read_all(&fixture("feed-2018-groups.xml"));
    let audio = book(&items[0]);
    let expected = [
        GenreRef::Tree {
            id: GenreId(5003),
            title: "Бизнес-книги".into(),
            master: true,
        },
        GenreRef::Tree {
            id: GenreId(5049),
            title: "Банковское дело".into(),
            master: false,
        },
    ];
    assert_eq!(audio.genres, expected);
}

#[test]
fn pdf_book_prefers_title_info() {
    let (items, _) = read_all(&fixture("feed-2018-groups.xml"));
    let pdf = book(&items[1]);
    assert_eq!(pdf.work_type, WorkType::Pdf);
    assert_eq!(pdf.title, "PDF-книга");
    assert_eq!(pdf.price.kopecks(), 1050);
    assert_eq!(pdf.annotation_html, "<p>Верхняя аннотация.</p>");
    let BookFiles::Groups(groups) = &pdf.files else {
        panic!("expected file groups, got {:?}", pdf.files);
    };
    let trials: Vec<bool> = groups.iter().map(|group| group.is_trial()).collect();
    assert_eq!(trials, [false, true]);
    assert_eq!(groups[0].files[0].filename, "book.pdf");
}

#[test]
fn unsafe_markup_annotation_is_cleaned() {
    let (items, _) = read_all(&fixture("feed-2018-groups.xml"));
    let html = &book(&items[2]).annotation_html;
    for banned in ["script", "alert", "onclick", "javascript", "style", "p{}"] {
        assert!(!html.contains(banned), "{banned} left in {html}");
    }
    assert!(html.starts_with("<p>Текст</p>"), "{html}");
    assert!(html.contains("href=\"https://example.com/\""), "{html}");
    assert!(html.contains(">ссылка</a>"), "{html}");
}

#[test]
fn unsafe_cdata_annotation_is_cleaned() {
    let (items, _) = read_all(&fixture("feed-2018-groups.xml"));
    let html = &book(&items[3]).annotation_html;
    for banned in [
        "script",
        "evil",
        "onmouseover",
        "onerror",
        "img",
        "javascript",
    ] {
        assert!(!html.contains(banned), "{banned} left in {html}");
    }
    assert!(html.contains("Текст"), "{html}");
}

#[test]
fn broken_records_fail_alone() {
    let xml = fixture("feed-broken-records.xml");
    let (items, reader) = read_all(&xml);
    assert!(reader.complete);
    let kinds: Vec<Result<u64, Option<u64>>> = items
        .iter()
        .map(|item| match item {
            FeedItem::Record(record) => Ok(record.art_id().get()),
            FeedItem::Failed(error) => Err(error.art_id().map(ArtId::get)),
            other => panic!("unexpected item {other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Ok(920001),
            Err(Some(920002)),
            Ok(920003),
            Err(Some(920004)),
            Err(Some(920005)),
            Ok(920006)
        ]
    );
    for item in &items {
        if let FeedItem::Failed(error) = item {
            let offset = error.offset() as usize;
            let expected = format!("<updated-book id=\"{}\"", error.art_id().unwrap());
            assert!(xml[offset..].starts_with(expected.as_bytes()), "{error}");
        }
    }
    let price = failure(&items[3]);
    assert!(price.message().contains("\"12,50\""), "{price}");
    assert!(price.to_string().contains("art id 920004"), "{price}");
    let markup = failure(&items[1]);
    assert!(markup.message().contains("malformed"), "{markup}");
}

#[test]
fn truncated_feed_yields_records_then_error() {
    let xml = fixture("feed-truncated.xml");
    let mut reader = FeedReader::new(&xml[..]);
    let first = reader.next().unwrap().unwrap();
    assert_eq!(book(&first).art_id, ArtId(930001));
    let second = reader.next().unwrap().unwrap();
    assert!(matches!(second, FeedItem::Record(Record::Removed(_))));
    let error: FeedError = reader.next().unwrap().unwrap_err();
    assert!(error.is_truncated(), "{error}");
    let start = xml
        .windows(16)
        .position(|w| w == b"<updated-book id")
        .unwrap();
    let third = xml[start + 1..]
        .windows(16)
        .position(|w| w == b"<updated-book id")
        .unwrap()
        + start
        + 1;
    assert_eq!(error.offset(), third as u64);
    assert!(error.to_string().contains("truncated"), "{error}");
    assert!(reader.next().is_none());
    assert!(!reader.is_complete());
    assert_eq!(
        reader.timestamp().unwrap().to_string(),
        "2023-03-03 03:03:03"
    );
}

#[test]
fn truncated_between_records_reports_end() {
    let xml = b"<fb-updates><removed-book id=\"1\"/>";
    let mut decoder = FeedDecoder::new();
    decoder.push(xml);
    decoder.finish();
    assert!(decoder.next_item().unwrap().is_some());
    let error = decoder.next_item().unwrap_err();
    assert!(error.is_truncated());
    assert_eq!(error.offset(), xml.len() as u64);
    assert!(decoder.next_item().unwrap().is_none());
}

#[test]
fn empty_input_is_not_a_feed() {
    let mut decoder = FeedDecoder::new();
    decoder.finish();
    let error = decoder.next_item().unwrap_err();
    assert!(error.is_not_a_feed(), "{error}");
    assert!(!error.is_truncated());
    assert_eq!(error.offset(), 0);
}

#[test]
fn other_document_is_not_a_feed() {
    let mut reader = FeedReader::new(
        &b"<?xml version=\"1.0\"?><genres><genre id=\"1\" title=\"A\"/></genres>"[..],
    );
    let error = reader.next().unwrap().unwrap_err();
    assert!(error.is_not_a_feed(), "{error}");
    assert!(
        error.to_string().contains("no <fb-updates> element"),
        "{error}"
    );
    assert!(reader.next().is_none());
}

#[test]
fn invalid_timestamp_names_value() {
    let xml = b"<fb-updates timestamp=\"yesterday\"><removed-book id=\"1\"/></fb-updates>";
    let mut reader = FeedReader::new(&xml[..]);
    let error = reader.next().unwrap().unwrap_err();
    assert!(error.is_invalid_timestamp());
    assert!(error.to_string().contains("\"yesterday\""), "{error}");
    assert!(reader.next().unwrap().is_ok());
    assert!(reader.next().is_none());
    assert!(reader.is_complete());
    assert_eq!(reader.timestamp(), None);
}

#[test]
fn bytes_after_root_end_ignored() {
    let xml = b"<fb-updates></fb-updates><removed-book id=\"1\"/>";
    let (items, reader) = read_all(xml);
    assert!(items.is_empty());
    assert!(reader.complete);
}

#[test]
fn io_error_ends_reader() {
    struct Failing(usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("connection reset"));
            }
            self.0 -= 1;
            let chunk = b"<fb-updates><removed-book id=\"5\"/>";
            buf[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }
    let mut reader = FeedReader::new(Failing(1));
    assert!(reader.next().unwrap().is_ok());
    let error = reader.next().unwrap().unwrap_err();
    assert!(error.is_io());
    assert!(error.to_string().contains("connection reset"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert!(reader.next().is_none());
}

/// Decodes `xml` pushed in chunks of the sizes `sizes` returns and
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
fn push_in_any_chunks_matches_whole() {
    let feeds = [
        std::fs::read(crate::recorded(REAL_FEED)).unwrap(),
        fixture("feed-2015-text.xml"),
        fixture("feed-2018-groups.xml"),
        fixture("feed-broken-records.xml"),
        fixture("feed-truncated.xml"),
    ];
    let mut rng = StdRng::seed_from_u64(7);
    for xml in &feeds {
        let whole = decode_in_chunks(xml, || usize::MAX);
        assert!(!whole.is_empty());
        assert_eq!(decode_in_chunks(xml, || 1), whole);
        for _ in 0..10 {
            let chunks = decode_in_chunks(xml, || rng.random_range(1..700));
            assert_eq!(chunks, whole);
        }
    }
}

#[test]
fn decoder_and_reader_are_send() {
    fn assert_send<T: Send>() {}
    assert_send::<FeedDecoder>();
    assert_send::<FeedReader<std::fs::File>>();
    assert_send::<FeedError>();
    assert_send::<FeedItem>();
}

#[test]
fn duplicate_used_attribute_fails_record() {
    let xml = b"<fb-updates><updated-book id=\"1\" external_id=\"x\" price=\"1.00\" \
                price=\"2.00\"/><updated-book id=\"2\" external_id=\"y\" price=\"1.00\" \
                unused=\"a\" unused=\"b\"/></fb-updates>";
    let (items, _) = read_all(xml);
    let error = failure(&items[0]);
    assert!(
        error.message().contains("duplicate attribute price"),
        "{error}"
    );
    assert_eq!(book(&items[1]).art_id, ArtId(2));
}

#[test]
fn self_closing_root_is_complete() {
    let xml = b"<?xml version=\"1.0\"?><fb-updates timestamp=\"2015-08-01 10:50:28\"/>";
    let (items, decoded) = read_all(xml);
    assert!(items.is_empty());
    assert!(decoded.complete);
    assert_eq!(decoded.timestamp.as_deref(), Some("2015-08-01 10:50:28"));
}
