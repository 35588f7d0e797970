//! The `spott` command: every Spott and Saleshandy operation from a shell,
//! bulk creation from CSV, the mock server and a demo. See `spott --help`
//! and the crate README; exit codes are in [`exit`].

#![forbid(unsafe_code)]

mod args;
mod bulk;
mod commands;
mod context;
#[cfg(feature = "mock")]
mod demo;
mod exit;
mod input;
mod interrupt;
mod output;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // One line; if stderr is gone too there is no one to tell.
            let _ = writeln!(std::io::stderr(), "error: {failure}");
            failure.exit_code()
        }
    }
}
