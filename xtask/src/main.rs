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
use std::process;
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

/// The variable that, when set, names the workspace root outright.
const ROOT_OVERRIDE: &str = "CARGO_WORKSPACE_DIR";

/// The root of the workspace this command runs in, found at run time (the
/// binary may have been built in another checkout sharing the target
/// directory): `CARGO_WORKSPACE_DIR` if set, else what
/// `cargo locate-project --workspace` says for the current directory, else
/// the nearest directory at or above it whose `Cargo.toml` has a
/// `[workspace]` table. Looked up once per process.
fn workspace_root() -> Result<&'static Path> {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match ROOT.get_or_init(find_workspace_root) {
        Ok(root) => Ok(root),
        Err(message) => Err(anyhow!("{message}")),
    }
}

fn find_workspace_root() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os(ROOT_OVERRIDE) {
        let dir = PathBuf::from(dir);
        return if is_workspace_manifest(&dir.join("Cargo.toml")) {
            Ok(dir)
        } else {
            Err(format!(
                "{ROOT_OVERRIDE} is set to {}, which has no Cargo.toml with a [workspace] table",
                dir.display()
            ))
        };
    }
    let cwd = std::env::current_dir().map_err(|e| {
        format!("cannot find the workspace root: reading the current directory: {e}")
    })?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let located = process::Command::new(&cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .current_dir(&cwd)
        .output();
    let cargo = Path::new(&cargo).display();
    let why_not = match located {
        Ok(output) if output.status.success() => {
            let manifest = String::from_utf8_lossy(&output.stdout);
            match Path::new(manifest.trim()).parent() {
                Some(root) if root.is_absolute() => return Ok(root.to_path_buf()),
                _ => format!("`{cargo} locate-project --workspace` printed {manifest:?}"),
            }
        }
        Ok(output) => format!(
            "`{cargo} locate-project --workspace` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(e) => format!("`{cargo} locate-project --workspace` could not run: {e}"),
    };
    if let Some(root) = cwd
        .ancestors()
        .find(|dir| is_workspace_manifest(&dir.join("Cargo.toml")))
    {
        return Ok(root.to_path_buf());
    }
    Err(format!(
        "cannot find the workspace root: {ROOT_OVERRIDE} is not set; {why_not}; \
         and neither {} nor any directory above it has a Cargo.toml with a [workspace] table",
        cwd.display()
    ))
}

/// Whether `manifest` exists and declares a `[workspace]` table.
fn is_workspace_manifest(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest).is_ok_and(|text| {
        text.lines()
            .any(|line| line.split('#').next().unwrap_or_default().trim() == "[workspace]")
    })
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
