#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

// The root README's examples compile as doctests of this crate, so the
// quick start cannot rot.
#[doc = include_str!("../../README.md")]
mod root_readme {}

use serde_json::Value;

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
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
