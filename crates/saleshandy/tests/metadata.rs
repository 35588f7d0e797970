//! `.with_meta()` for Saleshandy: the status, headers and request id of a
//! successful call, exactly as a scripted server on 127.0.0.1 sent them.

use saleshandy::{Arguments, Client, NewTasks, TaskType, WithMeta as _};
use scripted_server::{Reply, Scripted};
use serde_json::json;

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
        Reply::json(
            200,
            json!({
                "message": "Task created successfully",
                "payload": {"results": [{"prospectId": "Pr9xQ2Lm", "taskId": "7PWYDWW7zo", "success": true}]}
            }),
        )
        .header("x-request-id", "req-200")
        .header("x-ratelimit-remaining", "41")
        // A server that echoes the key: it must not reach the caller.
        .header("x-api-key", "meta-key"),
    ])
    .await;

    let (results, meta) = client(&server.url)
        .create_tasks(NewTasks::new(TaskType::CallFollowUp, ["Pr9xQ2Lm"]))
        .with_meta()
        .await
        .unwrap();

    assert_eq!(
        results.outcomes[0].task_id().map(|id| id.as_str()),
        Some("7PWYDWW7zo")
    );
    assert_eq!(meta.status(), 200);
    assert_eq!(meta.request_id(), Some("req-200"));
    assert_eq!(
        meta.headers()
            .get("x-ratelimit-remaining")
            .map(|v| v.as_bytes()),
        Some(&b"41"[..])
    );
    assert!(meta.headers().get("x-api-key").is_none());
    assert!(!format!("{meta:?}").contains("meta-key"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_call_by_id_finds_the_request_id_in_the_body() {
    let server = Scripted::start(vec![
        Reply::json(
            200,
            json!({"bulkActionId": "bulk-1", "completed": 3, "requestId": "body-7"}),
        ),
        Reply::json(200, json!({"bulkActionId": "bulk-1", "completed": 3})),
    ])
    .await;
    let client = client(&server.url);
    let arguments = Arguments {
        path: &[("bulkActionId", "bulk-1")],
        ..Arguments::default()
    };

    let (value, meta) = client
        .call_json("get_bulk_action_status", arguments)
        .with_meta()
        .await
        .unwrap();
    assert_eq!(value["completed"], 3);
    assert_eq!((meta.status(), meta.request_id()), (200, Some("body-7")));

    // Without `.with_meta()` the call is what it always was.
    let value = client
        .call_json("get_bulk_action_status", arguments)
        .await
        .unwrap();
    assert_eq!(value["completed"], 3);
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/tasks/bulk-status/bulk-1",
            "/v1/tasks/bulk-status/bulk-1"
        ]
    );
}
