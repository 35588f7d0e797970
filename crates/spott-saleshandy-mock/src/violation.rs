//! Schema violations in the shape the error bodies report them: a machine-readable code, the
//! JSON path as segments, a message, and what was received.

use std::fmt;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::{Value, json};

/// One step of a JSON path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl PathSegment {
    /// The segment as JSON: a string for a key, an integer for an index.
    pub fn to_json(&self) -> Value {
        match self {
            PathSegment::Key(k) => Value::String(k.clone()),
            PathSegment::Index(i) => json!(i),
        }
    }
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

/// One problem with a request (or, in tests, a response): the Spott `ErrorDetail` shape.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// Machine-readable code, in the style Spott uses (`invalid_type`, `invalid_enum_value`,
    /// `too_small`, `unrecognized_keys`, `invalid_union`, `invalid_string`, `invalid_json`, …).
    pub code: String,
    /// Where the problem is. For body problems the path is relative to the body; problems
    /// elsewhere start with their location (`["params", "id"]`, `["headers", "x-api-key"]`).
    pub path: Vec<PathSegment>,
    /// What is wrong, for a person.
    pub message: String,
    /// What was received, when that helps: the JSON type for type errors, the value for enum
    /// errors.
    pub received: Option<Value>,
}

impl Violation {
    /// A violation from its parts.
    pub fn new(
        code: impl Into<String>,
        path: Vec<PathSegment>,
        message: impl Into<String>,
        received: Option<Value>,
    ) -> Self {
        Self {
            code: code.into(),
            path,
            message: message.into(),
            received,
        }
    }

    /// The violation as a Spott `ErrorDetail` JSON object.
    pub fn to_json(&self) -> Value {
        let mut detail = json!({
            "code": self.code,
            "path": self.path.iter().map(PathSegment::to_json).collect::<Vec<_>>(),
            "message": self.message,
        });
        if let (Some(received), Some(map)) = (&self.received, detail.as_object_mut()) {
            map.insert("received".to_owned(), received.clone());
        }
        detail
    }

