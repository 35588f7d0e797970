//! The generated clients against hand-set httpmock expectations, on a
//! server bound to 127.0.0.1, for what the generated test of every typed
//! helper (`generated_every_httpmock_helper.rs`, from `cargo xtask
//! generate`) does not check: a PATCH clears a field with `null` and omits
//! the rest, and every request goes through the plugged-in `Exec`.

use httpmock::MockServer;
use serde_json::json;
use workspace_tests::{Side, examples, spec};

fn page_example(api: &str, operation: &str, request: bool) -> serde_json::Value {
    examples(&spec(api))
        .into_iter()
        .find(|e| {
            e.operation_id == operation
                && match &e.side {
                    Side::Request => request,
                    Side::Response(status) => !request && status == "200",
                }
        })
        .map(|e| e.value)
        .expect("the page example is in the spec")
}

#[tokio::test]
async fn spott_update_candidate_sends_null_to_clear_and_omits_the_rest() {
    use spott_openapi::Nullable;
    use spott_openapi::types::{Candidate, UpdateCandidateRequest};

    let server = MockServer::start_async().await;
    let response: Candidate =
        serde_json::from_value(page_example("spott", "update_candidate", false)).unwrap();
    let mock = server.mock(|when, then| {
        when.method("PATCH")
            .path("/candidates/cand-1")
            .json_body(json!({"dateOfBirth": null, "lastName": "Doe"}));
        then.status(200).json_body_obj(&response);
    });

    let client = spott_openapi::Client::new(&server.base_url(), spott_openapi::Hooks::default());
    let updated = client
        .update_candidate()
        .id("cand-1")
        .body(UpdateCandidateRequest {
            last_name: Some("Doe".into()),
            date_of_birth: Some(Nullable::Null),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(updated.into_inner().id, response.id);
}

#[tokio::test]
async fn every_operation_goes_through_the_plugged_in_exec() {
    use std::sync::{Arc, Mutex};

    use spott_openapi::{Exec, ExecFuture, Hooks};

    /// Records which operations it sent, then sends them.
    #[derive(Clone, Default)]
    struct Recording(Arc<Mutex<Vec<&'static str>>>);

    impl Exec for Recording {
        fn exec(
            &self,
            client: &reqwest::Client,
            request: reqwest::Request,
            operation_id: &'static str,
        ) -> ExecFuture {
            self.0.lock().unwrap().push(operation_id);
            Box::pin(client.execute(request))
        }
    }

    let server = MockServer::start_async().await;
    let overview = server.mock(|when, then| {
        when.method("GET").path("/clients/contacts/cand-9");
        then.status(200).json_body(json!({"candidateId": "cand-9"}));
    });
    let recording = Recording::default();
    let client = spott_openapi::Client::new(&server.base_url(), Hooks::new(recording.clone()));

    let got = client
        .get_contact_overview()
        .id("cand-9")
        .send()
        .await
        .unwrap();

    overview.assert_async().await;
    assert_eq!(
        got.into_inner().candidate_id.as_ref().map(|id| id.as_str()),
        Some("cand-9")
    );
    assert_eq!(*recording.0.lock().unwrap(), ["get_contact_overview"]);
}
