//! The embedded OpenAPI documents, and their conversion to JSON Schema.
//!
//! OpenAPI 3.0 schemas are close to JSON Schema but not equal. The conversion bridges the
//! gap the specs in `spec/` need: `nullable: true` becomes an explicit `null` alternative,
//! `$ref: '#/components/schemas/X'` becomes `#/$defs/X` (every component is embedded under
//! `$defs`), and annotations JSON Schema does not know (`discriminator`, `example`, `x-*`, …)
//! are dropped.

use serde_json::{Map, Value, json};

use crate::operation::Api;

/// `spec/spott.yaml`, embedded at compile time (from the crate's copy,
/// which `cargo xtask generate` keeps identical, so the packaged crate
/// carries it).
pub const SPOTT_YAML: &str = include_str!("../spec/spott.yaml");

/// `spec/saleshandy.yaml`, embedded at compile time (the crate's copy).
pub const SALESHANDY_YAML: &str = include_str!("../spec/saleshandy.yaml");

/// Why the embedded specs could not be turned into validators.
#[derive(Clone, Debug, thiserror::Error)]
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

/// Where a parameter lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter an operation declares (path-level ones merged in), schema in OpenAPI form.
#[derive(Debug, Clone)]
pub(crate) struct ParamSpec {
    pub(crate) name: String,
    pub(crate) location: ParamLocation,
    pub(crate) required: bool,
    pub(crate) schema: Value,
}

/// The JSON request body an operation declares.
#[derive(Debug, Clone)]
pub(crate) struct BodySpec {
    pub(crate) required: bool,
    /// The `application/json` schema; `None` when the body is not JSON or has no schema.
    pub(crate) schema: Option<Value>,
}

/// One response an operation declares: its status key (`"200"`, `"5XX"`), the schema of its
/// JSON body (if any, OpenAPI form), its first example (`examples`, else `example`) and the
/// names of the headers it declares.
#[derive(Debug, Clone)]
pub(crate) struct ResponseSpec {
    pub(crate) status_key: String,
    pub(crate) schema: Option<Value>,
    pub(crate) example: Option<Value>,
    pub(crate) headers: Vec<String>,
}

/// One operation of a document, with schemas still in OpenAPI form.
#[derive(Debug, Clone)]
pub(crate) struct OperationSpec {
    pub(crate) operation_id: String,
    /// Upper case.
    pub(crate) method: String,
    pub(crate) path_template: String,
    /// The operation's `x-retry-safety`, if it declares one.
    pub(crate) retry_safety: Option<String>,
    /// The operation's `x-pagination` (how a list pages), if it declares one.
    pub(crate) pagination: Option<Value>,
    pub(crate) parameters: Vec<ParamSpec>,
    pub(crate) request_body: Option<BodySpec>,
    pub(crate) responses: Vec<ResponseSpec>,
}

/// The HTTP methods an OpenAPI path item may hold (everything else in it is not an operation).
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One parsed OpenAPI document.
#[derive(Debug, Clone)]
pub(crate) struct ApiDocument {
    api: Api,
    doc: Value,
}

impl ApiDocument {
    /// Parses the embedded document of `api`.
    pub(crate) fn load(api: Api) -> Result<Self, SpecError> {
        Self::parse(
            api,
            match api {
                Api::Spott => SPOTT_YAML,
                Api::Saleshandy => SALESHANDY_YAML,
            },
        )
    }

    /// Parses `text` as the document of `api`.
    pub(crate) fn parse(api: Api, text: &str) -> Result<Self, SpecError> {
        let parse_error = |message: String| SpecError::Parse { api, message };
        let mut yaml: serde_norway::Value =
            serde_norway::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        // JSON maps here sort their keys; the first example must stay the first written.
        keep_first_examples(&mut yaml);
        let doc: Value = serde_norway::from_value(yaml).map_err(|e| parse_error(e.to_string()))?;
        if !doc.is_object() {
            return Err(self_shape(api, "the document is not a mapping"));
        }
        Ok(Self { api, doc })
    }

