//! `spott bulk …` through the built binary against the mock: every row
//! created exactly once under rate limiting, resumes that send nothing
//! twice, uncertain rows held back, and Ctrl-C (once: finish; twice:
//! abandon) with nothing lost. The journal itself (kills, torn lines,
//! edited rows, SIGTERM) is `bulk_journal.rs`.

mod support;

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use spott_saleshandy_mock::{Fault, FaultConfig, MockConfig, MockServer, RateLimit};

use support::{
    KEY, command, failed_with, finished, mock, op, result_for, results, saleshandy_csv, spott,
    stderr, stdout,
};

fn bulk_args<'a>(
    kind: &'a str,
    csv: &'a std::path::Path,
    out: &'a std::path::Path,
) -> Vec<&'a str> {
    vec![
        "bulk",
        kind,
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]
}

/// The results file's outcome lines (its `started` lines left out).
fn outcomes(path: &std::path::Path) -> Vec<serde_json::Value> {
    results(path)
        .into_iter()
        .filter(|line| line["status"] != "started")
        .collect()
}

/// The last line for `row`, its body hash checked (64 hex digits) and
/// taken out, so the rest can be compared whole.
fn outcome_for(lines: &[serde_json::Value], row: &str) -> serde_json::Value {
    let mut line = result_for(lines, row);
    let hash = line
        .as_object_mut()
        .unwrap()
        .remove("body_sha256")
        .unwrap_or_else(|| panic!("no body hash: {line}"));
    let hash = hash.as_str().unwrap();
    assert!(
        hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{hash}"
    );
    line
}

/// How many times the mock processed a Saleshandy create per note.
fn processed_per_note(mock: &MockServer) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in mock.received_for(op("create_tasks")) {
        if let Some(note) = request.body.as_ref().and_then(|b| b["taskNote"].as_str())
            && request.processed
        {
            *counts.entry(note.to_owned()).or_default() += 1;
        }
    }
    counts
}

