#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

// The root README's examples compile as doctests of this crate, so the
// quick start cannot rot.
#[doc = include_str!("../../README.md")]
mod root_readme {}

use serde_json::Value;

/// The variable that, when set, names the workspace root outright.
const ROOT_OVERRIDE: &str = "CARGO_WORKSPACE_DIR";

/// The root of the workspace the tests run in, found at run time (the test
/// binary may have been built in another checkout sharing the target
/// directory): `CARGO_WORKSPACE_DIR` if set, else what
/// `cargo locate-project --workspace` says for the current directory (cargo
/// runs tests in their package's directory), else the nearest directory at
/// or above it whose `Cargo.toml` has a `[workspace]` table. Looked up once
/// per process.
///
/// # Panics
/// When none of these finds a workspace: a test setup error, and the
/// message says what was tried.
pub fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().map_err(|e| {
            format!("cannot find the workspace root: reading the current directory: {e}")
        })?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        find_workspace_root(
            &cwd,
            std::env::var_os(ROOT_OVERRIDE).map(PathBuf::from),
            &cargo,
        )
    });
    match found {
        Ok(root) => root.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// [`workspace_root`] from `cwd`, with `named` the value of
/// `CARGO_WORKSPACE_DIR` and `cargo` the cargo binary.
fn find_workspace_root(
    cwd: &Path,
    named: Option<PathBuf>,
    cargo: &OsStr,
) -> Result<PathBuf, String> {
    if let Some(dir) = named {
        return if is_workspace_manifest(&dir.join("Cargo.toml")) {
            Ok(dir)
        } else {
            Err(format!(
                "{ROOT_OVERRIDE} is set to {}, which has no Cargo.toml with a [workspace] table",
                dir.display()
            ))
        };
    }
    let located = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .current_dir(cwd)
        .output();
    let cargo = Path::new(cargo).display();
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

/// Reads `spec/<name>.yaml` as JSON.
///
/// # Panics
/// When the file is missing or not YAML: a test setup error.
pub fn spec(name: &str) -> Value {
    let path = workspace_root().join("spec").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Which side of an operation an example belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Side {
    /// The request body.
    Request,
    /// The response body for this status code.
    Response(String),
}

/// One documented example attached to an operation.
#[derive(Clone, Debug)]
pub struct Example {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// Request or response (with status).
    pub side: Side,
    /// The example's key in `examples`.
    pub name: String,
    /// The example value.
    pub value: Value,
}

/// Follows a local `$ref` (`#/components/...`) once, or returns `node`.
pub fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| spec.pointer(pointer))
            .unwrap_or(node),
        None => node,
    }
}

fn json_examples(spec: &Value, content_holder: &Value) -> Vec<(String, Value)> {
    let holder = resolve(spec, content_holder);
    let Some(media) = holder.pointer("/content/application~1json") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in examples {
            if let Some(value) = resolve(spec, example).get("value") {
                found.push((name.clone(), value.clone()));
            }
        }
    }
    if let Some(value) = media.get("example") {
        found.push(("example".to_owned(), value.clone()));
    }
    found
}

/// Every request and response example of every operation in `spec`.
pub fn examples(spec: &Value) -> Vec<Example> {
    let mut all = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return all;
    };
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if method == "parameters" {
                continue;
            }
            let operation_id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(body) = operation.get("requestBody") {
                for (name, value) in json_examples(spec, body) {
                    all.push(Example {
                        operation_id: operation_id.clone(),
                        side: Side::Request,
                        name,
                        value,
                    });
                }
            }
            if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    for (name, value) in json_examples(spec, response) {
                        all.push(Example {
                            operation_id: operation_id.clone(),
                            side: Side::Response(status.clone()),
                            name,
                            value,
                        });
                    }
                }
            }
        }
    }
    all
}

/// Normalises JSON so that two encodings of the same data compare equal:
/// RFC 3339 timestamps become one canonical form (`.000Z` and `Z` are the
/// same instant) and every number becomes an `f64` (`123` and `123.0`).
pub fn normalize(value: &Value) -> Value {
    match value {
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(instant) => Value::String(instant.with_timezone(&chrono::Utc).to_rfc3339()),
            Err(_) => value.clone(),
        },
        Value::Number(number) => number
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), normalize(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Lists where two JSON values differ, as JSON pointers with both sides.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_into("", expected, actual, &mut out);
    out
}

