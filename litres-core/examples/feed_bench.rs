//! Measures the feed parser against a plain quick-xml pass.
//!
//! ```text
//! cargo run --release -p litres-core --example feed_bench [-- SIZE_MB]
//! ```
//!
//! Generates a feed of about SIZE_MB megabytes (default 100) in the temp
//! folder by repeating invented records with fresh art ids. Then reports
//! the throughput of (a) a plain quick-xml event pass over the file and
//! (b) `FeedReader` with annotation sanitizing, and the ratio. Last, it
//! reads a 10 MB and the SIZE_MB feed in child processes and prints
//! each child's peak resident memory (`VmHWM`, Linux only), to show that
//! memory does not grow with the feed.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use litres_core::feed::{FeedItem, FeedReader};
use quick_xml::events::Event;
use quick_xml::Reader;

const MIB: u64 = 1024 * 1024;

/// One invented record; `{ID}` is replaced by a fresh art id.
const RECORD: &str = r#"<updated-book id="{ID}" created="2020-01-01 10:00:00" updated="2020-02-01 09:30:00" must_import="1" options="70" price="149.90" you_can_sell="1" allow_read="0" has_trial="4" external_id="aaaaaaaa-0000-4000-8000-{ID}" cover="jpg" type="0" litres_isbn="978-0-00-000001-1" adult="12" publisher="Издательство Пример" lang="ru" isbn="978-0-00-000001-2" chars="284649" url="primer/kniga-{ID}/"><files><file size="452166" type="fb2.zip"/><file size="316250" type="html"/><file size="426777" type="html.zip"/><file size="290632" type="txt"/><file size="119106" type="txt.zip"/><file size="466691" type="rtf.zip"/><file size="874653" type="a4.pdf"/><file size="988177" type="a6.pdf"/><file size="956686" type="mobi.prc"/><file size="1361360" type="epub"/></files> <title-info> <genre>detective</genre> <author><first-name>Иван</first-name><middle-name>Петрович</middle-name><last-name>Образцов</last-name></author><book-title>Пример книги номер {ID}</book-title> <annotation><p>Это выдуманная аннотация для замера скорости разбора. В ней несколько абзацев обычного текста, <emphasis>выделение</emphasis> и <strong>жирный шрифт</strong>, как в настоящих записях каталога.</p><empty-line/><p>Второй абзац рассказывает о сюжете: герой едет в маленький город, встречает старых знакомых и узнаёт, что за десять лет там изменилось всё, кроме вокзала и реки. Текст нужен только для объёма.</p><p>Третий абзац – короткий.</p></annotation> <keywords>пример,замер,каталог</keywords><date value="2015-01-01">2015</date><lang>ru</lang> <sequence name="Серия для замера"/></title-info> <document-info> <author> <nickname>bench</nickname> </author> <program-used>none</program-used> <date value="2015-06-24">2015-06-24</date> <id>aaaaaaaa-0000-4000-8000-{ID}</id> <version>1.0</version> </document-info> <publish-info> <book-name>Пример книги</book-name> <publisher>Издательство Пример</publisher> <city>Москва</city> <year>2015</year> <isbn>978-0-00-000001-2</isbn> </publish-info> <in_genre id="201" title="Современные детективы" priority="50"/><authors><author id="person-1"><subject_id>1</subject_id><url>ivan-obrazcov/</url><first-name>Иван</first-name><middle-name>Петрович</middle-name><last-name>Образцов</last-name><lvl>3</lvl><relation>0</relation></author><author id="person-2"><first-name></first-name><middle-name></middle-name><last-name>Литагент «Пример»</last-name><lvl>1</lvl><relation>2</relation></author></authors><sequences><sequence name="Серия для замера" uuid="bbbbbbbb-0000-4000-8000-000000000001" /></sequences></updated-book>
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, path] = args.as_slice() {
        if flag == "--read-only" {
            return read_only(Path::new(path));
        }
    }
    let size_mb: u64 = match args.first() {
        Some(text) => text
            .parse()
            .map_err(|_| format!("invalid SIZE_MB {text:?}: expected a whole number"))?,
        None => 100,
    };

    let big = temp_path(size_mb);
    let small = temp_path(10);
    let result = run(size_mb, &big, &small);
    let _ = std::fs::remove_file(&big);
    let _ = std::fs::remove_file(&small);
    result
}

