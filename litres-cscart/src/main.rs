//! The `litres` command-line tool: LitRes catalog import into a store.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
