#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

// The root README's examples compile as doctests of this crate, so the
// quick start cannot rot.
#[doc = include_str!("../../README.md")]
mod root_readme {}

use serde_json::Value;

/// The root of the workspace the tests run in, found at run time by
/// [`workspace_root::find_from_env`] (cargo runs tests in their package's
/// directory). Looked up once per process.
///
/// # Panics
/// When none of these finds a workspace: a test setup error, and the
/// message says what was tried.
pub fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match ROOT.get_or_init(workspace_root::find_from_env) {
        Ok(root) => root.clone(),
        Err(message) => panic!("{message}"),
    }
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

/// The operation object whose `operationId` is `operation_id`.
pub fn operation_in<'a>(spec: &'a Value, operation_id: &str) -> Option<&'a Value> {
    spec.get("paths")?
        .as_object()?
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.iter())
        .filter(|(method, _)| *method != "parameters")
        .map(|(_, operation)| operation)
        .find(|operation| {
            operation.get("operationId").and_then(Value::as_str) == Some(operation_id)
        })
}

/// Whether the operation declares a request body.
pub fn has_request_body(spec: &Value, operation_id: &str) -> bool {
    operation_in(spec, operation_id).is_some_and(|operation| operation.get("requestBody").is_some())
}

/// The operation's first request example, if it documents one.
pub fn request_example(spec: &Value, operation_id: &str) -> Option<Value> {
    examples(spec)
        .into_iter()
        .find(|e| e.operation_id == operation_id && e.side == Side::Request)
        .map(|e| e.value)
}

/// The lowest success (2xx) status the operation declares.
fn success_status(spec: &Value, operation_id: &str) -> Option<String> {
    let responses = operation_in(spec, operation_id)?
        .get("responses")?
        .as_object()?;
    responses
        .keys()
        .filter(|status| status.starts_with('2'))
        .min()
        .cloned()
}

/// The first example of the operation's success response (the lowest
/// 2xx status it declares), if it documents one.
pub fn success_example(spec: &Value, operation_id: &str) -> Option<Value> {
    let status = success_status(spec, operation_id)?;
    examples(spec)
        .into_iter()
        .find(|e| e.operation_id == operation_id && e.side == Side::Response(status.clone()))
        .map(|e| e.value)
}

/// The JSON schema of the operation's success response (the lowest 2xx).
pub fn success_schema<'a>(spec: &'a Value, operation_id: &str) -> Option<&'a Value> {
    let status = success_status(spec, operation_id)?;
    let response = operation_in(spec, operation_id)?.pointer(&format!("/responses/{status}"))?;
    resolve(spec, response).pointer("/content/application~1json/schema")
}

/// One step into a JSON value: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The value at `steps` inside `value`.
pub fn at_mut<'a>(value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()),
        Step::Index(index) => value.get_mut(*index),
    })
}

/// Follows `$ref`s until the schema is not one (at most 32).
fn resolve_all<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let next = resolve(spec, schema);
        if std::ptr::eq(next, schema) {
            break;
        }
        schema = next;
    }
    schema
}

/// The members of the schema's `allOf`, `anyOf` and `oneOf`, resolved.
fn combined<'a>(spec: &'a Value, schema: &'a Value) -> impl Iterator<Item = &'a Value> {
    ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .filter_map(move |key| schema.get(key).and_then(Value::as_array))
        .flatten()
        .map(move |member| resolve_all(spec, member))
}

/// The schema of property `name` under `schema`, looked for in its
/// `properties` and then in its combined members (the first that has it).
fn property<'a>(spec: &'a Value, schema: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
    let schema = resolve_all(spec, schema);
    if let Some(found) = schema.pointer(&format!(
        "/properties/{}",
        name.replace('~', "~0").replace('/', "~1")
    )) {
        return Some(found);
    }
    if depth == 0 {
        return None;
    }
    combined(spec, schema).find_map(|member| property(spec, member, name, depth - 1))
}

/// The schema of the items of an array schema (or of its first combined
/// member that has items).
fn items<'a>(spec: &'a Value, schema: &'a Value, depth: usize) -> Option<&'a Value> {
    let schema = resolve_all(spec, schema);
    if let Some(found) = schema.get("items") {
        return Some(found);
    }
    if depth == 0 {
        return None;
    }
    combined(spec, schema).find_map(|member| items(spec, member, depth - 1))
}

/// Every part of `example`, with its schema, shallowest first (object
/// members in sorted key order, then array elements in order). A part the
/// schema does not describe is not visited, nor is anything below it.
fn walk<'a>(
    spec: &'a Value,
    schema: &'a Value,
    example: &'a Value,
) -> Vec<(Vec<Step>, &'a Value, &'a Value)> {
    const DEPTH: usize = 16;
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([(Vec::new(), example, schema)]);
    while let Some((steps, value, schema)) = queue.pop_front() {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                for key in keys {
                    if let Some(inner) = property(spec, schema, key, DEPTH) {
                        let mut deeper = steps.clone();
                        deeper.push(Step::Key(key.clone()));
                        queue.push_back((deeper, &map[key], inner));
                    }
                }
            }
            Value::Array(elements) => {
                if let Some(inner) = items(spec, schema, DEPTH) {
                    for (index, element) in elements.iter().enumerate() {
                        let mut deeper = steps.clone();
                        deeper.push(Step::Index(index));
                        queue.push_back((deeper, element, inner));
                    }
                }
            }
            _ => {}
        }
        out.push((steps, value, schema));
    }
    out
}

