//! Every operation succeeds with a valid request, and its answer is what the spec declares.

use serde_json::json;
use spott_saleshandy_mock::Operation;

use crate::common::{Harness, default_path, op, page_example};

#[tokio::test]
async fn every_operation_succeeds_with_a_valid_request() {
    let h = Harness::start().await;
    for op in Operation::all() {
        let reply = h.call_valid(op).await;
        if op.is_stateful() {
            // A create answers 201 where its spec declares it (bulk skip declares only 200).
            let expected = if op.creates() && h.spec.declared_status(op, 201).is_some() {
                201
            } else {
                200
            };
            assert_eq!(reply.status, expected, "{op}: {:#}", reply.body);
        } else {
            // Answered from the spec: a declared 2xx (`call` checked the body against it).
            assert!((200..300).contains(&reply.status), "{op}: {:#}", reply.body);
        }
    }
    assert_eq!(h.mock.request_count(op("create_task")), 1);
    assert_eq!(h.mock.processed_count(op("get_contact_overview")), 1);
}

#[tokio::test]
async fn the_page_request_examples_are_accepted() {
    let h = Harness::start().await;
    for op in Operation::all().into_iter().filter(|op| op.has_body()) {
        let example = page_example(op).unwrap_or_else(|| panic!("{op} has a page example"));
        let reply = h.call(op, &default_path(op), Some(example)).await;
        // The page's move names a stage `<string>` the pipeline does not have: valid, so not
        // a 400 or 422, but a 404 at the stage.
        if op.operation_id() == "move_application" {
            assert_eq!(reply.status, 404, "{:#}", reply.body);
            assert_eq!(reply.errors()[0]["path"], json!(["stageId"]));
            continue;
        }
        assert!(
            reply.status == 200 || reply.status == 201,
            "{op} rejected its own page example: {:#}",
            reply.body
        );
    }
}

#[tokio::test]
async fn create_task_echoes_content_due_date_and_grouped_links() {
    let h = Harness::start().await;
    let body = json!({
        "content": "Prepare the interview",
        "dueDate": "2031-05-06T07:08:09.000Z",
        "assignedToUserId": "user_2",
        "links": [
            {"entityType": "candidate", "entityId": "cand_1"},
            {"entityType": "client", "entityId": "client_1"},
            {"entityType": "vacancy", "entityId": "vac_9"},
            {"entityType": "client_contact", "entityId": "cand_1"},
        ],
    });
    let reply = h.call(op("create_task"), "/tasks/_raw", Some(body)).await;
    assert_eq!(reply.status, 201);
    let task = &reply.body;
    assert_eq!(task["content"], "Prepare the interview");
    assert_eq!(task["dueDate"], "2031-05-06T07:08:09.000Z");
    assert_eq!(task["assignedTo"]["id"], "user_2");
    assert_eq!(task["assignedTo"]["name"], "Grace Hopper");
    assert_eq!(task["createdBy"]["id"], "user_api");
    assert_eq!(task["links"]["candidates"][0]["id"], "cand_1");
    assert_eq!(task["links"]["candidates"][0]["firstName"], "Jane");
    assert_eq!(task["links"]["clients"][0]["name"], "Acme Corp");
    assert_eq!(task["links"]["vacancies"][0]["id"], "vac_9");
    assert_eq!(
        task["links"]["clientContacts"][0]["companyName"],
        "Acme Corp"
    );
    assert_eq!(task["links"]["users"], json!([]));
    let id = task["id"].as_str().expect("task id");
    assert!(id.starts_with("task_"));
    assert_eq!(h.mock.task(id).as_ref(), Some(task));
    assert_eq!(h.mock.created_count(op("create_task")), 1);
}

#[tokio::test]
async fn a_task_without_due_date_or_assignee_has_nulls() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_task"),
            "/tasks/_raw",
            Some(json!({"content": "x", "dueDate": null})),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body["dueDate"], json!(null));
    assert_eq!(reply.body["assignedTo"], json!(null));
}

#[tokio::test]
async fn update_candidate_answers_every_required_field() {
    let h = Harness::start().await;
    let reply = h.call_valid(op("update_candidate")).await;
    assert_eq!(reply.status, 200);
    let candidate = reply.body.as_object().expect("object");
    for field in [
        "id",
        "name",
        "gender",
        "clientContacts",
        "linkedInProfile",
        "cvAttachmentId",
    ] {
        assert!(candidate.contains_key(field), "{field}");
    }
    assert_eq!(reply.body["name"]["viewType"], "candidateName");
    assert_eq!(reply.body["name"]["firstName"], "John");
}

#[tokio::test]
async fn spott_only_and_saleshandy_only_mocks_serve_one_api() {
    use spott_saleshandy_mock::{Apis, MockConfig};
    let spott = Harness::with(
        MockConfig::new()
            .api_key(crate::common::KEY)
            .apis(Apis::Spott),
    )
    .await;
    assert_eq!(spott.call_valid(op("create_task")).await.status, 201);
    let reply = crate::common::send(
        spott
            .http
            .post(spott.url("/v1/tasks/create"))
            .header("x-api-key", crate::common::KEY)
            .json(&json!({"prospectIds": ["Pr9xQ2Lm"], "taskType": "13"})),
    )
    .await;
    assert_eq!(reply.status, 404);

    let sh = Harness::with(
        MockConfig::new()
            .api_key(crate::common::KEY)
            .apis(Apis::Saleshandy),
    )
    .await;
    assert_eq!(sh.call_valid(op("create_tasks")).await.status, 201);
    let reply = crate::common::send(sh.http.get(sh.url("/clients/contacts/cand_1"))).await;
    assert_eq!(reply.status, 404);
}
