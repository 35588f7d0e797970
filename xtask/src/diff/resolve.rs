//! Following `$ref`s: to parameters, bodies, responses and headers, and to
//! schemas, where `allOf: [{$ref}]` + `nullable` (OpenAPI 3.0's way to make
//! a reference nullable) is read as the reference itself, made nullable.

use serde_json::Value;

/// Longest chain of `$ref`s (and single-`allOf` wrappers) followed before
/// giving up: only a cycle of references gets that long.
const MAX_HOPS: usize = 32;

/// Keywords that make an `allOf` schema more than a wrapper around its one
/// element.
const STRUCTURAL: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "items",
    "anyOf",
    "oneOf",
    "enum",
    "$ref",
];

/// A `$ref` that leads nowhere: a missing target, a reference outside the
/// document, or a cycle of references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved(pub String);

/// Follows `$ref`s from `value` (written at `origin`) until a value that is
/// not a reference. Returns it with the pointer it is written at.
pub fn follow<'a>(
    doc: &'a Value,
    mut value: &'a Value,
    origin: &str,
) -> Result<(&'a Value, String), Unresolved> {
    let mut origin = origin.to_string();
    for _ in 0..MAX_HOPS {
        let Some(reference) = value.get("$ref") else {
            return Ok((value, origin));
        };
        (value, origin) = target(doc, reference)?;
    }
    Err(Unresolved(format!("a cycle of $refs through {origin}")))
}

/// The value a `$ref` points at, and the pointer to it.
fn target<'a>(doc: &'a Value, reference: &Value) -> Result<(&'a Value, String), Unresolved> {
    let Some(reference) = reference.as_str() else {
        return Err(Unresolved(format!("$ref {reference} is not a string")));
    };
    let Some(pointer) = reference.strip_prefix('#') else {
        return Err(Unresolved(format!(
            "$ref {reference} is outside the document"
        )));
    };
    match doc.pointer(pointer) {
        Some(value) => Ok((value, pointer.to_string())),
        None => Err(Unresolved(format!("$ref {reference} has no target"))),
    }
}

/// A schema with its references followed.
#[derive(Clone, Debug)]
pub struct SchemaView<'a> {
    /// The schema object that holds the keywords (`type`, `properties`, …).
    pub node: &'a Value,
    /// Where `node` is written in the document.
    pub origin: String,
    /// Where `nullable: true` is written, when `null` is allowed (by the
    /// schema or by a wrapper on the way).
    pub nullable: Option<String>,
    /// The default, the outermost one on the way, and where it is written.
    pub default: Option<(&'a Value, String)>,
}

/// Resolves a schema: follows `$ref`s and single-element `allOf` wrappers,
/// collecting `nullable` and `default` from the wrappers on the way.
pub fn schema<'a>(
    doc: &'a Value,
    mut value: &'a Value,
    origin: &str,
) -> Result<SchemaView<'a>, Unresolved> {
    let mut origin = origin.to_string();
    let mut nullable = None;
    let mut default = None;
    for _ in 0..MAX_HOPS {
        if let Some(reference) = value.get("$ref") {
            (value, origin) = target(doc, reference)?;
            continue;
        }
        if nullable.is_none() && value.get("nullable").and_then(Value::as_bool) == Some(true) {
            nullable = Some(origin.clone());
        }
        if default.is_none() {
            default = value.get("default").map(|value| (value, origin.clone()));
        }
        match single_all_of(doc, value) {
            Some(inner) => {
                value = inner;
                origin.push_str("/allOf/0");
            }
            None => {
                return Ok(SchemaView {
                    node: value,
                    origin,
                    nullable,
                    default,
                });
            }
        }
    }
    Err(Unresolved(format!("a cycle of $refs through {origin}")))
}

/// The one element of an `allOf` that only wraps it (adding `nullable`, a
/// description, a default), or `None` for any other schema.
///
/// A `type` beside it is allowed when it repeats the element's own type:
/// OpenAPI 3.0.3 honours `nullable` only next to a `type`, so this
/// project's specs write a nullable reference as `{type: object, nullable:
/// true, allOf: [$ref]}` (spec/README.md), and that narrows nothing.
fn single_all_of<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let [inner] = value.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let object = value.as_object()?;
    let structural = |key: &&str| {
        object.contains_key(*key)
            && (*key != "type" || object.get("type") != implied_type(doc, inner, 0).as_ref())
    };
    if STRUCTURAL.iter().any(structural) {
        return None;
    }
    Some(inner)
}

