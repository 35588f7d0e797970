//! Where the two specs of a comparison come from: files in the working
//! tree, or a committed version read with `git show <rev>:<path>`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::apis::APIS;
use crate::spec;

/// One side of a comparison.
#[derive(Clone, Debug)]
pub enum Side {
    /// A file, as named on the command line (relative to the current
    /// directory) or by `APIS` (relative to the workspace root).
    File {
        /// What the reports call it.
        label: String,
        /// The file to read.
        path: PathBuf,
    },
    /// A file as committed at a revision.
    Git {
        /// The revision, as given.
        rev: String,
        /// What the reports call the file.
        label: String,
        /// The directory git runs in.
        dir: PathBuf,
        /// The path as git reads it after `<rev>:`, relative to `dir`
        /// (`./name`) or to the repository root.
        spec: String,
    },
}

impl Side {
    /// What the reports call this side, e.g. `HEAD:spec/spott.yaml`.
    pub fn label(&self) -> String {
        match self {
            Self::File { label, .. } => label.clone(),
            Self::Git { rev, label, .. } => format!("{rev}:{label}"),
        }
    }

    /// Reads and parses the document. A file missing at the revision is an
    /// empty document (so everything in the other side is reported as
    /// added or removed), and `absent` says so.
    pub fn load(&self) -> Result<Loaded> {
        let (text, origin) = match self {
            Self::File { path, .. } => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                (text, path.display().to_string())
            }
            Self::Git { rev, dir, spec, .. } => {
                verify_revision(dir, rev)?;
                let object = format!("{rev}:{spec}");
                if !git(dir, &["cat-file", "-e", &object])?.status.success() {
                    return Ok(Loaded {
                        value: json!({"openapi": "3.0.3", "paths": {}}),
                        absent: true,
                    });
                }
                let output = git(dir, &["show", &object])?;
                if !output.status.success() {
                    bail!(
                        "git show {object} failed: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    );
                }
                let text = String::from_utf8(output.stdout)
                    .with_context(|| format!("{object} is not UTF-8 text"))?;
                (text, object)
            }
        };
        let value = parse(&text).with_context(|| format!("reading {origin}"))?;
        Ok(Loaded {
            value,
            absent: false,
        })
    }
}

/// A side's document, as read.
pub struct Loaded {
    /// The document as JSON.
    pub value: Value,
    /// Whether the file did not exist at the revision.
    pub absent: bool,
}

/// Parses spec text and checks it is an OpenAPI 3 document.
pub fn parse(text: &str) -> Result<Value> {
    let value = spec::parse_value(text).context("not valid YAML")?;
    let Some(object) = value.as_object() else {
        bail!("not an OpenAPI document: the top level is not a mapping");
    };
    match object.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.") => Ok(value),
        Some(other) => bail!("not an OpenAPI 3 document: `openapi` is {other}"),
        None => bail!("not an OpenAPI document: it has no `openapi` field"),
    }
}

/// The two sides of one comparison.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The API compared, when the new side is one of `APIS`' specs.
    pub api: Option<&'static str>,
    /// The old spec.
    pub old: Side,
    /// The new spec.
    pub new: Side,
}

/// Works out what to compare from the command line:
/// - no paths: every API's spec at `base` (default `HEAD`) against the
///   working tree;
/// - one path: that file at `base` (default `HEAD`) against the working tree;
/// - two paths: the first (at `base`, if given) against the second.
pub fn plan(
    root: &Path,
    cwd: &Path,
    old: Option<&Path>,
    new: Option<&Path>,
    base: Option<&str>,
) -> Result<Vec<Comparison>> {
    let rev = base.unwrap_or("HEAD");
    match (old, new) {
        (None, _) => Ok(APIS
            .iter()
            .map(|api| Comparison {
                api: Some(api.name),
                old: Side::Git {
                    rev: rev.to_string(),
                    label: api.spec.to_string(),
                    dir: root.to_path_buf(),
                    spec: api.spec.to_string(),
                },
                new: Side::File {
                    label: api.spec.to_string(),
                    path: root.join(api.spec),
                },
            })
            .collect()),
        (Some(path), None) => Ok(vec![Comparison {
            api: api_of(root, cwd, path),
            old: committed(cwd, path, rev)?,
            new: file(cwd, path),
        }]),
        (Some(old), Some(new)) => Ok(vec![Comparison {
            api: api_of(root, cwd, new),
            old: match base {
                Some(rev) => committed(cwd, old, rev)?,
                None => file(cwd, old),
            },
            new: file(cwd, new),
        }]),
    }
}

