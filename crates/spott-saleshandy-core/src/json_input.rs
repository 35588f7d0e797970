//! Reading a request body a person wrote as JSON (a file, stdin): unknown
//! top-level fields are refused instead of silently dropped, and decoding
//! errors name the JSON path.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;

/// Decodes `value` as `T`, refusing fields `T` does not have (at any depth:
/// serde would drop them silently, and a misspelt field is a change the
/// caller thinks they made).
///
/// ```
/// # #[derive(serde::Deserialize)]
/// # struct Body { #[serde(rename = "lastName")] last_name: Option<String> }
/// use serde_json::json;
///
/// let error = spott_saleshandy_core::json_input::decode::<Body>(json!({"lastname": "Doe"})).err().unwrap();
/// assert_eq!(error.to_string(), "invalid lastname: is not a field of Body");
/// ```
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    if !value.is_object() {
        return Err(Error::invalid("body", "must be a JSON object"));
    }
    let mut unknown: Option<String> = None;
    let decoded = serde_path_to_error::deserialize::<_, T>(serde_ignored::Deserializer::new(
        value,
        &mut |path: serde_ignored::Path<'_>| {
            unknown.get_or_insert_with(|| field_path(&path));
        },
    ));
    // An unknown field first: it is usually why a required one is missing.
    if let Some(field) = unknown {
        let rule = if field.contains(['.', '[']) {
            "is not a field the API knows".to_owned()
        } else {
            format!("is not a field of {}", short_type_name::<T>())
        };
        return Err(Error::invalid(field, rule));
    }
    decoded.map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        Error::invalid(field, error.into_inner().to_string())
    })
}

/// `links[0].entityId`, as serde_path_to_error spells paths.
fn field_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => match field_path(parent) {
            parent if parent.is_empty() => key.clone(),
            parent => format!("{parent}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

/// `spott_openapi::types::CreateTaskRequest` → `CreateTaskRequest`.
fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        content: String,
        links: Option<Vec<Link>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Link {
        #[serde(rename = "entityId")]
        entity_id: String,
    }

    #[test]
    fn errors_name_the_path() {
        let error =
            decode::<Body>(json!({"content": "x", "links": [{"entityId": 3}]})).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid links[0].entityId: invalid type"),
            "{error}"
        );
        let error = decode::<Body>(json!({})).unwrap_err();
        assert_eq!(error.to_string(), "invalid body: missing field `content`");
        let error = decode::<Body>(json!([1])).unwrap_err();
        assert_eq!(error.to_string(), "invalid body: must be a JSON object");
    }

    #[test]
    fn unknown_top_level_fields_are_refused() {
        let error = decode::<Body>(json!({"content": "x", "contnet": "y"})).unwrap_err();
        assert_eq!(error.to_string(), "invalid contnet: is not a field of Body");
        // Before the missing field the typo causes.
        let error = decode::<Body>(json!({"contnet": "y"})).unwrap_err();
        assert_eq!(error.to_string(), "invalid contnet: is not a field of Body");
    }

    #[test]
    fn unknown_nested_fields_are_refused_with_their_path() {
        let error = decode::<Body>(json!({
            "content": "x",
            "links": [{"entityId": "c1"}, {"entityId": "c2", "entityid": "c3"}]
        }))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid links[1].entityid: is not a field the API knows"
        );
    }
}