#[tokio::test(flavor = "multi_thread")]
async fn under_rate_limiting_every_row_is_created_exactly_once_and_a_rerun_creates_nothing() {
    let mock = MockServer::start(
        MockConfig::new().faults(FaultConfig::none().rate_limit(RateLimit::per_second(10))),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 30);
    let out = dir.path().join("results.jsonl");
    let mut args = bulk_args("saleshandy-tasks", &csv, &out);
    args.extend(["--concurrency", "6", "--retries", "10"]);

    let first = spott(&mock, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first),
        "created 30, failed 0, uncertain 0, skipped 0 (0 created earlier, 0 uncertain earlier), not started 0\n"
    );
    let lines = results(&out);
    assert_eq!(outcomes(&out).len(), 30);
    for row in 0..30 {
        let key = format!("r{row}");
        let mine: Vec<&serde_json::Value> = lines.iter().filter(|l| l["row"] == key).collect();
        assert_eq!(mine.len(), 2, "a start and an outcome: {mine:?}");
        assert_eq!(mine[0]["status"], "started", "{key}");
        let line = mine[1];
        assert_eq!(line["status"], "created", "{line}");
        assert_eq!(line["ids"].as_array().unwrap().len(), 1, "{line}");
    }
    assert_eq!(
        mock.created_count(op("create_tasks")),
        30,
        "each row created once"
    );
    assert!(
        mock.received_for(op("create_tasks"))
            .iter()
            .any(|r| r.status == 429),
        "the rate limit was hit"
    );
    assert!(processed_per_note(&mock).values().all(|n| *n == 1));

    let before = std::fs::read(&out).unwrap();
    let again = spott(&mock, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        "created 0, failed 0, uncertain 0, skipped 30 (30 created earlier, 0 uncertain earlier), not started 0\n"
    );
    assert_eq!(
        mock.created_count(op("create_tasks")),
        30,
        "a re-run creates nothing"
    );
    assert_eq!(std::fs::read(&out).unwrap(), before, "and writes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_results_file_left_by_an_interrupted_run_is_finished_without_repeats() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 8);
    let out = dir.path().join("results.jsonl");
    // As a stopped run leaves it: two rows done, one failed, one uncertain.
    std::fs::write(
        &out,
        concat!(
            "{\"row\":\"r0\",\"status\":\"created\",\"ids\":[\"x\"]}\n",
            "{\"row\":\"r1\",\"status\":\"created\",\"ids\":[\"y\"]}\n",
            "{\"row\":\"r2\",\"status\":\"uncertain\",\"ids\":[],\"error\":\"create_tasks: timed out after 1 attempt(s)\"}\n",
            "{\"row\":\"r3\",\"status\":\"failed\",\"ids\":[],\"error\":\"create_tasks: HTTP 422\"}\n",
        ),
    )
    .unwrap();
    let args = bulk_args("saleshandy-tasks", &csv, &out);

    let run = spott(&mock, &args);
    let line = failed_with(&run, 4);
    assert!(
        line.contains("1 row(s) uncertain from an earlier run were not sent again"),
        "{line}"
    );
    assert!(line.contains("--retry-uncertain"), "{line}");
    // Lines from before body hashes: read, matched by key, and said so.
    assert!(
        stderr(&run).contains(&format!(
            "note: --results {}: 3 skipped row(s) were recorded without a body hash (by an older spott): they are matched by row key only, so an edit to them goes unnoticed",
            out.display()
        )),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        stdout(&run),
        "created 5, failed 0, uncertain 0, skipped 3 (2 created earlier, 1 uncertain earlier), not started 0\n"
    );
    let sent = processed_per_note(&mock);
    assert_eq!(sent.len(), 5, "r3 (failed) and r4..r7: {sent:?}");
    assert!(!sent.contains_key("row 0") && !sent.contains_key("row 2"));

    let retry = spott(&mock, &[&args[..], &["--retry-uncertain"]].concat());
    assert!(retry.status.success(), "{}", stderr(&retry));
    assert_eq!(
        mock.created_count(op("create_tasks")),
        6,
        "only r2 more, on request"
    );
    assert_eq!(result_for(&results(&out), "r2")["status"], "created");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ambiguous_create_is_uncertain_and_not_resent_a_refused_one_is() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 3);
    let out = dir.path().join("results.jsonl");
    // Row by row (concurrency 1): r0 is processed but answered 502, r1 is
    // refused with a 400 before processing, r2 goes through.
    mock.script(
        op("create_tasks"),
        [Fault::StatusAfterProcessing(502), Fault::Status(400)],
    );
    let mut args = bulk_args("saleshandy-tasks", &csv, &out);
    args.extend(["--concurrency", "1"]);

    let first = spott(&mock, &args);
    let line = failed_with(&first, 4);
    assert!(
        line.contains("1 row(s) failed and 1 are uncertain"),
        "{line}"
    );
    let lines = results(&out);
    assert_eq!(result_for(&lines, "r0")["status"], "uncertain");
    // The mock's x-request-id header names the request.
    assert_eq!(
        result_for(&lines, "r0")["error"],
        "create_tasks: HTTP 502 (request id req_1)"
    );
    assert_eq!(result_for(&lines, "r1")["status"], "failed");
    assert_eq!(result_for(&lines, "r2")["status"], "created");

    let second = spott(&mock, &args);
    assert_eq!(second.status.code(), Some(4), "r0 is still held back");
    let sent = processed_per_note(&mock);
    assert_eq!(
        sent.get("row 0"),
        Some(&1),
        "the uncertain row was not sent again"
    );
    assert_eq!(sent.get("row 1"), Some(&1), "the refused row was");
    assert_eq!(sent.get("row 2"), Some(&1));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_server_down_rows_fail_and_a_rerun_sends_them() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 2);
    let out = dir.path().join("results.jsonl");
    let down = Command::new(env!("CARGO_BIN_EXE_spott"))
        .args(bulk_args("saleshandy-tasks", &csv, &out))
        .args([
            "--no-retry",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
        ])
        .env("SALESHANDY_API_KEY", KEY)
        .output()
        .unwrap();
    failed_with(&down, 4);
    let lines = outcomes(&out);
    assert_eq!(lines.len(), 2);
    assert!(
        lines.iter().all(|l| l["status"] == "failed"),
        "connection refused: nothing sent: {lines:?}"
    );

    let mock = mock().await;
    let up = spott(&mock, &bulk_args("saleshandy-tasks", &csv, &out));
    assert!(up.status.success(), "{}", stderr(&up));
    assert_eq!(mock.created_count(op("create_tasks")), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn spott_tasks_link_and_record_bad_rows_as_failed() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(
        &csv,
        "id,content,due,assignee,links\n\
         a,Call Jane,2026-12-01,user_1,candidate:cand_1;client:client_1\n\
         b,,,,\n\
         c,Bad link,,,planet:p\n",
    )
    .unwrap();
    let out = dir.path().join("results.jsonl");
    let run = spott(&mock, &bulk_args("spott-tasks", &csv, &out));
    failed_with(&run, 4);
    let lines = results(&out);
    assert_eq!(
        outcome_for(&lines, "a"),
        json!({"row": "a", "status": "created", "ids": ["task_1"]})
    );
    assert_eq!(
        outcome_for(&lines, "b"),
        json!({"row": "b", "status": "failed", "ids": [], "error": "invalid content: must not be empty"})
    );
    // A link that does not parse: no body, no hash, nothing sent or started.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["row"] == "c")
            .cloned()
            .collect::<Vec<_>>(),
        [
            json!({"row": "c", "status": "failed", "ids": [], "error": "links: unknown kind `planet` (candidate, vacancy, client, user, team, client-contact, opportunity)"})
        ]
    );
    assert_eq!(mock.created_count(op("create_task")), 1);
    assert_eq!(
        mock.received_for(op("create_task"))[0].body,
        Some(
            json!({"content": "Call Jane", "dueDate": "2026-12-01T00:00:00Z", "assignedToUserId": "user_1",
            "links": [{"entityType": "candidate", "entityId": "cand_1"}, {"entityType": "client", "entityId": "client_1"}]})
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_id_column_the_line_number_keys_rows_and_partial_prospects_are_noted() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(
        &csv,
        "prospects,type\n8PvBmrB7P7;NOPE,call-follow-up\nNOPE,custom\n",
    )
    .unwrap();
    let out = dir.path().join("results.jsonl");
    let run = spott(&mock, &bulk_args("saleshandy-tasks", &csv, &out));
    failed_with(&run, 4);
    let lines = results(&out);
    assert_eq!(
        outcome_for(&lines, "2"),
        json!({"row": "2", "status": "created", "ids": ["shtask_1"], "error": "no task for prospect(s) NOPE"})
    );
    assert_eq!(result_for(&lines, "3")["status"], "failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_file_stops_before_anything_is_sent() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(&csv, "id,content,due_date\na,x,2026-01-01\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let run = spott(&mock, &bulk_args("spott-tasks", &csv, &out));
    assert!(failed_with(&run, 3).contains("unknown column `due_date`"));

    let bad_rate = spott(
        &mock,
        &[
            &bulk_args("saleshandy-tasks", &csv, &out)[..],
            &["--rate", "fast"],
        ]
        .concat(),
    );
    assert!(failed_with(&bad_rate, 3).starts_with("error: --rate: `fast` is not N/s or N/min"));
    assert!(mock.received().is_empty());
    assert!(
        !out.exists(),
        "no results file for a run that did not start"
    );
}

/// Waits (bounded) until the results file has `lines` outcome lines.
async fn wait_for_lines(path: &std::path::Path, lines: usize) {
    for _ in 0..1000 {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Whole lines only: the run may be writing the next one.
        let end = text.rfind('\n').map_or(0, |i| i + 1);
        let ended = text[..end]
            .lines()
            .filter(|l| !l.contains(r#""status":"started""#))
            .count();
        if ended >= lines {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never got {lines} outcome lines in {}", path.display());
}

fn interrupt(child: &std::process::Child) {
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_lets_rows_in_flight_finish_and_a_rerun_completes_without_repeats() {
    // Slow answers, so the run is still going when Ctrl-C (SIGINT) arrives.
    let mock = MockServer::start(
        MockConfig::new().faults(FaultConfig::none().latency(Duration::from_millis(40))),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 120);
    let out = dir.path().join("results.jsonl");
    let mut args = bulk_args("saleshandy-tasks", &csv, &out);
    args.extend(["--concurrency", "2"]);
    let child = command(&mock, &args).spawn().unwrap();
    wait_for_lines(&out, 4).await;
    interrupt(&child);
    let first = finished(child);
    let line = failed_with(&first, 130);
    assert!(line.starts_with("error: interrupted: "), "{line}");
    assert!(
        line.ends_with("run the same command again to finish"),
        "{line}"
    );
    assert!(stderr(&first).contains("stopping: no new rows start"));
    let recorded = outcomes(&out);
    assert!(
        recorded.len() >= 4 && recorded.len() < 120,
        "stopped midway: {}",
        recorded.len()
    );
    assert!(recorded.iter().all(|l| l["status"] == "created"));
    // Every row that started finished: as many starts as outcomes.
    assert_eq!(results(&out).len(), 2 * recorded.len());
    assert!(stdout(&first).starts_with(&format!("created {}, ", recorded.len())));
    // Everything the mock created is in the results file, nothing more.
    assert_eq!(mock.created_count(op("create_tasks")), recorded.len());

    let second = spott(&mock, &args);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(outcomes(&out).len(), 120);
    assert_eq!(
        mock.created_count(op("create_tasks")),
        120,
        "no row created twice"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_ctrl_c_abandons_rows_in_flight_as_uncertain() {
    let mock = mock().await;
    // Four quick answers, then two that hang: those are in flight when
    // Ctrl-C comes twice.
    mock.script(
        op("create_tasks"),
        [
            Fault::Delay(Duration::ZERO),
            Fault::Delay(Duration::ZERO),
            Fault::Delay(Duration::ZERO),
            Fault::Delay(Duration::ZERO),
            Fault::Delay(Duration::from_secs(3)),
            Fault::Delay(Duration::from_secs(3)),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 10);
    let out = dir.path().join("results.jsonl");
    let mut args = bulk_args("saleshandy-tasks", &csv, &out);
    args.extend(["--concurrency", "2"]);
    let mut child = command(&mock, &args).spawn().unwrap();
    let (said, told) = std::sync::mpsc::channel();
    let stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr_pipe)) {
            let Ok(line) = line else { break };
            let _ = said.send(line.clone());
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    wait_for_lines(&out, 4).await;
    // Both hanging requests have arrived (or the launcher is past them).
    for _ in 0..300 {
        if mock.pending_faults(op("create_tasks")) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    interrupt(&child);
    // The second interrupt once the first has been taken (two signals at
    // once may arrive as one).
    loop {
        let line = told
            .recv_timeout(Duration::from_secs(10))
            .expect("the run says it is stopping");
        if line.starts_with("stopping: ") {
            break;
        }
    }
    interrupt(&child);
    let first = child.wait_with_output().unwrap();
    // The hanging creates are answered (and recorded by the mock) 3 s after
    // they arrived: the run did not wait for them.
    assert_eq!(
        mock.request_count(op("create_tasks")),
        4,
        "abandoning does not wait for the answers"
    );
    let text = reader.join().unwrap();
    assert!(!text.contains(support::KEY));
    assert_eq!(first.status.code(), Some(130), "{text}");
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    assert!(
        errors[0].contains("2 abandoned in flight (recorded uncertain)"),
        "{text}"
    );
    let lines = outcomes(&out);
    assert_eq!(lines.len(), 6, "four created, two abandoned: {lines:?}");
    let abandoned: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["status"] == "uncertain")
        .collect();
    assert_eq!(abandoned.len(), 2);
    assert_eq!(
        abandoned[0]["error"],
        "abandoned in flight by a second interrupt: it may have been created"
    );

    // The re-run sends the four rows never started, and not the abandoned two.
    mock.clear_scripts();
    let second = spott(&mock, &args);
    assert!(failed_with(&second, 4).contains("2 row(s) uncertain from an earlier run"));
    assert_eq!(
        stdout(&second),
        "created 4, failed 0, uncertain 0, skipped 6 (4 created earlier, 2 uncertain earlier), not started 0\n"
    );
    let per_note = processed_per_note(&mock);
    assert!(per_note.values().all(|n| *n == 1), "{per_note:?}");
}