/// The `type` every value of `schema` has: its own `type`, or the one all
/// its `anyOf`/`oneOf` branches (or its single `allOf` element) share;
/// `None` when there is none or references lead nowhere.
fn implied_type(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth >= MAX_HOPS {
        return None;
    }
    let (schema, _) = follow(doc, schema, "").ok()?;
    if let Some(ty) = schema.get("type") {
        return Some(ty.clone());
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        let Some(branches) = schema.get(key).and_then(Value::as_array) else {
            continue;
        };
        if key == "allOf" && branches.len() != 1 {
            return None;
        }
        let mut types = branches
            .iter()
            .map(|branch| implied_type(doc, branch, depth + 1));
        let first = types.next()??;
        return types.all(|ty| ty.as_ref() == Some(&first)).then_some(first);
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({
            "components": {
                "schemas": {
                    "User": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "Alias": {"$ref": "#/components/schemas/User"},
                    "NullableUser": {
                        "allOf": [{"$ref": "#/components/schemas/Alias"}],
                        "nullable": true,
                        "default": null,
                    },
                    "LoopA": {"$ref": "#/components/schemas/LoopB"},
                    "LoopB": {"$ref": "#/components/schemas/LoopA"},
                    "a/b": {"type": "integer"},
                }
            }
        })
    }

    #[test]
    fn follows_nested_refs_to_the_schema() {
        let doc = doc();
        let alias = json!({"$ref": "#/components/schemas/Alias"});
        let view = schema(&doc, &alias, "/x").unwrap();
        assert_eq!(view.origin, "/components/schemas/User");
        assert_eq!(view.nullable, None);
    }

    #[test]
    fn single_all_of_with_nullable_is_a_nullable_ref() {
        let doc = doc();
        let wrapper = json!({
            "allOf": [{"$ref": "#/components/schemas/NullableUser"}],
            "description": "who",
            "default": {"id": "x"},
        });
        let view = schema(&doc, &wrapper, "/x").unwrap();
        assert_eq!(view.origin, "/components/schemas/User");
        assert_eq!(
            view.nullable.as_deref(),
            Some("/components/schemas/NullableUser")
        );
        assert_eq!(view.default, Some((&json!({"id": "x"}), "/x".to_string())));
    }

    #[test]
    fn all_of_with_own_keywords_is_not_a_wrapper() {
        let doc = doc();
        for composed in [
            json!({"allOf": [{"$ref": "#/components/schemas/User"}], "type": "string", "nullable": true}),
            json!({"allOf": [{"$ref": "#/components/schemas/User"}], "type": "object", "properties": {}}),
            json!({"allOf": [{"$ref": "#/components/schemas/Missing"}], "type": "object"}),
        ] {
            let view = schema(&doc, &composed, "/x").unwrap();
            assert_eq!(view.origin, "/x", "{composed}");
        }
    }

    #[test]
    fn a_type_that_repeats_the_element_s_keeps_the_wrapper() {
        // spec/README.md: how this project writes a nullable reference.
        let mut doc = doc();
        doc["components"]["schemas"]["Gender"] = json!({"type": "string", "enum": ["f", "m"]});
        doc["components"]["schemas"]["OpenGender"] =
            json!({"anyOf": [{"$ref": "#/components/schemas/Gender"}, {"type": "string"}]});
        for (wrapped, ty, target) in [
            ("Alias", "object", "/components/schemas/User"),
            ("Gender", "string", "/components/schemas/Gender"),
            ("OpenGender", "string", "/components/schemas/OpenGender"),
        ] {
            let wrapper = json!({
                "type": ty,
                "allOf": [{"$ref": format!("#/components/schemas/{wrapped}")}],
                "nullable": true,
            });
            let view = schema(&doc, &wrapper, "/x").unwrap();
            assert_eq!(view.origin, target, "{wrapper}");
            assert_eq!(view.nullable.as_deref(), Some("/x"), "{wrapper}");
        }
    }

    #[test]
    fn escaped_pointers_resolve() {
        let doc = doc();
        let escaped = json!({"$ref": "#/components/schemas/a~1b"});
        let view = schema(&doc, &escaped, "/x").unwrap();
        assert_eq!(view.node, &json!({"type": "integer"}));
    }

    #[test]
    fn reference_cycles_and_missing_targets_are_errors() {
        let doc = doc();
        for reference in [
            json!({"$ref": "#/components/schemas/LoopA"}),
            json!({"$ref": "#/components/schemas/Missing"}),
            json!({"$ref": "other.yaml#/components/schemas/User"}),
            json!({"$ref": 3}),
        ] {
            assert!(schema(&doc, &reference, "/x").is_err(), "{reference}");
            assert!(follow(&doc, &reference, "/x").is_err(), "{reference}");
        }
    }
}
