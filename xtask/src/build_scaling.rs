//! `cargo xtask bench --scaling`, the build half: how long the generated
//! Spott crate takes to build as the spec grows, with every tag and with
//! one, and what a downstream crate that calls one operation pays.
//!
//! In a scratch copy of the workspace ([`Scratch`]), for each size the
//! spec is replaced by the synthetic one ([`crate::scale::scaled`]: every
//! path, operation, tag and component copied N-1 more times under new
//! names), the crates are regenerated, the dependencies are built once,
//! and then only this workspace's crates are rebuilt from clean and timed:
//!
//! - `spott-openapi` with its default features (every tag);
//! - a downstream binary (a member added to the copy) that depends on the
//!   `spott` wrapper with `default-features = false, features = ["tasks"]`
//!   and calls `Client::create_task`.
//!
//! [`Builds::OneTagOnly`] (`--scaling --one-tag-only`) times the downstream
//! build alone: the every-tag build at 10x takes most of the run.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::apis::APIS;
use crate::bench::{Scratch, cargo, timed};
use crate::generate;

/// The spec sizes measured, as multiples of today's.
const SIZES: &[usize] = &[1, 10];

/// The downstream crate: one operation of one tag.
const DOWNSTREAM_MANIFEST: &str = r#"[package]
name = "downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
spott = { path = "../crates/spott", default-features = false, features = ["tasks"] }
"#;

const DOWNSTREAM_MAIN: &str = r#"//! Calls one operation of one tag; built, never run.
async fn create(client: &spott::Client) -> Result<(), spott::Error> {
    let task = client.create_task(spott::NewTask::new("Call back")).await?;
    drop(task);
    Ok(())
}

fn main() {
    let client = spott::Client::new("not-a-key").expect("a client");
    drop(create(&client));
}
"#;

/// Which builds are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builds {
    /// `spott-openapi` with every tag, then the one-tag downstream crate.
    Both,
    /// The one-tag downstream crate only.
    OneTagOnly,
}

/// One size's figures.
struct Figures {
    size: usize,
    operations: usize,
    lines: usize,
    /// `None` when not measured ([`Builds::OneTagOnly`]).
    all_tags: Option<Duration>,
    one_tag: Duration,
}

/// Measures every size and returns the Markdown table.
pub fn measure(root: &Path, builds: Builds) -> Result<String> {
    let api = APIS
        .iter()
        .find(|api| api.name == "spott")
        .context("the spott API")?;
    let spec = crate::spec::read_value(&root.join(api.spec))?;
    let scratch = Scratch::new(root, "bench-build-scaling")?;
    let workspace = &scratch.path;
    add_downstream(workspace)?;
    let mut figures = Vec::new();
    for &size in SIZES {
        let scaled = crate::scale::scaled(&spec, size);
        let operations =
            crate::operation_table::rows(&crate::spec::to_openapi(scaled.clone())?)?.len();
        // JSON is YAML: the generator reads it as it reads the real spec.
        std::fs::write(workspace.join(api.spec), serde_json::to_string(&scaled)?)?;
        generate::run(workspace, false)?;
        let lines = generated_lines(&workspace.join(api.crate_dir).join("src"))?;
        // Dependencies once, outside the timing.
        let mut deps = cargo(workspace);
        deps.args(["build", "-q", "-p", "downstream"]);
        if builds == Builds::Both {
            deps.args(["-p", "spott-openapi"]);
        }
        timed(&mut deps)?;
        let clean = || {
            let mut command = cargo(workspace);
            command.args([
                "clean",
                "-q",
                "-p",
                "spott-openapi",
                "-p",
                "spott",
                "-p",
                "spott-saleshandy-core",
                "-p",
                "downstream",
            ]);
            command
        };
        let all_tags = match builds {
            Builds::Both => {
                timed(&mut clean())?;
                Some(timed(cargo(workspace).args([
                    "build",
                    "-q",
                    "-p",
                    "spott-openapi",
                ]))?)
            }
            Builds::OneTagOnly => None,
        };
        timed(&mut clean())?;
        let one_tag = timed(cargo(workspace).args(["build", "-q", "-p", "downstream"]))?;
        figures.push(Figures {
            size,
            operations,
            lines,
            all_tags,
            one_tag,
        });
    }
    Ok(table(&figures))
}

/// Lines of the generated client (`generated.rs`, or every file of
/// `generated/` when it is split by tag) under a crate's `src`.
fn generated_lines(src: &Path) -> Result<usize> {
    let mut files = Vec::new();
    let single = src.join("generated.rs");
    if single.exists() {
        files.push(single);
    }
    let dir = src.join("generated");
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir)? {
            files.push(entry?.path());
        }
    }
    let mut lines = 0;
    for file in files {
        lines += std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?
            .lines()
            .count();
    }
    Ok(lines)
}

