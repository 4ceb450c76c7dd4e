//! A deterministic generator of invented LitRes catalogs: a genre tree and
//! `fb-updates` feed files in the 2018 layout.
//!
//! The same book count and seed always give the same bytes, whatever the
//! platform or crate versions, because the generator uses its own
//! random number generator. The bundled sample catalog is
//! [`sample`]'s output; benchmarks use [`generate`] with large counts.
//!
//! ```
//! let catalog = litres_testkit::catalog_gen::generate(50, 7);
//! assert_eq!(catalog.summary().books, 50);
//! assert!(catalog.feeds().len() > 1);
//! ```

mod book;
mod genres;
mod readme;
mod rng;
mod words;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use litres_core::MoscowTime;

pub use book::TRIAL_GROUP;
use book::{BookPlan, Special};
use rng::Rng;

/// Book count of the bundled sample catalog.
pub const SAMPLE_BOOKS: usize = 240;

/// Seed of the bundled sample catalog.
pub const SAMPLE_SEED: u64 = 20_261_120;

/// First art id of generated books; book `i` has art id `FIRST_ART_ID + i`.
pub const FIRST_ART_ID: u64 = 70_000_000;

/// Days the `updated` times of a generated catalog spread over, starting
/// 2026-11-20 00:00:00 Moscow time. Each day is one feed file.
pub const DAYS: i64 = 7;

/// One generated `fb-updates` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFile {
    /// File name, such as `fb-updates-2026-11-20.xml`.
    pub name: String,
    /// The `fb-updates/@timestamp` of the file: the end of its day.
    pub timestamp: MoscowTime,
    /// Number of `updated-book` records.
    pub books: usize,
    /// Number of `removed-book` records.
    pub removed: usize,
    /// The document.
    pub xml: Vec<u8>,
}

/// Counts of what a generated catalog contains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogSummary {
    /// `updated-book` records.
    pub books: usize,
    /// Books of each type, as `(type, count)` for types 0, 1, 4 and 11.
    pub by_type: Vec<(u8, usize)>,
    /// `removed-book` records.
    pub removed: usize,
    /// Books with `you_can_sell="0"`.
    pub not_for_sale: usize,
    /// Books with `must_import="0"`.
    pub must_not_import: usize,
    /// Records with an annotation that is not well-formed.
    pub broken: usize,
    /// Art ids of the special records, for tests: not for sale, must not
    /// import, broken, and the two removed books.
    pub special_art_ids: SpecialArtIds,
}

/// Art ids of the records that cover special cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpecialArtIds {
    /// The book with `you_can_sell="0"`.
    pub not_for_sale: Option<u64>,
    /// The book with `must_import="0"`.
    pub must_not_import: Option<u64>,
    /// The book whose annotation is not well-formed.
    pub broken: Option<u64>,
    /// The removed books, in feed order.
    pub removed: Vec<u64>,
}

/// A generated catalog: the genre tree and the feed files, in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCatalog {
    genres_xml: Vec<u8>,
    feeds: Vec<FeedFile>,
    summary: CatalogSummary,
}

impl GeneratedCatalog {
    /// Returns the `genres_list_2` document.
    pub fn genres_xml(&self) -> &[u8] {
        &self.genres_xml
    }

    /// Returns the feed files, oldest day first.
    pub fn feeds(&self) -> &[FeedFile] {
        &self.feeds
    }

    /// Returns the counts.
    pub fn summary(&self) -> &CatalogSummary {
        &self.summary
    }

    /// Returns a README that describes what each file covers.
    pub fn readme(&self) -> String {
        readme::render(self)
    }

    /// Writes `genres.xml`, the feed files and `README.md` into `dir`,
    /// creating it if needed. A sandbox can serve the directory as is.
    ///
    /// # Errors
    ///
    /// The I/O error of the first file that cannot be written.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> std::io::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("genres.xml"), &self.genres_xml)?;
        for feed in &self.feeds {
            std::fs::write(dir.join(&feed.name), &feed.xml)?;
        }
        std::fs::write(dir.join("README.md"), self.readme())
    }
}

/// Returns the bundled sample catalog: [`SAMPLE_BOOKS`] books from
/// [`SAMPLE_SEED`].
pub fn sample() -> GeneratedCatalog {
    generate(SAMPLE_BOOKS, SAMPLE_SEED)
}

