//! Reading a spec file from disk into a JSON value and into `openapiv3`.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

/// Reads a YAML (or JSON) OpenAPI document as a plain JSON value.
pub fn read_value(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_value(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Parses YAML (a superset of JSON) text into a JSON value.
pub fn parse_value(text: &str) -> Result<Value> {
    Ok(serde_norway::from_str(text)?)
}

/// Turns a JSON value into the typed OpenAPI document progenitor reads.
pub fn to_openapi(value: Value) -> Result<openapiv3::OpenAPI> {
    serde_json::from_value(value).context("the document is not OpenAPI 3.0 as openapiv3 reads it")
}
