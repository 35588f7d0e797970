//! The `spott` binary against the spec-driven mock on 127.0.0.1: every
//! subcommand, output formats, exit codes, and bulk runs that create every
//! row exactly once.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use api_mock::{FaultConfig, MockConfig, MockServer, Operation, RateLimit};
use serde_json::{Value, json};

const KEY: &str = "cli-test-key";

fn spott(mock: &MockServer, args: &[&str]) -> Output {
    spott_with_stdin(mock, args, None)
}

fn spott_with_stdin(mock: &MockServer, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spott"));
    command
        .args(args)
        .args(["--base-url", &mock.url()])
        .env("SPOTT_API_KEY", KEY)
        .env("SALESHANDY_API_KEY", KEY)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the spott binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn json_out(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.lines().count(), 1, "piped JSON is one line: {text}");
    serde_json::from_str(&text).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn mock() -> MockServer {
    MockServer::start(MockConfig::new()).await.unwrap()
}

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
        ],
    ));
    assert_eq!(out["content"], "Call Ana");
    assert_eq!(out["dueDate"], "2026-12-01T00:00:00Z");
    assert_eq!(out["links"]["candidates"][0]["id"], "cand_1");
    let sent = &mock.received_for(Operation::CreateTask)[0];
    assert_eq!(sent.api_key(), Some(KEY));
    assert_eq!(
        sent.body,
        Some(
            json!({"content": "Call Ana", "dueDate": "2026-12-01T00:00:00Z", "assignedToUserId": "user_1",
            "links": [{"entityType": "candidate", "entityId": "cand_1"}]})
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn contact_show_prints_a_table() {
    let mock = mock().await;
    let output = spott(&mock, &["contact", "show", "cand_1", "--output", "table"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["candidateId", "cand_1"]),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("firstName")), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn contact_create_then_candidate_update_clears_with_null() {
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
            "Cape Verdean",
            "--status",
            "actively_looking",
            "--email",
            "personal:ana@example.com",
        ],
    ));
    let id = created["id"].as_str().unwrap().to_owned();
    let sent = &mock.received_for(Operation::CreateClientContact)[0];
    assert_eq!(
        sent.body.as_ref().unwrap()["nationality"],
        json!(["Cape Verdean"])
    );

    let updated = json_out(&spott(
        &mock,
        &[
            "candidate",
            "update",
            &id,
            "--last-name",
            "López",
            "--clear-date-of-birth",
        ],
    ));
    assert_eq!(updated["name"]["lastName"], "López");
    let patch = mock.received_for(Operation::UpdateCandidate);
    assert_eq!(
        patch[0].body,
        Some(json!({"lastName": "López", "dateOfBirth": null}))
    );
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
    let patch = &mock.received_for(Operation::UpdateCandidate)[0];
    assert_eq!(
        patch.body,
        Some(json!({"gender": null, "firstName": "Jane"}))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn saleshandy_reports_each_prospect() {
    let mock = mock().await;
    let out = json_out(&spott(
        &mock,
        &[
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
        ],
    ));
    assert_eq!(out["results"][0]["success"], true);
    assert_eq!(
        out["results"][1],
        json!({"prospectId": "NOPE", "taskId": null, "success": false})
    );
    let sent = &mock.received_for(Operation::CreateTasks)[0];
    assert_eq!(
        sent.body,
        Some(
            json!({"prospectIds": ["8PvBmrB7P7", "NOPE"], "taskType": "13", "priority": "2", "dueDate": "2026-12-02"})
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_one_line_with_distinct_exit_codes() {
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
    assert_eq!(bad_type.status.code(), Some(3));
    assert_eq!(stderr(&bad_type).lines().count(), 1);
    assert!(
        stderr(&bad_type).contains("call-follow-up"),
        "{}",
        stderr(&bad_type)
    );

    let not_found = spott(&mock, &["contact", "show", "no-such-candidate"]);
    assert_eq!(not_found.status.code(), Some(4), "{}", stderr(&not_found));
    assert!(
        stderr(&not_found).starts_with("error: get_contact_overview: HTTP 404"),
        "{}",
        stderr(&not_found)
    );

    let empty = spott(&mock, &["task", "create", "--content", "  "]);
    assert_eq!(empty.status.code(), Some(3));
    assert_eq!(
        stderr(&empty),
        "error: invalid content: must not be empty\n"
    );

    let usage = spott(&mock, &["task", "create"]);
    assert_eq!(usage.status.code(), Some(2));

    let no_key = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["contact", "show", "cand_1", "--base-url", &mock.url()])
        .env_remove("SPOTT_API_KEY")
        .output()
        .unwrap();
    assert_eq!(no_key.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&no_key.stderr),
        "error: no API key: set SPOTT_API_KEY or pass --api-key-file\n"
    );
    assert!(mock.received_for(Operation::CreateTask).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_file_is_used_and_never_printed() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "file-key-Q7\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["contact", "show", "cand_1", "--api-key-file"])
        .arg(&key_file)
        .args(["--base-url", &mock.url()])
        .env_remove("SPOTT_API_KEY")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mock.received()[0].api_key(), Some("file-key-Q7"));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("file-key-Q7"));
    assert!(!stderr(&output).contains("file-key-Q7"));
}

fn write_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("id,prospects,type,priority,due,note\n");
    for row in 0..rows {
        text.push_str(&format!(
            "r{row},8PvBmrB7P7,call-follow-up,high,2026-12-02,row {row}\n"
        ));
    }
    let path = dir.join("tasks.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn results(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_under_rate_limiting_creates_every_row_exactly_once_and_resumes() {
    let mock = MockServer::start(
        MockConfig::new().faults(FaultConfig::none().rate_limit(RateLimit::per_second(10))),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 30);
    let out = dir.path().join("results.jsonl");
    let args = [
        "bulk",
        "saleshandy-tasks",
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
        "--concurrency",
        "6",
        "--retries",
        "10",
    ];

    let first = spott(&mock, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    let lines = results(&out);
    assert_eq!(lines.len(), 30);
    assert!(lines.iter().all(|l| l["status"] == "created"), "{lines:?}");
    assert_eq!(
        mock.created_count(Operation::CreateTasks),
        30,
        "each row created once"
    );
    assert!(
        mock.received_for(Operation::CreateTasks)
            .iter()
            .any(|r| r.status == 429),
        "the rate limit was hit"
    );

    let again = spott(&mock, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("created 0, failed 0, uncertain 0, skipped (done earlier) 30")
    );
    assert_eq!(
        mock.created_count(Operation::CreateTasks),
        30,
        "a re-run creates nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_run_is_finished_without_repeats() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 8);
    let out = dir.path().join("results.jsonl");
    // As a run stopped by Ctrl-C leaves it: some rows done, one uncertain.
    std::fs::write(
        &out,
        "{\"row\":\"r0\",\"status\":\"created\",\"ids\":[\"x\"]}\n{\"row\":\"r1\",\"status\":\"created\",\"ids\":[\"y\"]}\n{\"row\":\"r2\",\"status\":\"uncertain\",\"ids\":[],\"error\":\"create_tasks: timed out after 1 attempt(s)\"}\n",
    )
    .unwrap();
    let args = [
        "bulk",
        "saleshandy-tasks",
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ];

    let run = spott(&mock, &args);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(mock.created_count(Operation::CreateTasks), 5, "r3..r7 only");
    let sent_rows: Vec<String> = mock
        .received_for(Operation::CreateTasks)
        .iter()
        .filter_map(|r| {
            r.body
                .as_ref()
                .and_then(|b| b["taskNote"].as_str().map(str::to_owned))
        })
        .collect();
    assert!(
        !sent_rows.iter().any(|n| n == "row 2"),
        "the uncertain row is not resent"
    );

    let retry = spott(&mock, &[&args[..], &["--retry-uncertain"]].concat());
    assert!(retry.status.success(), "{}", stderr(&retry));
    assert_eq!(
        mock.created_count(Operation::CreateTasks),
        6,
        "only r2, on request"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_spott_tasks_links_and_records() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(&csv, "id,content,due,assignee,links\na,Call Jane,2026-12-01,user_1,candidate:cand_1;client:client_1\nb,,,,\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let run = spott(
        &mock,
        &[
            "bulk",
            "spott-tasks",
            "--csv",
            csv.to_str().unwrap(),
            "--results",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(
        run.status.code(),
        Some(4),
        "one row failed: {}",
        stderr(&run)
    );
    let lines = results(&out);
    let by_row = |row: &str| lines.iter().find(|l| l["row"] == row).cloned().unwrap();
    assert_eq!(by_row("a")["status"], "created");
    assert_eq!(by_row("b")["status"], "failed");
    assert_eq!(by_row("b")["error"], "invalid content: must not be empty");
    assert_eq!(mock.created_count(Operation::CreateTask), 1);
}

#[test]
fn the_demo_walks_every_operation() {
    let output = Command::new(env!("CARGO_BIN_EXE_spott"))
        .arg("demo")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    for section in [
        "1. Create a client contact",
        "2. Read the contact overview",
        "3. Update the candidate",
        "4. Create a Spott task",
        "5. Create Saleshandy follow-up calls",
        "NOSUCH-42    failed (unknown prospect)",
        "Done: 2 Saleshandy task(s) created, 1 failed.",
    ] {
        assert!(text.contains(section), "missing {section:?} in:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_cleanly_and_a_rerun_finishes_without_repeats() {
    // Slow answers, so the run is still going when Ctrl-C (SIGINT) arrives.
    let mock = MockServer::start(
        MockConfig::new().faults(FaultConfig::none().latency(std::time::Duration::from_millis(40))),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 120);
    let out = dir.path().join("results.jsonl");
    let args = [
        "bulk",
        "saleshandy-tasks",
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
        "--concurrency",
        "2",
        "--base-url",
        &mock.url(),
    ];
    let child = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(args)
        .env("SALESHANDY_API_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the run is under way (its first rows are recorded),
    // not after a guessed delay.
    for _ in 0..500 {
        let finished_lines = std::fs::read_to_string(&out).map_or(0, |t| t.matches('\n').count());
        if finished_lines >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let first = child.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let recorded = results(&out);
    assert!(
        !recorded.is_empty() && recorded.len() < 120,
        "stopped midway: {} rows",
        recorded.len()
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains(&format!("created {}", recorded.len()))
    );
    // Everything the mock created is in the results file, nothing more.
    assert_eq!(mock.created_count(Operation::CreateTasks), recorded.len());

    let second = spott(&mock, &args[..args.len() - 2]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(results(&out).len(), 120);
    assert_eq!(
        mock.created_count(Operation::CreateTasks),
        120,
        "no row created twice"
    );
}

#[test]
fn the_mock_command_serves_until_interrupted() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert!(
        line.starts_with("mock server on http://127.0.0.1:"),
        "{line}"
    );
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success());
}
