//! `cargo xtask semver-check`: the Rust verdict of `cargo xtask diff`
//! against cargo-semver-checks, on the generated crates of the diff's
//! fixture pairs.
//!
//! For each pair (`xtask/tests/fixtures/diff/<case>/{old,new}.yaml`) both
//! sides are generated as `cargo xtask generate` would, each written as a
//! small crate under `target/semver-check/<case>/` with the support modules
//! of `crates/spott-openapi` (its `lib.rs`, `open.rs` and `patch.rs`, read
//! from the committed files, and the generated `hooks.rs`), and
//! `cargo semver-checks check-release --baseline-root OLD --manifest-path
//! NEW` says whether the new one needs a major version. That is set beside
//! our bump; xtask/README.md explains each disagreement.
//!
//! It builds every crate's rustdoc (about 10 s a case once the
//! dependencies are built, a few minutes for all), so CI does not run
//! it. It needs `cargo install cargo-semver-checks --locked`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::apis::Api;
use crate::{diff, generate, spec};

/// The generated crate every pair is written as.
const FIXTURE: Api = Api {
    name: "fixture",
    spec: "a diff fixture",
    crate_dir: "",
    crate_name: "fixture-api",
    wrapper_crate: "fixture",
};

/// The crate whose support modules and dependencies the fixture crates
/// reuse.
const TEMPLATE: &str = "crates/spott-openapi";

/// Crates typify's output can use that [`TEMPLATE`]'s spec does not need
/// (`regress` checks a `pattern`), at the version in the workspace's lock
/// file.
const EXTRA: &[&str] = &["regress"];

/// Arguments of `cargo xtask semver-check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these fixture cases (directory names); all of them by default.
    pub cases: Vec<String>,
}

/// cargo-semver-checks' verdict on one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theirs {
    /// "semver requires new major version".
    Major,
    /// "semver requires new minor version".
    Minor,
    /// "no semver update required".
    None,
}

impl Theirs {
    fn as_str(self) -> &'static str {
        match self {
            Self::Major => "major",
            Self::Minor => "minor",
            Self::None => "none",
        }
    }

    /// Reads the summary line of `cargo semver-checks` output.
    fn parse(output: &str) -> Option<Self> {
        if output.contains("requires new major version") {
            Some(Self::Major)
        } else if output.contains("requires new minor version") {
            Some(Self::Minor)
        } else if output.contains("no semver update required") {
            Some(Self::None)
        } else {
            None
        }
    }
}

/// Runs `cargo xtask semver-check` from the workspace at `root`.
pub fn run(root: &Path, args: Args) -> Result<()> {
    let probe = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output();
    if !probe.is_ok_and(|output| output.status.success()) {
        bail!("cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`");
    }
    let fixtures = root.join("xtask/tests/fixtures/diff");
    let mut cases: Vec<String> = fs::read_dir(&fixtures)
        .with_context(|| format!("reading {}", fixtures.display()))?
        .filter_map(|entry| Some(entry.ok()?.file_name().to_string_lossy().into_owned()))
        .filter(|case| args.cases.is_empty() || args.cases.contains(case))
        .collect();
    cases.sort();
    let work = root.join("target/semver-check");
    let template = Template::read(root)?;
    let mut table = String::from(
        "| case | cargo xtask diff | cargo-semver-checks (failed lints) | agree |\n| --- | --- | --- | --- |\n",
    );
    for case in &cases {
        let old = spec::read_value(&fixtures.join(case).join("old.yaml"))?;
        let new = spec::read_value(&fixtures.join(case).join("new.yaml"))?;
        let ours = diff::rust_verdict(&old, &new);
        let dir = work.join(case);
        let row = match ours {
            None => format!("| `{case}` | not assessed (a side does not generate) | not run | |"),
            Some(ours) => {
                template.write(&dir.join("old"), &old)?;
                template.write(&dir.join("new"), &new)?;
                let (theirs, lints) = match semver_checks(&work, &dir) {
                    Ok(verdict) => verdict,
                    Err(error) => {
                        // The whole output goes to stderr; the table says why
                        // in one line.
                        eprintln!("{case}: {error:#}");
                        let why = if format!("{error:#}").contains("failed to build rustdoc") {
                            "not run: a generated crate does not build"
                        } else {
                            "no verdict (see stderr)"
                        };
                        let row = format!("| `{case}` | {ours} | {why} | |");
                        eprintln!("{row}");
                        let _ = writeln!(table, "{row}");
                        continue;
                    }
                };
                // cargo-semver-checks only finds what needs a major (or, for
                // a few lints, a minor) version: agreement is on `major`.
                let agree = (ours == "major") == (theirs == Theirs::Major);
                let lints: Vec<String> = lints.iter().map(|lint| format!("`{lint}`")).collect();
                format!(
                    "| `{case}` | {ours} | {} {} | {} |",
                    theirs.as_str(),
                    if lints.is_empty() {
                        String::new()
                    } else {
                        format!("({})", lints.join(", "))
                    },
                    if agree { "yes" } else { "**no**" }
                )
            }
        };
        eprintln!("{row}");
        let _ = writeln!(table, "{row}");
    }
    print!("{table}");
    Ok(())
}

