//! `spott api`: every operation of both specs by operationId, through the
//! built binary against the mock, with no per-operation code in the CLI.

mod support;

use serde_json::json;
use support::{KEY, failed_with, json_out, mock, op, spott, spott_with_stdin};

#[tokio::test(flavor = "multi_thread")]
async fn the_list_is_the_generated_operation_table() {
    let mock = mock().await;
    for (api, table) in [
        (
            "spott",
            spott::OPERATIONS
                .iter()
                .map(|o| (o.id, o.method, o.path))
                .collect::<Vec<_>>(),
        ),
        (
            "saleshandy",
            saleshandy::OPERATIONS
                .iter()
                .map(|o| (o.id, o.method, o.path))
                .collect(),
        ),
    ] {
        let listed = json_out(&spott(&mock, &["api", api, "--list"]));
        let rows: Vec<(String, String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["operation"].as_str().unwrap().to_owned(),
                    row["method"].as_str().unwrap().to_owned(),
                    row["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String, String)> = table
            .into_iter()
            .map(|(id, method, path)| (id.to_owned(), method.to_owned(), path.to_owned()))
            .collect();
        assert_eq!(rows, expected, "{api}");
    }
    assert!(mock.received().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_and_a_create_by_operation_id_reach_the_mock() {
    let mock = mock().await;

    let overview = json_out(&spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "id=cand_1"],
    ));
    assert_eq!(overview["candidateId"], "cand_1");

    let created = json_out(&spott_with_stdin(
        &mock,
        &["api", "spott", "create_task", "--body", "-"],
        Some(r#"{"content": "Call Ana"}"#),
    ));
    assert_eq!(created["content"], "Call Ana");

    let read = &mock.received_for(op("get_contact_overview"))[0];
    assert_eq!(read.path, "/clients/contacts/cand_1");
    assert_eq!(read.api_key(), Some(KEY));
    let create = &mock.received_for(op("create_task"))[0];
    assert_eq!(create.body, Some(json!({"content": "Call Ana"})));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_operations_and_arguments_are_exit_3_and_send_nothing() {
    let mock = mock().await;
    let unknown = spott(&mock, &["api", "spott", "drop_tables"]);
    assert_eq!(
        failed_with(&unknown, 3),
        "error: invalid operation: `drop_tables` is not an operation of spec/spott.yaml"
    );
    let missing = spott(&mock, &["api", "spott", "get_contact_overview"]);
    assert_eq!(failed_with(&missing, 3), "error: invalid id: is required");
    let shape = spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "cand_1"],
    );
    assert_eq!(
        failed_with(&shape, 3),
        "error: --path: `cand_1` is not NAME=VALUE"
    );
    let dots = spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "id=.."],
    );
    assert_eq!(
        failed_with(&dots, 3),
        "error: invalid id: must be one path segment, not `.` or `..`"
    );
    assert!(mock.received().is_empty(), "nothing was sent");
}
