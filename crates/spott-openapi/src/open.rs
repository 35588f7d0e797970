//! Tolerant types for values the server may extend: an enum that gains a
//! value or a union that gains a variant must not break decoding.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A string enum as received: a documented value, or any other string.
///
/// Requests never carry this type (they use the closed enum `T`), so only
/// documented values are ever sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OpenEnum<T> {
    /// A value the spec documents.
    Known(T),
    /// A value the spec does not know, kept as the server sent it.
    Unknown(String),
}

impl<T> OpenEnum<T> {
    /// The documented value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }
}

impl<T> From<T> for OpenEnum<T> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: fmt::Display> fmt::Display for OpenEnum<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(value) => value.fmt(f),
            Self::Unknown(raw) => f.write_str(raw),
        }
    }
}

impl<T: Serialize> Serialize for OpenEnum<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(raw) => serializer.serialize_str(raw),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OpenEnum<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A non-string is still an error: only the set of values is open.
        let raw = String::deserialize(deserializer)?;
        let as_json = serde_json::Value::String(raw);
        match T::deserialize(&as_json) {
            Ok(value) => Ok(Self::Known(value)),
            Err(_) => match as_json {
                serde_json::Value::String(raw) => Ok(Self::Unknown(raw)),
                _ => unreachable!("constructed as a string above"),
            },
        }
    }
}

/// A union (an object discriminated by a tag) as received: a documented
/// variant, or any other object, kept whole.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenUnion<T> {
    /// A variant the spec documents.
    Known(T),
    /// A variant the spec does not know, kept as the server sent it.
    Unknown(serde_json::Value),
}

impl<T> OpenUnion<T> {
    /// The documented variant, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }
}

impl<T> From<T> for OpenUnion<T> {
    fn from(value: T) -> Self {
        Self::Known(value)
    }
}

impl<T: Serialize> Serialize for OpenUnion<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Known(value) => value.serialize(serializer),
            Self::Unknown(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OpenUnion<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(deserializer)?;
        if !raw.is_object() {
            return Err(serde::de::Error::custom(format!(
                "expected an object, found {}",
                json_kind(&raw)
            )));
        }
        match T::deserialize(&raw) {
            Ok(value) => Ok(Self::Known(value)),
            Err(_) => Ok(Self::Unknown(raw)),
        }
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    enum Colour {
        #[serde(rename = "RED")]
        Red,
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    #[serde(tag = "kind")]
    enum Shape {
        #[serde(rename = "circle")]
        Circle { radius: u32 },
    }

    #[test]
    fn enum_keeps_known_and_unknown_values() {
        let known: OpenEnum<Colour> = serde_json::from_str("\"RED\"").unwrap();
        assert_eq!(known, OpenEnum::Known(Colour::Red));
        let unknown: OpenEnum<Colour> = serde_json::from_str("\"AUTOMATION\"").unwrap();
        assert_eq!(unknown, OpenEnum::Unknown("AUTOMATION".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"AUTOMATION\"");
        assert_eq!(serde_json::to_string(&known).unwrap(), "\"RED\"");
    }

    #[test]
    fn enum_still_rejects_non_strings() {
        let err = serde_json::from_str::<OpenEnum<Colour>>("42").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn union_keeps_unknown_variants_whole() {
        let known: OpenUnion<Shape> =
            serde_json::from_str(r#"{"kind":"circle","radius":2}"#).unwrap();
        assert_eq!(known, OpenUnion::Known(Shape::Circle { radius: 2 }));
        let raw = r#"{"kind":"hexagon","side":3}"#;
        let unknown: OpenUnion<Shape> = serde_json::from_str(raw).unwrap();
        assert_eq!(
            unknown,
            OpenUnion::Unknown(serde_json::json!({"kind": "hexagon", "side": 3}))
        );
        assert_eq!(
            serde_json::to_value(&unknown).unwrap(),
            serde_json::from_str::<serde_json::Value>(raw).unwrap()
        );
    }

    #[test]
    fn union_rejects_non_objects() {
        let err = serde_json::from_str::<OpenUnion<Shape>>("[1]").unwrap_err();
        assert!(
            err.to_string()
                .contains("expected an object, found an array")
        );
    }
}
