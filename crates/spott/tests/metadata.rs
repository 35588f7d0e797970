//! `.with_meta()`: the status, headers and request id of a successful
//! call, exactly as a scripted server on 127.0.0.1 sent them.

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{Arguments, Client, NewTask, WithMeta as _};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("meta-key")
        .base_url(url)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_typed_call_returns_the_response_status_headers_and_request_id() {
    let server = Scripted::start(vec![
        Reply::json(201, json!({"id": "task-1", "content": "Call"}))
            .header("x-request-id", "req-201")
            .header("x-ratelimit-remaining", "41")
            // A server that echoes the key: it must not reach the caller.
            .header("x-api-key", "meta-key"),
    ])
    .await;

    let (task, meta) = client(&server.url)
        .create_task(NewTask::new("Call"))
        .with_meta()
        .await
        .unwrap();

    assert_eq!(task.id.as_deref().map(String::as_str), Some("task-1"));
    assert_eq!(meta.status(), 201);
    assert_eq!(meta.request_id(), Some("req-201"));
    assert_eq!(
        meta.headers()
            .get("x-ratelimit-remaining")
            .map(|v| v.as_bytes()),
        Some(&b"41"[..])
    );
    assert!(meta.headers().get("x-api-key").is_none());
    assert!(!format!("{meta:?}").contains("meta-key"));
}

#[tokio::test]
async fn a_call_by_id_finds_the_request_id_in_the_body() {
    let server = Scripted::start(vec![
        Reply::json(200, json!({"candidateId": "cand-1", "requestId": "body-7"})),
        Reply::json(200, json!({"candidateId": "cand-1"})),
    ])
    .await;
    let client = client(&server.url);
    let arguments = Arguments {
        path: &[("id", "cand-1")],
        ..Arguments::default()
    };

    let (value, meta) = client
        .call_json("get_contact_overview", arguments)
        .with_meta()
        .await
        .unwrap();
    assert_eq!(value["candidateId"], "cand-1");
    assert_eq!((meta.status(), meta.request_id()), (200, Some("body-7")));

    // Without `.with_meta()` the call is what it always was.
    let value = client
        .call_json("get_contact_overview", arguments)
        .await
        .unwrap();
    assert_eq!(value["candidateId"], "cand-1");
    assert_eq!(server.received().len(), 2);
}
