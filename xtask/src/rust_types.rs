//! Marks the places where generated code must use a hand-written tolerant
//! type instead of what typify would derive from the schema.
//!
//! The spec stays plain OpenAPI; this pass adds typify's `x-rust-type`
//! extension to a copy of it just before generation. The types it points at
//! live in the generated crate's own hand-written modules (reached through
//! `extern crate self as <crate>`), so a generated crate never depends on
//! another crate of this workspace.

use serde_json::{Map, Value, json};

/// What the pass did, for the generator's report.
#[derive(Debug, Default)]
pub struct Marked {
    /// `(schema, tolerant type)` for each component given a tolerant type.
    pub open: Vec<(String, &'static str)>,
    /// `schema.property` for each PATCH field given `Nullable`.
    pub nullable: Vec<String>,
    /// `schema.property` for each PATCH array given `List`.
    pub list: Vec<String>,
}

/// Adds `x-rust-type` markers to `spec` for the crate named `crate_name`.
///
/// Two rules, both recognised by shape so a new spec entry needs no new code:
/// - a component `anyOf: [{$ref: X}, {type: string}]` is an enum that may
///   gain values: it becomes `OpenEnum<X>` (unknown strings are kept);
/// - a component `anyOf: [{$ref: X}, <object>]` is a union that may gain
///   variants: it becomes `OpenUnion<X>` (unknown objects are kept whole);
/// - a `nullable` property of a PATCH request body becomes `Nullable<T>`, so
///   "leave unchanged" (absent) and "clear" (`null`) are different values;
/// - an array property of a PATCH request body becomes `List<T>` (an alias
///   of `Vec<T>`) so typify wraps it in `Option`: absent leaves the list
///   unchanged, an empty list clears it. Left alone, typify would skip empty
///   vectors and "clear" could not be sent.
pub fn mark(spec: &mut Value, crate_name: &str) -> Marked {
    let ident = crate_name.replace('-', "_");
    let mut marked = Marked::default();
    mark_open_components(spec, crate_name, &ident, &mut marked);
    mark_patch_nullables(spec, crate_name, &ident, &mut marked);
    marked
}

fn rust_type(crate_name: &str, ident: &str, ty: &str, parameter: Value) -> Value {
    json!({
        "crate": crate_name,
        "version": "*",
        "path": format!("{ident}::{ty}"),
        "parameters": [parameter],
    })
}

fn mark_open_components(spec: &mut Value, crate_name: &str, ident: &str, marked: &mut Marked) {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        let Some([known, other]) = schema
            .get("anyOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            continue;
        };
        if known.get("$ref").is_none() {
            continue;
        }
        let ty = if other == &json!({"type": "string"}) {
            "OpenEnum"
        } else {
            "OpenUnion"
        };
        let extension = rust_type(crate_name, ident, ty, known.clone());
        if let Some(object) = schema.as_object_mut() {
            object.insert("x-rust-type".into(), extension);
            marked.open.push((name.clone(), ty));
        }
    }
}

fn patch_body_schemas(spec: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return names;
    };
    for item in paths.values() {
        let reference = item
            .pointer("/patch/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str);
        if let Some(name) = reference.and_then(|r| r.strip_prefix("#/components/schemas/")) {
            names.push(name.to_owned());
        }
    }
    names
}

fn mark_patch_nullables(spec: &mut Value, crate_name: &str, ident: &str, marked: &mut Marked) {
    for body in patch_body_schemas(spec) {
        let pointer = format!("/components/schemas/{body}/properties");
        let Some(properties) = spec.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, property) in properties.iter_mut() {
            let Some(object) = property.as_object_mut() else {
                continue;
            };
            let field = format!("{body}.{name}");
            if object.get("nullable") == Some(&Value::Bool(true)) {
                let inner = non_null_schema(object);
                object.insert(
                    "x-rust-type".into(),
                    rust_type(crate_name, ident, "Nullable", inner),
                );
                marked.nullable.push(field);
            } else if object.get("type") == Some(&json!("array")) {
                let items = object.get("items").cloned().unwrap_or(json!({}));
                object.insert(
                    "x-rust-type".into(),
                    rust_type(crate_name, ident, "List", items),
                );
                marked.list.push(field);
            }
        }
    }
}

