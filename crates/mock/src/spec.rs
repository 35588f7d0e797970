//! The embedded OpenAPI documents, and their conversion to JSON Schema.
//!
//! OpenAPI 3.0 schemas are close to JSON Schema but not equal. The conversion bridges the
//! gap the specs in `spec/` need: `nullable: true` becomes an explicit `null` alternative,
//! `$ref: '#/components/schemas/X'` becomes `#/$defs/X` (every component is embedded under
//! `$defs`), and annotations JSON Schema does not know (`discriminator`, `example`, `x-*`, …)
//! are dropped.

use serde_json::{Map, Value, json};

use crate::operation::{Api, Operation};

/// `spec/spott.yaml`, embedded at compile time.
pub const SPOTT_YAML: &str = include_str!("../../../spec/spott.yaml");

/// `spec/saleshandy.yaml`, embedded at compile time.
pub const SALESHANDY_YAML: &str = include_str!("../../../spec/saleshandy.yaml");

/// Why the embedded specs could not be turned into validators.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The YAML does not parse.
    #[error("the {api} spec is not valid YAML: {message}")]
    Parse {
        /// Which spec.
        api: Api,
        /// The parser's message.
        message: String,
    },
    /// The document lacks something the mock needs (an operation, a referenced component, …).
    #[error("the {api} spec: {message}")]
    Shape {
        /// Which spec.
        api: Api,
        /// What is missing or wrong.
        message: String,
    },
    /// A converted schema is not a valid JSON Schema.
    #[error("the schema for {what} does not compile: {message}")]
    Compile {
        /// Which schema (operation and part).
        what: String,
        /// The compiler's message.
        message: String,
    },
}

/// One response an operation declares: its status key (`"200"`, `"5XX"`), the JSON Schema of
/// its JSON body (if any) and the names of the headers it declares.
#[derive(Debug, Clone)]
pub(crate) struct ResponseSpec {
    pub(crate) status_key: String,
    pub(crate) schema: Option<Value>,
    pub(crate) headers: Vec<String>,
}

/// What an operation declares, with schemas still in OpenAPI form.
#[derive(Debug, Clone)]
pub(crate) struct OperationSpec {
    pub(crate) request_body: Option<Value>,
    pub(crate) path_params: Vec<(String, Value)>,
    pub(crate) responses: Vec<ResponseSpec>,
}

/// One parsed OpenAPI document.
#[derive(Debug, Clone)]
pub(crate) struct ApiDocument {
    api: Api,
    doc: Value,
}

impl ApiDocument {
    /// Parses the embedded document of `api`.
    pub(crate) fn load(api: Api) -> Result<Self, SpecError> {
        let text = match api {
            Api::Spott => SPOTT_YAML,
            Api::Saleshandy => SALESHANDY_YAML,
        };
        let doc: Value = serde_norway::from_str(text).map_err(|e| SpecError::Parse {
            api,
            message: e.to_string(),
        })?;
        if !doc.is_object() {
            return Err(self_shape(api, "the document is not a mapping"));
        }
        Ok(Self { api, doc })
    }

    /// Every component schema, converted, keyed by component name (the `$defs` of every
    /// validator built from this document).
    pub(crate) fn defs(&self, close_objects: bool) -> Map<String, Value> {
        let mut defs = Map::new();
        if let Some(schemas) = self
            .doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                defs.insert(name.clone(), convert_schema(schema, close_objects));
            }
        }
        defs
    }

    /// Finds `op` by its `operationId`, checks it sits at the method and path the mock serves,
    /// and collects its parameters, body and responses.
    pub(crate) fn operation(&self, op: Operation) -> Result<OperationSpec, SpecError> {
        let paths = self
            .doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| self_shape(self.api, "no `paths`"))?;
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                if operation.get("operationId").and_then(Value::as_str) != Some(op.operation_id()) {
                    continue;
                }
                if path != op.path_template() || !method.eq_ignore_ascii_case(op.method()) {
                    return Err(self_shape(
                        self.api,
                        &format!(
                            "`{}` is at {} {path}, the mock serves it at {} {}",
                            op.operation_id(),
                            method.to_uppercase(),
                            op.method(),
                            op.path_template()
                        ),
                    ));
                }
                return self.collect(item.get("parameters"), operation);
            }
        }
        Err(self_shape(
            self.api,
            &format!("no operation `{}`", op.operation_id()),
        ))
    }

    fn collect(
        &self,
        item_params: Option<&Value>,
        operation: &Value,
    ) -> Result<OperationSpec, SpecError> {
        let mut path_params = Vec::new();
        let all_params = item_params
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(
                operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        for param in all_params {
            let param = self.resolve(param)?;
            if param.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| self_shape(self.api, "a path parameter has no name"))?;
            let schema = param.get("schema").cloned().unwrap_or_else(|| json!({}));
            // An operation-level parameter overrides a path-level one of the same name.
            path_params.retain(|(n, _): &(String, Value)| n != name);
            path_params.push((name.to_owned(), schema));
        }

        let request_body = match operation.get("requestBody") {
            Some(body) => self
                .resolve(body)?
                .pointer("/content/application~1json/schema")
                .cloned(),
            None => None,
        };

        let mut responses = Vec::new();
        if let Some(map) = operation.get("responses").and_then(Value::as_object) {
            for (status_key, response) in map {
                let response = self.resolve(response)?;
                let schema = response
                    .pointer("/content/application~1json/schema")
                    .cloned();
                let headers = response
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().cloned().collect())
                    .unwrap_or_default();
                responses.push(ResponseSpec {
                    status_key: status_key.clone(),
                    schema,
                    headers,
                });
            }
        }
        Ok(OperationSpec {
            request_body,
            path_params,
            responses,
        })
    }

    /// Follows a local `$ref` (`#/components/...`) to what it names, or returns `value` itself.
    fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value, SpecError> {
        let mut current = value;
        // Bounded: a chain of references longer than this is a cycle.
        for _ in 0..16 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Ok(current);
            };
            let pointer = reference.strip_prefix('#').ok_or_else(|| {
                self_shape(self.api, &format!("non-local reference `{reference}`"))
            })?;
            current = self.doc.pointer(pointer).ok_or_else(|| {
                self_shape(self.api, &format!("dangling reference `{reference}`"))
            })?;
        }
        Err(self_shape(self.api, "a reference chain does not end"))
    }
}

