//! `Client::call`: any generated operation, with the key, the retry
//! policy, the path check and the error mapping, and no hand-written code
//! for the operation.

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{Client, Error, RetryPolicy};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("generic-key")
        .base_url(url)
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .retry_policy(RetryPolicy::standard().with_base_backoff(std::time::Duration::from_secs(1)))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_generated_call_gets_the_key_and_the_retry_policy() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({"message": "down"})),
        Reply::json(200, json!({"candidateId": "cand-1"})),
    ])
    .await;

    let overview = client(&server.url)
        .call(|raw| raw.get_contact_overview().id("cand-1").send())
        .await
        .unwrap();

    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("cand-1")
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "the 503 was retried");
    for request in &received {
        assert_eq!(request.path, "/clients/contacts/cand-1");
        assert_eq!(request.header("x-api-key"), Some("generic-key"));
    }
}

#[tokio::test(start_paused = true)]
async fn a_generated_create_is_not_repeated_and_its_error_is_mapped() {
    let server = Scripted::start(vec![
        Reply::json(502, json!({"requestId": "r-7"})),
        Reply::json(201, json!({"id": "t-1"})),
    ])
    .await;
    let body = spott::types::CreateTaskRequest::builder().content("Call Ana");

    let error = client(&server.url)
        .call(|raw| raw.create_task().body(body).send())
        .await
        .unwrap_err();

    match &error {
        Error::Api {
            operation,
            status,
            request_id,
            ..
        } => {
            assert_eq!(*operation, "create_task");
            assert_eq!(*status, 502);
            assert_eq!(request_id.as_deref(), Some("r-7"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(error.may_exist_on_server());
    assert_eq!(server.received().len(), 1, "a create is never repeated");
}

#[tokio::test]
async fn a_generated_call_whose_path_leaves_its_template_is_refused() {
    let server = Scripted::start(Vec::new()).await;

    let error = client(&server.url)
        .call(|raw| raw.get_contact_overview().id("..").send())
        .await
        .unwrap_err();

    match error {
        Error::InvalidInput { field, reason, .. } => {
            assert_eq!(field, "id");
            assert_eq!(reason, "must be one path segment, not `.` or `..`");
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert!(server.received().is_empty());
}