/// The downstream crate, as a member of the scratch workspace.
fn add_downstream(workspace: &Path) -> Result<()> {
    let dir = workspace.join("downstream");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), DOWNSTREAM_MANIFEST)?;
    std::fs::write(dir.join("src/main.rs"), DOWNSTREAM_MAIN)?;
    let manifest = workspace.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    let edited = text.replacen("members = [\n", "members = [\n    \"downstream\",\n", 1);
    anyhow::ensure!(
        edited != text,
        "the workspace manifest has no `members = [` line to add the downstream crate to"
    );
    std::fs::write(&manifest, edited)?;
    Ok(())
}

fn table(figures: &[Figures]) -> String {
    let every_tag = figures.iter().all(|f| f.all_tags.is_some());
    let mut out = String::from(if every_tag {
        "| spec | operations | generated lines | `spott-openapi`, every tag | ratio to 1x | downstream, one tag (`tasks`) | ratio to 1x |\n|---|---|---|---|---|---|---|\n"
    } else {
        "| spec | operations | generated lines | downstream, one tag (`tasks`) | ratio to 1x |\n|---|---|---|---|---|\n"
    });
    let Some(base) = figures.first() else {
        return out;
    };
    for f in figures {
        let _ = write!(out, "| {}x | {} | {} |", f.size, f.operations, f.lines);
        if let (true, Some(all), Some(base_all)) = (every_tag, f.all_tags, base.all_tags) {
            let _ = write!(
                out,
                " {:.1} s | {:.1}x |",
                all.as_secs_f64(),
                all.as_secs_f64() / base_all.as_secs_f64()
            );
        }
        let _ = writeln!(
            out,
            " {:.1} s | {:.1}x |",
            f.one_tag.as_secs_f64(),
            f.one_tag.as_secs_f64() / base.one_tag.as_secs_f64(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_ratios_to_the_first_size() {
        let figures = [
            Figures {
                size: 1,
                operations: 27,
                lines: 1000,
                all_tags: Some(Duration::from_secs(10)),
                one_tag: Duration::from_secs(4),
            },
            Figures {
                size: 10,
                operations: 270,
                lines: 10000,
                all_tags: Some(Duration::from_secs(100)),
                one_tag: Duration::from_secs(6),
            },
        ];
        let text = table(&figures);
        assert!(
            text.contains("| 1x | 27 | 1000 | 10.0 s | 1.0x | 4.0 s | 1.0x |"),
            "{text}"
        );
        assert!(
            text.contains("| 10x | 270 | 10000 | 100.0 s | 10.0x | 6.0 s | 1.5x |"),
            "{text}"
        );
    }

    #[test]
    fn without_the_every_tag_build_the_table_has_the_one_tag_columns_only() {
        let figures = [1, 10].map(|size| Figures {
            size,
            operations: 27 * size,
            lines: 1000 * size,
            all_tags: None,
            one_tag: Duration::from_secs(if size == 1 { 4 } else { 6 }),
        });
        assert_eq!(
            table(&figures),
            "| spec | operations | generated lines | downstream, one tag (`tasks`) | ratio to 1x |\n\
             |---|---|---|---|---|\n\
             | 1x | 27 | 1000 | 4.0 s | 1.0x |\n\
             | 10x | 270 | 10000 | 6.0 s | 1.5x |\n"
        );
    }

    #[test]
    fn generated_lines_count_the_single_file_or_every_file_of_the_split() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("generated.rs"), "a\nb\n").unwrap();
        assert_eq!(generated_lines(dir.path()).unwrap(), 2);
        std::fs::remove_file(dir.path().join("generated.rs")).unwrap();
        std::fs::create_dir(dir.path().join("generated")).unwrap();
        std::fs::write(dir.path().join("generated/mod.rs"), "a\n").unwrap();
        std::fs::write(dir.path().join("generated/tasks.rs"), "b\nc\nd\n").unwrap();
        assert_eq!(generated_lines(dir.path()).unwrap(), 4);
    }

    #[test]
    fn the_downstream_crate_is_added_as_a_member() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\nmembers = [\n    \"xtask\",\n]\n",
        )
        .unwrap();
        add_downstream(dir.path()).unwrap();
        let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
        assert_eq!(
            manifest,
            "[workspace]\nmembers = [\n    \"downstream\",\n    \"xtask\",\n]\n"
        );
        assert!(dir.path().join("downstream/src/main.rs").exists());
    }
}