fn diff_into(pointer: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{pointer}/{key}");
                match b.get(key) {
                    Some(other) => diff_into(&here, value, other, out),
                    None => out.push(format!("{here}: lost (was {value})")),
                }
            }
            for key in b.keys().filter(|key| !a.contains_key(*key)) {
                out.push(format!("{pointer}/{key}: added ({})", b[key]));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_into(&format!("{pointer}/{index}"), x, y, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{pointer}: expected {expected}, got {actual}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A directory of its own under the system's temporary directory,
    /// removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("workspace-tests-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("creating a scratch directory");
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A scratch workspace (a root manifest and one directory below it).
    fn scratch_workspace(name: &str) -> Scratch {
        let scratch = Scratch::new(name);
        std::fs::write(
            scratch.0.join("Cargo.toml"),
            "[workspace] # nothing else\nmembers = []\n",
        )
        .unwrap();
        std::fs::create_dir_all(scratch.0.join("tests")).unwrap();
        scratch
    }

    fn cargo() -> std::ffi::OsString {
        std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
    }

    #[test]
    fn cargo_finds_the_workspace_around_the_current_directory() {
        let scratch = scratch_workspace("located");
        let found = find_workspace_root(&scratch.0.join("tests"), None, &cargo());
        assert_eq!(found, Ok(scratch.0.clone()));
    }

    #[test]
    fn without_cargo_the_nearest_workspace_manifest_above_is_used() {
        let scratch = scratch_workspace("walked");
        let no_cargo = scratch.0.join("no-such-cargo");
        let found = find_workspace_root(&scratch.0.join("tests"), None, no_cargo.as_os_str());
        assert_eq!(found, Ok(scratch.0.clone()));
    }

    #[test]
    fn a_named_workspace_wins_and_must_be_one() {
        let scratch = scratch_workspace("named");
        let elsewhere = Scratch::new("named-elsewhere");
        let found = find_workspace_root(&elsewhere.0, Some(scratch.0.clone()), &cargo());
        assert_eq!(found, Ok(scratch.0.clone()));
        let refused = find_workspace_root(&scratch.0, Some(elsewhere.0.clone()), &cargo())
            .expect_err("a directory without a workspace manifest");
        assert!(
            refused.contains("CARGO_WORKSPACE_DIR is set to")
                && refused.contains("which has no Cargo.toml with a [workspace] table"),
            "{refused}"
        );
    }

    #[test]
    fn outside_any_workspace_the_error_says_what_was_tried() {
        let nowhere = Scratch::new("nowhere");
        let error = find_workspace_root(&nowhere.0, None, &cargo())
            .expect_err("no workspace around a scratch directory");
        for tried in [
            "cannot find the workspace root: CARGO_WORKSPACE_DIR is not set;",
            "locate-project --workspace` failed:",
            "nor any directory above it has a Cargo.toml with a [workspace] table",
        ] {
            assert!(error.contains(tried), "missing {tried:?} in: {error}");
        }
    }

    #[test]
    fn normalize_equates_timestamp_and_number_spellings() {
        assert_eq!(
            normalize(&json!({"at": "2024-12-31T23:59:59.000Z", "n": 123})),
            normalize(&json!({"at": "2024-12-31T23:59:59Z", "n": 123.0}))
        );
        assert_ne!(
            normalize(&json!({"at": "2024-12-31T23:59:59Z"})),
            normalize(&json!({"at": "2024-12-31T23:59:58Z"}))
        );
    }

    #[test]
    fn differences_name_lost_and_added_fields() {
        let found = differences(
            &json!({"a": 1, "b": {"c": 2}}),
            &json!({"b": {"c": 3}, "d": 4}),
        );
        assert_eq!(
            found,
            vec![
                "/a: lost (was 1)",
                "/b/c: expected 2, got 3",
                "/d: added (4)"
            ]
        );
    }
}
