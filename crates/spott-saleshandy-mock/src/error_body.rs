//! The documented error bodies: Spott's `{status, message, requestId, errors}` and
//! Saleshandy's `{message, payload}` envelope.

use serde_json::{Value, json};

use crate::operation::Api;
use crate::violation::Violation;

/// The error body `api` sends for `status`. Saleshandy documents no detail shape, so its
/// `payload` carries the same `errors` list (and the request id) as Spott's body.
pub(crate) fn error_body(
    api: Api,
    status: u16,
    message: &str,
    request_id: &str,
    violations: &[Violation],
) -> Value {
    let errors: Vec<Value> = violations.iter().map(Violation::to_json).collect();
    match api {
        Api::Spott => json!({
            "status": status,
            "message": message,
            "requestId": request_id,
            "errors": errors,
        }),
        Api::Saleshandy => json!({
            "message": message,
            "payload": { "requestId": request_id, "errors": errors },
        }),
    }
}

/// The reason phrase of `status`, or a generic one.
pub(crate) fn reason(status: u16) -> &'static str {
    axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}
