//! The schema rules as a table, run in both directions, and the whole diff
//! run over odd inputs to show it never panics.

use serde_json::{Value, json};

use super::compare;
use super::finding::Severity::{self, Breaking, Info, Warning};

const BODY: &str = "/paths/~1x/post/requestBody/content/application~1json/schema";
const REPLY: &str = "/paths/~1x/post/responses/200/content/application~1json/schema";

/// A document whose one operation sends `schema` and receives it back.
fn document(schema: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "paths": {"/x": {"post": {
            "requestBody": {"content": {"application/json": {"schema": schema.clone()}}},
            "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": schema}},
            }},
        }}},
    })
}

#[test]
fn schema_rules_by_direction() {
    let object = |props: Value, required: Value| json!({"type": "object", "properties": props, "required": required});
    let s = json!({"type": "string"});
    // (case, old, new, rule, pointer below the schema, request, response)
    let table: Vec<(&str, Value, Value, &str, &str, Severity, Severity)> = vec![
        (
            "field removed",
            object(json!({"a": s, "b": s}), json!([])),
            object(json!({"a": s}), json!([])),
            "property.removed",
            "/properties/b",
            Warning,
            Warning,
        ),
        (
            "required field removed",
            object(json!({"a": s, "b": s}), json!(["b"])),
            object(json!({"a": s}), json!([])),
            "property.removed",
            "/properties/b",
            Warning,
            Breaking,
        ),
        (
            "optional field added",
            object(json!({"a": s}), json!([])),
            object(json!({"a": s, "c": s}), json!([])),
            "property.added",
            "/properties/c",
            Info,
            Info,
        ),
        (
            "required field added",
            object(json!({"a": s}), json!([])),
            object(json!({"a": s, "c": s}), json!(["c"])),
            "property.added",
            "/properties/c",
            Breaking,
            Info,
        ),
        (
            "optional becomes required",
            object(json!({"a": s}), json!([])),
            object(json!({"a": s}), json!(["a"])),
            "property.required.changed",
            "/properties/a",
            Breaking,
            Info,
        ),
        (
            "required becomes optional",
            object(json!({"a": s}), json!(["a"])),
            object(json!({"a": s}), json!([])),
            "property.required.changed",
            "/properties/a",
            Info,
            Breaking,
        ),
        (
            "type changed",
            json!({"type": "string"}),
            json!({"type": "integer"}),
            "type.changed",
            "",
            Breaking,
            Breaking,
        ),
        (
            "format changed",
            json!({"type": "string", "format": "date"}),
            json!({"type": "string", "format": "date-time"}),
            "format.changed",
            "/format",
            Breaking,
            Breaking,
        ),
        (
            "made nullable",
            json!({"type": "string"}),
            json!({"type": "string", "nullable": true}),
            "nullable.changed",
            "/nullable",
            Info,
            Breaking,
        ),
        (
            "no longer nullable",
            json!({"type": "string", "nullable": true}),
            json!({"type": "string"}),
            "nullable.changed",
            "/nullable",
            Breaking,
            Info,
        ),
        (
            "enum value added to a closed enum",
            json!({"type": "string", "enum": ["a", "b"]}),
            json!({"type": "string", "enum": ["a", "b", "c"]}),
            "enum.value.added",
            "/enum/2",
            Info,
            Warning,
        ),
        (
            "enum value removed",
            json!({"type": "string", "enum": ["a", "b"]}),
            json!({"type": "string", "enum": ["a"]}),
            "enum.value.removed",
            "/enum/1",
            Breaking,
            Info,
        ),
        (
            "default changed",
            json!({"type": "string", "default": "a"}),
            json!({"type": "string", "default": "b"}),
            "default.changed",
            "/default",
            Info,
            Info,
        ),
        (
            "bound narrowed",
            json!({"type": "string", "maxLength": 10}),
            json!({"type": "string", "maxLength": 5}),
            "constraint.tightened",
            "/maxLength",
            Breaking,
            Info,
        ),
        (
            "bound widened",
            json!({"type": "integer", "minimum": 5}),
            json!({"type": "integer", "minimum": 0}),
            "constraint.loosened",
            "/minimum",
            Info,
            Breaking,
        ),
        (
            "variant added to a closed union",
            json!({"oneOf": [{"type": "string"}]}),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            "variant.added",
            "/oneOf/1",
            Info,
            Breaking,
        ),
        (
            "variant removed",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"anyOf": [{"type": "string"}]}),
            "variant.removed",
            "/anyOf/1",
            Breaking,
            Info,
        ),
        (
            "allOf part added",
            json!({"allOf": [{"type": "object"}, {"type": "object"}]}),
            json!({"allOf": [{"type": "object"}, {"type": "object"}, {"type": "object"}]}),
            "composition.changed",
            "/allOf/2",
            Breaking,
            Info,
        ),
        (
            "array items retyped",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "number"}}),
            "type.changed",
            "/items",
            Breaking,
            Breaking,
        ),
    ];
    for (case, old, new, rule, below, request, response) in table {
        let findings = compare(&document(old), &document(new));
        let got: Vec<_> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.pointer.as_str(), f.severity))
            .collect();
        let (request_pointer, response_pointer) =
            (format!("{BODY}{below}"), format!("{REPLY}{below}"));
        let expected = [
            (format!("request.{rule}"), request_pointer, request),
            (format!("response.{rule}"), response_pointer, response),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(rule, pointer, severity)| (rule.as_str(), pointer.as_str(), *severity))
            .collect();
        assert_eq!(got, expected, "{case}");
    }
}