fn run(size_mb: u64, big: &Path, small: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let records = generate(big, size_mb * MIB)?;
    generate(small, 10 * MIB)?;
    let bytes = std::fs::metadata(big)?.len();
    println!(
        "feed: {:.1} MB, {records} records, {} bytes per record",
        bytes as f64 / MIB as f64,
        bytes / records
    );

    // Best of three runs each, so a cold page cache does not count.
    let mut plain = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..3 {
        plain.push(timed(|| plain_pass(big))?);
        ours.push(timed(|| feed_pass(big))?);
    }
    let mb = bytes as f64 / MIB as f64;
    report("CPU time", mb, &plain, &ours, |timing| timing.cpu);
    report("wall time", mb, &plain, &ours, |timing| timing.wall);

    for path in [small, big] {
        let output = Command::new(std::env::current_exe()?)
            .arg("--read-only")
            .arg(path)
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "child reading {} failed: {}",
                path.display(),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        let size = std::fs::metadata(path)?.len() as f64 / MIB as f64;
        print!(
            "{size:.0} MB feed: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    Ok(())
}

/// Seconds one pass took.
struct Timing {
    /// Wall-clock seconds.
    wall: f64,
    /// Seconds this process was on a CPU, which other load on the machine
    /// affects less than wall time.
    cpu: f64,
}

fn timed(
    pass: impl FnOnce() -> Result<(), Box<dyn std::error::Error>>,
) -> Result<Timing, Box<dyn std::error::Error>> {
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    pass()?;
    Ok(Timing {
        wall: start.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - cpu_start,
    })
}

/// Prints the best run of each pass by one clock, and the ratio.
fn report(clock: &str, mb: f64, plain: &[Timing], ours: &[Timing], pick: fn(&Timing) -> f64) {
    let best = |runs: &[Timing]| runs.iter().map(pick).fold(f64::MAX, f64::min);
    let plain_best = best(plain);
    let ours_best = best(ours);
    println!(
        "by {clock}: plain quick-xml pass {:.0} MB/s, FeedReader {:.0} MB/s, ratio {:.0}%",
        mb / plain_best,
        mb / ours_best,
        100.0 * plain_best / ours_best
    );
}

/// Returns the CPU time of this process from `/proc/self/schedstat`
/// (nanoseconds on a CPU, Linux only), or 0 where that file is missing.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let nanos: u64 = stat
        .split_whitespace()
        .next()
        .and_then(|field| field.parse().ok())
        .unwrap_or(0);
    nanos as f64 / 1e9
}

fn temp_path(size_mb: u64) -> PathBuf {
    std::env::temp_dir().join(format!(
        "litres-feed-bench-{}-{size_mb}mb.xml",
        std::process::id()
    ))
}

/// Writes a feed of at least `target` bytes and returns its record count.
fn generate(path: &Path, target: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::new(File::create(path)?);
    let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                  <fb-updates timestamp=\"2020-02-03 04:05:06\">\n";
    out.write_all(header.as_bytes())?;
    let mut written = header.len() as u64;
    let mut records = 0;
    while written < target {
        let record = RECORD.replace("{ID}", &format!("{:012}", 100_000_000 + records));
        out.write_all(record.as_bytes())?;
        written += record.len() as u64;
        records += 1;
    }
    out.write_all(b"</fb-updates>\n")?;
    out.flush()?;
    Ok(records)
}

/// Reads every event of the file with quick-xml.
fn plain_pass(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, File::open(path)?));
    let mut buf = Vec::new();
    let mut events = 0u64;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Eof => break,
            _ => events += 1,
        }
        buf.clear();
    }
    std::hint::black_box(events);
    Ok(())
}

/// Reads the file with `FeedReader`; every record must parse.
fn feed_pass(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (records, failed) = count_items(path)?;
    if failed > 0 {
        return Err(format!("{failed} of {records} records failed").into());
    }
    Ok(())
}

fn count_items(path: &Path) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let mut records = 0;
    let mut failed = 0;
    for item in FeedReader::new(File::open(path)?) {
        match item? {
            FeedItem::Record(record) => {
                std::hint::black_box(record);
                records += 1;
            }
            _ => failed += 1,
        }
    }
    Ok((records, failed))
}

/// Child mode: reads one feed and prints the process's peak memory.
fn read_only(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (records, failed) = count_items(path)?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .map(|line| line.trim_start_matches("VmHWM:").trim().to_owned())
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_owned());
    println!("{records} records, {failed} failed, peak RSS {peak}");
    Ok(())
}
