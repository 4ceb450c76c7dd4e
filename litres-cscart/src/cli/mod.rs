//! Command-line parsing and dispatch.

mod books;
mod config;
mod demo;
mod genres;
mod inspect;
mod link;
mod notify;
mod order;
mod output;
mod progress;
mod sandbox;
mod store;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Exit status when a record or window failed.
const EXIT_FAILED: u8 = 1;
/// Exit status for invalid settings or arguments, like clap's own.
const EXIT_USAGE: u8 = 2;

/// Imports the LitRes genre tree and catalog into a store.
#[derive(Debug, Parser)]
#[command(name = "litres", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Mirror the LitRes genre tree as store categories.
    Genres(GenresArgs),
    /// Import catalog changes window by window.
    Books(BooksArgs),
    /// Look into a saved catalog feed.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Serve a LitRes look-alike on loopback from a catalog directory.
    Sandbox(sandbox::SandboxArgs),
    /// Start the sandbox with the sample catalog and import it into
    /// litres-demo.db.
    Demo(demo::DemoArgs),
    /// Report the LitRes books of paid orders to LitRes.
    Notify(notify::NotifyArgs),
    /// Print a buyer download link for a book of a paid order.
    Link(link::LinkArgs),
    /// Add or show orders in the embedded database.
    #[command(subcommand)]
    Order(order::OrderCommand),
}

#[derive(Debug, Subcommand)]
enum FeedCommand {
    /// Parse a saved get_fresh_book response and print its records.
    Inspect(inspect::InspectArgs),
}

/// Options every command that talks to LitRes and a store takes.
#[derive(Debug, Clone, Args)]
struct CommonArgs {
    /// Settings file; default `litres.toml` when it exists. Each setting can
    /// be overridden by an environment variable such as LITRES_SECRET_KEY.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct GenresArgs {
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct BooksArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Work type to import (0 text, 1 audio, 4 PDF, 11 Adobe DRM, ...);
    /// default: every type of the `product_types` setting.
    #[arg(long = "type", value_name = "N")]
    work_type: Option<String>,
    /// Start at 00:00 Moscow time of this date instead of the checkpoint.
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// Window length in days (default 1).
    #[arg(long, value_name = "N", conflicts_with = "minutes")]
    days: Option<u32>,
    /// Window length in minutes.
    #[arg(long, value_name = "N")]
    minutes: Option<u32>,
    /// Import one book by its LitRes external id, outside any window.
    #[arg(long, value_name = "UUID", conflicts_with = "from")]
    uuid: Option<String>,
}

/// Parses the command line, runs the command and returns its exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    output::init_logging();
    let result = match cli.command {
        Command::Feed(FeedCommand::Inspect(args)) => inspect::run(&args),
        Command::Genres(args) => genres::run(&args),
        Command::Books(args) => books::run(&args),
        Command::Sandbox(args) => sandbox::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Notify(args) => notify::run(&args),
        Command::Link(args) => link::run(&args),
        Command::Order(command) => order::run(&command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// A failure that ends a command, with the exit status it maps to.
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// Settings or arguments are invalid.
    #[error("{0}")]
    Usage(String),
    /// The run started and failed.
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => EXIT_USAGE,
            Self::Failed(_) => EXIT_FAILED,
        }
    }
}

/// Builds the async runtime a command runs on.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| CliError::Failed(format!("could not start the async runtime: {error}")))
}
