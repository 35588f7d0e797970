//! Saleshandy from the store: created tasks snoozed and bulk-skipped, the bulk action's
//! status, and the prospect and sequence lists paged, filtered and sorted.

use serde_json::{Value, json};
use spott_saleshandy_mock::{MockConfig, Operation};

use crate::common::{Harness, KEY, op};

/// The default prospects, oldest first (their seeded `createdAt`).
const PROSPECTS: [&str; 4] = ["jzRkmgMdwA", "8PvBmrB7P7", "Pr9xQ2Lm", "Pr4Kb8Qw"];
/// The seeded sequences, oldest first.
const SEQUENCES: [&str; 3] = ["JA5YdAr9wy", "Xk7pQ2mWnB", "Tf4HsL9cRd"];

/// Creates a task for each prospect in `prospects` and returns the task ids.
async fn create_tasks(h: &Harness, prospects: &[&str]) -> Vec<String> {
    let reply = h
        .call(
            op("create_tasks"),
            "/v1/tasks/create",
            Some(json!({"prospectIds": prospects, "taskType": "13", "dueDate": "2031-03-04"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    reply.body["payload"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["taskId"].as_str().expect("a task id").to_owned())
        .collect()
}

/// The `id` of every item of a list answer's `payload`.
fn ids(body: &Value) -> Vec<String> {
    body["payload"]
        .as_array()
        .expect("a payload list")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Walks `path` (a list with a query already started) page by page with `pageSize=size`,
/// stopping at the first short page as a client must (the answers carry no paging
/// metadata); returns the pages.
async fn walk(h: &Harness, op: Operation, path: &str, size: usize) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    for page in 1.. {
        let reply = h
            .call(op, &format!("{path}pageSize={size}&page={page}"), None)
            .await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        let items = ids(&reply.body);
        let last = items.len() < size;
        pages.push(items);
        if last || page > 10 {
            break;
        }
    }
    pages
}

#[tokio::test]
async fn a_created_task_is_snoozed_and_the_stored_task_shows_it() {
    let h = Harness::start().await;
    let task_id = create_tasks(&h, &["Pr9xQ2Lm"]).await.remove(0);
    assert_eq!(
        h.mock.saleshandy_task(&task_id).expect("stored")["status"],
        "pending"
    );

    let snooze = op("snooze_task");
    let path = format!("/v1/tasks/{task_id}/snooze");
    let body = json!({"snoozeUntil": "2031-03-05T09:00:00.000Z", "callOutcome": "Callback Later"});
    let reply = h.call(snooze, &path, Some(body.clone())).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({
            "message": "Task snoozed successfully",
            "payload": {"task": {
                "taskId": task_id,
                "status": "snoozed",
                "snoozedUntil": "2031-03-05T09:00:00.000Z",
                "callOutcome": "Callback Later",
            }},
        })
    );
    let stored = h.mock.saleshandy_task(&task_id).expect("stored");
    assert_eq!(stored["status"], "snoozed");
    assert_eq!(stored["snoozedUntil"], "2031-03-05T09:00:00.000Z");
    assert_eq!(stored["callOutcome"], "Callback Later");
    assert_eq!(stored["dueDate"], "2031-03-04", "the due date stays");

    // An absolute time: the same request again leaves the same state; a later one without
    // an outcome moves the time and keeps the recorded outcome.
    assert_eq!(h.call(snooze, &path, Some(body)).await.body, reply.body);
    let later = h
        .call(
            snooze,
            &path,
            Some(json!({"snoozeUntil": "2031-03-06T09:00:00.000Z"})),
        )
        .await;
    assert_eq!(
        later.body["payload"]["task"]["snoozedUntil"],
        "2031-03-06T09:00:00.000Z"
    );
    let stored = h.mock.saleshandy_task(&task_id).expect("stored");
    assert_eq!(stored["snoozedUntil"], "2031-03-06T09:00:00.000Z");
    assert_eq!(stored["callOutcome"], "Callback Later");
    assert_eq!(h.mock.processed_count(snooze), 3);
    assert_eq!(h.mock.created_count(snooze), 0);
}

#[tokio::test]
async fn snoozing_an_unknown_task_is_the_declared_404() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("snooze_task"),
            "/v1/tasks/NoSuchTask/snooze",
            Some(json!({"snoozeUntil": "2031-03-05T09:00:00.000Z"})),
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_paths(), [json!(["params", "taskId"])]);
    assert_eq!(h.mock.processed_count(op("snooze_task")), 0);
}

#[tokio::test]
async fn bulk_skip_then_status_reports_exactly_the_skipped_tasks() {
    let h = Harness::start().await;
    let created = create_tasks(&h, &["8PvBmrB7P7", "Pr4Kb8Qw"]).await;
    let skip = op("bulk_skip_tasks");
    let reply = h
        .call(
            skip,
            "/v1/tasks/bulk-skip",
            Some(json!({"taskIds": [created[0], "NoSuchTask", created[1]]})),
        )
        .await;
    assert_eq!(reply.status, 200);
    let id = reply.body["bulkActionId"]
        .as_str()
        .expect("a bulk action id")
        .to_owned();
    assert_eq!(
        reply.body["statusCheckUrl"],
        json!(format!("/v1/tasks/bulk-status/{id}"))
    );
    assert_eq!(h.mock.created_count(skip), 1);

    // The status, at the URL the answer gave.
    let status_url = reply.body["statusCheckUrl"].as_str().expect("a path");
    let status = h.call(op("get_bulk_action_status"), status_url, None).await;
    assert_eq!(status.status, 200);
    let body = &status.body;
    assert_eq!(body["bulkActionId"], json!(id));
    assert_eq!(body["action"], "skip");
    assert_eq!(
        (
            &body["totalTasks"],
            &body["completed"],
            &body["failed"],
            &body["pending"]
        ),
        (&json!(3), &json!(2), &json!(1), &json!(0))
    );
    assert_eq!(body["status"], "completed");
    assert_eq!(body["completedAt"], body["createdAt"]);
    let action = h.mock.bulk_action(&id).expect("recorded");
    assert_eq!(action["taskIds"], json!(created));
    assert_eq!(action["failedTaskIds"], json!(["NoSuchTask"]));

    // Exactly the named tasks were skipped: the seeded ones stay pending.
    for task in &created {
        assert_eq!(
            h.mock.saleshandy_task(task).expect("stored")["status"],
            "skipped"
        );
    }
    assert_eq!(
        h.mock.saleshandy_task("lP0Zg2keMz").expect("seeded")["status"],
        "pending"
    );

    // A second skip is a second action with its own id.
    let again = h
        .call(
            skip,
            "/v1/tasks/bulk-skip",
            Some(json!({"taskIds": ["lP0Zg2keMz"]})),
        )
        .await;
    assert_ne!(again.body["bulkActionId"], json!(id));
    assert_eq!(h.mock.created_count(skip), 2);
}

#[tokio::test]
async fn the_status_of_an_unknown_bulk_action_is_the_declared_404() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("get_bulk_action_status"),
            "/v1/tasks/bulk-status/NoSuchAction",
            None,
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_paths(), [json!(["params", "bulkActionId"])]);
}

