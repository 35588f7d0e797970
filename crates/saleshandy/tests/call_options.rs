//! `Client::with_options` for Saleshandy: a retry policy, a per-attempt
//! timeout and extra headers for some calls, against a scripted server on
//! 127.0.0.1 with paused tokio time (waits are measured, never slept).

use std::future::poll_fn;
use std::pin::pin;
use std::time::Duration;

use futures_core::Stream;
use saleshandy::{
    Arguments, CallOptions, Client, Error, NewTasks, RetryPolicy, TaskType, lists, types,
};
use scripted_server::{Reply, Scripted};
use serde_json::json;

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("options-key")
        .base_url(url)
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
        .request_timeout(Duration::from_secs(20))
        // A fresh connection per attempt, so a retry is a new request the
        // server counts, never a reused half-closed one.
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap()
}

fn tasks() -> NewTasks {
    NewTasks::new(TaskType::CallFollowUp, ["Pr9xQ2Lm"])
}

fn created() -> Reply {
    Reply::json(
        200,
        json!({
            "message": "Task created successfully",
            "payload": {"results": [{"prospectId": "Pr9xQ2Lm", "taskId": "7PWYDWW7zo", "success": true}]}
        }),
    )
}

fn unavailable() -> Reply {
    Reply::json(503, json!({"message": "maintenance"}))
}

/// Every item of a stream, without a dependency for it.
async fn collect<T>(stream: impl Stream<Item = Result<T, Error>>) -> Result<Vec<T>, Error> {
    let mut stream = pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item?);
    }
    Ok(items)
}

#[tokio::test(start_paused = true)]
async fn a_create_is_retried_after_a_503_only_when_the_call_allows_it() {
    // The client's own policy: a 503 after a create may hide the tasks.
    let server = Scripted::start(vec![unavailable(), created()]).await;
    let error = client(&server.url).create_tasks(tasks()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(error.may_exist_on_server());
    assert_eq!(server.received().len(), 1);

    // This caller removes duplicates itself, so its call may repeat it.
    let server = Scripted::start(vec![unavailable(), created()]).await;
    let retrying = client(&server.url).with_options(
        CallOptions::new().retry_policy(
            RetryPolicy::standard()
                .with_base_backoff(Duration::from_millis(10))
                .with_create_retries(true),
        ),
    );
    let results = retrying.create_tasks(tasks()).await.unwrap();
    assert!(results.all_succeeded(), "{results:?}");
    assert_eq!(
        results.outcomes[0].task_id().map(|id| id.as_str()),
        Some("7PWYDWW7zo")
    );
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|r| r.method == "POST" && r.path == "/v1/tasks/create"),
        "{received:?}"
    );

    // The client it came from keeps its own policy.
    let server = Scripted::start(vec![unavailable(), created()]).await;
    let base = client(&server.url);
    let _copy = base.with_options(
        CallOptions::new().retry_policy(RetryPolicy::standard().with_create_retries(true)),
    );
    assert!(base.create_tasks(tasks()).await.is_err());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn extra_headers_reach_the_server_on_typed_json_and_list_calls() {
    let server = Scripted::start(vec![
        created(),
        created(),
        // A short page is the last (the page carries no paging metadata).
        Reply::json(200, json!({"payload": [{"id": "jzRkmgMdwA"}]})),
    ])
    .await;
    let tagged = client(&server.url)
        .with_options(CallOptions::new().header("x-correlation-id", "import-42"));

    tagged.create_tasks(tasks()).await.unwrap();
    let body = json!({"prospectIds": ["Pr9xQ2Lm"], "taskType": "13"});
    tagged
        .call_json(
            "create_tasks",
            Arguments {
                body: Some(&body),
                ..Arguments::default()
            },
        )
        .await
        .unwrap();
    let prospects: Vec<types::Prospect> = collect(
        tagged
            .list::<lists::ListProspects>(Arguments::default(), Some(50))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(prospects.len(), 1);
    assert_eq!(
        prospects[0].id.as_ref().map(|id| id.as_str()),
        Some("jzRkmgMdwA")
    );

    let received = server.received();
    let requests: Vec<(&str, &str)> = received
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        requests,
        [
            ("POST", "/v1/tasks/create"),
            ("POST", "/v1/tasks/create"),
            ("GET", "/v1/prospects?pageSize=50&page=1"),
        ]
    );
    for request in &received {
        assert_eq!(request.header("x-correlation-id"), Some("import-42"));
        assert_eq!(request.header("x-api-key"), Some("options-key"));
    }
}

#[tokio::test(start_paused = true)]
async fn the_key_header_cannot_be_overridden_and_nothing_is_sent() {
    let server = Scripted::start(vec![created()]).await;
    let overriding = client(&server.url)
        .with_options(CallOptions::new().header("X-Api-Key", "someone-elses-key"));

    let typed = overriding.create_tasks(tasks()).await.unwrap_err();
    let by_id = overriding
        .call_json("list_sequences", Arguments::default())
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
        assert!(!error.to_string().contains("someone-elses-key"));
    }
    assert_eq!(server.received().len(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_fires_where_the_client_default_would_not() {
    let slow = || created().slow_headers(Duration::from_secs(5));
    let server = Scripted::start(vec![slow(), slow()]).await;
    let base = client(&server.url);

    // The client's 20 s wait for the 5 s answer.
    base.create_tasks(tasks()).await.unwrap();

    let hurried = base.with_options(CallOptions::new().request_timeout(Duration::from_secs(1)));
    let started = tokio::time::Instant::now();
    let error = hurried.create_tasks(tasks()).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // A create that timed out after sending is not sent again.
    assert!(error.may_exist_on_server());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert_eq!(server.received().len(), 2);
}
