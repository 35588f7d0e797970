//! Reading a request body a person wrote as JSON (a file, stdin): unknown
//! top-level fields are refused instead of silently dropped, and decoding
//! errors name the JSON path.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;

/// Decodes `value` as `T`, refusing top-level fields `T` does not have.
///
/// ```
/// # #[derive(serde::Deserialize, schemars::JsonSchema)]
/// # struct Body { #[serde(rename = "lastName")] last_name: Option<String> }
/// use serde_json::json;
///
/// let error = client_core::json_input::decode::<Body>(json!({"lastname": "Doe"})).err().unwrap();
/// assert_eq!(error.to_string(), "invalid lastname: is not a field of Body");
/// ```
pub fn decode<T: DeserializeOwned + JsonSchema>(value: Value) -> Result<T, Error> {
    let Value::Object(fields) = &value else {
        return Err(Error::invalid("body", "must be a JSON object"));
    };
    let schema = schemars::schema_for!(T);
    if let Some(object) = &schema.schema.object
        && let Some(unknown) = fields
            .keys()
            .find(|key| !object.properties.contains_key(*key))
    {
        return Err(Error::invalid(
            unknown.clone(),
            format!("is not a field of {}", T::schema_name()),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        Error::invalid(field, error.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Body {
        content: String,
        links: Option<Vec<Link>>,
    }

    #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
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
    }
}