/// The schema a nullable property has when it is not null.
fn non_null_schema(property: &Map<String, Value>) -> Value {
    // `allOf: [{$ref}]` plus `nullable` (and the referenced schema's `type`
    // beside them, without which OpenAPI 3.0.3 ignores `nullable`) is how
    // OpenAPI 3.0 makes a reference nullable; the inner type is the
    // reference itself, not an object or string with an `allOf`.
    if let Some([single]) = property
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return single.clone();
    }
    let mut inner = property.clone();
    for key in ["nullable", "description", "example", "x-rust-type"] {
        inner.remove(key);
    }
    Value::Object(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enum_and_union_are_marked_by_shape() {
        let mut spec = json!({"components": {"schemas": {
            "Source": {"type": "string", "enum": ["A"]},
            "OpenSource": {"anyOf": [{"$ref": "#/components/schemas/Source"}, {"type": "string"}]},
            "OpenValue": {"anyOf": [{"$ref": "#/components/schemas/Value"}, {"$ref": "#/components/schemas/Other"}]},
        }}});
        let marked = mark(&mut spec, "my-api");
        assert_eq!(
            spec.pointer("/components/schemas/OpenSource/x-rust-type"),
            Some(
                &json!({"crate": "my-api", "version": "*", "path": "my_api::OpenEnum",
                "parameters": [{"$ref": "#/components/schemas/Source"}]})
            )
        );
        assert_eq!(
            spec.pointer("/components/schemas/OpenValue/x-rust-type/path"),
            Some(&json!("my_api::OpenUnion"))
        );
        assert!(
            spec.pointer("/components/schemas/Source/x-rust-type")
                .is_none()
        );
        assert_eq!(marked.open.len(), 2);
    }

    #[test]
    fn only_nullable_fields_of_patch_bodies_become_nullable() {
        let mut spec = json!({
            "paths": {
                "/a/{id}": {"patch": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Update"}}}}}},
                "/b": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Create"}}}}}}
            },
            "components": {"schemas": {
                "Update": {"properties": {
                    "when": {"type": "string", "format": "date-time", "nullable": true, "description": "d"},
                    "gender": {"allOf": [{"$ref": "#/components/schemas/G"}], "nullable": true},
                    "name": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}}
                }},
                "Create": {"properties": {"when": {"type": "string", "nullable": true}}}
            }}
        });
        let marked = mark(&mut spec, "x");
        assert_eq!(
            spec.pointer("/components/schemas/Update/properties/when/x-rust-type/parameters/0"),
            Some(&json!({"type": "string", "format": "date-time"}))
        );
        assert_eq!(
            spec.pointer("/components/schemas/Update/properties/gender/x-rust-type/parameters/0"),
            Some(&json!({"$ref": "#/components/schemas/G"}))
        );
        assert!(
            spec.pointer("/components/schemas/Update/properties/name/x-rust-type")
                .is_none()
        );
        assert!(
            spec.pointer("/components/schemas/Create/properties/when/x-rust-type")
                .is_none()
        );
        assert_eq!(
            spec.pointer("/components/schemas/Update/properties/tags/x-rust-type/path"),
            Some(&json!("x::List"))
        );
        assert_eq!(marked.nullable, vec!["Update.when", "Update.gender"]);
        assert_eq!(marked.list, vec!["Update.tags"]);
    }

    #[test]
    fn a_nullable_reference_with_a_type_sibling_is_the_reference() {
        // 3.0.3 honours `nullable` only beside `type`, so the spec writes a
        // nullable reference with the referenced schema's type next to it.
        let mut spec = json!({
            "paths": {
                "/a/{id}": {"patch": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Update"}}}}}}
            },
            "components": {"schemas": {
                "Update": {"properties": {
                    "gender": {"type": "string", "allOf": [{"$ref": "#/components/schemas/G"}], "nullable": true, "description": "d"},
                    "owner": {"type": "object", "allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true}
                }}
            }}
        });
        let marked = mark(&mut spec, "x");
        assert_eq!(
            spec.pointer("/components/schemas/Update/properties/gender/x-rust-type"),
            Some(&json!({"crate": "x", "version": "*", "path": "x::Nullable",
                "parameters": [{"$ref": "#/components/schemas/G"}]}))
        );
        assert_eq!(
            spec.pointer("/components/schemas/Update/properties/owner/x-rust-type/parameters/0"),
            Some(&json!({"$ref": "#/components/schemas/User"}))
        );
        assert_eq!(marked.nullable, vec!["Update.gender", "Update.owner"]);
        assert!(marked.list.is_empty());
    }
}
