//! The JSON Schema (schemars) of every generated type: snapshotted, and
//! checked against the spec's component schemas on property names,
//! required-ness and enum values.

use std::collections::{BTreeMap, BTreeSet};

use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use serde_json::Value;
use workspace_tests::spec;

/// Every definition reachable from `roots`, by schema name.
fn definitions(register: impl FnOnce(&mut SchemaGenerator)) -> BTreeMap<String, Value> {
    let mut generator = SchemaSettings::openapi3().into_generator();
    register(&mut generator);
    generator
        .definitions()
        .iter()
        .map(|(name, schema)| (name.clone(), serde_json::to_value(schema).unwrap()))
        .collect()
}

fn spott_definitions() -> BTreeMap<String, Value> {
    // Every component's generated type, from the generated registrar, so
    // a new component (or operation) is checked too.
    definitions(spott_openapi::register_component_schemas)
}

fn saleshandy_definitions() -> BTreeMap<String, Value> {
    definitions(saleshandy_openapi::register_component_schemas)
}

fn string_set(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn key_set(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

/// A string schema without an enum: no properties, no variants to compare.
fn is_plain_string(component: &Value) -> bool {
    component.get("type").and_then(Value::as_str) == Some("string")
        && component.get("enum").is_none()
}

/// Compares every spec component with the generated type of the same name.
fn disagreements(api: &str, rust: &BTreeMap<String, Value>) -> Vec<String> {
    let spec = spec(api);
    let mut problems = Vec::new();
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("spec has component schemas");
    for (name, component) in components {
        let Some(generated) = rust.get(name) else {
            // A plain string component (an id kind) is a `#[serde(transparent)]`
            // newtype, whose schema schemars writes inline where it is used,
            // never as a definition of its own (the API-surface snapshot
            // lists the type itself).
            if !is_plain_string(component) {
                problems.push(format!("{name}: in the spec, no generated type"));
            }
            continue;
        };
        let spec_properties = key_set(component.get("properties"));
        let rust_properties = key_set(generated.get("properties"));
        if spec_properties != rust_properties {
            problems.push(format!(
                "{name}: properties differ: spec {spec_properties:?}, rust {rust_properties:?}"
            ));
        }
        // A required property that is also nullable decodes as `Option`,
        // which JSON Schema cannot call required; every other required
        // property must be required in Rust too, and nothing more.
        let spec_required: BTreeSet<String> = string_set(component.get("required"))
            .into_iter()
            .filter(|property| {
                component.pointer(&format!("/properties/{property}/nullable"))
                    != Some(&Value::Bool(true))
            })
            .collect();
        let rust_required = string_set(generated.get("required"));
        if spec_required != rust_required {
            problems.push(format!(
                "{name}: required differs: spec {spec_required:?}, rust {rust_required:?}"
            ));
        }
        let spec_enum = string_set(component.get("enum"));
        let rust_enum = string_set(generated.get("enum"));
        if spec_enum != rust_enum {
            problems.push(format!(
                "{name}: enum differs: spec {spec_enum:?}, rust {rust_enum:?}"
            ));
        }
    }
    problems
}

#[test]
fn spott_types_agree_with_the_spec() {
    let problems = disagreements("spott", &spott_definitions());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn saleshandy_types_agree_with_the_spec() {
    let problems = disagreements("saleshandy", &saleshandy_definitions());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// Keys are sorted: whether serde_json keeps insertion order depends on the
// features other workspace crates enable, and must not move the snapshot.
#[test]
fn spott_json_schema_snapshot() {
    insta::with_settings!({sort_maps => true}, {
        insta::assert_json_snapshot!("spott", spott_definitions());
    });
}

#[test]
fn saleshandy_json_schema_snapshot() {
    insta::with_settings!({sort_maps => true}, {
        insta::assert_json_snapshot!("saleshandy", saleshandy_definitions());
    });
}