/// Runs cargo-semver-checks on `dir/new` against `dir/old`: its verdict and
/// the lints that failed.
fn semver_checks(work: &Path, dir: &Path) -> Result<(Theirs, Vec<String>)> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--baseline-root"])
        .arg(dir.join("old"))
        .arg("--manifest-path")
        .arg(dir.join("new/Cargo.toml"))
        // The `httpmock` feature's helpers need a dependency the fixture
        // crates leave out; they are not part of the compared surface.
        .arg("--default-features")
        // One target directory for every case: the dependencies build once.
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .context("running cargo semver-checks")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lints: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("--- failure "))
        .filter_map(|line| line.split(':').next())
        .map(str::to_string)
        .collect();
    lints.sort();
    lints.dedup();
    match Theirs::parse(&text) {
        Some(theirs) => Ok((theirs, lints)),
        None => bail!("cargo semver-checks gave no verdict:\n{text}"),
    }
}

/// What every fixture crate takes from [`TEMPLATE`].
struct Template {
    /// `Cargo.toml`, with each inherited dependency spelled out.
    manifest: String,
    /// `src/lib.rs`, naming this crate and pointing at the support modules.
    lib: String,
    /// The workspace's lock file, so the same dependency versions are used.
    lock: String,
}

impl Template {
    fn read(root: &Path) -> Result<Self> {
        let template = root.join(TEMPLATE);
        let read = |path: PathBuf| {
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
        };
        let workspace = read(root.join("Cargo.toml"))?;
        let lock = read(root.join("Cargo.lock"))?;
        let mut manifest = manifest(&read(template.join("Cargo.toml"))?, &workspace)?;
        for name in EXTRA {
            let version = locked_version(&lock, name)
                .with_context(|| format!("Cargo.lock has no `{name}`"))?;
            manifest.push_str(&format!(
                "\n[dependencies.{name}]\nversion = \"{version}\"\n"
            ));
        }
        let ident = FIXTURE.crate_name.replace('-', "_");
        let mut lib = read(template.join("src/lib.rs"))?.replace("spott_openapi", &ident);
        for module in ["open", "patch"] {
            let path = template.join(format!("src/{module}.rs"));
            lib = lib.replace(
                &format!("\nmod {module};"),
                &format!(
                    "\n#[path = {:?}]\nmod {module};",
                    path.display().to_string()
                ),
            );
        }
        Ok(Self {
            manifest,
            lib,
            lock,
        })
    }

    /// Writes the crate generated from `spec` to `dir`.
    fn write(&self, dir: &Path, spec: &serde_json::Value) -> Result<()> {
        // `cargo xtask diff` generated this side already, so it does not
        // panic here.
        let outputs = generate::render_value(&FIXTURE, spec.clone())?;
        // A tag file of the other side (or the single file of an older
        // generator, which rustc would find beside `generated/mod.rs`).
        for stray in generate::stray_files(dir, &FIXTURE, &outputs)? {
            fs::remove_file(dir.join(&stray))
                .with_context(|| format!("removing {}", stray.display()))?;
        }
        let src = dir.join("src");
        fs::create_dir_all(&src).with_context(|| format!("creating {}", src.display()))?;
        let mut files = vec![
            (
                dir.join("Cargo.toml"),
                self.manifest.replace(FEATURES, &features(spec)),
            ),
            (dir.join("Cargo.lock"), self.lock.clone()),
            (dir.join("README.md"), "A generated diff fixture.\n".into()),
            (src.join("lib.rs"), self.lib.clone()),
        ];
        for output in outputs {
            // The fixture's crate directory is empty: paths start at `src/`.
            files.push((dir.join(&output.path), output.contents));
        }
        for (path, contents) in files {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            // Unchanged files keep their times, so cargo does not rebuild.
            if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
                fs::write(&path, contents)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        Ok(())
    }
}

/// The features line of [`manifest`], which [`features`] replaces.
const FEATURES: &str = "[features]\nhttpmock = []\n";

/// The fixture's `[features]`: one per tag of its operations, all on by
/// default, as `cargo xtask generate` gives the real crates (the generated
/// code compiles each tag's operations only with its feature).
fn features(spec: &serde_json::Value) -> String {
    let mut tags = std::collections::BTreeSet::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            for tag in operation["tags"].as_array().into_iter().flatten() {
                if let Some(tag) = tag.as_str() {
                    tags.insert(format!("{tag:?}"));
                }
            }
        }
    }
    let all: Vec<&str> = tags.iter().map(String::as_str).collect();
    let mut text = format!(
        "[features]\nhttpmock = []\ndefault = [{}]\n",
        all.join(", ")
    );
    for tag in &tags {
        text.push_str(&format!("{tag} = []\n"));
    }
    text
}

