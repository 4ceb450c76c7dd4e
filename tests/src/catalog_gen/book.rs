//! Inventing one book and writing it as an `updated-book` record in the
//! 2018 feed layout.

use std::fmt::Write;

use litres_core::MoscowTime;

use super::genres::GenreDef;
use super::rng::Rng;
use super::words;

/// Name of the file group that contains the trial fragment.
pub const TRIAL_GROUP: &str = "Ознакомительный фрагмент";

/// A case a record is made to cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    None,
    /// `you_can_sell="0"`.
    NotForSale,
    /// `must_import="0"`.
    MustNotImport,
    /// An annotation with an unclosed `<p>`.
    Broken,
}

/// What the catalog plan fixes for one book; the rest is invented.
pub(crate) struct BookPlan {
    pub art_id: u64,
    pub work_type: u8,
    pub updated: MoscowTime,
    pub special: Special,
}

struct Person {
    id: String,
    first: &'static str,
    middle: &'static str,
    last: &'static str,
    relation: u8,
}

struct SeriesRef {
    name: &'static str,
    uuid: String,
    number: Option<u64>,
}

enum Annotation {
    Markup(String),
    Cdata(String),
    Broken(String),
}

/// Everything invented about a book before it is written.
struct BookData<'a> {
    plan: &'a BookPlan,
    external_id: String,
    title: String,
    authors: Vec<Person>,
    series: Option<SeriesRef>,
    genres: Vec<&'static GenreDef>,
    annotation: Annotation,
    isbn: String,
    litres_isbn: String,
    cover: &'static str,
    price: u64,
    adult: u64,
    publisher: &'static str,
    year: u64,
    lang: &'static str,
}