/// The names `schema` requires (its own `required` and its `allOf`
/// members'), in order, without the ones declared `nullable` (a decoder
/// may read their absence as `null`).
fn required(spec: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve_all(spec, schema);
    let mut names: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        names.extend(required(spec, member));
    }
    names.retain(|name| {
        property(spec, schema, name, 16)
            .is_none_or(|p| resolve_all(spec, p).get("nullable") != Some(&Value::Bool(true)))
    });
    names
}

/// The shallowest property of `example` that its schema requires: the
/// steps to the object holding it, and its name. `None` when the example
/// holds no required, non-nullable property.
pub fn first_required(
    spec: &Value,
    schema: &Value,
    example: &Value,
) -> Option<(Vec<Step>, String)> {
    walk(spec, schema, example)
        .into_iter()
        .find_map(|(steps, value, schema)| {
            let object = value.as_object()?;
            required(spec, schema)
                .into_iter()
                .find(|name| object.contains_key(name))
                .map(|name| (steps, name))
        })
}

/// A place in an example where the schema accepts values it does not
/// list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    /// A string typed as an open enum: `anyOf` a string `enum` and any
    /// string.
    Enum(Vec<Step>),
    /// An object typed as an open union: `anyOf` a `oneOf` with a
    /// `discriminator` and another schema; the second field is the
    /// discriminator property.
    Union(Vec<Step>, String),
}

/// The shallowest place in `example` (described by `schema`) that holds
/// an open enum or an open union, if any.
pub fn first_open(spec: &Value, schema: &Value, example: &Value) -> Option<Open> {
    walk(spec, schema, example)
        .into_iter()
        .find_map(|(steps, value, schema)| {
            let members: Vec<&Value> = resolve_all(spec, schema)
                .get("anyOf")?
                .as_array()?
                .iter()
                .map(|member| resolve_all(spec, member))
                .collect();
            let is_string = |m: &Value| m.get("type").and_then(Value::as_str) == Some("string");
            if value.is_string()
                && members
                    .iter()
                    .any(|m| is_string(m) && m.get("enum").is_some())
                && members
                    .iter()
                    .any(|m| is_string(m) && m.get("enum").is_none())
            {
                return Some(Open::Enum(steps));
            }
            let discriminator = members.iter().find_map(|m| {
                m.pointer("/discriminator/propertyName")
                    .and_then(Value::as_str)
            })?;
            (members.len() > 1 && value.get(discriminator).is_some())
                .then(|| Open::Union(steps, discriminator.to_owned()))
        })
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

    fn schema_spec() -> Value {
        json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "OpenKind": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "string"}]},
            "Known": {"oneOf": [{"type": "object", "properties": {"view": {"type": "string"}}}],
                      "discriminator": {"propertyName": "view"}},
            "OpenValue": {"anyOf": [{"$ref": "#/components/schemas/Known"}, {"type": "object"}]},
            "Item": {"type": "object", "required": ["late", "name"],
                     "properties": {"name": {"type": "string"},
                                    "late": {"type": "string", "nullable": true},
                                    "value": {"$ref": "#/components/schemas/OpenValue"}}},
            "Top": {"type": "object",
                    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                                   "kind": {"$ref": "#/components/schemas/OpenKind"},
                                   "closed": {"$ref": "#/components/schemas/Kind"}}}
        }}})
    }

    #[test]
    fn the_shallowest_required_non_nullable_property_is_found() {
        let spec = schema_spec();
        let schema = json!({"$ref": "#/components/schemas/Top"});
        let example = json!({"items": [{"late": null}, {"late": null, "name": "n"}], "kind": "a"});
        assert_eq!(
            first_required(&spec, &schema, &example),
            Some((
                vec![Step::Key("items".into()), Step::Index(1)],
                "name".to_owned()
            ))
        );
        assert_eq!(first_required(&spec, &schema, &json!({"kind": "a"})), None);
    }

    #[test]
    fn open_enums_and_unions_are_found_closed_enums_are_not() {
        let spec = schema_spec();
        let schema = json!({"$ref": "#/components/schemas/Top"});
        assert_eq!(
            first_open(&spec, &schema, &json!({"closed": "a", "kind": "b"})),
            Some(Open::Enum(vec![Step::Key("kind".into())]))
        );
        assert_eq!(
            first_open(
                &spec,
                &schema,
                &json!({"closed": "a", "items": [{"value": {"view": "x"}}]})
            ),
            Some(Open::Union(
                vec![
                    Step::Key("items".into()),
                    Step::Index(0),
                    Step::Key("value".into())
                ],
                "view".to_owned()
            ))
        );
        assert_eq!(first_open(&spec, &schema, &json!({"closed": "a"})), None);
        let mut example = json!({"items": [{"name": "n"}]});
        *at_mut(
            &mut example,
            &[
                Step::Key("items".into()),
                Step::Index(0),
                Step::Key("name".into()),
            ],
        )
        .unwrap() = json!("m");
        assert_eq!(example, json!({"items": [{"name": "m"}]}));
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
