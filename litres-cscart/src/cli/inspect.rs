//! `litres feed inspect`: print the records of a saved feed.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use litres_core::feed::{FeedItem, FeedReader};
use litres_core::model::{Book, Record};
use serde_json::json;

use super::CliError;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A saved get_fresh_book response (XML).
    file: PathBuf,
    /// Print one JSON object per record instead of a summary.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &InspectArgs) -> Result<ExitCode, CliError> {
    let file = File::open(&args.file).map_err(|error| {
        CliError::Usage(format!(
            "cannot open feed file {}: {error}",
            args.file.display()
        ))
    })?;
    let mut reader = FeedReader::new(BufReader::new(file));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut counts = Counts::default();
    for item in reader.by_ref() {
        let line = match item {
            Ok(FeedItem::Record(Record::Updated(book))) => {
                counts.updated += 1;
                describe_book(&book, args.json)
            }
            Ok(FeedItem::Record(Record::Removed(removed))) => {
                counts.removed += 1;
                if args.json {
                    json!({"kind": "removed", "art_id": removed.art_id}).to_string()
                } else {
                    format!("removed  {}", removed.art_id)
                }
            }
            Ok(FeedItem::Failed(error)) => {
                counts.failed += 1;
                if args.json {
                    json!({"kind": "error", "art_id": error.art_id(), "offset": error.offset(), "message": error.message()}).to_string()
                } else {
                    let art = error
                        .art_id()
                        .map(|id| id.to_string())
                        .unwrap_or_else(|| "unknown".into());
                    format!(
                        "error    {art} at byte {}: {}",
                        error.offset(),
                        error.message()
                    )
                }
            }
            Ok(other) => {
                counts.failed += 1;
                format!("unknown record kind: {other:?}")
            }
            Err(error) => {
                counts.failed += 1;
                if args.json {
                    json!({"kind": "error", "art_id": null, "offset": error.offset(), "message": error.to_string()}).to_string()
                } else {
                    format!("error    feed at byte {}: {error}", error.offset())
                }
            }
        };
        writeln!(out, "{line}")
            .map_err(|error| CliError::Failed(format!("cannot write output: {error}")))?;
    }
    if !args.json {
        let timestamp = reader
            .timestamp()
            .map(|time| time.to_string())
            .unwrap_or_else(|| "missing".into());
        let _ = writeln!(
            out,
            "{} updated, {} removed, {} failed; next checkpoint {timestamp}",
            counts.updated, counts.removed, counts.failed
        );
    }
    Ok(if counts.failed > 0 {
        ExitCode::from(super::EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Default)]
struct Counts {
    updated: u64,
    removed: u64,
    failed: u64,
}

fn describe_book(book: &Book, as_json: bool) -> String {
    if as_json {
        let mut value = serde_json::to_value(book).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("kind".into(), json!("updated"));
        }
        return value.to_string();
    }
    let authors: Vec<String> = book
        .authors
        .iter()
        .filter(|author| author.relation == litres_core::model::Author::RELATION_AUTHOR)
        .map(|author| author.full_name())
        .collect();
    format!(
        "updated  {} type {} «{}» by {} price {}{}",
        book.art_id,
        book.work_type,
        book.title,
        if authors.is_empty() {
            "-".to_owned()
        } else {
            authors.join(", ")
        },
        book.price,
        if book.is_sellable() {
            ""
        } else {
            " (not for sale)"
        }
    )
}
