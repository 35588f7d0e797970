//! Bodies are JSON: every request body must be `application/json`
//! (parameters such as `; charset=utf-8` aside), and every success
//! response with content must offer it (among others, if it likes),
//! checked before progenitor sees the spec. Error responses may be anything
//! (`application/problem+json`, an HTML page): the wrappers keep an
//! error's body as bytes.
//!
//! Progenitor types any other media type (`text/csv`, a file download) as
//! a raw byte stream. The rest of this workspace is built on JSON bodies:
//! the operation table's success type, `call`'s decoding, `call_json`'s
//! body, the paginator, the mock's validation. Such an operation would
//! generate code that does not compile, far from the spec line that caused
//! it. So the generator refuses it here, naming the operation, the status
//! and the media type.

use anyhow::{Result, bail};
use serde_json::Value;

/// Every request body or success response of `spec` (a spec as JSON,
/// named `name` in the error) with content that is not JSON, refused in
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
            // A request body is sent as JSON: any other type offered is
            // refused (progenitor takes one type and panics on more).
            if let Some(body) = operation.get("requestBody") {
                for media in media_types(resolve(spec, body)) {
                    if !is_json(media) {
                        refused.push(format!("{place}: its request body is {media}"));
                    }
                }
            }
            // A success is decoded from its JSON, so it needs one among its
            // types (progenitor picks it); an error's body is kept as bytes,
            // whatever its type.
            let responses = operation["responses"].as_object().into_iter().flatten();
            for (status, response) in responses.filter(|(status, _)| status.starts_with('2')) {
                let media = media_types(resolve(spec, response));
                if !media.is_empty() && !media.iter().any(|media| is_json(media)) {
                    let media = media.join(" or ");
                    refused.push(format!("{place}: its {status} response is {media}"));
                }
            }
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    bail!(
        "{name}: every request body and success response must be JSON (the generated \
         client, the wrappers and the mock decode JSON only):\n  {}",
        refused.join("\n  ")
    )
}

/// The media types of `holder`'s `content`.
fn media_types(holder: &Value) -> Vec<&str> {
    holder["content"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media, _)| media.as_str())
        .collect()
}

/// `application/json`, parameters (`; charset=utf-8`) aside: what
/// progenitor decodes as JSON (a `+json` type it types as bytes).
fn is_json(media: &str) -> bool {
    media.split(';').next().unwrap_or_default().trim() == "application/json"
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
            "201": {"description": "json with a charset",
                    "content": {"application/json; charset=utf-8": {}}},
            "203": {"description": "json among others",
                    "content": {"application/xml": {}, "application/json": {}}},
            "204": {"description": "nothing"},
            // An error's body may be anything: it is kept as bytes.
            "400": {"description": "problem", "content": {"application/problem+json": {}}},
            "502": {"$ref": "#/components/responses/Csv"}
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
            "202": {"description": "a +json type and yaml",
                    "content": {"application/vnd.api+json": {}, "application/yaml": {}}},
            "400": {"$ref": "#/components/responses/Csv"}
        }});
        let error = check("spec/x.yaml", &spec(get)).unwrap_err().to_string();
        assert_eq!(
            error,
            "spec/x.yaml: every request body and success response must be JSON \
             (the generated client, the wrappers and the mock decode JSON only):\n  \
             `get_report` (GET /reports/{id}): its request body is application/x-www-form-urlencoded\n  \
             `get_report` (GET /reports/{id}): its 200 response is text/csv\n  \
             `get_report` (GET /reports/{id}): its 202 response is application/vnd.api+json or application/yaml"
        );
    }
}
