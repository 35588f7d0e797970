//! Hostile ids stay one path segment: what reaches the server is exactly
//! the operation's path with the id percent-encoded, or nothing at all.

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{
    CandidateId, CandidateUpdate, Client, Error, NewClientContact, NewTask, RetryPolicy, TaskLink,
};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
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
        }
        other => panic!("expected an input error naming {expected_field}, got {other:?}"),
    }
}

#[tokio::test]
async fn dot_segments_and_blanks_are_refused_before_sending() {
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    for id in [".", "..", "", "  "] {
        let blank = id.trim().is_empty();
        let error = client
            .update_candidate(id, CandidateUpdate::new().last_name("X"))
            .await
            .unwrap_err();
        assert_refused(&error, "id", blank);
        let error = client.contact_overview(id).await.unwrap_err();
        assert_refused(&error, "candidateId", blank);
        let error = client.get_candidate(id.to_owned()).await.unwrap_err();
        assert_refused(&error, "id", blank);
        let error = client
            .create_client_contact(id, NewClientContact::new("Ana", "Doe"))
            .await
            .unwrap_err();
        assert_refused(&error, "clientId", blank);
        assert!(!error.may_exist_on_server());
    }
    assert!(
        server.received().is_empty(),
        "sent: {:?}",
        server.received()
    );
}

#[tokio::test]
async fn backslashes_slashes_and_percent_signs_are_encoded_into_one_segment() {
    let cases = [
        (r"..\tasks\_raw", "..%5Ctasks%5C_raw"),
        ("../tasks/_raw", "..%2Ftasks%2F_raw"),
        ("%2e%2e", "%252e%252e"),
        ("a?b#c", "a%3Fb%23c"),
        ("Zoë Ø", "Zo%C3%AB%20%C3%98"),
    ];
    for (id, encoded) in cases {
        let server = Scripted::start(vec![
            Reply::json(200, json!({"candidateId": "c"})),
            Reply::json(404, json!({"message": "no such candidate"})),
        ])
        .await;
        let client = client(&server.url);
        client.contact_overview(id).await.unwrap();
        let error = client
            .update_candidate(id, CandidateUpdate::new().last_name("X"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(404), "{error}");
        let paths: Vec<(String, String)> = server
            .received()
            .into_iter()
            .map(|request| (request.method, request.path))
            .collect();
        assert_eq!(
            paths,
            [
                ("GET".to_owned(), format!("/clients/contacts/{encoded}")),
                ("PATCH".to_owned(), format!("/candidates/{encoded}")),
            ],
            "{id:?}"
        );
    }
}

#[tokio::test]
async fn ids_in_bodies_are_checked_naming_the_field_before_sending() {
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    let cases = [
        (
            NewTask::new("Call").assign_to(""),
            "invalid assignedToUserId: must not be empty",
        ),
        (
            NewTask::new("Call")
                .link(TaskLink::candidate("c-1"))
                .link(TaskLink::client(" ")),
            "invalid links[1].entityId: must not be empty",
        ),
    ];
    for (task, message) in cases {
        let error = client.create_task(task).await.unwrap_err();
        assert_eq!(error.to_string(), message);
        assert!(!error.may_exist_on_server());
    }
    let error = client
        .update_candidate("c-1", CandidateUpdate::new().main_contact("  "))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid mainContact.userId: must not be empty"
    );
    assert!(server.received().is_empty(), "{:?}", server.received());
}

#[tokio::test]
async fn an_id_from_a_response_goes_straight_into_the_next_call() {
    let server = Scripted::start(vec![
        Reply::json(200, candidate_json("a/b")),
        Reply::json(200, candidate_json("a/b")),
    ])
    .await;
    let client = client(&server.url);
    let candidate = client.get_candidate("a/b").await.unwrap();
    let id: &CandidateId = &candidate.id;
    let updated = client
        .update_candidate(id, CandidateUpdate::new().last_name("Doe"))
        .await
        .unwrap();
    assert_eq!(updated.id, candidate.id);
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/candidates/a%2Fb", "/candidates/a%2Fb"]);
}

/// A candidate with every required field, empty wrappers elsewhere.
fn candidate_json(id: &str) -> serde_json::Value {
    json!({
        "id": id, "name": {}, "gender": {}, "nationality": {}, "status": {},
        "emails": {}, "phoneNumbers": {}, "locations": {}, "dateOfBirth": {},
        "socialMedia": {}, "lastInteractionDate": {}, "lastInteractionWith": {},
        "nextInteractionDate": {}, "nextInteractionWith": {}, "mainContact": {},
        "languages": {}, "compensation": {}, "currentPlacements": {}, "nextTaskDue": {},
        "createdAt": "2026-01-01T00:00:00Z", "modifiedAt": "2026-01-01T00:00:00Z",
        "lastActivityDate": "2026-01-01T00:00:00Z", "acquisitionSource": {},
        "latestWorkExperience": {}, "lastLinkedinDiffAt": null, "isDiffingLinkedin": false,
        "customAttributes": [], "aiSummary": null, "clientContacts": {},
        "isVisibleIfClientContact": null, "hasClientContacts": null,
        "hasActiveClientContacts": null, "lastAgentChatId": null, "cvAttachmentId": null,
        "linkedInProfile": {}
    })
}

#[tokio::test]
async fn the_raw_client_is_held_to_the_path_template_too() {
    // The generated client underneath, called with a dot segment the
    // wrapper would have refused: the request path would leave its
    // template, so nothing is sent.
    let server = Scripted::start(Vec::new()).await;
    let client = client(&server.url);
    for id in [".", ".."] {
        let result = client
            .raw()
            .update_candidate()
            .id(id)
            .body(spott::types::UpdateCandidateRequest::builder())
            .send()
            .await;
        match result {
            Err(spott_openapi::Error::InvalidRequest(reason)) => {
                assert!(reason.contains("one path segment"), "{reason}");
            }
            other => panic!("{id:?}: expected a refusal, got {other:?}"),
        }
    }
    assert!(server.received().is_empty(), "{:?}", server.received());
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let server = Scripted::start(vec![Reply::json(200, json!({"candidateId": "c"}))]).await;
    let client = client(&format!("{}/spott/", server.url));
    client.contact_overview("c/1").await.unwrap();
    assert_eq!(server.received()[0].path, "/spott/clients/contacts/c%2F1");
}
