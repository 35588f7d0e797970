//! State flows across operations, and what the mock records.

use serde_json::json;
use spott_saleshandy_mock::MockConfig;

use crate::common::{Harness, KEY, op};

#[tokio::test]
async fn created_contact_shows_in_overview_and_patch_is_reflected() {
    let h = Harness::start().await;
    let created = h
        .call(
            op("create_client_contact"),
            "/clients/contacts/client_2",
            Some(json!({
                "firstName": "Ann",
                "lastName": "Lee",
                "gender": "female",
                "role": "Head of Talent",
                "stageId": "stage_2",
                "emails": [{"purpose": "personal", "email": "ann@example.com", "isPrimary": true}],
                "locations": [{"type": "primary_home", "city": "Utrecht", "country": "Netherlands"}],
                "mainContact": {"userId": "user_1"},
                "customAttributes": [{"value": {"viewType": "customText", "text": "VIP"}, "label": "Tier", "filledByAI": true}],
            })),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().expect("id").to_owned();
    assert_eq!(h.mock.created_count(op("create_client_contact")), 1);

    let overview = h
        .call(
            op("get_contact_overview"),
            &format!("/clients/contacts/{id}"),
            None,
        )
        .await;
    assert_eq!(overview.status, 200);
    let o = &overview.body;
    assert_eq!(o["candidateId"], id.as_str());
    assert_eq!(o["firstName"], "Ann");
    assert_eq!(o["clientContacts"][0]["id"], id.as_str());
    assert_eq!(o["clientContacts"][0]["company"]["name"], "Globex");
    assert_eq!(o["clientContacts"][0]["role"], "Head of Talent");
    assert_eq!(o["clientContacts"][0]["stage"]["name"], "Qualified");
    assert_eq!(o["clientContacts"][0]["active"], true);
    assert_eq!(
        o["clientContacts"][0]["emailAddresses"][0]["email"],
        "ann@example.com"
    );
    assert_eq!(
        o["clientContacts"][0]["customAttributes"][0]["isFilledByAI"],
        true
    );
    assert_eq!(o["locations"][0]["rawCityCountry"], "Utrecht, Netherlands");
    assert_eq!(o["mainContact"]["name"], "Ada Lovelace");

    let patched = h
        .call(
            op("update_candidate"),
            &format!("/candidates/{id}"),
            Some(json!({
                "firstName": "Annie",
                "gender": null,
                "status": ["approachable_but_not_actively_looking"],
                "emails": [],
                "visibleIfClientContact": false,
                "lastInteractionAt": "2024-01-15T14:30:00.000Z",
                "lastInteractionWithId": "user_2",
            })),
        )
        .await;
    assert_eq!(patched.status, 200);
    let c = &patched.body;
    assert_eq!(c["id"], id.as_str());
    assert_eq!(c["name"]["firstName"], "Annie");
    assert_eq!(c["name"]["lastName"], "Lee", "absent fields stay");
    assert_eq!(c["gender"]["gender"], json!(null), "null clears");
    assert_eq!(
        c["status"]["status"],
        json!(["approachable_but_not_actively_looking"])
    );
    assert_eq!(c["emails"]["emails"], json!([]), "arrays replace");
    assert_eq!(c["locations"]["locations"][0]["city"], "Utrecht");
    assert_eq!(c["isVisibleIfClientContact"], false);
    assert_eq!(
        c["lastInteractionDate"]["lastInteractionDate"],
        "2024-01-15T14:30:00.000Z"
    );
    assert_eq!(c["lastInteractionWith"]["user"]["name"], "Grace Hopper");
    assert_eq!(c["mainContact"]["user"]["userId"], "user_1");
    assert_eq!(c["hasClientContacts"], true);
    assert_eq!(
        c["clientContacts"]["clientContacts"][0]["company"]["id"],
        "client_2"
    );
    assert_eq!(c["latestWorkExperience"]["title"], "Head of Talent");
    assert_eq!(
        h.mock.candidate(&id).as_ref().map(|c| &c["name"]),
        Some(&c["name"])
    );

    let again = h
        .call(
            op("get_contact_overview"),
            &format!("/clients/contacts/{id}"),
            None,
        )
        .await;
    assert_eq!(again.body["firstName"], "Annie");
    assert_eq!(again.body["clientContacts"][0]["emailAddresses"], json!([]));
    assert_eq!(again.body["lastInteractionWith"]["id"], "user_2");
}

#[tokio::test]
async fn patch_fields_absent_null_and_cleared() {
    let h = Harness::start().await;
    let path = "/candidates/cand_1";
    let set = h
        .call(
            op("update_candidate"),
            path,
            Some(json!({"dateOfBirth": "1990-05-15T00:00:00.000Z", "compensation": {"currency": "EUR", "baseCompensation": 1}})),
        )
        .await;
    assert_eq!(
        set.body["dateOfBirth"]["dateOfBirth"],
        "1990-05-15T00:00:00.000Z"
    );
    assert_eq!(set.body["compensation"]["compensation"]["currency"], "EUR");
    assert_eq!(set.body["gender"]["gender"], "female");
    let cleared = h
        .call(
            op("update_candidate"),
            path,
            Some(json!({"dateOfBirth": null, "gender": "x", "nationality": []})),
        )
        .await;
    assert_eq!(cleared.body["dateOfBirth"]["dateOfBirth"], json!(null));
    assert_eq!(cleared.body["gender"]["gender"], "x");
    assert_eq!(cleared.body["nationality"]["nationality"], json!([]));
    assert_eq!(
        cleared.body["compensation"]["compensation"]["currency"], "EUR",
        "absent stays"
    );
    let unchanged = h.call(op("update_candidate"), path, Some(json!({}))).await;
    assert_eq!(unchanged.body["gender"]["gender"], "x");
}

#[tokio::test]
async fn unknown_candidates_are_404() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("update_candidate"),
            "/candidates/ghost",
            Some(json!({"firstName": "A"})),
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_paths(), vec![json!(["params", "id"])]);
    assert_eq!(h.mock.processed_count(op("update_candidate")), 0);
    let reply = h
        .call(op("get_contact_overview"), "/clients/contacts/ghost", None)
        .await;
    assert_eq!(reply.status, 404);
    // cand_2 exists but is no client contact.
    let reply = h
        .call(op("get_contact_overview"), "/clients/contacts/cand_2", None)
        .await;
    assert_eq!(reply.status, 404);
    assert!(
        reply.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("not a client contact"))
    );
}

