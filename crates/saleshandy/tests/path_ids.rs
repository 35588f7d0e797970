//! Hostile ids stay one path segment: what reaches the server is exactly
//! the operation's path with the id percent-encoded, or nothing at all.
//! Saleshandy's id-taking operations (`snooze_task`,
//! `get_bulk_action_status`) have no typed method: they are called by name
//! with `Client::call_json`, or through the generated client with
//! `Client::call`.

use saleshandy::{Arguments, Client, Error, RetryPolicy};
use scripted_server::{Reply, Scripted};
use serde_json::json;

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn snooze_body() -> serde_json::Value {
    json!({"snoozeUntil": "2024-06-17T05:55:38.434Z"})
}

async fn snooze(client: &Client, task_id: &str) -> Result<serde_json::Value, Error> {
    let body = snooze_body();
    client
        .call_json(
            "snooze_task",
            Arguments {
                path: &[("taskId", task_id)],
                body: Some(&body),
                ..Arguments::default()
            },
        )
        .await
}

async fn bulk_status(client: &Client, bulk_action_id: &str) -> Result<serde_json::Value, Error> {
    client
        .call_json(
            "get_bulk_action_status",
            Arguments {
                path: &[("bulkActionId", bulk_action_id)],
                ..Arguments::default()
            },
        )
        .await
}

fn assert_refused(error: &Error, expected_field: &str, blank: bool) {
    let rule = if blank {
        "must not be empty"
    } else {
        "must be one path segment, not `.` or `..`"
    };
    match error {
        Error::InvalidInput { field, reason, .. } => {
            assert_eq!(field, expected_field, "{error}");
            assert_eq!(reason, rule);
            assert_eq!(
                error.to_string(),
                format!("invalid {expected_field}: {rule}")
            );
        }
        other => panic!("expected an input error naming {expected_field}, got {other:?}"),
    }
    assert!(error.is_invalid_input());
    assert!(!error.may_exist_on_server());
}

#[tokio::test]
async fn dot_segments_and_blanks_are_refused_before_sending() {
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    for id in [".", "..", "", "  ", "\t"] {
        let blank = id.trim().is_empty();
        let error = snooze(&client, id).await.unwrap_err();
        assert_refused(&error, "taskId", blank);
        let error = bulk_status(&client, id).await.unwrap_err();
        assert_refused(&error, "bulkActionId", blank);
    }
    assert!(
        server.received().is_empty(),
        "sent: {:?}",
        server.received()
    );
}

#[tokio::test]
async fn a_missing_or_misnamed_id_is_refused_naming_it() {
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    let error = client
        .call_json("get_bulk_action_status", Arguments::default())
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "invalid bulkActionId: is required");
    // The other operation's id does not fill this one's.
    let error = client
        .call_json(
            "get_bulk_action_status",
            Arguments {
                path: &[("taskId", "t-1")],
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid taskId: is not a path parameter of get_bulk_action_status"
    );
    assert!(server.received().is_empty(), "{:?}", server.received());
}

#[tokio::test]
async fn hostile_ids_are_encoded_into_one_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        (r"..\x", "..%5Cx"),
        ("?x=1", "%3Fx%3D1"),
        ("%2e%2e", "%252e%252e"),
        ("../bulk-status/b-1", "..%2Fbulk-status%2Fb-1"),
        (r"..\..\v1\prospects", "..%5C..%5Cv1%5Cprospects"),
        ("a#b", "a%23b"),
        ("...", "..."),
        (" . ", "%20.%20"),
        ("Zoë Ø", "Zo%C3%AB%20%C3%98"),
    ];
    for (id, encoded) in cases {
        let server = Scripted::start(vec![
            Reply::json(200, json!({"message": "Task snoozed successfully"})),
            Reply::json(404, json!({"message": "no such bulk action"})),
        ])
        .await;
        let client = client(&server.url);
        let snoozed = snooze(&client, id).await.unwrap();
        assert_eq!(snoozed["message"], "Task snoozed successfully");
        let error = bulk_status(&client, id).await.unwrap_err();
        assert_eq!(error.status(), Some(404), "{error}");
        let received = server.received();
        let paths: Vec<(&str, &str)> = received
            .iter()
            .map(|request| (request.method.as_str(), request.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("POST", format!("/v1/tasks/{encoded}/snooze").as_str()),
                ("GET", format!("/v1/tasks/bulk-status/{encoded}").as_str()),
            ],
            "{id:?}"
        );
        assert_eq!(received[0].json(), snooze_body(), "{id:?}");
    }
}

/// [`snooze_body`] as the generated client's request type.
fn typed_snooze_body() -> saleshandy::types::SnoozeTaskRequest {
    serde_json::from_value(snooze_body()).unwrap()
}

#[tokio::test]
async fn the_generated_client_encodes_the_same_way() {
    let server = Scripted::start(vec![
        Reply::json(200, json!({"message": "Task snoozed successfully"})),
        Reply::json(200, json!({"bulkActionId": "a/b", "completed": 1})),
    ])
    .await;
    let client = client(&server.url);
    client
        .call(|raw| {
            raw.snooze_task()
                .task_id("a/b")
                .body(typed_snooze_body())
                .send()
        })
        .await
        .unwrap();
    let status = client
        .call(|raw| raw.get_bulk_action_status().bulk_action_id("a/b").send())
        .await
        .unwrap();
    assert_eq!(status.completed, Some(1));
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/v1/tasks/a%2Fb/snooze", "/v1/tasks/bulk-status/a%2Fb"]
    );
}

#[tokio::test]
async fn the_generated_client_is_held_to_the_path_template_too() {
    // The generated client underneath, called with a dot segment that
    // `call_json` would have refused: the request path would leave its
    // template, so nothing is sent.
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    for id in [".", ".."] {
        let error = client
            .call(|raw| raw.get_bulk_action_status().bulk_action_id(id).send())
            .await
            .unwrap_err();
        assert_refused(&error, "bulkActionId", false);
        let error = client
            .call(|raw| {
                raw.snooze_task()
                    .task_id(id)
                    .body(typed_snooze_body())
                    .send()
            })
            .await
            .unwrap_err();
        assert_refused(&error, "taskId", false);
    }
    assert!(server.received().is_empty(), "{:?}", server.received());
}