/// The version of the package `name` in a lock file.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    lines.find(|line| *line == format!("name = \"{name}\""))?;
    let version = lines.next()?.strip_prefix("version = \"")?;
    Some(version.trim_end_matches('"').to_string())
}

/// The fixture crate's manifest: [`TEMPLATE`]'s dependencies, each
/// `x.workspace = true` replaced by the workspace's own line for `x`, in a
/// workspace of its own.
fn manifest(template: &str, workspace: &str) -> Result<String> {
    let section = |text: &'_ str, header: &str| -> Vec<String> {
        text.lines()
            .skip_while(|line| line.trim() != header)
            .skip(1)
            .take_while(|line| !line.starts_with('['))
            .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let inherited = section(workspace, "[workspace.dependencies]");
    let mut dependencies = String::new();
    for line in section(template, "[dependencies]") {
        if line.contains("optional = true") {
            continue;
        }
        let line = match line.split_once(".workspace = true") {
            Some((name, _)) => inherited
                .iter()
                .find(|candidate| {
                    candidate
                        .split_once('=')
                        .is_some_and(|(key, _)| key.trim() == name.trim())
                })
                .with_context(|| format!("the workspace does not declare `{name}`"))?
                .clone(),
            None => line,
        };
        let _ = writeln!(dependencies, "{line}");
    }
    Ok(format!(
        "[package]\nname = \"{}\"\nversion = \"1.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [features]\nhttpmock = []\n\n[dependencies]\n{dependencies}\n[workspace]\n",
        FIXTURE.crate_name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_is_a_default_feature() {
        let spec = serde_json::json!({"paths": {
            "/a": {"get": {"tags": ["pets"]}, "post": {"tags": ["pets", "admin"]}},
            "/b": {"get": {}}
        }});
        assert_eq!(
            features(&spec),
            "[features]\nhttpmock = []\ndefault = [\"admin\", \"pets\"]\n\"admin\" = []\n\"pets\" = []\n"
        );
    }

    #[test]
    fn the_manifest_spells_out_inherited_dependencies() {
        let workspace = "[workspace]\n\n[workspace.dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nbytes = \"1\"\n\n[workspace.lints.rust]\n";
        let template = "[package]\nname = \"x\"\n\n[dependencies]\nbytes.workspace = true\nfutures-core = \"0.3\"\n# why\nregex = { workspace = true, optional = true }\nserde.workspace = true\n\n[lints]\n";
        let written = manifest(template, workspace).expect("a manifest");
        assert!(
            written.contains(
                "[dependencies]\nbytes = \"1\"\nfutures-core = \"0.3\"\nserde = { version = \"1\", features = [\"derive\"] }\n"
            ),
            "{written}"
        );
        assert!(written.ends_with("[workspace]\n"));
        let missing = manifest("[dependencies]\nnope.workspace = true\n", workspace);
        assert!(missing.is_err());
    }

    #[test]
    fn summaries_are_read() {
        assert_eq!(
            Theirs::parse(
                "     Summary semver requires new major version: 1 major and 0 minor checks failed"
            ),
            Some(Theirs::Major)
        );
        assert_eq!(
            Theirs::parse("     Summary no semver update required"),
            Some(Theirs::None)
        );
        assert_eq!(Theirs::parse("error: could not compile"), None);
        let lock = "[[package]]\nname = \"regress\"\nversion = \"0.12.0\"\nsource = \"registry\"\n";
        assert_eq!(locked_version(lock, "regress").as_deref(), Some("0.12.0"));
        assert_eq!(locked_version(lock, "regex"), None);
    }
}
