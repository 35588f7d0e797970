//! The wrapper clients against the spec-driven mock (crates/spott-saleshandy-mock), which
//! validates every request against spec/ on its own: two independent
//! readings of the spec have to agree for these to pass.

use spott_saleshandy_mock::{Fault, MockConfig, MockServer, Operation, RetryAfter};

use chrono::NaiveDate;
use futures::TryStreamExt as _;
use saleshandy::{NewTasks, Priority, TaskType};
use spott::types::{CandidateGender, CandidateStatus, ClientContactStatus};
use spott::{CandidateUpdate, NewClientContact, NewTask, OpenEnum, TaskLink};

/// The mock's operation `id` (from the spec).
fn op(id: &str) -> Operation {
    Operation::by_id(id).unwrap_or_else(|| panic!("the specs declare no `{id}`"))
}

const KEY: &str = "mock-test-key";

async fn mock() -> MockServer {
    MockServer::start(MockConfig::new().api_key(KEY))
        .await
        .unwrap()
}

fn spott(mock: &MockServer) -> spott::Client {
    spott::Client::builder()
        .api_key(KEY)
        .base_url(mock.url())
        .build()
        .unwrap()
}

fn saleshandy(mock: &MockServer) -> saleshandy::Client {
    saleshandy::Client::builder()
        .api_key(KEY)
        .base_url(mock.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_whole_flow_works_and_every_request_is_valid() {
    let mock = mock().await;
    let spott = spott(&mock);

    let contact_id = spott
        .create_client_contact(
            "client_1",
            NewClientContact::new("Ana", "García")
                .status(ClientContactStatus::ActivelyLooking)
                .role("Head of Talent")
                .email(spott::email(
                    spott::Purpose::Personal,
                    "ana@example.com",
                    true,
                )),
        )
        .await
        .unwrap();
    // The contact's overview, update and task take the candidate behind
    // it, which the client contact list names.
    let contacts: Vec<spott::types::ClientContactListItem> = spott
        .list::<spott::lists::ListClientContacts>(spott::Arguments::default(), None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let candidate_id = contacts
        .into_iter()
        .find(|listed| listed.id.as_ref() == Some(&contact_id))
        .and_then(|listed| listed.candidate_id)
        .expect("the new contact is listed with its candidate");

    let overview = spott.contact_overview(&candidate_id).await.unwrap();
    assert_eq!(overview.candidate_id.as_ref(), Some(&candidate_id));
    assert_eq!(overview.first_name.as_deref(), Some("Ana"));
    assert_eq!(
        overview.client_contacts[0].role.as_deref(),
        Some("Head of Talent")
    );
    assert_eq!(
        overview.client_contacts[0].email_addresses[0]
            .email
            .as_deref(),
        Some("ana@example.com")
    );

    let candidate = spott
        .update_candidate(
            &candidate_id,
            CandidateUpdate::new()
                .last_name("García López")
                .gender(CandidateGender::Female)
                .status([CandidateStatus::ApproachableButNotActivelyLooking])
                .clear_date_of_birth(),
        )
        .await
        .unwrap();
    assert_eq!(candidate.name.last_name.as_deref(), Some("García López"));
    assert_eq!(
        candidate.gender.gender,
        Some(OpenEnum::Known(CandidateGender::Female))
    );
    assert_eq!(
        candidate.status.status,
        [OpenEnum::Known(
            CandidateStatus::ApproachableButNotActivelyLooking
        )]
    );
    assert_eq!(candidate.date_of_birth.date_of_birth, None);

    let task = spott
        .create_task(
            NewTask::new("Prepare the offer call")
                .due("2026-12-01T09:00:00Z".parse().unwrap())
                .assign_to("user_1")
                .link(TaskLink::candidate(&candidate_id)),
        )
        .await
        .unwrap();
    assert_eq!(task.content.as_deref(), Some("Prepare the offer call"));
    assert_eq!(
        task.links.unwrap().candidates[0].id.as_ref(),
        Some(&candidate_id)
    );

    let results = saleshandy(&mock)
        .create_tasks(
            NewTasks::new(
                TaskType::CallFollowUp,
                ["8PvBmrB7P7", "Pr9xQ2Lm", "NOPE-404"],
            )
            .priority(Priority::High)
            .due(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(results.successes().count(), 2);
    let failed: Vec<_> = results.failures().map(|o| o.prospect_id.as_str()).collect();
    assert_eq!(failed, ["NOPE-404"]);

    // The mock validated all of it against spec/ and answered 2xx.
    for request in mock.received() {
        assert!(
            (200..300).contains(&request.status),
            "{} {} got {}",
            request.method,
            request.path,
            request.status
        );
        assert_eq!(request.api_key(), Some(KEY));
    }
}

#[tokio::test]
async fn a_rate_limited_create_is_created_exactly_once() {
    let mock = mock().await;
    mock.script(
        op("create_task"),
        [
            Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(0),
            },
            Fault::TooManyRequests {
                retry_after: RetryAfter::Absent,
            },
        ],
    );

    let task = spott(&mock)
        .create_task(NewTask::new("Call"))
        .await
        .unwrap();

    assert!(task.id.is_some());
    assert_eq!(mock.request_count(op("create_task")), 3);
    assert_eq!(mock.created_count(op("create_task")), 1);
}

#[tokio::test]
async fn a_create_that_failed_after_processing_is_not_sent_again() {
    let mock = mock().await;
    mock.script(op("create_tasks"), [Fault::StatusAfterProcessing(503)]);

    let error = saleshandy(&mock)
        .create_tasks(NewTasks::new(TaskType::Custom, ["8PvBmrB7P7"]))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(mock.request_count(op("create_tasks")), 1);
    assert_eq!(mock.created_count(op("create_tasks")), 1);
}

#[tokio::test]
async fn the_mock_rejects_what_the_wrapper_would_never_send() {
    // The raw generated client can send an undocumented value the wrappers
    // refuse; the mock must name the field, as Spott does.
    let mock = mock().await;
    let response = reqwest::Client::new()
        .post(format!("{}/tasks/_raw", mock.url()))
        .header("x-api-key", KEY)
        .json(&serde_json::json!({"content": "x", "links": [{"entityType": "planet", "entityId": "p"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["path"],
        serde_json::json!(["links", 0, "entityType"])
    );
    assert_eq!(mock.created_count(op("create_task")), 0);
}
