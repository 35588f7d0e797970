//! Field types for PATCH bodies, where "leave unchanged" and "clear" are
//! different requests.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A nullable field of a PATCH body.
///
/// Generated bodies hold it as `Option<Nullable<T>>`: `None` leaves the
/// field out of the JSON (unchanged), `Some(Nullable::Null)` sends `null`
/// (clear it), `Some(Nullable::Value(v))` sends `v`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Send `null`: clear the field.
    Null,
    /// Send this value.
    Value(T),
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T> Nullable<T> {
    /// The value, or `None` for `Null`.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Self::Null => None,
            Self::Value(value) => Some(value),
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_none(),
            Self::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

/// An array field of a PATCH body. An alias of `Vec<T>`; generated bodies
/// hold it as `Option<List<T>>` so that `None` (unchanged) and
/// `Some(vec![])` (clear the list) are different requests.
pub type List<T> = Vec<T>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Body {
        #[serde(skip_serializing_if = "Option::is_none")]
        when: Option<Nullable<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<List<String>>,
    }

    #[test]
    fn absent_null_value_and_empty_list_are_distinct() {
        let absent = Body {
            when: None,
            tags: None,
        };
        let cleared = Body {
            when: Some(Nullable::Null),
            tags: Some(vec![]),
        };
        let set = Body {
            when: Some("x".to_owned().into()),
            tags: Some(vec!["a".into()]),
        };
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        assert_eq!(
            serde_json::to_string(&cleared).unwrap(),
            r#"{"when":null,"tags":[]}"#
        );
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"{"when":"x","tags":["a"]}"#
        );
    }

    #[test]
    fn decodes_null_and_value() {
        assert_eq!(
            serde_json::from_str::<Nullable<u8>>("null").unwrap(),
            Nullable::Null
        );
        assert_eq!(
            serde_json::from_str::<Nullable<u8>>("7").unwrap(),
            Nullable::Value(7)
        );
    }
}
