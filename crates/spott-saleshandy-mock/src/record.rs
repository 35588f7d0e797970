//! What the mock received: one record per request, with the answer it got.

use std::fmt;

use bytes::Bytes;
use serde_json::Value;

use crate::faults::Fault;
use crate::operation::Operation;

/// Header names whose values never appear in `Debug` output.
const SECRET_HEADERS: &[&str] = &[
    "x-api-key",
    "authorization",
    "proxy-authorization",
    "cookie",
];

/// The headers of a recorded request, names lower-cased, in arrival order. `Debug` prints
/// `x-api-key` (and other credentials) as `<redacted>`; [`get`](Self::get) returns the real
/// value so tests can assert the exact key sent.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RecordedHeaders(Vec<(String, String)>);

impl RecordedHeaders {
    pub(crate) fn from_map(map: &axum::http::HeaderMap) -> Self {
        Self(
            map.iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
        )
    }

    /// The first value of `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every (name, value) pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// How many header lines there were.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there were none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for RecordedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            if SECRET_HEADERS.contains(&name.as_str()) {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// One request the mock received, and what it answered.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Arrival order, from 1.
    pub seq: u64,
    /// The request id the mock gave it (`x-request-id`, and `requestId` in Spott errors).
    pub request_id: String,
    /// The operation the route matched; `None` for paths and methods the specs lack.
    pub operation: Option<Operation>,
    /// The HTTP method.
    pub method: String,
    /// The path, percent-encoded as received.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The headers (`Debug` redacts the API key).
    pub headers: RecordedHeaders,
    /// The body parsed as JSON; `None` when empty or not JSON.
    pub body: Option<Value>,
    /// The body as received.
    pub raw_body: Bytes,
    /// The status sent (with [`Fault::ResetMidBody`], the status of the cut-off response).
    pub status: u16,
    /// Whether the operation ran (state was read or changed). `false` when the request was
    /// rejected or a "before processing" fault answered it.
    pub processed: bool,
    /// The ids of what the request created (task ids, the contact id), in order.
    pub created_ids: Vec<String>,
    /// The injected fault that shaped the answer, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// The `x-api-key` header as sent.
    pub fn api_key(&self) -> Option<&str> {
        self.headers.get("x-api-key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::op;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn debug_redacts_the_api_key_but_get_returns_it() {
        let mut map = HeaderMap::new();
        map.insert("x-api-key", HeaderValue::from_static("sk-sentinel-123"));
        map.insert("content-type", HeaderValue::from_static("application/json"));
        let record = RecordedRequest {
            seq: 1,
            request_id: "req_1".into(),
            operation: Some(op("create_task")),
            method: "POST".into(),
            path: "/tasks/_raw".into(),
            query: None,
            headers: RecordedHeaders::from_map(&map),
            body: None,
            raw_body: Bytes::new(),
            status: 401,
            processed: false,
            created_ids: Vec::new(),
            fault: None,
        };
        let debug = format!("{record:?} {record:#?}");
        assert!(!debug.contains("sk-sentinel-123"), "{debug}");
        assert!(debug.contains("<redacted>"));
        assert!(debug.contains("application/json"));
        assert_eq!(record.api_key(), Some("sk-sentinel-123"));
    }
}
