//! `Client::with_options`: a retry policy, a per-attempt timeout and extra
//! headers for some calls, against a scripted server on 127.0.0.1 with
//! paused tokio time (waits are measured, never slept).

use std::time::Duration;

use futures::TryStreamExt as _;
use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{Arguments, CallOptions, Client, Error, NewTask, RetryPolicy, lists};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("options-key")
        .base_url(url)
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
        .request_timeout(Duration::from_secs(20))
        // A fresh connection per attempt (see tests/retries.rs).
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap()
}

fn task_json() -> serde_json::Value {
    json!({"id": "task-1", "content": "Call", "source": "MANUAL"})
}

fn unavailable() -> Reply {
    Reply::json(503, json!({"message": "maintenance"}))
}

#[tokio::test(start_paused = true)]
async fn a_create_is_retried_after_a_503_only_when_the_call_allows_it() {
    // The client's own policy: a 503 after a create may hide a task.
    let server = Scripted::start(vec![unavailable(), Reply::json(201, task_json())]).await;
    let error = client(&server.url)
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received().len(), 1);

    // This caller checks for duplicates, so its call may repeat the create.
    let server = Scripted::start(vec![unavailable(), Reply::json(201, task_json())]).await;
    let base = client(&server.url);
    let retrying = base.with_options(
        CallOptions::new().retry_policy(
            RetryPolicy::standard()
                .with_base_backoff(Duration::from_millis(10))
                .with_create_retries(true),
        ),
    );
    let task = retrying.create_task(NewTask::new("Call")).await.unwrap();
    assert_eq!(task.id.as_deref().map(String::as_str), Some("task-1"));
    assert_eq!(server.received().len(), 2);

    // The client it came from keeps its own policy.
    let server = Scripted::start(vec![unavailable(), Reply::json(201, task_json())]).await;
    let base = client(&server.url);
    let _copy = base.with_options(
        CallOptions::new().retry_policy(RetryPolicy::standard().with_create_retries(true)),
    );
    assert!(base.create_task(NewTask::new("Call")).await.is_err());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn extra_headers_reach_the_server_on_typed_json_and_list_calls() {
    let server = Scripted::start(vec![
        Reply::json(201, task_json()),
        Reply::json(201, task_json()),
        Reply::json(
            200,
            json!({"items": [{"id": "t1", "content": "Call"}], "pageInfo": {"nextCursor": null, "hasNextPage": false}}),
        ),
    ])
    .await;
    let tagged = client(&server.url)
        .with_options(CallOptions::new().header("x-correlation-id", "import-42"));

    tagged.create_task(NewTask::new("Call")).await.unwrap();
    let body = json!({"content": "Call"});
    tagged
        .call_json(
            "create_task",
            Arguments {
                body: Some(&body),
                ..Arguments::default()
            },
        )
        .await
        .unwrap();
    let tasks: Vec<spott::types::Task> = tagged
        .list::<lists::ListTasks>(Arguments::default(), None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tasks.len(), 1);

    let received = server.received();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.header("x-correlation-id"), Some("import-42"));
        assert_eq!(request.header("x-api-key"), Some("options-key"));
    }
}

#[tokio::test(start_paused = true)]
async fn the_key_header_cannot_be_overridden_and_nothing_is_sent() {
    let server = Scripted::start(vec![Reply::json(201, task_json())]).await;
    let overriding = client(&server.url)
        .with_options(CallOptions::new().header("X-Api-Key", "someone-elses-key"));

    let typed = overriding
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();
    let by_id = overriding
        .call_json("list_tasks", Arguments::default())
        .await
        .unwrap_err();
    for error in [typed, by_id] {
        match &error {
            Error::InvalidInput { field, reason, .. } => {
                assert_eq!(field, "header x-api-key");
                assert!(reason.contains("cannot be replaced"), "{reason}");
            }
            other => panic!("expected an input error, got {other:?}"),
        }
        assert!(!error.may_exist_on_server());
        assert!(!format!("{error:?}").contains("someone-elses-key"));
    }
    assert_eq!(server.received().len(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_fires_where_the_client_default_would_not() {
    let slow = || Reply::json(201, task_json()).slow_headers(Duration::from_secs(5));
    let server = Scripted::start(vec![slow(), slow()]).await;
    let base = client(&server.url);

    // The client's 20 s wait for the 5 s answer.
    base.create_task(NewTask::new("Call")).await.unwrap();

    let hurried = base.with_options(CallOptions::new().request_timeout(Duration::from_secs(1)));
    let started = tokio::time::Instant::now();
    let error = hurried.create_task(NewTask::new("Call")).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert_eq!(server.received().len(), 2);
}
