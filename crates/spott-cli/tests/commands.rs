//! Every single-operation command, `demo` and `mock` through the built
//! binary against the spec-driven mock on 127.0.0.1: exact requests and
//! outputs, output formats, and one error line with a distinct exit code
//! per class.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use spott_saleshandy_mock::{Fault, MockConfig, MockServer};

use support::{
    KEY, command, failed_with, finished, json_out, mock, op, spott, spott_with_stdin, stderr,
    stdout,
};

#[tokio::test(flavor = "multi_thread")]
async fn task_create_sends_typed_flags() {
    let mock = mock().await;
    let out = json_out(&spott(
        &mock,
        &[
            "task",
            "create",
            "--content",
            "Call Ana",
            "--due",
            "2026-12-01",
            "--assignee",
            "user_1",
            "--link",
            "candidate:cand_1",
            "--link",
            "client:client_1",
        ],
    ));
    assert_eq!(out["id"], "task_1");
    assert_eq!(out["content"], "Call Ana");
    assert_eq!(out["dueDate"], "2026-12-01T00:00:00Z");
    assert_eq!(out["assignedTo"]["id"], "user_1");
    assert_eq!(out["links"]["candidates"][0]["id"], "cand_1");
    assert_eq!(out["links"]["clients"][0]["id"], "client_1");
    let sent = &mock.received_for(op("create_task"))[0];
    assert_eq!(sent.api_key(), Some(KEY));
    assert_eq!(
        sent.body,
        Some(json!({
            "content": "Call Ana", "dueDate": "2026-12-01T00:00:00Z", "assignedToUserId": "user_1",
            "links": [
                {"entityType": "candidate", "entityId": "cand_1"},
                {"entityType": "client", "entityId": "client_1"}
            ]
        }))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn task_create_takes_a_body_file_instead_of_flags() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("task.json");
    std::fs::write(
        &body,
        r#"{"content": "From a file", "dueDate": "2026-04-22T09:00:00Z", "links": [{"entityType": "vacancy", "entityId": "vac_9"}]}"#,
    )
    .unwrap();
    let out = json_out(&spott(
        &mock,
        &["task", "create", "--body", body.to_str().unwrap()],
    ));
    assert_eq!(out["content"], "From a file");
    assert_eq!(out["links"]["vacancies"][0]["id"], "vac_9");
    assert_eq!(
        mock.received_for(op("create_task"))[0].body,
        Some(
            json!({"content": "From a file", "dueDate": "2026-04-22T09:00:00Z",
            "links": [{"entityType": "vacancy", "entityId": "vac_9"}]})
        )
    );

    // Flags and a body together are a usage error (clap's exit 2).
    let both = spott(&mock, &["task", "create", "--body", "-", "--content", "x"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[tokio::test(flavor = "multi_thread")]
async fn contact_show_prints_json_or_a_table() {
    let mock = mock().await;
    let out = json_out(&spott(&mock, &["contact", "show", "cand_1"]));
    assert_eq!(out["candidateId"], "cand_1");
    assert_eq!(out["firstName"], "Jane");
    assert_eq!(out["lastName"], "Smith");
    assert_eq!(out["clientContacts"][0]["company"]["id"], "client_1");

    let table = spott(&mock, &["contact", "show", "cand_1", "--output", "table"]);
    assert!(table.status.success(), "{}", stderr(&table));
    let text = stdout(&table);
    let row = |key: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(key))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
    };
    assert_eq!(row("candidateId").as_deref(), Some("cand_1"), "{text}");
    assert_eq!(row("firstName").as_deref(), Some("Jane"), "{text}");
    assert_eq!(
        row("clientContacts").as_deref(),
        Some("[1 items]"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn contact_create_then_candidate_update_sets_and_clears() {
    let mock = mock().await;
    let created = json_out(&spott(
        &mock,
        &[
            "contact",
            "create",
            "client_1",
            "--first-name",
            "Ana",
            "--last-name",
            "García",
            "--gender",
            "female",
            "--nationality",
            "cape verdean",
            "--status",
            "actively-looking",
            "--source",
            "manual",
            "--role",
            "CTO",
            "--email",
            "personal:ana@example.com",
            "--phone",
            "work:+34 600 000 000",
        ],
    ));
    assert_eq!(created, json!({"id": "contact_1"}));
    let sent = &mock.received_for(op("create_client_contact"))[0];
    assert_eq!(sent.path, "/clients/contacts/client_1");
    assert_eq!(
        sent.body,
        Some(json!({
            "firstName": "Ana", "lastName": "García", "gender": "female",
            "nationality": ["Cape Verdean"], "status": ["actively_looking"],
            "acquisitionSource": "manual", "role": "CTO",
            "emails": [{"purpose": "personal", "email": "ana@example.com", "isPrimary": true}],
            "phoneNumbers": [{"purpose": "work", "phoneNumber": "+34 600 000 000", "isPrimary": true}]
        }))
    );

    let updated = json_out(&spott(
        &mock,
        &[
            "candidate",
            "update",
            "contact_1",
            "--last-name",
            "López",
            "--gender",
            "x",
            "--status",
            "do_not_poach",
            "--clear-date-of-birth",
            "--clear-last-interaction-with",
            "--visible-if-client-contact",
            "false",
        ],
    ));
    assert_eq!(updated["name"]["lastName"], "López");
    assert_eq!(
        mock.received_for(op("update_candidate"))[0].body,
        Some(json!({
            "lastName": "López", "gender": "x", "status": ["do_not_poach"],
            "dateOfBirth": null, "lastInteractionWithId": null, "visibleIfClientContact": false
        }))
    );

    let clear = json_out(&spott(
        &mock,
        &["candidate", "update", "contact_1", "--clear-gender"],
    ));
    assert!(clear.get("gender").is_some());
    assert_eq!(
        mock.received_for(op("update_candidate"))[1].body,
        Some(json!({"gender": null}))
    );

    // Setting and clearing the same field is a usage error.
    let both = spott(
        &mock,
        &[
            "candidate",
            "update",
            "contact_1",
            "--gender",
            "x",
            "--clear-gender",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_from_stdin_keeps_its_nulls() {
    let mock = mock().await;
    let out = json_out(&spott_with_stdin(
        &mock,
        &["candidate", "update", "cand_1", "--body", "-"],
        Some(r#"{"gender": null, "firstName": "Jane"}"#),
    ));
    assert_eq!(out["name"]["firstName"], "Jane");
    assert_eq!(
        mock.received_for(op("update_candidate"))[0].body,
        Some(json!({"gender": null, "firstName": "Jane"}))
    );

    let not_json = spott_with_stdin(&mock, &["task", "create", "--body", "-"], Some("{nope"));
    assert!(failed_with(&not_json, 3).starts_with("error: --body -: not JSON"));
}

#[tokio::test(flavor = "multi_thread")]
async fn saleshandy_reports_each_prospect_as_json_or_a_table() {
    let mock = mock().await;
    let args = [
        "saleshandy",
        "create-tasks",
        "--prospect",
        "8PvBmrB7P7",
        "--prospect",
        "NOPE",
        "--type",
        "call-follow-up",
        "--priority",
        "high",
        "--due",
        "2026-12-02",
        "--note",
        "Proposal",
    ];
    let out = json_out(&spott(&mock, &args));
    assert_eq!(
        out,
        json!({"message": "Task created successfully", "results": [
            {"prospectId": "8PvBmrB7P7", "taskId": "shtask_1", "success": true},
            {"prospectId": "NOPE", "taskId": null, "success": false}
        ]})
    );
    assert_eq!(
        mock.received_for(op("create_tasks"))[0].body,
        Some(
            json!({"prospectIds": ["8PvBmrB7P7", "NOPE"], "taskType": "13", "priority": "2",
            "dueDate": "2026-12-02", "taskNote": "Proposal"})
        )
    );

    let table = spott(&mock, &[&args[..], &["--output", "table"]].concat());
    assert!(table.status.success(), "{}", stderr(&table));
    assert_eq!(
        stdout(&table),
        "message  Task created successfully\n\
         results\n\
         \x20 prospectId  success  taskId\n\
         \x20 8PvBmrB7P7  true     shtask_2\n\
         \x20 NOPE        false    -\n"
    );

    let from_stdin = json_out(&spott_with_stdin(
        &mock,
        &["saleshandy", "create-tasks", "--body", "-"],
        Some(r#"{"prospectIds": ["Pr9xQ2Lm"], "taskType": "13"}"#),
    ));
    assert_eq!(from_stdin["results"][0]["taskId"], "shtask_3");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_exit_3_naming_what_is_accepted_and_sends_nothing() {
    let mock = mock().await;

    let bad_type = spott(
        &mock,
        &[
            "saleshandy",
            "create-tasks",
            "--prospect",
            "p",
            "--type",
            "1",
        ],
    );
    let line = failed_with(&bad_type, 3);
    assert!(
        line.starts_with("error: --type: invalid TaskType: `1` is not one of: "),
        "{line}"
    );
    assert!(line.contains("call-follow-up"), "{line}");

    let bad_gender = spott(
        &mock,
        &["candidate", "update", "cand_1", "--gender", "other"],
    );
    assert_eq!(
        failed_with(&bad_gender, 3),
        "error: --gender: `other` is not one of: male, female, x"
    );

    let bad_link = spott(
        &mock,
        &["task", "create", "--content", "x", "--link", "planet:p"],
    );
    assert!(failed_with(&bad_link, 3).starts_with("error: --link: unknown kind `planet`"));

    let bad_due = spott(
        &mock,
        &["task", "create", "--content", "x", "--due", "tomorrow"],
    );
    assert!(failed_with(&bad_due, 3).starts_with("error: --due: `tomorrow` is not a date"));

    let empty = spott(&mock, &["task", "create", "--content", "  "]);
    assert_eq!(
        failed_with(&empty, 3),
        "error: invalid content: must not be empty"
    );

    let nothing = spott(&mock, &["candidate", "update", "cand_1"]);
    assert_eq!(
        failed_with(&nothing, 3),
        "error: invalid body: set at least one field to update"
    );

    let usage = spott(&mock, &["task", "create"]);
    assert_eq!(usage.status.code(), Some(2));

    assert!(mock.received().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_key_is_exit_3_naming_the_variable() {
    let mock = mock().await;
    for (args, variable) in [
        (&["contact", "show", "cand_1"][..], "SPOTT_API_KEY"),
        (
            &[
                "saleshandy",
                "create-tasks",
                "--prospect",
                "p",
                "--type",
                "custom",
            ][..],
            "SALESHANDY_API_KEY",
        ),
    ] {
        let output = finished(command(&mock, args).env_remove(variable).spawn().unwrap());
        assert_eq!(
            failed_with(&output, 3),
            format!("error: no API key: set {variable} or pass --api-key-file")
        );
    }
    assert!(mock.received().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_are_exit_4_and_never_show_the_key() {
    let mock = mock().await;
    let not_found = spott(&mock, &["contact", "show", "no-such-candidate"]);
    let line = failed_with(&not_found, 4);
    assert!(
        line.starts_with("error: get_contact_overview: HTTP 404"),
        "{line}"
    );

    let strict = MockServer::start(MockConfig::new().api_key("the-right-key"))
        .await
        .unwrap();
    let refused = spott(&strict, &["contact", "show", "cand_1"]);
    let line = failed_with(&refused, 4);
    assert!(
        line.starts_with("error: get_contact_overview: HTTP 401"),
        "{line}"
    );
    assert_eq!(strict.received()[0].api_key(), Some(KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn network_trouble_and_timeouts_are_exit_5() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["contact", "show", "cand_1", "--no-retry", "--base-url"])
        .arg(format!("http://127.0.0.1:{port}"))
        .env("SPOTT_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(failed_with(&closed, 5).starts_with("error: get_contact_overview: transport error"));

    let mock = mock().await;
    mock.script(
        op("get_contact_overview"),
        [Fault::Delay(Duration::from_secs(2))],
    );
    let slow = spott(
        &mock,
        &[
            "contact",
            "show",
            "cand_1",
            "--timeout",
            "0.2",
            "--no-retry",
        ],
    );
    assert_eq!(
        failed_with(&slow, 5),
        "error: get_contact_overview: timed out after 1 attempt(s)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_flags_decide_how_often_a_read_is_sent() {
    let mock = mock().await;
    mock.script(op("get_contact_overview"), [Fault::Status(503)]);
    let retried = json_out(&spott(&mock, &["contact", "show", "cand_1"]));
    assert_eq!(retried["candidateId"], "cand_1");
    assert_eq!(mock.request_count(op("get_contact_overview")), 2);

    for flags in [&["--no-retry"][..], &["--retries", "0"][..]] {
        mock.clear_received();
        mock.script(op("get_contact_overview"), [Fault::Status(503)]);
        let once = spott(&mock, &[&["contact", "show", "cand_1"][..], flags].concat());
        assert!(failed_with(&once, 4).contains("HTTP 503"));
        assert_eq!(
            mock.request_count(op("get_contact_overview")),
            1,
            "{flags:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_file_is_used_and_never_printed() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let output = finished(
        command(
            &mock,
            &[
                "contact",
                "show",
                "cand_1",
                "--api-key-file",
                key_file.to_str().unwrap(),
            ],
        )
        .env_remove("SPOTT_API_KEY")
        .spawn()
        .unwrap(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mock.received()[0].api_key(), Some(KEY));

    std::fs::write(&key_file, "\n").unwrap();
    let empty = finished(
        command(
            &mock,
            &[
                "contact",
                "show",
                "cand_1",
                "--api-key-file",
                key_file.to_str().unwrap(),
            ],
        )
        .spawn()
        .unwrap(),
    );
    assert_eq!(
        failed_with(&empty, 3),
        format!(
            "error: --api-key-file {}: the file holds no key",
            key_file.display()
        )
    );
}

#[test]
fn mock_flag_runs_a_command_on_the_embedded_mock_without_a_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args([
            "--mock",
            "task",
            "create",
            "--content",
            "Offline",
            "--link",
            "candidate:cand_1",
        ])
        .env_remove("SPOTT_API_KEY")
        .env_remove("SPOTT_BASE_URL")
        .output()
        .unwrap();
    let out = json_out(&output);
    assert_eq!(out["id"], "task_1");
    assert_eq!(out["links"]["candidates"][0]["firstName"], "Jane");
}

#[test]
fn the_demo_walks_every_operation() {
    // A hang guard, not a speed test (speed is measured in benchmarks): a
    // demo that waits on a retry or a server that never answers fails here
    // instead of stalling the suite.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_spott"))
            .arg("demo")
            .env_remove("SPOTT_API_KEY")
            .env_remove("SALESHANDY_API_KEY")
            .output();
        let _ = sender.send(output);
    });
    let output = receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("the demo finishes within two minutes")
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "1. Create a client contact at Acme Corp (client_1)",
        "   created client contact contact_1",
        "2. Read the contact overview",
        "   Head of Talent (People) at Acme Corp, email ana.garcia@example.com",
        "3. Update the candidate",
        "   now Ana García López, status approachable_but_not_actively_looking",
        "4. Create a Spott task linked to the candidate",
        "   task task_2 \"Call Ana about the Head of Talent offer\" due 2026-12-01T09:00:00+00:00, assigned to Ada Lovelace",
        "5. Create Saleshandy follow-up calls for three prospects",
        "   8PvBmrB7P7   created task shtask_4",
        "   Pr9xQ2Lm     created task shtask_5",
        "   NOSUCH-42    failed (unknown prospect)",
        "6. Create a candidate, then find them in the candidate list (two per page)",
        "   created candidate_6; listed as candidate 4 of 4 (page 2)",
        "7. Move the first application to the next stage of the pipeline",
        "   app_1: Longlist -> Interview",
        "8. Reject the second application",
        "   app_2: rejected, reason \"Chose another candidate\"",
        "Done: 2 Saleshandy task(s) created, 1 failed.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spott"))
        .arg("demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn the_mock_command_serves_until_interrupted() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args([
            "mock",
            "--port",
            "0",
            "--rate-limit",
            "100/min",
            "--fail-rate",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("mock server on http://127.0.0.1:"),
        "{line}"
    );
    let url = line.split_whitespace().nth(3).unwrap().to_owned();

    // It answers like the library mock: the CLI talks to it.
    let shown = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["contact", "show", "cand_1", "--base-url", &url])
        .env("SPOTT_API_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(json_out(&shown)["firstName"], "Jane");

    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    assert!(child.wait().unwrap().success());

    let bad = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["mock", "--port", "0", "--fail-rate", "2"])
        .output()
        .unwrap();
    assert_eq!(
        failed_with(&bad, 3),
        "error: --fail-rate: 2 is not between 0 and 1"
    );
}

#[test]
fn help_documents_exit_codes_and_keys() {
    for flag in ["-h", "--help"] {
        let output = Command::new(env!("CARGO_BIN_EXE_spott"))
            .arg(flag)
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = stdout(&output);
        for expected in [
            "SPOTT_API_KEY / SALESHANDY_API_KEY",
            "  3    invalid input or configuration; nothing was sent",
            "  4    the API answered with an error",
            "  5    network trouble, timeout, or still rate limited after retries",
            "  130  bulk run stopped by Ctrl-C",
        ] {
            assert!(
                text.contains(expected),
                "{flag}: missing {expected:?} in\n{text}"
            );
        }
    }
}

/// Every command's `--help`, as a reviewed snapshot: a change to a flag or
/// its text shows up as a diff (`cargo insta review`).
#[test]
fn help_text_of_every_command() {
    let mut text = String::new();
    for path in [
        &[][..],
        &["task", "create"],
        &["contact", "show"],
        &["contact", "create"],
        &["candidate", "update"],
        &["saleshandy", "create-tasks"],
        &["bulk", "spott-tasks"],
        &["bulk", "saleshandy-tasks"],
        &["demo"],
        &["mock"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_spott"))
            .args(path)
            .arg("-h")
            .output()
            .unwrap();
        assert!(output.status.success());
        let shown: Vec<&str> = path.iter().copied().chain(["-h"]).collect();
        text.push_str(&format!("$ spott {}\n", shown.join(" ")));
        text.push_str(&stdout(&output).replace(env!("CARGO_PKG_VERSION"), "[version]"));
        text.push('\n');
    }
    insta::assert_snapshot!("help", text);
}

/// The demo's whole output, as a reviewed snapshot (the port redacted).
#[test]
fn demo_output() {
    let output = Command::new(env!("CARGO_BIN_EXE_spott"))
        .arg("demo")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let port = text
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    insta::assert_snapshot!("demo", text.replace(&port, "[port]"));
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_ids_stay_inside_their_path_segment() {
    let mock = mock().await;
    let rule = "must be one path segment, not `.` or `..`";
    for id in [".", ".."] {
        let update = spott(&mock, &["candidate", "update", id, "--last-name", "X"]);
        assert_eq!(
            failed_with(&update, 3),
            format!("error: invalid id: {rule}")
        );
        let show = spott(&mock, &["contact", "show", id]);
        assert_eq!(
            failed_with(&show, 3),
            format!("error: invalid candidateId: {rule}")
        );
    }
    assert!(mock.received().is_empty(), "nothing was sent");

    let _ = spott(
        &mock,
        &["candidate", "update", r"..\tasks\_raw", "--last-name", "X"],
    );
    let _ = spott(&mock, &["contact", "show", r"..\tasks\_raw"]);
    let sent: Vec<(String, String)> = mock
        .received()
        .into_iter()
        .map(|request| (request.method.to_string(), request.path))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "PATCH".to_owned(),
                "/candidates/..%5Ctasks%5C_raw".to_owned()
            ),
            (
                "GET".to_owned(),
                "/clients/contacts/..%5Ctasks%5C_raw".to_owned()
            ),
        ]
    );
}
