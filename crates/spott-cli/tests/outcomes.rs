//! A Saleshandy answer that does not match the request: results for other
//! prospects are never printed or recorded as created.

use std::process::Command;

use scripted_server::{Reply, Scripted};
use serde_json::{Value, json};

fn answer_for_someone_else() -> Reply {
    Reply::json(
        201,
        json!({"message": "Task created successfully", "payload": {"results": [
            {"prospectId": "Pr9xQ2Lm", "taskId": "t-1", "success": true},
            {"prospectId": "Other77", "taskId": "t-2", "success": true}
        ]}}),
    )
}

fn spott(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(args)
        .args(["--base-url", url])
        .env("SALESHANDY_API_KEY", "outcome-key")
        .env_remove("SALESHANDY_BASE_URL")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn unrequested_results_are_flagged_and_the_requested_prospect_is_missing() {
    let server = Scripted::start(vec![answer_for_someone_else()]).await;

    let run = spott(
        &server.url,
        &[
            "saleshandy",
            "create-tasks",
            "--prospect",
            "8PvBmrB7P7",
            "--type",
            "call-follow-up",
        ],
    );

    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(out["results"], json!([]));
    assert_eq!(out["missing"], json!(["8PvBmrB7P7"]));
    assert_eq!(
        out["unrequested"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["prospectId"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Pr9xQ2Lm", "Other77"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_records_such_a_row_uncertain_not_created_nor_failed() {
    let server = Scripted::start(vec![answer_for_someone_else()]).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(&csv, "id,prospects,type\nr0,8PvBmrB7P7,call-follow-up\n").unwrap();
    let results = dir.path().join("results.jsonl");

    let run = spott(
        &server.url,
        &[
            "bulk",
            "saleshandy-tasks",
            "--csv",
            csv.to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
        ],
    );

    let text = std::fs::read_to_string(&results).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["row"], "r0", "{text}");
    assert_eq!(last["status"], "uncertain", "{text}");
    let error = last["error"].as_str().unwrap();
    assert!(
        error.contains("did not report prospect(s) 8PvBmrB7P7"),
        "{error}"
    );
    assert!(error.contains("not sent: Pr9xQ2Lm, Other77"), "{error}");
    assert_eq!(
        run.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(server.received().len(), 1);
}

/// "Created" without a task id: the answer contradicts itself.
fn success_without_a_task_id() -> Reply {
    Reply::json(
        201,
        json!({"message": "Task created successfully", "payload": {"results": [
            {"prospectId": "8PvBmrB7P7", "taskId": null, "success": true}
        ]}}),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_success_without_a_task_id_is_printed_unconfirmed_not_created() {
    let server = Scripted::start(vec![success_without_a_task_id()]).await;

    let run = spott(
        &server.url,
        &[
            "saleshandy",
            "create-tasks",
            "--prospect",
            "8PvBmrB7P7",
            "--type",
            "call-follow-up",
        ],
    );

    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        out["results"],
        json!([{"prospectId": "8PvBmrB7P7", "taskId": null, "success": false, "unconfirmed": true}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_records_a_success_without_a_task_id_uncertain() {
    let server = Scripted::start(vec![success_without_a_task_id()]).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(&csv, "id,prospects,type\nr0,8PvBmrB7P7,call-follow-up\n").unwrap();
    let results = dir.path().join("results.jsonl");

    let run = spott(
        &server.url,
        &[
            "bulk",
            "saleshandy-tasks",
            "--csv",
            csv.to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
        ],
    );

    let text = std::fs::read_to_string(&results).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["row"], "r0", "{text}");
    assert_eq!(last["status"], "uncertain", "{text}");
    assert_eq!(last["ids"], json!([]), "{text}");
    let error = last["error"].as_str().unwrap();
    assert!(
        error.contains("contradicts itself for prospect(s) 8PvBmrB7P7"),
        "{error}"
    );
    assert_eq!(
        run.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(server.received().len(), 1);
}
