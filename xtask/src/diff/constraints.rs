//! Validation keywords as constraints: whether a change to one lets fewer
//! values through (tightened) or more (loosened).

use serde_json::Value;

/// `additionalProperties` as it constrains an object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Extra<'a> {
    /// Absent or `true`.
    Allowed,
    /// `false`.
    Forbidden,
    /// A schema the undeclared fields must match.
    Schema(&'a Value),
}

impl<'a> Extra<'a> {
    /// What `node`'s `additionalProperties` allows.
    pub fn of(node: &'a Value) -> Self {
        match node.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Self::Allowed,
            Some(Value::Bool(false)) => Self::Forbidden,
            Some(schema) => Self::Schema(schema),
        }
    }
}

/// How a validation keyword bounds the accepted values.
#[derive(Clone, Copy, Debug)]
pub enum Bound {
    /// A higher value accepts less (`minLength`, `minimum`).
    Lower,
    /// A lower value accepts less (`maxLength`, `maximum`).
    Upper,
    /// `true` accepts less (`uniqueItems`, 3.0's `exclusiveMinimum`).
    Flag,
    /// Any new or changed value may accept less (`pattern`, `multipleOf`).
    Opaque,
}

/// The validation keywords compared, and how each bounds values.
pub const CONSTRAINTS: &[(&str, Bound)] = &[
    ("minLength", Bound::Lower),
    ("maxLength", Bound::Upper),
    ("pattern", Bound::Opaque),
    ("minimum", Bound::Lower),
    ("maximum", Bound::Upper),
    ("exclusiveMinimum", Bound::Flag),
    ("exclusiveMaximum", Bound::Flag),
    ("multipleOf", Bound::Opaque),
    ("minItems", Bound::Lower),
    ("maxItems", Bound::Upper),
    ("uniqueItems", Bound::Flag),
    ("minProperties", Bound::Lower),
    ("maxProperties", Bound::Upper),
];

impl Bound {
    /// `Some(true)` if going from `old` to `new` accepts less, `Some(false)`
    /// if it accepts more, `None` if nothing changed.
    pub fn tightened(self, old: Option<&Value>, new: Option<&Value>) -> Option<bool> {
        if old == new {
            return None;
        }
        let number = |value: Option<&Value>| value.and_then(Value::as_f64);
        let flag = |value: Option<&Value>| value.and_then(Value::as_bool) == Some(true);
        match self {
            Self::Lower | Self::Upper => match (number(old), number(new)) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                (Some(a), Some(b)) if a == b => None,
                (Some(a), Some(b)) => Some((b > a) == matches!(self, Self::Lower)),
                // Not numbers: a broken spec; a new value may restrict.
                (None, None) => Some(new.is_some()),
            },
            Self::Flag => match (flag(old), flag(new)) {
                (false, true) => Some(true),
                (true, false) => Some(false),
                _ => None,
            },
            Self::Opaque => Some(new.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn tightened_by_bound_kind() {
        type Row = (Bound, Option<Value>, Option<Value>, Option<bool>);
        let v = |value: Value| Some(value);
        // (bound, old, new, expected): Some(true) tightened, Some(false) loosened.
        let table: &[Row] = &[
            (Bound::Lower, None, v(json!(1)), Some(true)),
            (Bound::Lower, v(json!(1)), None, Some(false)),
            (Bound::Lower, v(json!(1)), v(json!(2)), Some(true)),
            (Bound::Lower, v(json!(2)), v(json!(1)), Some(false)),
            (Bound::Lower, v(json!(2)), v(json!(2.0)), None),
            (Bound::Upper, None, v(json!(10)), Some(true)),
            (Bound::Upper, v(json!(10)), None, Some(false)),
            (Bound::Upper, v(json!(10)), v(json!(5)), Some(true)),
            (Bound::Upper, v(json!(5)), v(json!(10)), Some(false)),
            (Bound::Upper, v(json!("x")), v(json!("y")), Some(true)),
            (Bound::Flag, None, v(json!(true)), Some(true)),
            (Bound::Flag, v(json!(true)), v(json!(false)), Some(false)),
            (Bound::Flag, None, v(json!(false)), None),
            (Bound::Opaque, None, v(json!("^a")), Some(true)),
            (Bound::Opaque, v(json!("^a")), v(json!("^b")), Some(true)),
            (Bound::Opaque, v(json!("^a")), None, Some(false)),
            (Bound::Opaque, v(json!("^a")), v(json!("^a")), None),
        ];
        for (bound, old, new, expected) in table {
            assert_eq!(
                bound.tightened(old.as_ref(), new.as_ref()),
                *expected,
                "{bound:?} {old:?} → {new:?}"
            );
        }
    }

    #[test]
    fn additional_properties_kinds() {
        assert_eq!(Extra::of(&json!({})), Extra::Allowed);
        assert_eq!(
            Extra::of(&json!({"additionalProperties": true})),
            Extra::Allowed
        );
        assert_eq!(
            Extra::of(&json!({"additionalProperties": false})),
            Extra::Forbidden
        );
        let schema = json!({"additionalProperties": {"type": "string"}});
        assert_eq!(
            Extra::of(&schema),
            Extra::Schema(&json!({"type": "string"}))
        );
    }
}
