//! Bodies are JSON: every request body and response of the spec must be
//! `application/json` (or have no content), checked before progenitor sees
//! the spec.
//!
//! Progenitor types any other media type (`text/csv`, a file download) as
//! a raw byte stream. The rest of this workspace is built on JSON bodies:
//! the operation table's success type, `call`'s decoding, the paginator,
//! the mock's validation. Such an operation would generate code that does
//! not compile, far from the spec line that caused it. So the generator
//! refuses it here, naming the operation, the status and the media type.

use anyhow::{Result, bail};
use serde_json::Value;

/// The one media type bodies may have.
const JSON: &str = "application/json";

/// Every request body or response of `spec` (a spec as JSON, named `name`
/// in the error) whose content is not only `application/json`, refused in
/// one error that lists them all.
pub fn check(name: &str, spec: &Value) -> Result<()> {
    let mut refused = Vec::new();
    let paths = spec["paths"].as_object().into_iter().flatten();
    for (path, item) in paths {
        let operations = item.as_object().into_iter().flatten();
        for (method, operation) in operations.filter(|(_, op)| op.get("responses").is_some()) {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or("(no operationId)");
            let place = format!("`{id}` ({} {path})", method.to_uppercase());
            if let Some(body) = operation.get("requestBody") {
                for media in other_media(resolve(spec, body)) {
                    refused.push(format!("{place}: its request body is {media}"));
                }
            }
            let responses = operation["responses"].as_object().into_iter().flatten();
            for (status, response) in responses {
                for media in other_media(resolve(spec, response)) {
                    refused.push(format!("{place}: its {status} response is {media}"));
                }
            }
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    bail!(
        "{name}: every request body and response must be {JSON} (the generated client, \
         the wrappers and the mock decode JSON only):\n  {}",
        refused.join("\n  ")
    )
}

/// The media types of `holder`'s `content` other than JSON.
fn other_media(holder: &Value) -> Vec<&str> {
    holder["content"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media, _)| media.as_str())
        .filter(|media| *media != JSON)
        .collect()
}

/// `node`, or what its local `$ref` (`#/components/...`) points at.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(node),
        None => node,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(get: Value) -> Value {
        json!({
            "paths": {"/reports/{id}": {"parameters": [], "get": get}},
            "components": {"responses": {
                "Csv": {"description": "a file", "content": {"text/csv": {"schema": {"type": "string"}}}},
                "Json": {"description": "json", "content": {"application/json": {"schema": {"type": "object"}}}}
            }}
        })
    }

    #[test]
    fn json_bodies_and_empty_responses_pass() {
        let get = json!({"operationId": "get_report", "responses": {
            "200": {"$ref": "#/components/responses/Json"},
            "204": {"description": "nothing"}
        }});
        check("spec/x.yaml", &spec(get)).unwrap();
    }

    #[test]
    fn another_media_type_is_refused_naming_the_operation_status_and_type() {
        let get = json!({"operationId": "get_report", "requestBody": {"content": {
            "application/json": {"schema": {"type": "object"}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
        }}, "responses": {
            "200": {"$ref": "#/components/responses/Csv"},
            "400": {"$ref": "#/components/responses/Json"}
        }});
        let error = check("spec/x.yaml", &spec(get)).unwrap_err().to_string();
        assert_eq!(
            error,
            "spec/x.yaml: every request body and response must be application/json \
             (the generated client, the wrappers and the mock decode JSON only):\n  \
             `get_report` (GET /reports/{id}): its request body is application/x-www-form-urlencoded\n  \
             `get_report` (GET /reports/{id}): its 200 response is text/csv"
        );
    }
}
