//! The catalog generator and the bundled sample catalog.

use litres_testkit::catalog_gen::{self, FIRST_ART_ID, SAMPLE_BOOKS};
use litres_testkit::sandbox::{Catalog, RecordKind};
use quick_xml::events::Event;

/// Returns true when quick-xml reads the record to its end without error,
/// with end-tag names checked.
fn is_well_formed(record: &[u8]) -> bool {
    let mut reader = quick_xml::Reader::from_reader(record);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0i64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => return depth == 0,
            Err(_) => return false,
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[test]
fn generate_is_deterministic() {
    let first = catalog_gen::generate(500, 42);
    let second = catalog_gen::generate(500, 42);
    assert_eq!(first.feeds(), second.feeds());
    let other = catalog_gen::generate(500, 43);
    assert_ne!(first.feeds()[0].xml, other.feeds()[0].xml);
}

#[test]
fn generate_500_books_loads_in_sandbox_catalog() {
    let generated = catalog_gen::generate(500, 42);
    assert_eq!(generated.summary().books, 500);
    let dir = tempfile::tempdir().unwrap();
    generated.write_to(dir.path()).unwrap();
    let catalog = Catalog::from_dir(dir.path()).unwrap();
    let books = catalog
        .records()
        .iter()
        .filter(|record| record.kind == RecordKind::Updated)
        .count();
    assert_eq!(books, 500);
    assert_eq!(catalog.records().len(), 502);
    assert!(catalog.genres().is_some());
}

#[test]
fn only_broken_record_is_malformed() {
    let generated = catalog_gen::generate(500, 42);
    let broken = generated
        .summary()
        .special_art_ids
        .broken
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    generated.write_to(dir.path()).unwrap();
    let catalog = Catalog::from_dir(dir.path()).unwrap();
    let malformed: Vec<&str> = catalog
        .records()
        .iter()
        .filter(|record| !is_well_formed(&record.bytes))
        .map(|record| record.art_id.as_str())
        .collect();
    assert_eq!(malformed, [broken.as_str()]);
}

#[test]
fn sample_files_match_generator() {
    let dir = litres_testkit::sample_catalog_dir();
    let sample = catalog_gen::sample();
    let genres = std::fs::read(dir.join("genres.xml")).unwrap();
    assert!(
        genres == sample.genres_xml(),
        "genres.xml is stale: run gen_sample"
    );
    for feed in sample.feeds() {
        let committed = std::fs::read(dir.join(&feed.name)).unwrap();
        assert!(
            committed == feed.xml,
            "{} is stale: run gen_sample",
            feed.name
        );
    }
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert_eq!(
        readme,
        sample.readme(),
        "README.md is stale: run gen_sample"
    );
    let xml_files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|entry| {
            let path = entry.as_ref().unwrap().path();
            path.extension().is_some_and(|ext| ext == "xml")
        })
        .count();
    assert_eq!(xml_files, sample.feeds().len() + 1, "no extra XML files");
}

#[test]
fn sample_catalog_has_documented_counts() {
    let catalog = Catalog::from_dir(litres_testkit::sample_catalog_dir()).unwrap();
    let records = catalog.records();
    let count_type = |code: &str| {
        records
            .iter()
            .filter(|record| record.work_type.as_deref() == Some(code))
            .count()
    };
    assert_eq!(SAMPLE_BOOKS, 240);
    assert_eq!(count_type("0"), 149);
    assert_eq!(count_type("1"), 51);
    assert_eq!(count_type("4"), 24);
    assert_eq!(count_type("11"), 16);
    let removed: Vec<&str> = records
        .iter()
        .filter(|record| record.kind == RecordKind::Removed)
        .map(|record| record.art_id.as_str())
        .collect();
    assert_eq!(removed, ["70000001", "70000002"]);
    let text = |id: u64| {
        let id = (FIRST_ART_ID + id).to_string();
        let record = records.iter().find(|record| record.art_id == id).unwrap();
        String::from_utf8(record.bytes.to_vec()).unwrap()
    };
    assert!(text(3).contains("you_can_sell=\"0\""));
    assert!(text(8).contains("must_import=\"0\""));
    assert!(text(5).contains("<em>"));
}

#[test]
fn sample_covers_layout_cases() {
    let dir = litres_testkit::sample_catalog_dir();
    let mut all = String::new();
    for feed in catalog_gen::sample().feeds() {
        all.push_str(&std::fs::read_to_string(dir.join(&feed.name)).unwrap());
    }
    assert!(all.contains("<group value=\"Ознакомительный фрагмент\">"));
    assert!(all.contains("<file size=\""));
    assert!(all.contains("<![CDATA[<p>"));
    assert!(all.contains("master=\"1\""));
    assert!(all.contains("<relation>2</relation>"));
    assert!(all.contains("isbn=\"\""));
    assert!(all.contains("cover=\"\""));
    assert!(all.contains("url=\"\""));
    assert!(all.contains("<sequence name="));
    assert!(all.contains("number=\""));
    let genres = std::fs::read_to_string(dir.join("genres.xml")).unwrap();
    for id in ["8101", "8223", "8245"] {
        assert!(
            all.contains(&format!("<genre id=\"{id}\"")),
            "books use genre {id}"
        );
        assert!(genres.contains(&format!("id=\"{id}\"")));
    }
}