/// Appends one `updated-book` record to `out`.
pub(crate) fn write_book(
    out: &mut String,
    plan: &BookPlan,
    leaves: &[&'static GenreDef],
    rng: &mut Rng,
) {
    let book = invent(plan, leaves, rng);
    write_start_tag(out, &book, rng);
    write_files(out, &book, rng);
    write_title_info(out, &book, rng);
    write_publish_info(out, &book, rng);
    write_genres(out, &book);
    write_annotation(out, &book.annotation);
    write_authors(out, &book);
    write_sequences(out, &book);
    out.push_str("</updated-book>\n");
}

fn invent<'a>(plan: &'a BookPlan, leaves: &[&'static GenreDef], rng: &mut Rng) -> BookData<'a> {
    let english = plan.work_type == 11;
    let mut genres = vec![rng.pick(leaves)];
    for _ in 0..rng.below(3) {
        let extra = rng.pick(leaves);
        if !genres.iter().any(|genre| genre.id == extra.id) {
            genres.push(extra);
        }
    }
    let series = rng.chance(40).then(|| {
        let index = rng.below(words::SERIES.len() as u64);
        SeriesRef {
            name: words::SERIES[index as usize],
            uuid: format!("5e71e500-0000-4000-8000-{index:012x}"),
            number: rng.chance(80).then(|| 1 + rng.below(9)),
        }
    });
    BookData {
        plan,
        external_id: rng.uuid(),
        title: invent_title(english, rng),
        authors: invent_authors(english, rng),
        series,
        genres,
        annotation: invent_annotation(plan, rng),
        isbn: invent_isbn(rng, 80),
        litres_isbn: invent_isbn(rng, 90),
        cover: rng.pick(&["jpg", "jpg", "jpg", "png", ""]),
        price: 49 + rng.below(850),
        adult: rng.pick(&[0, 6, 12, 16, 18]),
        publisher: rng.pick(words::PUBLISHERS),
        year: 2015 + rng.below(12),
        lang: if english { "en" } else { "ru" },
    }
}

fn invent_title(english: bool, rng: &mut Rng) -> String {
    if english {
        let adjective = rng.pick(words::ENGLISH_ADJECTIVES);
        let noun = rng.pick(words::ENGLISH_NOUNS);
        return format!("The {adjective} {noun}");
    }
    let adjective = rng.pick(words::ADJECTIVES);
    let noun = rng.pick(words::NOUNS);
    let tail = rng.pick(words::TAILS);
    format!("{adjective} {noun}{tail}")
}

fn invent_authors(english: bool, rng: &mut Rng) -> Vec<Person> {
    let mut authors = Vec::new();
    for _ in 0..1 + rng.below(2) {
        authors.push(invent_person(english, rng));
    }
    if rng.chance(50) {
        let index = rng.below(words::AGENTS.len() as u64);
        authors.push(Person {
            id: format!("a6e47000-0000-4000-8000-{index:012x}"),
            first: "",
            middle: "",
            last: words::AGENTS[index as usize],
            relation: 2,
        });
    }
    authors
}

fn invent_person(english: bool, rng: &mut Rng) -> Person {
    if english {
        let index = rng.below(words::ENGLISH_NAMES.len() as u64);
        let (first, last) = words::ENGLISH_NAMES[index as usize];
        return Person {
            id: format!("a0e00000-0000-4000-8000-{index:012x}"),
            first,
            middle: "",
            last,
            relation: 0,
        };
    }
    let first = rng.below(words::FIRST_NAMES.len() as u64);
    let last = rng.below(words::LAST_NAMES.len() as u64);
    let middle = rng.pick(words::MIDDLE_NAMES);
    Person {
        id: format!("a0a00000-0000-4000-8000-{:06x}{:06x}", first, last),
        first: words::FIRST_NAMES[first as usize],
        middle,
        last: words::LAST_NAMES[last as usize],
        relation: 0,
    }
}

fn invent_annotation(plan: &BookPlan, rng: &mut Rng) -> Annotation {
    let first = rng.pick(words::SENTENCES);
    let second = rng.pick(words::SENTENCES);
    if plan.special == Special::Broken {
        return Annotation::Broken(format!("<p>{first} <em>{second}</p>"));
    }
    if plan.art_id % 3 == 0 {
        Annotation::Cdata(format!("<p>{first}</p><p>{second}</p>"))
    } else {
        Annotation::Markup(format!("<p>{first}</p><p><strong>{second}</strong></p>"))
    }
}

fn invent_isbn(rng: &mut Rng, percent_present: u64) -> String {
    if !rng.chance(percent_present) {
        return String::new();
    }
    format!(
        "978-5-{:04}-{:04}-{}",
        rng.below(10_000),
        rng.below(10_000),
        rng.below(10)
    )
}

fn write_start_tag(out: &mut String, book: &BookData, rng: &mut Rng) {
    let plan = book.plan;
    let created = plan.updated - chrono::Duration::days(1 + rng.below(400) as i64);
    let you_can_sell = u8::from(plan.special != Special::NotForSale);
    let must_import = u8::from(plan.special != Special::MustNotImport);
    let url = if rng.chance(85) {
        format!("sandbox-author/book-{}/", plan.art_id)
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "<updated-book id=\"{id}\" created=\"{created}\" updated=\"{updated}\" \
         must_import=\"{must_import}\" price=\"{price}.00\" you_can_sell=\"{you_can_sell}\" \
         file_id=\"{file_id}\" external_id=\"{external_id}\" cover=\"{cover}\" type=\"{work_type}\" \
         litres_isbn=\"{litres_isbn}\" first_time_sale=\"{created}\" adult=\"{adult}\" \
         available=\"1\" available_date=\"{created}\" lang=\"{lang}\" publisher=\"{publisher}\" \
         date_written_s=\"{year}\" isbn=\"{isbn}\" chars=\"{chars}\" url=\"{url}\">",
        id = plan.art_id,
        updated = plan.updated,
        price = book.price,
        file_id = plan.art_id * 3 + 11,
        external_id = book.external_id,
        cover = book.cover,
        work_type = plan.work_type,
        litres_isbn = book.litres_isbn,
        adult = book.adult,
        lang = book.lang,
        publisher = book.publisher,
        year = book.year,
        isbn = book.isbn,
        chars = 100_000 + rng.below(900_000),
    );
}

fn write_files(out: &mut String, book: &BookData, rng: &mut Rng) {
    out.push_str("<files>");
    match book.plan.work_type {
        1 => write_groups(out, book, rng, "mp3", "audio/mpeg", "Стандартное качество"),
        4 => write_groups(out, book, rng, "pdf", "application/pdf", "Полная версия"),
        11 => {
            for format in ["epub", "a4.pdf"] {
                let size = 200_000 + rng.below(2_000_000);
                let _ = write!(out, "<file size=\"{size}\" type=\"{format}\"/>");
            }
        }
        _ => {
            const FORMATS: &[&str] = &[
                "html", "html.zip", "txt", "txt.zip", "rtf.zip", "a4.pdf", "a6.pdf", "mobi.prc",
                "epub", "ios.epub", "fb3",
            ];
            let _ = write!(
                out,
                "<file size=\"{}\" type=\"fb2.zip\"/>",
                100_000 + rng.below(900_000)
            );
            for format in FORMATS {
                if rng.chance(70) {
                    let size = 100_000 + rng.below(1_500_000);
                    let _ = write!(out, "<file size=\"{size}\" type=\"{format}\"/>");
                }
            }
        }
    }
    out.push_str("</files>");
}

fn write_groups(
    out: &mut String,
    book: &BookData,
    rng: &mut Rng,
    extension: &str,
    mime_type: &str,
    full_group: &str,
) {
    let art_id = book.plan.art_id;
    let _ = write!(
        out,
        "<group value=\"{TRIAL_GROUP}\"><file id=\"{}\" filename=\"trial_{art_id}.{extension}\" \
         mime_type=\"{mime_type}\" size=\"{}\"/></group>",
        art_id * 100,
        100_000 + rng.below(900_000)
    );
    let _ = write!(out, "<group value=\"{full_group}\">");
    let parts = if extension == "mp3" {
        2 + rng.below(5)
    } else {
        1
    };
    for part in 1..=parts {
        let _ = write!(
            out,
            "<file id=\"{}\" filename=\"part_{part:02}.{extension}\" mime_type=\"{mime_type}\" size=\"{}\"/>",
            art_id * 100 + part,
            1_000_000 + rng.below(30_000_000)
        );
    }
    out.push_str("</group>");
}

fn write_title_info(out: &mut String, book: &BookData, rng: &mut Rng) {
    out.push_str("<title-info>");
    for genre in &book.genres {
        let _ = write!(out, "<genre>{}</genre>", genre.token);
    }
    for author in book.authors.iter().filter(|author| author.relation == 0) {
        write_person(out, "author", author);
    }
    let _ = write!(
        out,
        "<book-title title=\"{title}\">{title}</book-title>",
        title = book.title
    );
    write_annotation(out, &book.annotation);
    let first = rng.pick(words::KEYWORDS);
    let second = rng.pick(words::KEYWORDS);
    let _ = write!(
        out,
        "<keywords>{first},{second}</keywords><date value=\"{year}-01-01\">{year}</date><lang>{lang}</lang>",
        year = book.year,
        lang = book.lang
    );
    if let Some(series) = &book.series {
        write_series(out, series, false);
    }
    if book.plan.work_type == 1 {
        let reader = invent_person(false, rng);
        write_person(out, "reader", &reader);
    }
    out.push_str("</title-info>");
}

fn write_person(out: &mut String, element: &str, person: &Person) {
    let _ = write!(
        out,
        "<{element}><first-name>{}</first-name><middle-name>{}</middle-name>\
         <last-name>{}</last-name><id>{}</id></{element}>",
        person.first, person.middle, person.last, person.id
    );
}

fn write_series(out: &mut String, series: &SeriesRef, with_uuid: bool) {
    let _ = write!(out, "<sequence name=\"{}\"", series.name);
    if with_uuid {
        let _ = write!(out, " uuid=\"{}\"", series.uuid);
    }
    if let Some(number) = series.number {
        let _ = write!(out, " number=\"{number}\"");
    }
    out.push_str("/>");
}

fn write_publish_info(out: &mut String, book: &BookData, rng: &mut Rng) {
    let city = rng.pick(words::CITIES);
    let _ = write!(
        out,
        "<publish-info><book-name>{}</book-name><publisher>{}</publisher><city>{city}</city>\
         <year>{}</year><isbn>{}</isbn></publish-info>",
        book.title, book.publisher, book.year, book.isbn
    );
}

fn write_genres(out: &mut String, book: &BookData) {
    out.push_str("<genres>");
    for (index, genre) in book.genres.iter().enumerate() {
        let _ = write!(
            out,
            "<genre id=\"{}\" title=\"{}\" master=\"{}\"/>",
            genre.id,
            genre.title,
            u8::from(index == 0)
        );
    }
    out.push_str("</genres>");
}

fn write_annotation(out: &mut String, annotation: &Annotation) {
    match annotation {
        Annotation::Markup(text) | Annotation::Broken(text) => {
            let _ = write!(out, "<annotation>{text}</annotation>");
        }
        Annotation::Cdata(text) => {
            let _ = write!(out, "<annotation><![CDATA[{text}]]></annotation>");
        }
    }
}

fn write_authors(out: &mut String, book: &BookData) {
    out.push_str("<authors>");
    for author in &book.authors {
        let _ = write!(
            out,
            "<author id=\"{}\"><first-name>{}</first-name><middle-name>{}</middle-name>\
             <last-name>{}</last-name><lvl>{}</lvl><relation>{}</relation></author>",
            author.id,
            author.first,
            author.middle,
            author.last,
            if author.relation == 0 { 3 } else { 1 },
            author.relation
        );
    }
    out.push_str("</authors>");
}

fn write_sequences(out: &mut String, book: &BookData) {
    out.push_str("<sequences>");
    if let Some(series) = &book.series {
        write_series(out, series, true);
    }
    out.push_str("</sequences>");
}
