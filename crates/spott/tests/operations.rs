//! Every operation against httpmock on 127.0.0.1: the exact method, path,
//! headers and JSON body sent, the documented response decoded, and each
//! class of error.

use std::time::Duration;

use httpmock::prelude::*;
use serde_json::{Value, json};
use spott::types::{CandidateGender, TaskSource};
use spott::{
    CandidateUpdate, Client, Error, NewClientContact, NewTask, OpenEnum, RetryPolicy, TaskLink,
};

const KEY: &str = "test-key-7f3a";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// The documentation page's example for an operation, from the spec.
fn page_example(operation: &str, request: bool) -> Value {
    let spec: Value = serde_norway::from_str(include_str!("../../../spec/spott.yaml")).unwrap();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation_object in item.as_object().unwrap().values() {
            if operation_object["operationId"] != operation {
                continue;
            }
            let holder = if request {
                &operation_object["requestBody"]
            } else {
                &operation_object["responses"]["200"]
            };
            let holder = match holder.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap();
                    &spec["components"]["responses"][name]
                }
                None => holder,
            };
            return holder["content"]["application/json"]["examples"]["page"]["value"].clone();
        }
    }
    panic!("no example for {operation}");
}

#[tokio::test]
async fn create_task_sends_the_exact_request_and_decodes_the_page_response() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/tasks/_raw")
                .header("x-api-key", KEY)
                .header("content-type", "application/json")
                .header("user-agent", concat!("spott/", env!("CARGO_PKG_VERSION")))
                .json_body(json!({
                    "content": "Follow up with candidate about interview availability",
                    "dueDate": "2024-12-31T23:59:59Z",
                    "assignedToUserId": "550e8400-e29b-41d4-a716-446655440000",
                    "links": [{"entityType": "candidate", "entityId": "550e8400-e29b-41d4-a716-446655440000"}]
                }));
            then.status(201).json_body(page_example("create_task", false));
        })
        .await;

    let task = client(&server)
        .create_task(
            NewTask::new("Follow up with candidate about interview availability")
                .due("2024-12-31T23:59:59Z".parse().unwrap())
                .assign_to("550e8400-e29b-41d4-a716-446655440000")
                .link(TaskLink::candidate("550e8400-e29b-41d4-a716-446655440000")),
        )
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(task.source, Some(OpenEnum::Known(TaskSource::Manual)));
    assert_eq!(task.is_completed, Some(true));
    let links = task.links.unwrap();
    assert_eq!(
        links.opportunities[0]
            .company
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("<string>")
    );
}

#[tokio::test]
async fn contact_overview_gets_the_candidate_path() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/clients/contacts/cand-42")
                .header("x-api-key", KEY);
            then.status(200)
                .json_body(page_example("get_contact_overview", false));
        })
        .await;

    let overview = client(&server).contact_overview("cand-42").await.unwrap();

    mock.assert_async().await;
    let contact = &overview.client_contacts[0];
    assert_eq!(
        contact.email_addresses[0].email.as_deref(),
        Some("jsmith@example.com")
    );
    assert_eq!(contact.stage.as_ref().unwrap().order, Some(123));
}

#[tokio::test]
async fn ids_are_percent_encoded_and_cannot_change_the_path() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/clients/contacts/a%2Fb%3Fc%23d");
            then.status(200)
                .json_body(json!({"candidateId": "a/b?c#d"}));
        })
        .await;

    let overview = client(&server).contact_overview("a/b?c#d").await.unwrap();

    mock.assert_async().await;
    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("a/b?c#d")
    );
}

#[tokio::test]
async fn create_client_contact_posts_to_the_client_and_returns_the_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/clients/contacts/client-9")
                .header("x-api-key", KEY)
                .json_body(json!({
                    "firstName": "Ana",
                    "lastName": "García",
                    "gender": "female",
                    "nationality": ["Spanish"],
                    "status": ["actively_looking"],
                    "role": "Head of Talent",
                    "emails": [{"purpose": "personal", "email": "ana@example.com", "isPrimary": true}]
                }));
            then.status(201).json_body(json!({"id": "cc-1"}));
        })
        .await;

    let id = client(&server)
        .create_client_contact(
            "client-9",
            NewClientContact::new("Ana", "García")
                .gender(spott::types::ClientContactGender::Female)
                .nationality(spott::types::Nationality::Spanish)
                .status(spott::types::ClientContactStatus::ActivelyLooking)
                .role("Head of Talent")
                .email(spott::email(
                    spott::Purpose::Personal,
                    "ana@example.com",
                    true,
                )),
        )
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(id.as_str(), "cc-1");
}