#[tokio::test]
async fn paging_lists_every_prospect_and_sequence_once_and_stops() {
    let h = Harness::start().await;
    for (op, path, expected) in [
        (op("list_prospects"), "/v1/prospects?", &PROSPECTS[..]),
        (op("list_sequences"), "/v1/sequences?", &SEQUENCES[..]),
    ] {
        for size in 1..=expected.len() + 1 {
            let pages = walk(&h, op, path, size).await;
            // Full pages, then one short (possibly empty) page: then the walk stops.
            assert_eq!(pages.len(), expected.len() / size + 1, "{op} by {size}");
            let seen: Vec<String> = pages.concat();
            assert_eq!(seen, expected, "{op} by {size}");
        }
        // The default page size (100) holds them all.
        let reply = h.call(op, path, None).await;
        assert_eq!(ids(&reply.body), expected, "{op}");
    }
}

#[tokio::test]
async fn a_prospect_made_known_later_is_listed_last() {
    let h = Harness::start().await;
    h.mock.add_prospect("Nw7QbX2kLp");
    let reply = h
        .call(
            op("list_prospects"),
            "/v1/prospects?page=2&pageSize=4",
            None,
        )
        .await;
    // Known by id only: no e-mail, every attribute empty.
    let added = &reply.body["payload"][0];
    assert_eq!(ids(&reply.body), ["Nw7QbX2kLp"]);
    assert!(added.get("email").is_none(), "{added:#}");
    let values: Vec<&Value> = added["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .map(|a| &a["value"])
        .collect();
    assert_eq!(values, [&json!(""); 9]);
}

#[tokio::test]
async fn filters_narrow_the_lists_to_the_matching_items() {
    let h = Harness::start().await;
    let prospects = op("list_prospects");
    for (query, expected) in [
        // First name, last name or e-mail, case-insensitive.
        ("search=becker", &["Pr9xQ2Lm"][..]),
        ("search=PRIYA", &["8PvBmrB7P7"]),
        ("search=amara.okafor%40", &["Pr4Kb8Qw"]),
        ("search=example.com", &PROSPECTS),
        // A company is no searched field.
        ("search=Initech", &[]),
        ("search=Ghost", &[]),
        (
            "sort=DESC",
            &["Pr4Kb8Qw", "Pr9xQ2Lm", "8PvBmrB7P7", "jzRkmgMdwA"],
        ),
        ("search=ra&sort=DESC", &["Pr4Kb8Qw", "8PvBmrB7P7"]),
        ("search=ra&sort=DESC&pageSize=1&page=2", &["8PvBmrB7P7"]),
    ] {
        let reply = h
            .call(prospects, &format!("/v1/prospects?{query}"), None)
            .await;
        assert_eq!(ids(&reply.body), expected, "{query}");
    }
    let sequences = op("list_sequences");
    for (query, expected) in [
        ("sequenceName=follow-up", &["Tf4HsL9cRd"][..]),
        ("sequenceName=SAMPLE", &["JA5YdAr9wy"]),
        ("clientIds=g9bzZq4aMd", &["JA5YdAr9wy"]),
        (
            "clientIds=g9bzZq4aMd,Rz8LqC2vNs",
            &["JA5YdAr9wy", "Tf4HsL9cRd"],
        ),
        ("clientIds=Rz8LqC2vNs&sequenceName=sample", &[]),
        (
            "sortBy=sequence.title",
            &["Xk7pQ2mWnB", "JA5YdAr9wy", "Tf4HsL9cRd"],
        ),
        (
            "sortBy=sequence.title&sort=DESC",
            &["Tf4HsL9cRd", "JA5YdAr9wy", "Xk7pQ2mWnB"],
        ),
    ] {
        let reply = h
            .call(sequences, &format!("/v1/sequences?{query}"), None)
            .await;
        assert_eq!(ids(&reply.body), expected, "{query}");
        assert_eq!(
            reply.body["message"],
            "Successfully fetched all sequences and their associated steps"
        );
    }
}

#[tokio::test]
async fn seeded_items_carry_the_page_shapes() {
    let h = Harness::start().await;
    let reply = h
        .call(op("list_prospects"), "/v1/prospects?search=john", None)
        .await;
    let john = &reply.body["payload"][0];
    assert_eq!(john["id"], "jzRkmgMdwA");
    assert_eq!(john["createdAt"], "2022-01-13T09:48:35.824Z");
    assert_eq!(john["email"], "john.doe@example.com");
    assert_eq!(john["verificationStatus"], "valid");
    assert_eq!(
        john["attributes"][0],
        json!({"id": "lPYGOLkyzV", "key": "First Name", "value": "John"})
    );
    assert_eq!(john["attributes"][4]["key"], "Phone Number");
    assert_eq!(john["attributes"][4]["value"], "");

    let reply = h
        .call(op("list_sequences"), "/v1/sequences?pageSize=1", None)
        .await;
    assert_eq!(
        reply.body["payload"][0],
        json!({
            "id": "JA5YdAr9wy",
            "title": "Sample Sequence",
            "active": true,
            "steps": [{"id": "bwOLEx4l8G", "name": "Step 1"}],
            "client": {"id": "g9bzZq4aMd", "companyName": "Demo", "firstName": "John", "lastName": "Doe"},
            "user": {"id": 1, "firstName": "John", "lastName": "Doe", "email": "john.doe@example.com"},
        })
    );
    let reply = h
        .call(
            op("list_sequences"),
            "/v1/sequences?pageSize=1&page=2",
            None,
        )
        .await;
    assert_eq!(reply.body["payload"][0]["client"], json!(null));
}

#[tokio::test]
async fn without_seed_data_there_are_no_sequences_or_seeded_tasks() {
    let h = Harness::with(MockConfig::new().api_key(KEY).without_seed_data()).await;
    let reply = h.call(op("list_sequences"), "/v1/sequences", None).await;
    assert_eq!(ids(&reply.body), Vec::<String>::new());
    assert!(h.mock.saleshandy_task("lP0Zg2keMz").is_none());
    assert!(h.mock.bulk_action("Gk5Wd1PzTe").is_none());
    // The prospects are configuration, not seed data: still known, with their details.
    let reply = h.call(op("list_prospects"), "/v1/prospects", None).await;
    assert_eq!(ids(&reply.body), PROSPECTS);
}

#[tokio::test]
async fn the_seeded_bulk_action_reports_its_skipped_task() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("get_bulk_action_status"),
            "/v1/tasks/bulk-status/Gk5Wd1PzTe",
            None,
        )
        .await;
    assert_eq!(
        (
            &reply.body["totalTasks"],
            &reply.body["completed"],
            &reply.body["failed"]
        ),
        (&json!(1), &json!(1), &json!(0))
    );
    assert_eq!(
        h.mock.saleshandy_task("Vd3Hn8KqLs").expect("seeded")["status"],
        "skipped"
    );
}
