//! `litres sandbox`: serve a LitRes look-alike on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use litres_testkit::sandbox::{Sandbox, SandboxConfig};

use super::CliError;

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Catalog directory: fb-updates XML files and genres.xml. Default: the
    /// bundled sample catalog.
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
    /// Loopback address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Milliseconds a partner must wait between two requests, like the
    /// LitRes limit of one request per second.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    min_request_interval_ms: u64,
    /// Stop after this many seconds; default: run until interrupted.
    #[arg(long, value_name = "SECONDS")]
    stop_after: Option<u64>,
}

pub fn run(args: &SandboxArgs) -> Result<ExitCode, CliError> {
    let catalog = args
        .catalog
        .clone()
        .unwrap_or_else(litres_testkit::sample_catalog_dir);
    let config = SandboxConfig::new()
        .with_addr(args.addr)
        .with_catalog_dir(&catalog)
        .with_min_request_interval(Duration::from_millis(args.min_request_interval_ms));
    super::runtime()?.block_on(async {
        let sandbox = Sandbox::start(config).await.map_err(|error| {
            CliError::Usage(format!(
                "cannot start the sandbox with catalog {}: {error}",
                catalog.display()
            ))
        })?;
        println!("LitRes sandbox serving {}", catalog.display());
        println!("  base_url   = \"{}\"", sandbox.base_url());
        println!("  partner_id = \"{}\"", sandbox.partner_id());
        println!("  secret_key = \"{}\"", sandbox.secret_key().expose());
        println!(
            "  notification_secret_key = \"{}\"",
            sandbox.notification_key().expose()
        );
        println!("Put these in litres.toml to import from the sandbox. Stop with Ctrl-C.");
        match args.stop_after {
            Some(seconds) => tokio::time::sleep(Duration::from_secs(seconds)).await,
            None => {
                tokio::signal::ctrl_c().await.map_err(|error| {
                    CliError::Failed(format!("cannot wait for Ctrl-C: {error}"))
                })?;
            }
        }
        sandbox.shutdown().await;
        Ok(ExitCode::SUCCESS)
    })
}
