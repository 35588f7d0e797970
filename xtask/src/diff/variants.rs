//! The elements of `anyOf`, `oneOf` and `allOf`: how old and new ones
//! pair up, what messages call them, and which unions this project's
//! clients decode tolerantly.

use serde_json::Value;

use super::resolve::SchemaView;
use super::schema::shape;

/// How a component tolerates values it does not know (see
/// `rust_types::mark`): the old clients' generated type for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// `anyOf: [{$ref: Enum}, {type: string}]`: unknown strings are kept.
    Enum,
    /// `anyOf: [{$ref: Union}, <object>]`: unknown objects are kept whole.
    Union,
}

impl Open {
    /// The variant of the tolerant type an unknown value decodes into.
    pub fn unknown(self) -> &'static str {
        match self {
            Self::Enum => "`OpenEnum::Unknown`",
            Self::Union => "`OpenUnion::Unknown`",
        }
    }
}

/// Pairs the elements of two `anyOf`/`oneOf`/`allOf` lists: references by
/// their target, inline schemas by their order among inline schemas.
pub fn match_elements(old: &[Value], new: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let reference = |value: &Value| value.get("$ref").and_then(Value::as_str).map(String::from);
    let mut used = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut old_inline = Vec::new();
    for (i, element) in old.iter().enumerate() {
        let Some(target) = reference(element) else {
            old_inline.push(i);
            continue;
        };
        let found =
            (0..new.len()).find(|&j| !used[j] && reference(&new[j]).as_ref() == Some(&target));
        if let Some(j) = found {
            used[j] = true;
        }
        pairs.push((Some(i), found));
    }
    let new_inline: Vec<usize> = (0..new.len())
        .filter(|&j| !used[j] && reference(&new[j]).is_none())
        .collect();
    for k in 0..old_inline.len().max(new_inline.len()) {
        pairs.push((old_inline.get(k).copied(), new_inline.get(k).copied()));
    }
    for (j, element) in new.iter().enumerate() {
        if !used[j] && reference(element).is_some() {
            pairs.push((None, Some(j)));
        }
    }
    pairs
}

/// `Some` when `view` is a component shaped like the ones `rust_types::mark`
/// gives a tolerant type: `anyOf: [{$ref: Known}, other]`.
pub fn open_kind(view: &SchemaView) -> Option<Open> {
    let name = view.origin.strip_prefix("/components/schemas/")?;
    if name.contains('/') {
        return None;
    }
    let [known, other] = view.node.get("anyOf")?.as_array()?.as_slice() else {
        return None;
    };
    known.get("$ref")?;
    let string_only = other.as_object().is_some_and(|object| {
        object.len() == 1 && object.get("type").and_then(Value::as_str) == Some("string")
    });
    Some(if string_only { Open::Enum } else { Open::Union })
}

/// Names a variant in a message: `` `Component` `` for a reference, else
/// its position and type.
pub fn variant_label(element: &Value, index: usize) -> String {
    if let Some(reference) = element.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("`{name}`");
    }
    format!("#{index} ({})", shape(element))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refs(names: &[&str]) -> Vec<Value> {
        names
            .iter()
            .map(|name| match *name {
                "string" | "object" => json!({"type": name}),
                name => json!({"$ref": format!("#/components/schemas/{name}")}),
            })
            .collect()
    }

    #[test]
    fn elements_pair_by_reference_then_inline_by_order() {
        let old = refs(&["A", "string", "B", "object"]);
        let new = refs(&["C", "B", "string", "A"]);
        let pairs = match_elements(&old, &new);
        assert_eq!(
            pairs,
            [
                (Some(0), Some(3)), // A
                (Some(2), Some(1)), // B
                (Some(1), Some(2)), // first inline
                (Some(3), None),    // second inline, gone
                (None, Some(0)),    // C, new
            ]
        );
    }

    fn view(origin: &str, node: &Value) -> Option<Open> {
        let view = SchemaView {
            node,
            origin: origin.into(),
            nullable: None,
            default: None,
        };
        open_kind(&view)
    }

    #[test]
    fn open_wrappers_are_components_shaped_like_rust_types_marks_them() {
        let open_enum = json!({"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "string"}]});
        let open_union = json!({"anyOf": [{"$ref": "#/components/schemas/U"}, {"$ref": "#/x"}]});
        let three = json!({"anyOf": [{"$ref": "#/a"}, {"type": "string"}, {"type": "integer"}]});
        let inline_first = json!({"anyOf": [{"type": "integer"}, {"type": "string"}]});
        assert_eq!(
            view("/components/schemas/OpenS", &open_enum),
            Some(Open::Enum)
        );
        assert_eq!(
            view("/components/schemas/OpenU", &open_union),
            Some(Open::Union)
        );
        assert_eq!(view("/components/schemas/X", &three), None);
        assert_eq!(view("/components/schemas/X", &inline_first), None);
        // Inline, not a component: rust_types leaves it alone.
        assert_eq!(view("/components/schemas/X/properties/y", &open_enum), None);
        assert_eq!(view("/paths/~1a/get", &open_enum), None);
    }

    #[test]
    fn labels_name_components_or_positions() {
        assert_eq!(
            variant_label(&json!({"$ref": "#/components/schemas/Card"}), 0),
            "`Card`"
        );
        assert_eq!(variant_label(&json!({"type": "string"}), 2), "#2 (string)");
    }
}
