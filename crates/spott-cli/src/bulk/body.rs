//! The fingerprint of a row's request body, recorded with every line of the
//! results file so a re-run can tell that a CSV row was edited since.
//!
//! It is the SHA-256 of the body's canonical JSON (keys sorted at every
//! level, no whitespace, strings escaped as `serde_json` does), in lower-case
//! hex. SHA-256 because the field relies on it never colliding by accident
//! and never changing between builds, platforms or versions: a 64-bit
//! `Hasher` is neither stable across Rust releases (`DefaultHasher`) nor
//! wide enough to rule out a collision over years of results files; `sha2`
//! is the RustCrypto implementation, and anyone can recompute a line's value
//! with `sha256sum`.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The lower-case hex SHA-256 of `body`'s canonical JSON.
pub fn sha256(body: &Value) -> String {
    let mut text = String::new();
    canonical(body, &mut text);
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0xf)]));
            hex
        })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes `value` as canonical JSON: object keys sorted (whatever order
/// the map keeps them in), no whitespace.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut fields: Vec<(&String, &Value)> = map.iter().collect();
            fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, value)) in fields.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hash_is_of_the_canonical_text() {
        let mut text = String::new();
        canonical(
            &json!({"b": [1, {"d": "x\"y", "c": null}], "a": true}),
            &mut text,
        );
        assert_eq!(text, r#"{"a":true,"b":[1,{"c":null,"d":"x\"y"}]}"#);
        // `printf '{}' | sha256sum`
        assert_eq!(
            sha256(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn key_order_does_not_matter_values_do() {
        let one = json!({"taskNote": "row 1", "prospectIds": ["a", "b"]});
        let same = json!({"prospectIds": ["a", "b"], "taskNote": "row 1"});
        assert_eq!(sha256(&one), sha256(&same));
        let other = json!({"prospectIds": ["b", "a"], "taskNote": "row 1"});
        assert_ne!(sha256(&one), sha256(&other));
    }
}