#[tokio::test]
async fn a_linked_task_with_due_date_becomes_next_task_due() {
    let h = Harness::start().await;
    for (content, due) in [
        ("later", "2031-01-01T00:00:00.000Z"),
        ("sooner", "2030-01-01T00:00:00.000Z"),
    ] {
        let body = json!({"content": content, "dueDate": due, "links": [{"entityType": "candidate", "entityId": "cand_1"}]});
        assert_eq!(
            h.call(op("create_task"), "/tasks/_raw", Some(body))
                .await
                .status,
            201
        );
    }
    let overview = h
        .call(op("get_contact_overview"), "/clients/contacts/cand_1", None)
        .await;
    assert_eq!(overview.body["nextTaskDue"]["content"], "sooner");
    let candidate = h.mock.candidate("cand_1").expect("seeded");
    assert_eq!(
        candidate["nextTaskDue"]["nextTaskDue"]["dueDate"],
        "2030-01-01T00:00:00.000Z"
    );
    assert_eq!(h.mock.created_count(op("create_task")), 2);
}

#[tokio::test]
async fn saleshandy_unknown_prospects_fail_individually() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_tasks"),
            "/v1/tasks/create",
            Some(json!({"prospectIds": ["Pr9xQ2Lm", "INVALIDxx", "Pr4Kb8Qw"], "taskType": "13", "priority": "3", "taskNote": "n"})),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body["message"], "Task created successfully");
    let results = reply.body["payload"]["results"]
        .as_array()
        .expect("results")
        .clone();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["prospectId"], "Pr9xQ2Lm");
    assert_eq!(results[0]["success"], true);
    assert_eq!(
        results[1],
        json!({"prospectId": "INVALIDxx", "taskId": null, "success": false})
    );
    assert_eq!(results[2]["success"], true);
    assert_ne!(results[0]["taskId"], results[2]["taskId"]);
    assert_eq!(h.mock.created_count(op("create_tasks")), 2);
    let task_id = results[0]["taskId"].as_str().expect("task id");
    let task = h.mock.saleshandy_task(task_id).expect("stored");
    assert_eq!(task["taskType"], "13");
    assert_eq!(task["priority"], "3");
    assert_eq!(task["taskNote"], "n");
    assert!(
        task["dueDate"].as_str().is_some_and(|d| d.len() == 10),
        "defaults to today"
    );

    h.mock.add_prospect("INVALIDxx");
    let reply = h
        .call(
            op("create_tasks"),
            "/v1/tasks/create",
            Some(json!({"prospectIds": ["INVALIDxx"], "taskType": "2"})),
        )
        .await;
    assert_eq!(reply.body["payload"]["results"][0]["success"], true);
}

