//! Getting a crate's rustdoc JSON: one `cargo doc` run for the packages
//! asked for, and reading its output with the format check.
//!
//! The JSON output is unstable; `RUSTC_BOOTSTRAP=1` turns it on with the
//! stable toolchain, as tools in the field do, so no nightly is needed.
//! The run gets its own target directory: the `cargo test` that runs the
//! snapshot test holds the lock on the workspace's, and the bootstrap
//! variable would make the two fight over the same artifacts anyway.

use std::path::{Path, PathBuf};
use std::process::Command;

use rustdoc_types::{Crate, FORMAT_VERSION};
use serde::Deserialize;

/// What can go wrong getting or reading rustdoc JSON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `cargo` could not be started.
    #[error("could not run cargo: {0}")]
    Spawn(#[source] std::io::Error),
    /// `cargo doc` failed; its own messages went to stderr.
    #[error("cargo doc for {packages} failed with {status}")]
    Cargo {
        /// The packages asked for, joined with spaces.
        packages: String,
        /// How cargo exited.
        status: std::process::ExitStatus,
    },
    /// The JSON file could not be read.
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not rustdoc JSON of the format this crate reads.
    #[error("{}: rustdoc JSON format {found}, but this build reads format {expected}: use the rustdoc-types version whose FORMAT_VERSION is {found}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The format the file declares.
        found: u32,
        /// [`rustdoc_types::FORMAT_VERSION`].
        expected: u32,
    },
    /// The file is not JSON of the expected shape.
    #[error("{}: not rustdoc JSON: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
}

/// Runs `cargo doc --no-deps` for `packages` of the workspace at
/// `workspace` with rustdoc's JSON output, their default features, into
/// `target_dir`, and returns each package's JSON file, in order.
pub fn rustdoc_json(
    workspace: &Path,
    packages: &[&str],
    target_dir: &Path,
) -> Result<Vec<PathBuf>, Error> {
    run_rustdoc(workspace, packages, &[], target_dir)
}

/// [`rustdoc_json`] of one `package` with its default features off and
/// only `features` on: what a user who turns on only some tags sees.
pub fn rustdoc_json_with_features(
    workspace: &Path,
    package: &str,
    features: &[&str],
    target_dir: &Path,
) -> Result<PathBuf, Error> {
    let features = features.join(",");
    let arguments = ["--no-default-features", "--features", features.as_str()];
    let mut files = run_rustdoc(workspace, &[package], &arguments, target_dir)?;
    Ok(files.remove(0))
}

/// `cargo doc` of `packages` with `arguments` added, into `target_dir`.
fn run_rustdoc(
    workspace: &Path,
    packages: &[&str],
    arguments: &[&str],
    target_dir: &Path,
) -> Result<Vec<PathBuf>, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args(["doc", "--no-deps", "--locked"])
        .env("RUSTC_BOOTSTRAP", "1")
        // Flags of the outer build (`-D warnings` for the docs step) are
        // not this run's business; the encoded form would win over ours.
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .env_remove("CARGO_ENCODED_RUSTDOCFLAGS")
        .env("CARGO_TARGET_DIR", target_dir);
    for package in packages {
        command.args(["-p", package]);
    }
    command.args(arguments);
    let status = command.status().map_err(Error::Spawn)?;
    if !status.success() {
        return Err(Error::Cargo {
            packages: packages.join(" "),
            status,
        });
    }
    Ok(packages
        .iter()
        .map(|package| {
            target_dir
                .join("doc")
                .join(format!("{}.json", package.replace('-', "_")))
        })
        .collect())
}

/// The one field read before the rest, so that a file of another format
/// is refused by its version and not by whichever field moved.
#[derive(Deserialize)]
struct Version {
    format_version: u32,
}

/// Reads a rustdoc JSON file, refusing any format but
/// [`rustdoc_types::FORMAT_VERSION`].
pub fn load(path: &Path) -> Result<Crate, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let parse = |source| Error::Parse {
        path: path.to_owned(),
        source,
    };
    let version: Version = serde_json::from_str(&text).map_err(parse)?;
    if version.format_version != FORMAT_VERSION {
        return Err(Error::Format {
            path: path.to_owned(),
            found: version.format_version,
            expected: FORMAT_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_format_is_refused_by_its_version() {
        let path =
            std::env::temp_dir().join(format!("public-surface-format-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"format_version": 1, "index": "moved"}"#).unwrap();
        let error = load(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        match error {
            Error::Format {
                found, expected, ..
            } => assert_eq!((found, expected), (1, FORMAT_VERSION)),
            other => panic!("{other}"),
        }
    }
}
