//! One request, start to finish: faults, authentication, validation, the operation, the
//! answer (possibly spoiled by a fault), and the record.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde_json::Value;

use crate::answer::{Answer, early_answer, late_answer};
use crate::config::{ApiKeys, Apis};
use crate::faults::FaultState;
use crate::operation::{Api, Operation, Route, route, table};
use crate::record::{RecordedHeaders, RecordedRequest};
use crate::routes::{Input, Outcome, dispatch};
use crate::state::Store;
use crate::validate::SpecValidator;
use crate::violation::{PathSegment, Violation};

/// The largest request body read; more is a 400.
const BODY_LIMIT: usize = 1 << 20;

/// State shared by every request of one mock.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) validator: Arc<SpecValidator>,
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) records: Mutex<Vec<RecordedRequest>>,
    pub(crate) api_keys: Mutex<ApiKeys>,
    pub(crate) apis: Apis,
    seq: AtomicU64,
}

/// Locks, recovering the data if a holder panicked (no request may take the mock down).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn new(
        validator: Arc<SpecValidator>,
        store: Store,
        faults: FaultState,
        api_keys: ApiKeys,
        apis: Apis,
    ) -> Self {
        Self {
            validator,
            store: Mutex::new(store),
            faults: Mutex::new(faults),
            records: Mutex::new(Vec::new()),
            api_keys: Mutex::new(api_keys),
            apis,
            seq: AtomicU64::new(0),
        }
    }
}

/// A request taken apart.
struct Parts {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

async fn read(request: Request) -> Result<Parts, (Parts, String)> {
    let (head, body) = request.into_parts();
    let mut parts = Parts {
        method: head.method.as_str().to_owned(),
        path: head.uri.path().to_owned(),
        query: head.uri.query().map(str::to_owned),
        headers: head.headers,
        body: Bytes::new(),
    };
    match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => {
            parts.body = bytes;
            Ok(parts)
        }
        Err(e) => Err((
            parts,
            format!("could not read the request body (limit {BODY_LIMIT} bytes): {e}"),
        )),
    }
}

fn is_json_content_type(headers: &HeaderMap) -> Result<(), String> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err("missing Content-Type header; send application/json".to_owned());
    };
    let text = value.to_str().unwrap_or_default();
    let mime = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")) {
        Ok(())
    } else {
        Err(format!(
            "unsupported Content-Type `{text}`; send application/json"
        ))
    }
}

/// Authentication and validation. `Ok` carries the parsed body (`null` for operations
/// without one, or an optional body not sent).
fn check(
    shared: &Shared,
    op: Operation,
    params: &[(String, String)],
    parts: &Parts,
    request_id: &str,
) -> Result<Value, Answer> {
    let api = op.api();
    let key_path = vec![PathSegment::from("headers"), PathSegment::from("x-api-key")];
    match parts.headers.get("x-api-key") {
        None => {
            return Err(Answer::error(
                api,
                401,
                "Unauthorized: missing x-api-key header",
                request_id,
                &[Violation::new(
                    "unauthorized",
                    key_path,
                    "the x-api-key header is required",
                    None,
                )],
            ));
        }
        Some(value) => {
            let accepted = value
                .to_str()
                .map(|key| lock(&shared.api_keys).accepts(key))
                .unwrap_or(false);
            if !accepted {
                return Err(Answer::error(
                    api,
                    401,
                    "Unauthorized: invalid API key",
                    request_id,
                    &[Violation::new(
                        "unauthorized",
                        key_path,
                        "the API key is not valid",
                        None,
                    )],
                ));
            }
        }
    }

    for (name, value) in params {
        if let Err(violations) = shared.validator.validate_path_param(op, name, value) {
            return Err(Answer::error(
                api,
                400,
                "Invalid path parameter",
                request_id,
                &violations,
            ));
        }
    }
    if let Err(violations) = shared.validator.validate_query(op, parts.query.as_deref()) {
        return Err(Answer::error(
            api,
            400,
            "Invalid query parameter",
            request_id,
            &violations,
        ));
    }
    let headers = |name: &str| -> Vec<&str> {
        parts
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or_default())
            .collect()
    };
    if let Err(violations) = shared.validator.validate_headers(op, headers) {
        return Err(Answer::error(
            api,
            400,
            "Invalid header",
            request_id,
            &violations,
        ));
    }

    let empty = parts.body.iter().all(u8::is_ascii_whitespace);
    if !op.has_body() || (empty && !shared.validator.body_required(op)) {
        return Ok(Value::Null);
    }
    if let Err(message) = is_json_content_type(&parts.headers) {
        let path = vec![
            PathSegment::from("headers"),
            PathSegment::from("content-type"),
        ];
        return Err(Answer::error(
            api,
            400,
            &message,
            request_id,
            &[Violation::new(
                "unsupported_media_type",
                path,
                message.clone(),
                None,
            )],
        ));
    }
    if empty {
        return Err(Answer::error(
            api,
            400,
            "Request body is required",
            request_id,
            &[Violation::new(
                "invalid_json",
                Vec::new(),
                "the request body is empty; send a JSON object",
                None,
            )],
        ));
    }
    let body: Value = match serde_json::from_slice(&parts.body) {
        Ok(body) => body,
        Err(e) => {
            return Err(Answer::error(
                api,
                400,
                "Malformed JSON in request body",
                request_id,
                &[Violation::new(
                    "invalid_json",
                    Vec::new(),
                    format!("the body is not valid JSON: {e}"),
                    None,
                )],
            ));
        }
    };
    if let Err(violations) = shared.validator.validate_body(op, &body) {
        return Err(Answer::error(
            api,
            422,
            "Validation failed",
            request_id,
            &violations,
        ));
    }
    Ok(body)
}

