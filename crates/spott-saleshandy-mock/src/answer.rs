//! Answers: JSON bodies, the documented error bodies, and the answers faults produce (early
//! errors, spoiled bodies, a connection cut mid-body).

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use crate::error_body::{error_body, reason};
use crate::faults::Fault;
use crate::operation::Api;
use crate::violation::Violation;

/// How long a [`Fault::ResetMidBody`] response waits between the partial body and the abort,
/// so the headers and the first bytes reach the client first.
const RESET_PAUSE: Duration = Duration::from_millis(20);

/// The answer before it becomes an HTTP response.
pub(crate) enum Answer {
    /// A JSON body.
    Json {
        status: u16,
        body: Value,
        headers: Vec<(HeaderName, String)>,
    },
    /// No body (a response the spec declares without content).
    Empty { status: u16 },
    /// Raw bytes labelled as JSON (malformed and truncated bodies).
    Raw { status: u16, bytes: Vec<u8> },
    /// Headers and the first half of `bytes`, then the connection is aborted.
    Reset { status: u16, bytes: Vec<u8> },
}

impl Answer {
    pub(crate) fn status(&self) -> u16 {
        match self {
            Answer::Json { status, .. }
            | Answer::Empty { status }
            | Answer::Raw { status, .. }
            | Answer::Reset { status, .. } => *status,
        }
    }

    pub(crate) fn error(
        api: Api,
        status: u16,
        message: &str,
        request_id: &str,
        violations: &[Violation],
    ) -> Self {
        Answer::Json {
            status,
            body: error_body(api, status, message, request_id, violations),
            headers: Vec::new(),
        }
    }

    /// A success: `body` as JSON, or no body.
    pub(crate) fn success(status: u16, body: Option<Value>) -> Self {
        match body {
            Some(body) => Answer::Json {
                status,
                body,
                headers: Vec::new(),
            },
            None => Answer::Empty { status },
        }
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response {
        let is_json = !matches!(self, Answer::Empty { .. });
        let (status, body, content_length, extra) = match self {
            Answer::Json {
                status,
                body,
                headers,
            } => {
                let bytes = serde_json::to_vec(&body).unwrap_or_default();
                let len = bytes.len();
                (status, Body::from(bytes), len, headers)
            }
            Answer::Empty { status } => (status, Body::empty(), 0, Vec::new()),
            Answer::Raw { status, bytes } => {
                let len = bytes.len();
                (status, Body::from(bytes), len, Vec::new())
            }
            Answer::Reset { status, bytes } => {
                let len = bytes.len();
                let half = Bytes::from(bytes).slice(..len / 2);
                let first = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
                let abort = futures::stream::once(async {
                    tokio::time::sleep(RESET_PAUSE).await;
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "spott-saleshandy-mock: injected connection reset mid-body",
                    ))
                });
                (
                    status,
                    Body::from_stream(futures::StreamExt::chain(first, abort)),
                    len,
                    Vec::new(),
                )
            }
        };
        let mut response = Response::new(body);
        *response.status_mut() =
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if is_json {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(content_length));
        if let Ok(id) = HeaderValue::from_str(request_id) {
            headers.insert(HeaderName::from_static("x-request-id"), id);
        }
        for (name, value) in extra {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        response
    }
}

/// A fault status, kept to 400–599.
fn fault_status(status: u16) -> u16 {
    if (400..=599).contains(&status) {
        status
    } else {
        500
    }
}

/// The answer to a "before processing" fault.
pub(crate) fn early_answer(api: Api, fault: &Fault, request_id: &str) -> Answer {
    match fault {
        Fault::TooManyRequests { retry_after } => Answer::Json {
            status: 429,
            body: error_body(api, 429, "Too many requests, slow down", request_id, &[]),
            headers: retry_after
                .header_value()
                .map(|v| (header::RETRY_AFTER, v))
                .into_iter()
                .collect(),
        },
        Fault::Status(status) | Fault::StatusAfterProcessing(status) => {
            let status = fault_status(*status);
            Answer::error(api, status, reason(status), request_id, &[])
        }
        Fault::Delay(_) | Fault::ResetMidBody | Fault::MalformedJson | Fault::TruncatedJson => {
            Answer::error(api, 500, reason(500), request_id, &[])
        }
    }
}

/// Spoils a successful answer with an "after processing" fault.
pub(crate) fn late_answer(
    api: Api,
    fault: &Fault,
    status: u16,
    body: &Value,
    request_id: &str,
) -> Answer {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    match fault {
        Fault::StatusAfterProcessing(s) | Fault::Status(s) => {
            let s = fault_status(*s);
            Answer::error(api, s, reason(s), request_id, &[])
        }
        Fault::ResetMidBody => Answer::Reset { status, bytes },
        Fault::MalformedJson => {
            let mut bytes = bytes;
            if bytes.last() == Some(&b'}') {
                bytes.pop();
                bytes.extend_from_slice(b",}");
            } else {
                bytes.push(b'}');
            }
            Answer::Raw { status, bytes }
        }
        Fault::TruncatedJson => {
            let keep = (bytes.len() / 2).max(1).min(bytes.len().saturating_sub(1));
            Answer::Raw {
                status,
                bytes: bytes[..keep].to_vec(),
            }
        }
        Fault::TooManyRequests { .. } | Fault::Delay(_) => {
            Answer::success(status, Some(body.clone()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoiled_bodies_do_not_parse() {
        let body = serde_json::json!({"id": "contact_1"});
        for fault in [Fault::MalformedJson, Fault::TruncatedJson] {
            let Answer::Raw { bytes, status } = late_answer(Api::Spott, &fault, 201, &body, "r")
            else {
                panic!("raw answer expected for {fault:?}");
            };
            assert_eq!(status, 201);
            assert!(
                serde_json::from_slice::<Value>(&bytes).is_err(),
                "{fault:?}"
            );
        }
        let empty = serde_json::json!({});
        let Answer::Raw { bytes, .. } =
            late_answer(Api::Spott, &Fault::MalformedJson, 200, &empty, "r")
        else {
            panic!("raw answer expected");
        };
        assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    }
}
