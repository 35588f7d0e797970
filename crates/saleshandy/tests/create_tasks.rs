//! Create tasks against servers on 127.0.0.1: the exact request, the page's
//! per-prospect response, errors, and retries that never duplicate.

use std::time::Duration;

use chrono::NaiveDate;
use httpmock::prelude::*;
use saleshandy::{Client, Error, NewTasks, Priority, RetryPolicy, TaskType};
use scripted_server::{Reply, Scripted};
use serde_json::json;

const KEY: &str = "sh-test-key";

fn client(url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn page_response() -> serde_json::Value {
    json!({
        "message": "Task created successfully",
        "payload": {"results": [
            {"prospectId": "Pr9xQ2Lm", "taskId": "7PWYDWW7zo", "success": true},
            {"prospectId": "Pr4Kb8Qw", "taskId": "Mw5Mjoo1wb", "success": true},
            {"prospectId": "INVALIDxx", "taskId": null, "success": false}
        ]}
    })
}

#[tokio::test]
async fn sends_the_page_request_exactly_and_reports_per_prospect() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/tasks/create")
                .header("x-api-key", KEY)
                .header("content-type", "application/json")
                .header(
                    "user-agent",
                    concat!("saleshandy/", env!("CARGO_PKG_VERSION")),
                )
                .json_body(json!({
                    "prospectIds": ["Pr9xQ2Lm", "Pr4Kb8Qw", "INVALIDxx"],
                    "taskType": "13",
                    "priority": "3",
                    "dueDate": "2026-04-22",
                    "taskNote": "Call to follow up on the proposal sent yesterday."
                }));
            then.status(200).json_body(page_response());
        })
        .await;

    let results = client(&server.base_url())
        .create_tasks(
            NewTasks::new(
                TaskType::CallFollowUp,
                ["Pr9xQ2Lm", "Pr4Kb8Qw", "INVALIDxx"],
            )
            .priority(Priority::Medium)
            .due(NaiveDate::from_ymd_opt(2026, 4, 22).unwrap())
            .note("Call to follow up on the proposal sent yesterday."),
        )
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(
        results.message.as_deref(),
        Some("Task created successfully")
    );
    let created: Vec<_> = results
        .successes()
        .map(|o| (o.prospect_id.as_str(), o.task_id().map(|id| id.as_str())))
        .collect();
    assert_eq!(
        created,
        [
            ("Pr9xQ2Lm", Some("7PWYDWW7zo")),
            ("Pr4Kb8Qw", Some("Mw5Mjoo1wb"))
        ]
    );
    let failed: Vec<_> = results.failures().map(|o| o.prospect_id.as_str()).collect();
    assert_eq!(failed, ["INVALIDxx"]);
    assert!(!results.all_succeeded());
}

#[tokio::test]
async fn invalid_prospect_lists_are_rejected_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;

    let error = client(&server.base_url())
        .create_tasks(NewTasks::new(TaskType::Custom, ["a", "a"]))
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "invalid prospectIds[1]: duplicates prospectIds[0] (a)"
    );
    let error = client(&server.base_url())
        .create_tasks(NewTasks::new(TaskType::Custom, ["a", ""]))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid prospectIds[1]: must not be empty"
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn an_envelope_error_gives_status_and_message() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/tasks/create");
            then.status(401)
                .json_body(json!({"message": "Invalid API key", "payload": null}));
        })
        .await;

    let error = client(&server.base_url())
        .create_tasks(NewTasks::new(TaskType::CallDemo, ["p1"]))
        .await
        .unwrap_err();

    match &error {
        Error::Api {
            status: 401, body, ..
        } => {
            assert_eq!(body.message().as_deref(), Some("Invalid API key"))
        }
        other => panic!("expected a 401 API error, got {other:?}"),
    }
    // The server's message stays out of the error's text.
    assert_eq!(error.to_string(), "create_tasks: HTTP 401");
}

#[tokio::test(start_paused = true)]
async fn a_429_then_200_creates_exactly_once_more() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({"message": "Too many requests"})).header("retry-after", "5"),
        Reply::json(200, page_response()),
    ])
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        // See spott's tests/retries.rs: no pooled connections under paused time.
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();

    let results = client
        .create_tasks(NewTasks::new(
            TaskType::CallFollowUp,
            ["Pr9xQ2Lm", "Pr4Kb8Qw", "INVALIDxx"],
        ))
        .await
        .unwrap();

    assert_eq!(server.received().len(), 2);
    assert_eq!(server.received()[0].body, server.received()[1].body);
    assert!(started.elapsed() >= Duration::from_secs(5));
    assert_eq!(results.successes().count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_503_is_not_retried_for_the_create() {
    let server = Scripted::start(vec![Reply::json(503, json!({"message": "down"}))]).await;

    let error = client(&server.url)
        .create_tasks(NewTasks::new(TaskType::CallFollowUp, ["p"]))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received().len(), 1);
}
