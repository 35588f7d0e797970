//! The workspace's build tool. Never a dependency of anything.

mod apis;
mod bench;
mod build_scaling;
mod cargo_features;
mod diff;
mod downstream_cost;
mod generate;
mod hooks;
mod httpmock_tests;
mod id_types;
mod media_types;
mod nullable_fields;
mod operation_table;
mod operation_types;
mod optional_derives;
mod pagination;
mod path_segments;
mod readme_table;
mod rust_types;
mod scale;
mod semver_check;
mod settings;
mod spec;
mod tag_features;
mod tag_files;

// glibc's allocator slows down as the generator's syntax trees grow (about a
// quarter of a 10x spec's generation was spent in malloc and free: see
// BENCHMARKS.md, "Generation"); mimalloc keeps the cost per allocation flat.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow};
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
    /// Check the diff's Rust verdict against cargo-semver-checks on its fixtures.
    SemverCheck(semver_check::Args),
}

/// The root of the workspace this command runs in, found at run time by
/// [`workspace_root::find_from_env`] (the binary may have been built in
/// another checkout sharing the target directory). Looked up once per
/// process.
fn workspace_root() -> Result<&'static Path> {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match ROOT.get_or_init(workspace_root::find_from_env) {
        Ok(root) => Ok(root),
        Err(message) => Err(anyhow!("{message}")),
    }
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Generate { check } => generate::run(workspace_root()?, check),
        Command::Diff(args) => {
            // Two named files need no workspace: outside one, the current
            // directory stands in for it (only to tell whether a file is
            // one of the APIs' specs, `spec/<api>.yaml`).
            let root = match (workspace_root(), &args.old) {
                (Ok(root), _) => root.to_path_buf(),
                (Err(_), Some(_)) => {
                    std::env::current_dir().context("reading the current directory")?
                }
                (Err(error), None) => return Err(error),
            };
            diff::run(&root, args)
        }
        Command::Bench(args) => bench::run(workspace_root()?, args),
        Command::SemverCheck(args) => semver_check::run(workspace_root()?, args),
    }
}
