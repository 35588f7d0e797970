//! Answers for operations without state: the success response the spec declares, with its
//! example, else a value built from its schema.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use crate::operation::{Api, Operation};
use crate::routes::Outcome;
use crate::spec::{ApiDocument, ResponseSpec};
use crate::validate::SpecValidator;

/// The parsed documents, once per process (for following `$ref`s while building values).
fn document(api: Api) -> Option<&'static ApiDocument> {
    static DOCS: OnceLock<Vec<ApiDocument>> = OnceLock::new();
    DOCS.get_or_init(|| {
        Api::ALL
            .into_iter()
            .filter_map(|api| ApiDocument::load(api).ok())
            .collect()
    })
    .iter()
    .find(|doc| doc.api() == api)
}

/// The status a status key stands for: itself, or the first of its range (`2XX` → 200).
pub(crate) fn key_status(key: &str) -> Option<u16> {
    if let Ok(status) = key.parse::<u16>() {
        return Some(status);
    }
    let bytes = key.as_bytes();
    match bytes {
        [digit @ b'1'..=b'5', x, y]
            if x.eq_ignore_ascii_case(&b'X') && y.eq_ignore_ascii_case(&b'X') =>
        {
            Some(u16::from(digit - b'0') * 100)
        }
        _ => None,
    }
}

/// The success response of `op`: for a create, `201` when declared; otherwise the lowest 2xx.
pub(crate) fn success_response(op: Operation) -> Option<(u16, &'static ResponseSpec)> {
    let mut successes: Vec<(u16, &ResponseSpec)> = op
        .spec()
        .responses
        .iter()
        .filter_map(|r| key_status(&r.status_key).map(|s| (s, r)))
        .filter(|(s, _)| (200..300).contains(s))
        .collect();
    successes.sort_by_key(|(s, _)| *s);
    if op.creates()
        && let Some(created) = successes.iter().find(|(s, _)| *s == 201)
    {
        return Some(*created);
    }
    successes.first().copied()
}

/// The body the spec gives `response` of `op`: its example when it fits the schema, else a
/// value built from the schema; `None` for a response without a JSON body.
pub(crate) fn response_body(
    validator: &SpecValidator,
    op: Operation,
    response: &ResponseSpec,
) -> Option<Value> {
    let schema = response.schema.as_ref()?;
    if let Some(example) = &response.example
        && validator
            .validate_response_key(op, &response.status_key, example)
            .is_ok()
    {
        return Some(example.clone());
    }
    let doc = document(op.api())?;
    Some(synthesize(doc, schema, &mut Vec::new()).unwrap_or_else(|| json!({})))
}

/// A value `schema` (a parameter's, in `api`'s spec) accepts, as query text.
pub(crate) fn query_value(api: Api, schema: &Value) -> String {
    let value = document(api).and_then(|doc| synthesize(doc, schema, &mut Vec::new()));
    match value {
        Some(Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The answer of an operation without state: its success status and body.
pub(crate) fn answer(validator: &SpecValidator, op: Operation) -> Outcome {
    match success_response(op) {
        Some((status, response)) => Outcome::Success {
            status,
            body: response_body(validator, op, response),
            created: Vec::new(),
        },
        // The generator refuses operations without a 2xx; the mock says 200 with no body.
        None => Outcome::Success {
            status: 200,
            body: None,
            created: Vec::new(),
        },
    }
}

const DATE: &str = "2026-01-01";
const DATE_TIME: &str = "2026-01-01T00:00:00Z";
const EMAIL: &str = "user@example.com";
const UUID: &str = "00000000-0000-4000-8000-000000000000";

/// A value `schema` (OpenAPI form, in `doc`) accepts: the first enum value, the required
/// properties only, arrays of one item, formats respected, `$ref`s followed. `None` when the
/// schema leads back into a reference being built (a cycle) with nothing smaller to offer.
fn synthesize(doc: &ApiDocument, schema: &Value, refs: &mut Vec<String>) -> Option<Value> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if refs.iter().any(|r| r == reference) {
            return None;
        }
        let target = doc.resolve(schema).ok()?;
        refs.push(reference.to_owned());
        let value = synthesize(doc, target, refs);
        refs.pop();
        return value;
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let value = synthesize_plain(doc, schema, refs);
    match value {
        None if nullable => Some(Value::Null),
        other => other,
    }
}

fn synthesize_plain(doc: &ApiDocument, schema: &Value, refs: &mut Vec<String>) -> Option<Value> {
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.iter().find(|v| !v.is_null()))
    {
        return Some(first.clone());
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged: Option<Value> = None;
        for part in parts {
            let value = synthesize(doc, part, refs)?;
            merged = Some(match (merged, value) {
                (Some(Value::Object(mut a)), Value::Object(b)) => {
                    a.extend(b);
                    Value::Object(a)
                }
                (Some(a), _) => a,
                (None, b) => b,
            });
        }
        let mut own = schema.clone();
        if let Some(map) = own.as_object_mut() {
            map.remove("allOf");
        }
        if let (Some(Value::Object(mut merged)), true) = (merged.clone(), is_object(&own)) {
            if let Some(Value::Object(extra)) = synthesize_plain(doc, &own, refs) {
                merged.extend(extra);
            }
            return Some(Value::Object(merged));
        }
        return merged;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            return alternatives
                .iter()
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .find_map(|a| synthesize(doc, a, refs));
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => object(doc, schema, refs),
        None if is_object(schema) => object(doc, schema, refs),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match schema
                .get("items")
                .and_then(|items| synthesize(doc, items, refs))
            {
                Some(item) => Some(json!([item])),
                None if min == 0 => Some(json!([])),
                None => None,
            }
        }
        Some("string") => Some(Value::String(string(schema))),
        Some("integer") => Some(json!(number(schema).round() as i64)),
        Some("number") => Some(json!(number(schema))),
        Some("boolean") => Some(Value::Bool(true)),
        _ => Some(json!({})),
    }
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("required").is_some()
}