#[tokio::test]
async fn configured_prospects_replace_the_defaults() {
    let h = Harness::with(MockConfig::new().api_key(KEY).prospects(["P-1"])).await;
    let reply = h
        .call(
            op("create_tasks"),
            "/v1/tasks/create",
            Some(json!({"prospectIds": ["P-1", "Pr9xQ2Lm"], "taskType": "9"})),
        )
        .await;
    let results = &reply.body["payload"]["results"];
    assert_eq!(results[0]["success"], true);
    assert_eq!(results[1]["success"], false);
}

#[tokio::test]
async fn without_seed_data_nothing_exists() {
    let h = Harness::with(MockConfig::new().api_key(KEY).without_seed_data()).await;
    assert_eq!(h.call_valid(op("get_contact_overview")).await.status, 404);
    assert_eq!(h.call_valid(op("update_candidate")).await.status, 404);
    assert!(h.mock.candidate("cand_1").is_none());
}

#[tokio::test]
async fn requests_are_recorded_with_redacted_debug() {
    let h = Harness::start().await;
    let body = json!({"firstName": "Ann", "lastName": "Lee"});
    let reply = h
        .call(
            op("create_client_contact"),
            "/clients/contacts/client_1?dry=no",
            Some(body.clone()),
        )
        .await;
    let bad = h
        .call(
            op("create_client_contact"),
            "/clients/contacts/client_1",
            Some(json!({})),
        )
        .await;
    assert_eq!(bad.status, 422);

    let received = h.mock.received();
    assert_eq!(received.len(), 2);
    let first = &received[0];
    assert_eq!(first.operation, Some(op("create_client_contact")));
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/clients/contacts/client_1");
    assert_eq!(first.query.as_deref(), Some("dry=no"));
    assert_eq!(first.body.as_ref(), Some(&body));
    assert_eq!(first.status, 201);
    assert!(first.processed);
    assert_eq!(
        first.created_ids,
        vec![reply.body["id"].as_str().expect("id").to_owned()]
    );
    assert_eq!(first.api_key(), Some(KEY));
    assert_eq!(first.headers.get("Content-Type"), Some("application/json"));
    assert_eq!(first.fault, None);
    assert_eq!(
        Some(first.request_id.as_str()),
        reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
    );
    let second = &received[1];
    assert_eq!((second.status, second.processed), (422, false));
    assert!(second.created_ids.is_empty());
    assert!(second.seq > first.seq);

    let debug = format!("{received:?}{received:#?}");
    assert!(!debug.contains(KEY), "the key leaks through Debug");
    assert!(debug.contains("<redacted>"));

    assert_eq!(h.mock.received_for(op("create_task")).len(), 0);
    h.mock.clear_received();
    assert!(h.mock.received().is_empty());
}