    /// The API this document describes.
    pub(crate) fn api(&self) -> Api {
        self.api
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

    /// Every operation of the document, in path order, with its parameters, body and
    /// responses. An operation without `operationId` is an error: the mock names operations
    /// by it.
    pub(crate) fn operations(&self) -> Result<Vec<OperationSpec>, SpecError> {
        let paths = self
            .doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| self_shape(self.api, "no `paths`"))?;
        let mut out = Vec::new();
        for (path, item) in paths {
            let item = self.resolve(item)?;
            let Some(map) = item.as_object() else {
                continue;
            };
            for (method, operation) in map {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        self_shape(
                            self.api,
                            &format!("{} {path} has no operationId", method.to_uppercase()),
                        )
                    })?;
                out.push(self.collect(id, method, path, item.get("parameters"), operation)?);
            }
        }
        Ok(out)
    }

    fn collect(
        &self,
        id: &str,
        method: &str,
        path: &str,
        item_params: Option<&Value>,
        operation: &Value,
    ) -> Result<OperationSpec, SpecError> {
        let mut parameters: Vec<ParamSpec> = Vec::new();
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
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                other => {
                    return Err(self_shape(
                        self.api,
                        &format!("{id}: a parameter is `in: {other:?}`"),
                    ));
                }
            };
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| self_shape(self.api, &format!("{id}: a parameter has no name")))?;
            let schema = match param.get("schema") {
                Some(s) => self.resolve(s)?.clone(),
                None => json!({}),
            };
            let required = location == ParamLocation::Path
                || param.get("required").and_then(Value::as_bool) == Some(true);
            // An operation-level parameter overrides a path-level one of the same name and place.
            parameters.retain(|p| !(p.name == name && p.location == location));
            parameters.push(ParamSpec {
                name: name.to_owned(),
                location,
                required,
                schema,
            });
        }

        let request_body = match operation.get("requestBody") {
            Some(body) => {
                let body = self.resolve(body)?;
                Some(BodySpec {
                    required: body.get("required").and_then(Value::as_bool) == Some(true),
                    schema: body.pointer("/content/application~1json/schema").cloned(),
                })
            }
            None => None,
        };

        let mut responses = Vec::new();
        if let Some(map) = operation.get("responses").and_then(Value::as_object) {
            for (status_key, response) in map {
                let response = self.resolve(response)?;
                let media = response.pointer("/content/application~1json");
                let schema = media.and_then(|m| m.get("schema")).cloned();
                let example = match media {
                    Some(m) => self.first_example(m)?,
                    None => None,
                };
                let headers = response
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().cloned().collect())
                    .unwrap_or_default();
                responses.push(ResponseSpec {
                    status_key: status_key.clone(),
                    schema,
                    example,
                    headers,
                });
            }
        }
        Ok(OperationSpec {
            operation_id: id.to_owned(),
            method: method.to_ascii_uppercase(),
            path_template: path.to_owned(),
            retry_safety: operation
                .get("x-retry-safety")
                .and_then(Value::as_str)
                .map(str::to_owned),
            pagination: operation.get("x-pagination").cloned(),
            parameters,
            request_body,
            responses,
        })
    }

    /// The first example of a media type object: the first of `examples` (its `value`), else
    /// `example`.
    fn first_example(&self, media: &Value) -> Result<Option<Value>, SpecError> {
        if let Some(first) = media
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|examples| examples.values().next())
        {
            return Ok(self.resolve(first)?.get("value").cloned());
        }
        Ok(media.get("example").cloned())
    }

    /// Follows a local `$ref` (`#/components/...`) to what it names, or returns `value` itself.
    pub(crate) fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value, SpecError> {
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

/// Cuts every `examples` map of a media type or parameter (a mapping that also has `schema`)
/// down to its first entry, in document order.
fn keep_first_examples(value: &mut serde_norway::Value) {
    match value {
        serde_norway::Value::Mapping(map) => {
            if map.contains_key("schema")
                && let Some(serde_norway::Value::Mapping(examples)) = map.get_mut("examples")
            {
                let first = examples.iter().next().map(|(k, v)| (k.clone(), v.clone()));
                examples.clear();
                if let Some((key, example)) = first {
                    examples.insert(key, example);
                }
            }
            for (_, child) in map.iter_mut() {
                keep_first_examples(child);
            }
        }
        serde_norway::Value::Sequence(items) => items.iter_mut().for_each(keep_first_examples),
        serde_norway::Value::Tagged(tagged) => keep_first_examples(&mut tagged.value),
        _ => {}
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
    fn both_specs_load_with_their_operations() {
        for api in Api::ALL {
            let doc = ApiDocument::load(api).expect("spec loads");
            let ops = doc.operations().expect("operations");
            assert!(!ops.is_empty(), "{api}");
            for op in ops {
                assert!(!op.responses.is_empty(), "{}", op.operation_id);
            }
        }
    }

    #[test]
    fn operations_collect_parameters_bodies_and_examples() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: string}}
    get:
      operationId: get_thing
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                second: {value: {id: b}}
                first: {value: {id: a}}
    delete:
      operationId: delete_thing
      x-retry-safety: idempotent-write
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        '204': {description: gone}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
"##;
        let doc = ApiDocument::parse(Api::Spott, text).expect("parses");
        let ops = doc.operations().expect("operations");
        let rows: Vec<_> = ops
            .iter()
            .map(|o| {
                (
                    o.operation_id.as_str(),
                    o.method.as_str(),
                    o.path_template.as_str(),
                    o.retry_safety.as_deref(),
                    o.parameters
                        .iter()
                        .map(|p| (p.name.as_str(), p.location, p.required))
                        .collect::<Vec<_>>(),
                    o.request_body.as_ref().map(|b| b.required),
                )
            })
            .collect();
        // Spec order (serde_json's `preserve_order`, which this crate asks
        // for itself so the order never depends on what else is built).
        assert_eq!(
            rows,
            vec![
                (
                    "get_thing",
                    "GET",
                    "/things/{thingId}",
                    None,
                    vec![
                        ("thingId", ParamLocation::Path, true),
                        ("limit", ParamLocation::Query, false)
                    ],
                    None
                ),
                (
                    "delete_thing",
                    "DELETE",
                    "/things/{thingId}",
                    Some("idempotent-write"),
                    vec![("thingId", ParamLocation::Path, true)],
                    Some(false)
                ),
            ]
        );
        // The first written, not the first in key order.
        assert_eq!(ops[0].responses[0].example, Some(json!({"id": "b"})));
        assert_eq!(ops[1].responses[0].schema, None);
    }

    #[test]
    fn an_operation_without_id_is_an_error() {
        let text = "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses: {}\n";
        let error = ApiDocument::parse(Api::Saleshandy, text)
            .unwrap()
            .operations()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the saleshandy spec: GET /x has no operationId"
        );
    }
}