fn object(doc: &ApiDocument, schema: &Value, refs: &mut Vec<String>) -> Option<Value> {
    let mut out = Map::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let property = properties
            .and_then(|p| p.get(name))
            .cloned()
            .unwrap_or(json!({}));
        out.insert(name.to_owned(), synthesize(doc, &property, refs)?);
    }
    Some(Value::Object(out))
}

fn string(schema: &Value) -> String {
    let mut text = match schema.get("format").and_then(Value::as_str) {
        Some("date") => DATE.to_owned(),
        Some("date-time") => DATE_TIME.to_owned(),
        Some("email") => EMAIL.to_owned(),
        Some("uuid") => UUID.to_owned(),
        Some("uri" | "url") => "https://example.com/".to_owned(),
        _ => "string".to_owned(),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    while (text.chars().count() as u64) < min {
        text.push('x');
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        text = text
            .chars()
            .take(usize::try_from(max).unwrap_or(usize::MAX))
            .collect();
    }
    text
}

fn number(schema: &Value) -> f64 {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    match (min, max) {
        (Some(min), Some(max)) => (min + max) / 2.0,
        (Some(min), None) => min + if exclusive { 1.0 } else { 0.0 },
        (None, Some(max)) => max.min(0.0) - 1.0,
        (None, None) => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::UnknownFields;

    fn doc(text: &str) -> ApiDocument {
        ApiDocument::parse(Api::Spott, text).unwrap()
    }

    #[test]
    fn built_values_follow_the_schema() {
        let d = doc(r#"
openapi: 3.0.3
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [id, when, day, mail, key, kind, children, parent, n, ratio, ok]
      properties:
        id: {type: string, minLength: 10}
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        mail: {type: string, format: email}
        key: {type: string, format: uuid}
        kind: {type: string, enum: [b, a]}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        parent: {allOf: [{$ref: '#/components/schemas/Node'}], nullable: true}
        n: {type: integer, minimum: 3}
        ratio: {type: number, minimum: 0, maximum: 1}
        ok: {type: boolean}
        optional: {type: string}
"#);
        let value = synthesize(
            &d,
            &json!({"$ref": "#/components/schemas/Node"}),
            &mut Vec::new(),
        );
        assert_eq!(
            value,
            Some(json!({
                "id": "stringxxxx", "when": DATE_TIME, "day": DATE, "mail": EMAIL, "key": UUID,
                "kind": "b", "children": [], "parent": null, "n": 3, "ratio": 0.5, "ok": true,
            }))
        );
    }

    #[test]
    fn status_keys() {
        assert_eq!(key_status("201"), Some(201));
        assert_eq!(key_status("2XX"), Some(200));
        assert_eq!(key_status("5xx"), Some(500));
        assert_eq!(key_status("default"), None);
    }

    /// Every response schema of both specs: its example (if any) and the value built from it
    /// validate against it.
    #[test]
    fn every_response_of_both_specs_gets_a_valid_body() {
        let validator = SpecValidator::load(UnknownFields::Spec).unwrap();
        let mut checked = 0;
        for op in Operation::all() {
            let d = document(op.api()).unwrap();
            for response in &op.spec().responses {
                let Some(schema) = &response.schema else {
                    continue;
                };
                let built = synthesize(d, schema, &mut Vec::new()).unwrap_or_else(|| json!({}));
                if let Err(errors) =
                    validator.validate_response_key(op, &response.status_key, &built)
                {
                    panic!(
                        "{op} {}: built {built:#} is invalid: {errors:#?}",
                        response.status_key
                    );
                }
                if let Some(example) = &response.example
                    && let Err(errors) =
                        validator.validate_response_key(op, &response.status_key, example)
                {
                    panic!(
                        "{op} {}: the spec's example is invalid: {errors:#?}",
                        response.status_key
                    );
                }
                let body = response_body(&validator, op, response).unwrap();
                assert!(
                    validator
                        .validate_response_key(op, &response.status_key, &body)
                        .is_ok()
                );
                checked += 1;
            }
        }
        assert!(checked >= 30, "{checked}");
    }
}