fn record(shared: &Shared, record: RecordedRequest) {
    lock(&shared.records).push(record);
}

fn new_record(
    seq: u64,
    request_id: &str,
    operation: Option<Operation>,
    parts: &Parts,
) -> RecordedRequest {
    RecordedRequest {
        seq,
        request_id: request_id.to_owned(),
        operation,
        method: parts.method.clone(),
        path: parts.path.clone(),
        query: parts.query.clone(),
        headers: RecordedHeaders::from_map(&parts.headers),
        body: serde_json::from_slice(&parts.body).ok(),
        raw_body: parts.body.clone(),
        status: 0,
        processed: false,
        created_ids: Vec::new(),
        fault: None,
    }
}

/// Every request: routed by the operation table, then handled, or answered 404/405.
pub(crate) async fn serve(shared: Arc<Shared>, request: Request) -> Response {
    let method = request.method().as_str().to_owned();
    let routed = route(
        table(),
        |api| shared.apis.serves(api),
        &method,
        request.uri().path(),
    );
    match routed {
        Route::Found(index, params) => {
            handle(shared, Operation::from_index(index), params, request).await
        }
        Route::MethodNotAllowed(methods) => unmatched(shared, Some(methods), request).await,
        Route::NotFound => unmatched(shared, None, request).await,
    }
}

/// Handles a request the route table matched to `op`, with its path parameters.
async fn handle(
    shared: Arc<Shared>,
    op: Operation,
    params: Vec<(String, String)>,
    request: Request,
) -> Response {
    let started = tokio::time::Instant::now();
    let seq = shared.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("req_{seq}");
    let api = op.api();

    let plan = lock(&shared.faults).plan(op, started);
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }

    let (parts, read_error) = match read(request).await {
        Ok(parts) => (parts, None),
        Err((parts, message)) => (parts, Some(message)),
    };
    let mut rec = new_record(seq, &request_id, Some(op), &parts);

    let answer = if let Some(fault) = plan.before {
        let answer = early_answer(api, &fault, &request_id);
        rec.fault = Some(fault);
        answer
    } else if let Some(message) = read_error {
        Answer::error(
            api,
            400,
            &message,
            &request_id,
            &[Violation::new(
                "invalid_body",
                Vec::new(),
                message.clone(),
                None,
            )],
        )
    } else {
        match check(&shared, op, &params, &parts, &request_id) {
            Err(answer) => answer,
            Ok(body) => {
                let query =
                    crate::validate::parse_query(parts.query.as_deref().unwrap_or_default());
                let input = Input {
                    op,
                    params: &params,
                    body: &body,
                    query: &query,
                };
                let outcome = dispatch(&mut lock(&shared.store), &shared.validator, op, &input);
                match outcome {
                    Outcome::Success {
                        status,
                        body,
                        created,
                    } => {
                        rec.processed = true;
                        rec.created_ids = created;
                        match plan.after {
                            Some(fault) => {
                                let body = body.unwrap_or(Value::Null);
                                let answer = late_answer(api, &fault, status, &body, &request_id);
                                rec.fault = Some(fault);
                                answer
                            }
                            None => Answer::success(status, body),
                        }
                    }
                    Outcome::NotFound { message } => {
                        let (name, value) = params.first().cloned().unwrap_or_default();
                        let path = vec![
                            PathSegment::from("params"),
                            PathSegment::from(name.as_str()),
                        ];
                        Answer::error(
                            api,
                            404,
                            &message,
                            &request_id,
                            &[Violation::new(
                                "not_found",
                                path,
                                message.clone(),
                                Some(Value::String(value)),
                            )],
                        )
                    }
                    Outcome::Error {
                        status,
                        message,
                        violation,
                    } => Answer::error(api, status, &message, &request_id, &[violation]),
                }
            }
        }
    };

    rec.status = answer.status();
    tracing::info!(
        request_id = %request_id,
        operation = %op,
        method = %rec.method,
        path = %rec.path,
        status = rec.status,
        processed = rec.processed,
        fault = ?rec.fault,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    record(&shared, rec);
    answer.into_response(&request_id)
}

/// Answers a request no operation matches: 404 for unknown paths, 405 (with `Allow`) for a
/// known path with another method. Recorded with no operation; no faults apply.
async fn unmatched(
    shared: Arc<Shared>,
    allowed: Option<Vec<String>>,
    request: Request,
) -> Response {
    let seq = shared.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("req_{seq}");
    let parts = match read(request).await {
        Ok(parts) | Err((parts, _)) => parts,
    };
    let api = Api::for_path(&parts.path);
    let mut rec = new_record(seq, &request_id, None, &parts);
    let answer = match allowed {
        Some(methods) => {
            let message = format!("method {} is not allowed on {}", parts.method, parts.path);
            match Answer::error(api, 405, &message, &request_id, &[]) {
                Answer::Json { status, body, .. } => Answer::Json {
                    status,
                    body,
                    headers: vec![(header::ALLOW, methods.join(", "))],
                },
                other => other,
            }
        }
        None => {
            let message = format!("no operation at {} {}", parts.method, parts.path);
            Answer::error(api, 404, &message, &request_id, &[])
        }
    };
    rec.status = answer.status();
    tracing::info!(request_id = %request_id, method = %rec.method, path = %rec.path, status = rec.status, "unmatched request");
    record(&shared, rec);
    answer.into_response(&request_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn content_types() {
        let mut headers = HeaderMap::new();
        assert!(is_json_content_type(&headers).is_err());
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json_content_type(&headers).is_ok());
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/merge-patch+json"),
        );
        assert!(is_json_content_type(&headers).is_ok());
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(is_json_content_type(&headers).is_err());
    }
}
