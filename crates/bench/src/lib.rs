#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod baseline;

use std::net::SocketAddr;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::Value;

/// A documentation page's example, read from `spec/<api>.yaml`: the
/// request body of `operation`, or its first 2xx response.
///
/// # Panics
/// When the spec or the example is missing: the benchmarks cannot run.
pub fn page_example(api: &str, operation: &str, request: bool) -> Value {
    let text = match api {
        "spott" => include_str!("../../../spec/spott.yaml"),
        _ => include_str!("../../../spec/saleshandy.yaml"),
    };
    let spec: Value = serde_norway::from_str(text).expect("spec parses");
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                spec.pointer(pointer).cloned().unwrap_or(Value::Null)
            }
            None => node.clone(),
        }
    };
    for item in spec["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            if op["operationId"] != operation {
                continue;
            }
            let holder = if request {
                resolve(&op["requestBody"])
            } else {
                let responses = op["responses"].as_object().expect("responses");
                let (_, first) = responses
                    .iter()
                    .find(|(status, _)| status.starts_with('2'))
                    .expect("a success response");
                resolve(first)
            };
            return holder["content"]["application/json"]["examples"]["page"]["value"].clone();
        }
    }
    panic!("no page example for {operation}");
}

/// A server on 127.0.0.1 that answers every request with `status` and
/// `body`, as fast as axum can: the fixed point all clients are measured
/// against.
pub async fn canned_server(status: u16, body: Value) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("bound address");
    let bytes = serde_json::to_vec(&body).expect("JSON encodes");
    let status = StatusCode::from_u16(status).expect("valid status");
    let app = Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response() }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}