    /// The path as JSON-ish text, `links[0].entityType` (empty for the root).
    pub fn path_text(&self) -> String {
        let mut text = String::new();
        for segment in &self.path {
            match segment {
                PathSegment::Key(k) if text.is_empty() => text.push_str(k),
                PathSegment::Key(k) => {
                    text.push('.');
                    text.push_str(k);
                }
                PathSegment::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        text
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path_text();
        if path.is_empty() {
            write!(f, "{} ({})", self.message, self.code)
        } else {
            write!(f, "{path}: {} ({})", self.message, self.code)
        }
    }
}

/// Turns one `jsonschema` error into violations, appended to `out`. `root` is the validated
/// instance: it tells array indices from object keys that look like numbers.
pub(crate) fn collect(root: &Value, error: &ValidationError<'_>, out: &mut Vec<Violation>) {
    let path = pointer_segments(root, error.instance_path().as_str());
    let instance = error.instance();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            let mut path = path;
            path.push(PathSegment::Key(name.clone()));
            out.push(Violation::new(
                "invalid_type",
                path,
                format!("required field `{name}` is missing"),
                Some(json!("undefined")),
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                let mut path = path.clone();
                path.push(PathSegment::Key(name.clone()));
                out.push(Violation::new(
                    "unrecognized_keys",
                    path,
                    format!("unknown field `{name}`: the spec does not define it here"),
                    None,
                ));
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let received = json_type(instance);
            out.push(Violation::new(
                "invalid_type",
                path,
                format!("expected {expected}, received {received}"),
                Some(json!(received)),
            ));
        }
        ValidationErrorKind::Enum { options } => {
            out.push(Violation::new(
                "invalid_enum_value",
                path,
                format!(
                    "{instance} is not an allowed value; expected one of {}",
                    summarize_options(options)
                ),
                Some(instance.as_ref().clone()),
            ));
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push(Violation::new(
                "invalid_literal",
                path,
                format!("expected {expected_value}, received {instance}"),
                Some(instance.as_ref().clone()),
            ));
        }
        ValidationErrorKind::MinLength { limit } => {
            let message = if *limit == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {limit} characters long")
            };
            out.push(Violation::new(
                "too_small",
                path,
                message,
                Some(instance.as_ref().clone()),
            ));
        }
        ValidationErrorKind::MinItems { limit } => {
            out.push(Violation::new(
                "too_small",
                path,
                format!("must contain at least {limit} item(s)"),
                None,
            ));
        }
        ValidationErrorKind::UniqueItems => {
            out.push(Violation::new(
                "not_unique",
                path,
                "items must be unique",
                None,
            ));
        }
        ValidationErrorKind::Format { format } => {
            out.push(Violation::new(
                "invalid_string",
                path,
                format!("{instance} is not a valid {format}"),
                Some(instance.as_ref().clone()),
            ));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            collect_union(root, &path, instance.as_ref(), context, out);
        }
        _ => {
            out.push(Violation::new("invalid", path, error.to_string(), None));
        }
    }
}

/// A value matched none of the alternatives of an `anyOf`/`oneOf`. When one alternative is
/// clearly the one meant (the others fail only on `null`, or on fewer and shallower points),
/// its own errors are reported, which name the exact field; otherwise one `invalid_union`.
fn collect_union(
    root: &Value,
    path: &[PathSegment],
    instance: &Value,
    branches: &[Vec<ValidationError<'static>>],
    out: &mut Vec<Violation>,
) {
    // The `null` branch of a nullable field says nothing useful about a non-null value.
    let candidates: Vec<&Vec<ValidationError<'static>>> = branches
        .iter()
        .filter(|errors| !is_only_null_mismatch(errors))
        .collect();
    let chosen = match candidates.as_slice() {
        [only] => Some(*only),
        many if !many.is_empty() => {
            // The branch that got furthest: it failed only below the union's own level (its
            // discriminating fields matched), with the fewest errors.
            let depth = path.len();
            let deeper: Vec<_> = many
                .iter()
                .filter(|errors| {
                    !errors.is_empty()
                        && errors.iter().all(|e| {
                            pointer_segments(root, e.instance_path().as_str()).len() > depth
                                && !is_discriminator_error(e)
                        })
                })
                .collect();
            match deeper.as_slice() {
                [one] => Some(**one),
                _ => None,
            }
        }
        _ => None,
    };
    match chosen {
        Some(errors) if !errors.is_empty() => {
            for e in errors {
                collect(root, e, out);
            }
        }
        _ => {
            let mut reasons = Vec::new();
            for errors in &candidates {
                let mut inner = Vec::new();
                for e in errors.iter() {
                    collect(root, e, &mut inner);
                }
                if let Some(first) = inner.first() {
                    reasons.push(first.to_string());
                }
            }
            let message = if reasons.is_empty() {
                "matches none of the allowed shapes".to_owned()
            } else {
                format!("matches none of the allowed shapes: {}", reasons.join("; "))
            };
            out.push(Violation::new(
                "invalid_union",
                path.to_vec(),
                message,
                Some(json!(json_type(instance))),
            ));
        }
    }
}

fn is_only_null_mismatch(errors: &[ValidationError<'static>]) -> bool {
    matches!(errors, [e] if matches!(e.kind(), ValidationErrorKind::Type { kind: TypeKind::Single(JsonType::Null) }))
}

/// An error on a one-value enum or a `const`: the variant tag of a discriminated union.
fn is_discriminator_error(error: &ValidationError<'_>) -> bool {
    match error.kind() {
        ValidationErrorKind::Enum { options } => options.as_array().is_some_and(|o| o.len() == 1),
        ValidationErrorKind::Constant { .. } => true,
        _ => false,
    }
}

/// Splits a JSON pointer into segments, using `root` to tell indices from keys.
pub(crate) fn pointer_segments(root: &Value, pointer: &str) -> Vec<PathSegment> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Vec::new();
    };
    let mut current = Some(root);
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        match current {
            Some(Value::Array(items)) => match token.parse::<usize>() {
                Ok(i) => {
                    current = items.get(i);
                    segments.push(PathSegment::Index(i));
                }
                Err(_) => {
                    current = None;
                    segments.push(PathSegment::Key(token));
                }
            },
            Some(Value::Object(map)) => {
                current = map.get(&token);
                segments.push(PathSegment::Key(token));
            }
            _ => {
                current = None;
                segments.push(match token.parse::<usize>() {
                    Ok(i) => PathSegment::Index(i),
                    Err(_) => PathSegment::Key(token),
                });
            }
        }
    }
    segments
}

/// The JSON type name of a value, as error messages say it.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// At most eight options, then how many more.
fn summarize_options(options: &Value) -> String {
    let Some(list) = options.as_array() else {
        return options.to_string();
    };
    const SHOWN: usize = 8;
    let mut text = list
        .iter()
        .take(SHOWN)
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > SHOWN {
        text.push_str(&format!(" (and {} more)", list.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_tell_indices_from_numeric_keys() {
        let root = json!({"links": [{"0": {"a": 1}}]});
        assert_eq!(
            pointer_segments(&root, "/links/0/0/a"),
            vec![
                PathSegment::Key("links".into()),
                PathSegment::Index(0),
                PathSegment::Key("0".into()),
                PathSegment::Key("a".into()),
            ]
        );
        assert_eq!(pointer_segments(&root, ""), vec![]);
        assert_eq!(
            pointer_segments(&json!({"a/b": 1}), "/a~1b"),
            vec![PathSegment::Key("a/b".into())]
        );
    }

    #[test]
    fn violation_json_has_the_spott_detail_shape() {
        let v = Violation::new(
            "invalid_type",
            vec!["links".into(), 0.into(), "entityId".into()],
            "expected string, received integer",
            Some(json!("integer")),
        );
        assert_eq!(
            v.to_json(),
            json!({"code": "invalid_type", "path": ["links", 0, "entityId"],
                   "message": "expected string, received integer", "received": "integer"})
        );
        assert_eq!(v.path_text(), "links[0].entityId");
    }
}