fn self_shape(api: Api, message: &str) -> SpecError {
    SpecError::Shape {
        api,
        message: message.to_owned(),
    }
}

/// Keywords of OpenAPI 3.0 schema objects that JSON Schema either lacks or that carry no
/// validation meaning here.
const DROPPED_KEYWORDS: &[&str] = &[
    "nullable",
    "discriminator",
    "example",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Converts one OpenAPI 3.0 schema object to JSON Schema (draft 2020-12).
///
/// With `close_objects`, every object schema that lists `properties` and says nothing about
/// `additionalProperties` gets `additionalProperties: false`, so unknown request fields are
/// reported instead of silently ignored.
pub(crate) fn convert_schema(schema: &Value, close_objects: bool) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        if DROPPED_KEYWORDS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let converted = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(r) => Value::String(match r.strip_prefix("#/components/schemas/") {
                    Some(name) => format!("#/$defs/{name}"),
                    None => r.to_owned(),
                }),
                None => value.clone(),
            },
            "properties" | "patternProperties" => match value.as_object() {
                Some(props) => Value::Object(
                    props
                        .iter()
                        .map(|(name, s)| (name.clone(), convert_schema(s, close_objects)))
                        .collect(),
                ),
                None => value.clone(),
            },
            "items" | "additionalProperties" | "not" => convert_schema(value, close_objects),
            "allOf" | "anyOf" | "oneOf" => match value.as_array() {
                Some(list) => Value::Array(
                    list.iter()
                        .map(|s| convert_schema(s, close_objects))
                        .collect(),
                ),
                None => value.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }

    if close_objects && out.contains_key("properties") && !out.contains_key("additionalProperties")
    {
        out.insert("additionalProperties".to_owned(), Value::Bool(false));
    }

    if map.get("nullable").and_then(Value::as_bool) == Some(true) {
        return make_nullable(out);
    }
    Value::Object(out)
}

/// Lets `null` through a converted schema: by widening `type` when the schema is a plain typed
/// one (the clearest error messages), else by an `anyOf` with a `null` branch.
fn make_nullable(mut out: Map<String, Value>) -> Value {
    let composed = ["$ref", "allOf", "anyOf", "oneOf"]
        .iter()
        .any(|k| out.contains_key(*k));
    if !composed && let Some(Value::String(ty)) = out.get("type").cloned() {
        out.insert("type".to_owned(), json!([ty, "null"]));
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        return Value::Object(out);
    }
    let mut wrapper = Map::new();
    if let Some(description) = out.remove("description") {
        wrapper.insert("description".to_owned(), description);
    }
    wrapper.insert(
        "anyOf".to_owned(),
        json!([{ "type": "null" }, Value::Object(out)]),
    );
    Value::Object(wrapper)
}

/// A standalone JSON Schema: `schema` (already converted) with `defs` embedded under `$defs`.
pub(crate) fn with_defs(schema: Value, defs: &Map<String, Value>) -> Value {
    let mut root = match schema {
        Value::Object(map) => map,
        Value::Bool(true) => Map::new(),
        other => {
            let mut map = Map::new();
            map.insert("allOf".to_owned(), json!([other]));
            map
        }
    };
    root.insert(
        "$schema".to_owned(),
        Value::String("https://json-schema.org/draft/2020-12/schema".to_owned()),
    );
    root.insert("$defs".to_owned(), Value::Object(defs.clone()));
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_plain_type_widens_type_and_enum() {
        let s = json!({"type": "string", "enum": ["a"], "nullable": true, "example": "a"});
        assert_eq!(
            convert_schema(&s, false),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
    }

    #[test]
    fn nullable_ref_becomes_any_of_with_null() {
        let s = json!({
            "allOf": [{"$ref": "#/components/schemas/X"}],
            "nullable": true,
            "description": "d"
        });
        assert_eq!(
            convert_schema(&s, false),
            json!({"description": "d", "anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/$defs/X"}]}]})
        );
    }

    #[test]
    fn drops_openapi_only_keywords_and_extensions() {
        let s = json!({
            "oneOf": [{"$ref": "#/components/schemas/A"}],
            "discriminator": {"propertyName": "viewType"},
            "x-rust-type": "A"
        });
        assert_eq!(
            convert_schema(&s, false),
            json!({"oneOf": [{"$ref": "#/$defs/A"}]})
        );
    }

    #[test]
    fn property_names_are_not_keywords() {
        let s = json!({"type": "object", "properties": {"example": {"type": "string", "example": "x"}}});
        assert_eq!(
            convert_schema(&s, true),
            json!({"type": "object", "properties": {"example": {"type": "string"}}, "additionalProperties": false})
        );
    }

    #[test]
    fn both_specs_load_and_every_operation_is_where_the_mock_serves_it() {
        for op in Operation::ALL {
            let doc = ApiDocument::load(op.api()).expect("spec loads");
            let spec = doc.operation(op).expect("operation found");
            assert_eq!(spec.request_body.is_some(), op.has_body(), "{op}");
            assert!(!spec.responses.is_empty(), "{op}");
        }
    }
}
