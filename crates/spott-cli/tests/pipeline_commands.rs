//! The pipeline's readable commands through the built binary against the
//! mock: a created candidate is found in the list, a move shows on the
//! application, a rejection is recorded, and each command sends the
//! operation it names.

mod support;

use serde_json::Value;
use support::{KEY, json_out, mock, op, spott};

/// The JSON lines a list command printed.
fn lines(output: &std::process::Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON value per line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_created_candidate_is_listed_once_across_pages() {
    let mock = mock().await;

    let created = json_out(&spott(
        &mock,
        &[
            "candidate",
            "create",
            "--first-name",
            "Ada",
            "--last-name",
            "Lovelace",
        ],
    ));
    let id = created.as_str().expect("the new id, as a JSON string");

    let listed = lines(&spott(&mock, &["candidate", "list", "--page-size", "1"]));
    let ids: Vec<&str> = listed.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        ids.iter().filter(|listed| **listed == id).count(),
        1,
        "{ids:?}"
    );
    let pages = mock.received_for(op("list_candidates"));
    assert_eq!(
        pages.len(),
        ids.len(),
        "one item per page, one request per page"
    );
    assert!(pages.iter().all(|page| page.api_key() == Some(KEY)));

    let shown = json_out(&spott(&mock, &["candidate", "get", id]));
    assert_eq!(shown["name"]["firstName"], "Ada");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_move_changes_the_stage_and_a_rejection_shows() {
    let mock = mock().await;
    let applications = lines(&spott(&mock, &["application", "list"]));
    let first = applications[0]["id"].as_str().expect("an application id");
    let stages = json_out(&spott(&mock, &["stage", "list"]));
    let target = stages["stages"]
        .as_array()
        .and_then(|stages| {
            stages
                .iter()
                .find(|stage| stage["id"] != applications[0]["stage"]["id"])
        })
        .and_then(|stage| stage["id"].as_str())
        .expect("another stage");

    let moved = spott(&mock, &["application", "move", first, "--stage", target]);
    assert!(
        moved.status.success(),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    let shown = json_out(&spott(&mock, &["application", "get", first]));
    assert_eq!(shown["stage"]["id"], target);
    let sent = &mock.received_for(op("move_application"))[0];
    assert_eq!(sent.body, Some(serde_json::json!({"stageId": target})));

    let rejected = spott(
        &mock,
        &["application", "reject", first, "--reason", "Not a fit"],
    );
    assert!(
        rejected.status.success(),
        "{}",
        String::from_utf8_lossy(&rejected.stderr)
    );
    let shown = json_out(&spott(&mock, &["application", "get", first]));
    assert_eq!(shown["rejection"]["reason"], "Not a fit");
    assert_eq!(mock.received_for(op("reject_application")).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_of_jobs_users_and_a_candidates_applications_reach_their_operations() {
    let mock = mock().await;
    assert!(!lines(&spott(&mock, &["vacancy", "list"])).is_empty());
    let users = json_out(&spott(&mock, &["user", "list"]));
    assert!(
        users["users"]
            .as_array()
            .is_some_and(|users| !users.is_empty())
    );
    let mine = json_out(&spott(
        &mock,
        &["application", "list", "--candidate", "cand_1"],
    ));
    assert!(mine.is_object() || mine.is_array(), "{mine}");
    let sent = &mock.received_for(op("list_candidate_applications"))[0];
    assert_eq!(sent.path, "/applications/candidate/cand_1");
    let found = lines(&spott(&mock, &["candidate", "search", "--text", "Jane"]));
    assert!(
        found.iter().any(|c| c["name"]["firstName"] == "Jane"),
        "{found:?}"
    );
}
