//! `Client::call_json`: any operation of the spec by its operationId, JSON
//! in and out, under the same key, retry safety, path rules and errors as
//! the typed calls.

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::Arguments;
use spott::{Client, Error, RetryPolicy};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("by-id-key")
        .base_url(url)
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .retry_policy(RetryPolicy::standard().with_base_backoff(std::time::Duration::from_secs(1)))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_read_by_id_is_encoded_keyed_and_retried() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({})),
        Reply::json(200, json!({"candidateId": "a/b"})),
    ])
    .await;

    let answer = client(&server.url)
        .call_json(
            "get_contact_overview",
            Arguments {
                path: &[("id", r"a/b\c")],
                ..Arguments::default()
            },
        )
        .await
        .unwrap();

    assert_eq!(answer, json!({"candidateId": "a/b"}));
    let received = server.received();
    assert_eq!(received.len(), 2, "a read is retried after a 503");
    for request in &received {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/clients/contacts/a%2Fb%5Cc");
        assert_eq!(request.header("x-api-key"), Some("by-id-key"));
    }
}

#[tokio::test(start_paused = true)]
async fn a_create_by_id_sends_its_body_once_and_maps_the_error() {
    let server = Scripted::start(vec![
        Reply::json(502, json!({"requestId": "r-1"})),
        Reply::json(201, json!({"id": "t-1"})),
    ])
    .await;
    let body = json!({"content": "Call Ana"});

    let error = client(&server.url)
        .call_json(
            "create_task",
            Arguments {
                body: Some(&body),
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();

    match &error {
        Error::Api {
            operation,
            status,
            request_id,
            ..
        } => {
            assert_eq!(
                (*operation, *status, request_id.as_deref()),
                ("create_task", 502, Some("r-1"))
            );
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(error.may_exist_on_server());
    let received = server.received();
    assert_eq!(received.len(), 1, "a create is never repeated after a 502");
    assert_eq!(received[0].path, "/tasks/_raw");
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    assert_eq!(received[0].json(), body);
}

#[tokio::test]
async fn bad_arguments_are_refused_by_name_and_nothing_is_sent() {
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    let refusal = |error: Error| match error {
        Error::InvalidInput { field, reason, .. } => (field, reason),
        other => panic!("expected an input error, got {other:?}"),
    };

    let unknown = client
        .call_json("delete_everything", Arguments::default())
        .await
        .unwrap_err();
    assert_eq!(
        refusal(unknown),
        (
            "operation".to_owned(),
            "`delete_everything` is not an operation of spec/spott.yaml".to_owned()
        )
    );
    let missing = client
        .call_json("get_contact_overview", Arguments::default())
        .await
        .unwrap_err();
    assert_eq!(
        refusal(missing),
        ("id".to_owned(), "is required".to_owned())
    );
    let dots = client
        .call_json(
            "update_candidate",
            Arguments {
                path: &[("id", "..")],
                body: Some(&json!({"lastName": "X"})),
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        refusal(dots),
        (
            "id".to_owned(),
            "must be one path segment, not `.` or `..`".to_owned()
        )
    );
    let extra = client
        .call_json(
            "create_task",
            Arguments {
                query: &[("force", "1")],
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        refusal(extra),
        (
            "force".to_owned(),
            "is not a query parameter of create_task".to_owned()
        )
    );
    assert!(server.received().is_empty(), "{:?}", server.received());
}

#[tokio::test]
async fn an_unreadable_success_is_a_decode_error_that_may_exist() {
    let server = Scripted::start(vec![Reply::Respond {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: "{\"id\": ".into(),
    }])
    .await;

    let error = client(&server.url)
        .call_json(
            "create_task",
            Arguments {
                body: Some(&json!({"content": "x"})),
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.may_exist_on_server());
}

#[tokio::test]
async fn a_success_over_the_body_limit_is_too_large_not_null() {
    let server = Scripted::start(vec![Reply::json(
        200,
        json!({"candidateId": "x".repeat(4096)}),
    )])
    .await;
    let client = Client::builder()
        .api_key("by-id-key")
        .base_url(&server.url)
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = client
        .call_json(
            "get_contact_overview",
            Arguments {
                path: &[("id", "c-1")],
                ..Arguments::default()
            },
        )
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
}