#[tokio::test]
async fn update_candidate_patches_only_what_changed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path("/candidates/cand-1")
                .header("x-api-key", KEY)
                .json_body(
                    json!({"lastName": "Doe", "gender": "x", "dateOfBirth": null, "emails": []}),
                );
            then.status(200)
                .json_body(page_example("update_candidate", false));
        })
        .await;

    let candidate = client(&server)
        .update_candidate(
            "cand-1",
            CandidateUpdate::new()
                .last_name("Doe")
                .gender(CandidateGender::X)
                .clear_date_of_birth()
                .emails([]),
        )
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(
        candidate.gender.gender,
        Some(OpenEnum::Known(CandidateGender::Male))
    );
    assert_eq!(
        candidate.emails.emails[0].email.as_deref(),
        Some("jsmith@example.com")
    );
}

#[tokio::test]
async fn invalid_input_is_rejected_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let client = client(&server);

    let errors = [
        client.create_task(NewTask::new("")).await.unwrap_err(),
        client.contact_overview(" ").await.unwrap_err(),
        client
            .create_client_contact("", NewClientContact::new("A", "B"))
            .await
            .unwrap_err(),
        client
            .update_candidate("cand-1", CandidateUpdate::new())
            .await
            .unwrap_err(),
    ];

    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "invalid content: must not be empty",
            "invalid candidateId: must not be empty",
            "invalid clientId: must not be empty",
            "invalid body: set at least one field to update",
        ]
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn api_errors_carry_status_message_codes_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/tasks/_raw");
            then.status(422).json_body(json!({
                "status": 422,
                "message": "Validation failed",
                "requestId": "req-123",
                "errors": [{"code": "too_small", "path": ["content"], "message": "empty", "received": ""}]
            }));
        })
        .await;

    let error = client(&server)
        .create_task(NewTask::new("x"))
        .await
        .unwrap_err();

    match &error {
        Error::Api {
            status,
            request_id,
            body,
            ..
        } => {
            assert_eq!(*status, 422);
            assert_eq!(body.message().as_deref(), Some("Validation failed"));
            let codes: Vec<_> = error
                .field_errors()
                .iter()
                .map(|problem| problem.code.as_deref())
                .collect();
            assert_eq!(codes, [Some("too_small")]);
            let problem = &error.field_errors()[0];
            assert_eq!(
                (problem.path.as_str(), problem.message.as_deref()),
                ("content", Some("empty"))
            );
            assert_eq!(request_id.as_deref(), Some("req-123"));
            assert!(body.text().contains("\"requestId\":\"req-123\""));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "create_task: HTTP 422 [too_small] at content (request id req-123)"
    );
}

#[tokio::test]
async fn an_html_error_page_still_gives_the_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/clients/contacts/c");
            then.status(404)
                .header("content-type", "text/html")
                .body("<html><h1>Not Found</h1></html>");
        })
        .await;

    let error = client(&server).contact_overview("c").await.unwrap_err();

    match error {
        Error::Api {
            status: 404, body, ..
        } => {
            assert_eq!(body.message(), None);
            assert_eq!(body.text(), "<html><h1>Not Found</h1></html>")
        }
        other => panic!("expected a 404 API error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_enum_values_and_fields_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/tasks/_raw");
            then.status(201).json_body(json!({
                "id": "t-1",
                "source": "AUTOMATION",
                "somethingNew": {"nested": true}
            }));
        })
        .await;

    let task = client(&server)
        .create_task(NewTask::new("x"))
        .await
        .unwrap();

    assert_eq!(task.id.as_deref().map(String::as_str), Some("t-1"));
    assert_eq!(task.source, Some(OpenEnum::Unknown("AUTOMATION".into())));
}

#[tokio::test]
async fn a_wrongly_typed_field_is_a_decode_error_with_its_path() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/tasks/_raw");
            then.status(201).json_body(json!({
                "id": "t-1",
                "links": {"candidates": [{"isMention": "yes"}]}
            }));
        })
        .await;

    let error = client(&server)
        .create_task(NewTask::new("x"))
        .await
        .unwrap_err();

    match error {
        Error::Decode { path, snippet, .. } => {
            assert_eq!(path, "links.candidates[0].isMention");
            assert!(
                snippet.text().contains("\"isMention\":\"yes\""),
                "{snippet:?}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path("/candidates/c");
            then.status(200).json_body(json!({"id": "c"}));
        })
        .await;

    let error = client(&server)
        .update_candidate("c", CandidateUpdate::new().first_name("A"))
        .await
        .unwrap_err();

    match error {
        Error::Decode { message, .. } => assert!(message.contains("missing field"), "{message}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/tasks/_raw");
            then.status(201)
                .json_body(json!({"id": "t", "content": "x".repeat(10_000)}));
        })
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("x")).await.unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind, note the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("x")).await.unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    // The connection was never made: nothing sent, and the cause is there
    // (as an opaque error) for a log.
    assert!(error.is_transport() && error.is_connect(), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
    assert!(
        error
            .to_string()
            .starts_with("create_task: transport error")
    );
}