/// Every fixture spec of `tests/fixtures/diff`.
fn fixture_documents() -> Vec<Value> {
    let root = crate::workspace_root()
        .expect("the workspace root")
        .join("xtask/tests/fixtures/diff");
    let mut documents = Vec::new();
    for case in std::fs::read_dir(root).expect("fixtures exist") {
        let case = case.expect("a readable entry").path();
        for side in ["old.yaml", "new.yaml"] {
            let text = std::fs::read_to_string(case.join(side)).expect("a fixture file");
            documents.push(super::source::parse(&text).expect("fixtures are OpenAPI 3"));
        }
    }
    documents
}

/// Documents of the right top-level shape and the wrong shape everywhere
/// below it.
fn odd_documents() -> Vec<Value> {
    let mut deep = json!({"type": "string"});
    for _ in 0..300 {
        deep = json!({"type": "array", "items": deep});
    }
    let texts = [
        "openapi: 3.0.3\npaths: 5\ncomponents: []\nservers: {}\nsecurity: 1\n",
        "openapi: 3.0.3\npaths: {/a: 3, /b: {get: 1, post: [], $ref: 2}}\n",
        "openapi: 3.0.3\npaths: {/a: {parameters: [1, {name: 1}, {$ref: 5}], get: {responses: []}}}\n",
        "openapi: 3.0.3\npaths: {/a: {get: {requestBody: 7, responses: {'200': 4, '201': {content: 1}}}}}\n",
        "openapi: 3.0.3\npaths: {'/{a}/{b': {get: {operationId: 1, security: [1, {x: 3}]}}}\n",
        "openapi: 3.0.3\ncomponents: {securitySchemes: {a: 1, b: {$ref: '#/nope'}}}\n",
        "openapi: 3.0.3\nservers: [1, {url: 2}, {url: x}]\n",
    ];
    let mut documents: Vec<Value> = texts
        .iter()
        .map(|text| super::source::parse(text).expect("valid YAML"))
        .collect();
    let schemas = [
        json!([1, 2]),
        json!("string"),
        json!({"properties": [], "required": "a", "enum": 5, "items": 3}),
        json!({"anyOf": {}, "oneOf": [1], "allOf": [[]], "additionalProperties": 4}),
        json!({"$ref": "#/components/schemas/Self"}),
        json!({"allOf": [{"$ref": "#/components/schemas/Self"}], "nullable": true}),
        json!({"type": "object", "properties": {"a": {"$ref": 1}}}),
        json!({"minLength": "x", "maximum": [], "pattern": {}}),
        deep,
    ];
    for schema in schemas {
        let mut document = document(schema);
        document["components"] = json!({"schemas": {
            "Self": {"type": "object", "properties": {"me": {"$ref": "#/components/schemas/Self"}}},
        }});
        documents.push(document);
    }
    documents
}

#[test]
fn any_pair_of_documents_compares_without_panicking() {
    let documents: Vec<Value> = fixture_documents()
        .into_iter()
        .chain(odd_documents())
        .collect();
    for old in &documents {
        for new in &documents {
            let findings = compare(old, new);
            if std::ptr::eq(old, new) {
                assert_eq!(findings, [], "a document against itself: {old}");
            }
        }
    }
}
