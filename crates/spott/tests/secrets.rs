//! A sentinel API key goes through real calls with every level of `tracing`
//! and `log` output captured; it must reach the server and nothing else:
//! not the logs, not an error, not a Debug string.
//!
//! Capture: see `log_capture`.

use httpmock::prelude::*;
use serde_json::json;
use spott::{Client, NewTask, RetryPolicy};

mod log_capture;
use log_capture::{Capture, install};

const SENTINEL: &str = "sentinel-key-Zq81xw";

#[tokio::test]
async fn the_key_reaches_the_server_and_nothing_else() {
    let capture = Capture::start();

    let server = MockServer::start_async().await;
    let created = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/tasks/_raw")
                .header("x-api-key", SENTINEL);
            then.status(201)
                .header("x-request-id", "req-77")
                .json_body(json!({"id": "t-1"}));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/clients/contacts/c-1");
            then.status(503).json_body(json!({"message": "down"}));
        })
        .await;
    let client = Client::builder()
        .api_key(SENTINEL)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::standard().with_base_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();

    client.create_task(NewTask::new("x")).await.unwrap();
    let error = client.contact_overview("c-1").await.unwrap_err();
    let config_error = Client::builder()
        .api_key(SENTINEL)
        .base_url("http://example.com")
        .build()
        .unwrap_err();

    created.assert_async().await;
    assert_eq!(failing.calls_async().await, 3, "a read is retried on 503");
    let logs = capture.text();
    assert!(
        logs.contains("reqwest::connect: starting new connection"),
        "reqwest's `log` output was captured: {logs}"
    );
    assert!(
        logs.contains("hyper_util::client::legacy::pool:"),
        "hyper-util's output was captured: {logs}"
    );
    assert!(
        logs.contains("operation=\"create_task\"") || logs.contains("operation=create_task"),
        "{logs}"
    );
    assert!(
        logs.contains("path=/tasks/_raw") || logs.contains("path=\"/tasks/_raw\""),
        "{logs}"
    );
    assert!(logs.contains("request failed, retrying"), "{logs}");
    // The span names what support needs: status and the server's request id.
    assert!(logs.contains("status=201"), "{logs}");
    assert!(
        logs.contains("request_id=\"req-77\"") || logs.contains("request_id=req-77"),
        "{logs}"
    );
    for (what, text) in [
        ("logs", logs.clone()),
        ("client Debug", format!("{client:?}")),
        ("error Display", error.to_string()),
        ("error Debug", format!("{error:?}")),
        ("config error", format!("{config_error} {config_error:?}")),
    ] {
        assert!(
            !text.contains(SENTINEL),
            "the key leaked into {what}: {text}"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_key() {
    install();
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"candidateId": "c"}));
        })
        .await;
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/clients/contacts/c");
        then.status(302).header(
            "location",
            format!("{}/clients/contacts/c", elsewhere.base_url()),
        );
    })
    .await;
    let default = Client::builder()
        .api_key(SENTINEL)
        .base_url(api.base_url())
        .build()
        .unwrap();
    // A caller's own builder that follows every redirect: its policy is
    // replaced, so the key stays home all the same.
    let callers = Client::builder()
        .api_key(SENTINEL)
        .base_url(api.base_url())
        .http_client(reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(10)))
        .build()
        .unwrap();

    for client in [default, callers] {
        let error = client.contact_overview("c").await.unwrap_err();
        assert_eq!(error.status(), Some(302), "{error:?}");
    }
    assert_eq!(
        stolen.calls_async().await,
        0,
        "the redirect was followed to another origin"
    );
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_followed() {
    install();
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/clients/contacts/old");
        then.status(301).header("location", "/clients/contacts/new");
    })
    .await;
    let moved = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/clients/contacts/new")
                .header("x-api-key", SENTINEL);
            then.status(200).json_body(json!({"candidateId": "new"}));
        })
        .await;
    let client = Client::builder()
        .api_key(SENTINEL)
        .base_url(api.base_url())
        .build()
        .unwrap();

    let overview = client.contact_overview("old").await.unwrap();

    moved.assert_async().await;
    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("new")
    );
}
