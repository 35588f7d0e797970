//! The workspace's build tool. Never a dependency of anything.

mod apis;
mod bench;
mod diff;
mod generate;
mod rust_types;
mod settings;
mod spec;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate and check the API client crates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate every client crate from spec/.
    Generate {
        /// Do not write: fail with a diff if the committed code is stale.
        #[arg(long)]
        check: bool,
    },
    /// Compare two versions of a spec and classify every change.
    Diff(diff::Args),
    /// Run every benchmark and write BENCHMARKS.md.
    Bench(bench::Args),
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Generate { check } => generate::run(&workspace_root(), check),
        Command::Diff(args) => diff::run(&workspace_root(), args),
        Command::Bench(args) => bench::run(&workspace_root(), args),
    }
}