/// Generates `books` invented books over [`DAYS`] days, one feed file per
/// day that has books.
///
/// Types are drawn as about 60% type 0, 20% type 1, 10% type 4 and 10%
/// type 11. Book 3 is not for sale, book 5 has a broken annotation and
/// book 8 must not be imported (when the catalog is that large). Book 1 is
/// removed with an `updated` time after a quarter of the books, and book 2
/// without one after three quarters.
pub fn generate(books: usize, seed: u64) -> GeneratedCatalog {
    let mut rng = Rng::new(seed);
    let leaves = genres::leaves();
    let start = sample_start();
    let span = DAYS * 86_400;
    let slot = (span / books.max(1) as i64).max(1);
    let mut builder = FeedBuilder::new(start);
    for index in 0..books {
        let offset =
            (index as i64 * span / books as i64 + rng.below(slot as u64) as i64).min(span - 1);
        let plan = BookPlan {
            art_id: FIRST_ART_ID + index as u64,
            work_type: pick_type(&mut rng),
            updated: start + Duration::seconds(offset),
            special: special_of(index),
        };
        builder.add_book(&plan, &leaves, &mut rng);
        if books >= 4 && index == books / 4 {
            builder.add_removed(FIRST_ART_ID + 1, Some(plan.updated));
        }
        if books >= 4 && index == books * 3 / 4 {
            builder.add_removed(FIRST_ART_ID + 2, None);
        }
    }
    builder.finish()
}

fn sample_start() -> MoscowTime {
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    MoscowTime::start_of_day(date)
}

fn pick_type(rng: &mut Rng) -> u8 {
    match rng.below(10) {
        0..=5 => 0,
        6 | 7 => 1,
        8 => 4,
        _ => 11,
    }
}

fn special_of(index: usize) -> Special {
    match index {
        3 => Special::NotForSale,
        5 => Special::Broken,
        8 => Special::MustNotImport,
        _ => Special::None,
    }
}

/// Collects records into one file per day.
struct FeedBuilder {
    start: MoscowTime,
    feeds: Vec<FeedFile>,
    current: String,
    summary: CatalogSummary,
}

impl FeedBuilder {
    fn new(start: MoscowTime) -> Self {
        let summary = CatalogSummary {
            by_type: vec![(0, 0), (1, 0), (4, 0), (11, 0)],
            ..CatalogSummary::default()
        };
        Self {
            start,
            feeds: Vec::new(),
            current: String::new(),
            summary,
        }
    }

    fn add_book(&mut self, plan: &BookPlan, leaves: &[&'static genres::GenreDef], rng: &mut Rng) {
        self.open_day(plan.updated);
        book::write_book(&mut self.current, plan, leaves, rng);
        self.count(plan);
        if let Some(feed) = self.feeds.last_mut() {
            feed.books += 1;
        }
    }

    fn add_removed(&mut self, art_id: u64, updated: Option<MoscowTime>) {
        let _ = match updated {
            Some(time) => writeln!(
                self.current,
                "<removed-book id=\"{art_id}\" updated=\"{time}\"/>"
            ),
            None => writeln!(self.current, "<removed-book id=\"{art_id}\"/>"),
        };
        self.summary.removed += 1;
        self.summary.special_art_ids.removed.push(art_id);
        if let Some(feed) = self.feeds.last_mut() {
            feed.removed += 1;
        }
    }

    fn count(&mut self, plan: &BookPlan) {
        let summary = &mut self.summary;
        summary.books += 1;
        if let Some(entry) = summary
            .by_type
            .iter_mut()
            .find(|(code, _)| *code == plan.work_type)
        {
            entry.1 += 1;
        }
        let ids = &mut summary.special_art_ids;
        match plan.special {
            Special::NotForSale => {
                summary.not_for_sale += 1;
                ids.not_for_sale = Some(plan.art_id);
            }
            Special::MustNotImport => {
                summary.must_not_import += 1;
                ids.must_not_import = Some(plan.art_id);
            }
            Special::Broken => {
                summary.broken += 1;
                ids.broken = Some(plan.art_id);
            }
            Special::None => {}
        }
    }

    /// Starts the file of `updated`'s day when it is not the open one.
    fn open_day(&mut self, updated: MoscowTime) {
        let day = (updated.naive() - self.start.naive()).num_days();
        let day_start = self.start + Duration::days(day);
        let name = format!("fb-updates-{}.xml", day_start.naive().format("%Y-%m-%d"));
        if self.feeds.last().is_some_and(|feed| feed.name == name) {
            return;
        }
        self.close_file();
        let timestamp = day_start + Duration::days(1);
        self.current = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fb-updates timestamp=\"{timestamp}\">\n"
        );
        self.feeds.push(FeedFile {
            name,
            timestamp,
            books: 0,
            removed: 0,
            xml: Vec::new(),
        });
    }

    fn close_file(&mut self) {
        if let Some(feed) = self.feeds.last_mut() {
            if feed.xml.is_empty() {
                self.current.push_str("</fb-updates>\n");
                feed.xml = std::mem::take(&mut self.current).into_bytes();
            }
        }
    }

    fn finish(mut self) -> GeneratedCatalog {
        self.close_file();
        GeneratedCatalog {
            genres_xml: genres::tree_xml().into_bytes(),
            feeds: self.feeds,
            summary: self.summary,
        }
    }
}