fn file(cwd: &Path, path: &Path) -> Side {
    Side::File {
        label: path.display().to_string(),
        path: cwd.join(path),
    }
}

/// `path` (relative to `cwd`, or absolute) as committed at `rev`: git runs
/// in the file's directory and reads `./<name>`, so no path arithmetic
/// against the repository root is needed.
fn committed(cwd: &Path, path: &Path, rev: &str) -> Result<Side> {
    let full = cwd.join(path);
    let (Some(dir), Some(name)) = (full.parent(), full.file_name()) else {
        bail!("{} does not name a file", path.display());
    };
    let Some(name) = name.to_str() else {
        bail!("{} is not a UTF-8 path", path.display());
    };
    Ok(Side::Git {
        rev: rev.to_string(),
        label: path.display().to_string(),
        dir: dir.to_path_buf(),
        spec: format!("./{name}"),
    })
}

/// The API whose spec `path` is, if any.
fn api_of(root: &Path, cwd: &Path, path: &Path) -> Option<&'static str> {
    let full = std::fs::canonicalize(cwd.join(path)).ok()?;
    APIS.iter()
        .find(|api| std::fs::canonicalize(root.join(api.spec)).ok().as_ref() == Some(&full))
        .map(|api| api.name)
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .with_context(|| format!("running git in {}", dir.display()))
}

/// Fails with git's own words unless `rev` names a commit of the
/// repository `dir` is in.
fn verify_revision(dir: &Path, rev: &str) -> Result<()> {
    if rev.starts_with('-') {
        bail!("`{rev}` is not a revision (it would read as an option to git)");
    }
    let commit = format!("{rev}^{{commit}}");
    let output = git(dir, &["rev-parse", "--verify", "--quiet", &commit])?;
    if output.status.success() {
        return Ok(());
    }
    let inside = git(dir, &["rev-parse", "--git-dir"])?;
    if !inside.status.success() {
        bail!(
            "{} is not in a git repository: {}",
            dir.display(),
            String::from_utf8_lossy(&inside.stderr).trim()
        );
    }
    bail!(
        "`{rev}` is not a commit in the repository at {}",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_what_is_not_an_openapi_3_document() {
        let cases = [
            ("a: [1, 2\nb: c", "not valid YAML"),
            ("- a\n- b\n", "top level is not a mapping"),
            ("info: {}\n", "no `openapi` field"),
            ("swagger: '2.0'\n", "no `openapi` field"),
            ("openapi: 2.0\n", "`openapi` is 2.0"),
        ];
        for (text, expected) in cases {
            let error = format!("{:#}", parse(text).unwrap_err());
            assert!(error.contains(expected), "{text:?}: {error}");
        }
        assert!(parse("openapi: 3.0.3\npaths: {}\n").is_ok());
    }

    #[test]
    fn plan_without_paths_covers_every_api() {
        let root = Path::new("/repo");
        let plan = plan(root, root, None, None, None).unwrap();
        assert_eq!(plan.len(), APIS.len());
        for (comparison, api) in plan.iter().zip(APIS) {
            assert_eq!(comparison.api, Some(api.name));
            assert_eq!(comparison.old.label(), format!("HEAD:{}", api.spec));
            assert_eq!(comparison.new.label(), api.spec);
        }
    }

    #[test]
    fn plan_with_one_path_reads_it_at_the_base() {
        let cwd = Path::new("/somewhere");
        let plan = plan(cwd, cwd, Some(Path::new("a/b.yaml")), None, Some("main")).unwrap();
        let Side::Git { dir, spec, .. } = &plan[0].old else {
            panic!("expected a git side: {plan:?}");
        };
        assert_eq!(dir, Path::new("/somewhere/a"));
        assert_eq!(spec, "./b.yaml");
        assert_eq!(plan[0].old.label(), "main:a/b.yaml");
        assert_eq!(plan[0].new.label(), "a/b.yaml");
    }

    #[test]
    fn plan_with_two_paths_reads_files_unless_a_base_is_given() {
        let cwd = Path::new("/w");
        let (old, new) = (Path::new("old.yaml"), Path::new("new.yaml"));
        let files = plan(cwd, cwd, Some(old), Some(new), None).unwrap();
        assert!(matches!(files[0].old, Side::File { .. }));
        let based = plan(cwd, cwd, Some(old), Some(new), Some("v1")).unwrap();
        assert_eq!(based[0].old.label(), "v1:old.yaml");
        assert_eq!(based[0].new.label(), "new.yaml");
    }
}
