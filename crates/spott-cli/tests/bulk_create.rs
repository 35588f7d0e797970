//! `spott bulk create API OPERATION` through the built binary against the
//! mock: any create from CSV with the task commands' journal and
//! guarantees (each row created once, a re-run creates none, a 5xx after
//! processing is uncertain and not resent, a bad or edited row refused),
//! and anything that is not a create refused before a file is touched.
//! Against a scripted server: a create that timed out, whose connection
//! was reset after sending, or that was answered with a redirect is
//! uncertain, sent once and never again by a re-run. The kill -9 resume of
//! this path is in `bulk_journal.rs`.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use scripted_server::{Reply, Scripted};
use serde_json::{Value, json};
use spott_saleshandy_mock::Fault;

use support::{failed_with, mock, op, result_for, results, spott, stderr, stdout};

fn create_args<'a>(api: &'a str, operation: &'a str, csv: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "bulk",
        "create",
        api,
        operation,
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]
}

/// Three candidates keyed by `ref` (not sent: no field has that name);
/// the first with a JSON column.
const CANDIDATES: &str = "\
ref,firstName,lastName,gender,emails:json
c1,Ana,Diaz,female,\"[{\"\"email\"\":\"\"ana@example.com\"\",\"\"purpose\"\":\"\"work\"\"}]\"
c2,Ben,Okafor,,
c3,Chen,Li,male,
";

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("rows.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// `CANDIDATES` in a fresh folder (kept while the first value lives), the
/// results file's path and the `bulk create spott create_candidate`
/// arguments for them, one row at a time so the mock sees the file's order.
fn candidates_run() -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), CANDIDATES);
    let out = dir.path().join("results.jsonl");
    let mut args = create_args("spott", "create_candidate", &csv, &out);
    args.extend(["--key", "ref", "--concurrency", "1"]);
    let args = args.into_iter().map(str::to_owned).collect();
    (dir, out, args)
}

/// Runs `spott ARGS MORE` against `mock`.
fn run(
    mock: &spott_saleshandy_mock::MockServer,
    args: &[impl AsRef<str>],
    more: &[&str],
) -> Output {
    let args: Vec<&str> = args
        .iter()
        .map(AsRef::as_ref)
        .chain(more.iter().copied())
        .collect();
    spott(mock, &args)
}

/// Asserts how a run ended: its exit code, for a failure that its one
/// error line holds `error`, and its summary line.
fn ended(output: &Output, code: i32, error: &str, summary: &str) {
    if code == 0 {
        assert!(output.status.success(), "{}", stderr(output));
    } else {
        let line = failed_with(output, code);
        assert!(line.contains(error), "{line}");
    }
    assert_eq!(stdout(output), format!("{summary}\n"));
}

/// The bodies the mock received for `operation`, in arrival order.
fn bodies(mock: &spott_saleshandy_mock::MockServer, operation: &str) -> Vec<Value> {
    mock.received_for(op(operation))
        .into_iter()
        .map(|r| r.body.unwrap_or(Value::Null))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_candidates_are_created_once_each_and_a_rerun_creates_none() {
    let mock = mock().await;
    let (_dir, out, args) = candidates_run();
    let first = run(&mock, &args, &[]);
    ended(
        &first,
        0,
        "",
        "created 3, failed 0, uncertain 0, skipped 0 (0 created earlier, 0 uncertain earlier), not started 0",
    );
    assert_eq!(mock.created_count(op("create_candidate")), 3);
    assert_eq!(
        bodies(&mock, "create_candidate"),
        [
            json!({"firstName": "Ana", "lastName": "Diaz", "gender": "female",
                   "emails": [{"email": "ana@example.com", "purpose": "work"}]}),
            json!({"firstName": "Ben", "lastName": "Okafor"}),
            json!({"firstName": "Chen", "lastName": "Li", "gender": "male"}),
        ],
        "exactly the rows' cells: strings as strings, `:json` as JSON, empty cells left out"
    );

    // Each row: a started line, then created with the id the mock made.
    let lines = results(&out);
    assert_eq!(lines.len(), 6, "{lines:?}");
    let mut ids = Vec::new();
    for (key, first_name) in [("c1", "Ana"), ("c2", "Ben"), ("c3", "Chen")] {
        let mine: Vec<&Value> = lines.iter().filter(|l| l["row"] == key).collect();
        assert_eq!(mine.len(), 2, "{mine:?}");
        assert_eq!(mine[0]["status"], "started");
        assert_eq!(mine[1]["status"], "created", "{}", mine[1]);
        assert_eq!(mine[0]["body_sha256"], mine[1]["body_sha256"]);
        let id = mine[1]["ids"][0].as_str().unwrap().to_owned();
        let stored = mock.candidate(&id).unwrap_or_else(|| panic!("{id} exists"));
        assert_eq!(stored["name"]["firstName"], first_name, "{stored}");
        ids.push(id);
    }

    // The list afterwards shows them.
    let listed = spott(&mock, &["api", "spott", "list_candidates", "--all"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed: Vec<String> = stdout(&listed)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for id in &ids {
        assert!(listed.contains(id), "{id} in {listed:?}");
    }

    let before = std::fs::read(&out).unwrap();
    let rerun = run(&mock, &args, &[]);
    ended(
        &rerun,
        0,
        "",
        "created 0, failed 0, uncertain 0, skipped 3 (3 created earlier, 0 uncertain earlier), not started 0",
    );
    assert_eq!(
        mock.request_count(op("create_candidate")),
        3,
        "nothing sent again"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "nothing recorded again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_answered_5xx_after_processing_is_uncertain_and_not_resent() {
    let mock = mock().await;
    mock.script(op("create_candidate"), [Fault::StatusAfterProcessing(502)]);
    let (_dir, out, args) = candidates_run();
    let first = run(&mock, &args, &[]);
    ended(
        &first,
        4,
        "0 row(s) failed and 1 are uncertain",
        "created 2, failed 0, uncertain 1, skipped 0 (0 created earlier, 0 uncertain earlier), not started 0",
    );
    let c1 = result_for(&results(&out), "c1");
    assert_eq!(c1["status"], "uncertain", "{c1}");
    assert_eq!(
        c1["error"], "create_candidate: HTTP 502 (request id req_1)",
        "{c1}"
    );
    // The 502 came after the mock had created it; a create is not retried.
    assert_eq!(mock.request_count(op("create_candidate")), 3);
    assert_eq!(mock.created_count(op("create_candidate")), 3);

    let rerun = run(&mock, &args, &[]);
    ended(
        &rerun,
        4,
        "1 row(s) uncertain from an earlier run were not sent again",
        "created 0, failed 0, uncertain 0, skipped 3 (2 created earlier, 1 uncertain earlier), not started 0",
    );
    assert_eq!(
        mock.request_count(op("create_candidate")),
        3,
        "c1 not resent"
    );

    // Only when told: then c1 exists twice, which is why it takes the flag.
    let retry = run(&mock, &args, &["--retry-uncertain"]);
    assert!(retry.status.success(), "{}", stderr(&retry));
    assert_eq!(mock.request_count(op("create_candidate")), 4);
    assert_eq!(
        bodies(&mock, "create_candidate")[3]["firstName"],
        "Ana",
        "the row sent again is c1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_updates_and_unknown_operations_are_refused_before_anything() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "query\nAna\n");
    let out = dir.path().join("results.jsonl");
    for (api, operation, expected) in [
        (
            "spott",
            "search_candidates",
            "error: bulk create: `search_candidates` (POST /candidates/_search) is a read, not a create: bulk create runs only operations spec/spott.yaml marks as creates (retry safety `create`, what a second send may create twice); its creates: ",
        ),
        (
            "spott",
            "list_candidates",
            "error: bulk create: `list_candidates` (GET /candidates) is a read, not a create",
        ),
        (
            "spott",
            "update_candidate",
            "error: bulk create: `update_candidate` (PATCH /candidates/{id}) is an idempotent write, not a create",
        ),
        (
            "saleshandy",
            "create_task",
            "error: bulk create: `create_task` is not an operation of spec/saleshandy.yaml (did you mean create_tasks?); its creates: create_tasks, bulk_skip_tasks",
        ),
    ] {
        let output = spott(&mock, &create_args(api, operation, &csv, &out));
        let line = failed_with(&output, 3);
        assert!(line.starts_with(expected), "{line}");
        assert!(stdout(&output).is_empty());
    }
    assert!(!out.exists(), "no results file is written");
    assert!(mock.received().is_empty(), "nothing is sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn path_columns_fill_the_path_a_bad_row_fails_alone_and_an_edited_row_is_refused() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "id,firstName,lastName,gender\n\
         client_1,Ana,Diaz,female\n\
         client_1,Ben,Okafor,robot\n\
         client_2,Chen,Li,\n",
    );
    let out = dir.path().join("results.jsonl");
    let args = create_args("spott", "create_client_contact", &csv, &out);

    let first = run(&mock, &args, &[]);
    ended(
        &first,
        4,
        "",
        "created 2, failed 1, uncertain 0, skipped 0 (0 created earlier, 0 uncertain earlier), not started 0",
    );
    let mut paths: Vec<String> = mock
        .received_for(op("create_client_contact"))
        .into_iter()
        .map(|r| r.path)
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["/clients/contacts/client_1", "/clients/contacts/client_2"]
    );
    let lines = results(&out);
    // Line numbers key the rows without --key; the bad row is never sent.
    let bad: Vec<&Value> = lines.iter().filter(|l| l["row"] == "3").collect();
    assert_eq!(bad.len(), 1, "no started line: {bad:?}");
    assert_eq!(bad[0]["status"], "failed");
    assert!(
        bad[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("gender: unknown variant `robot`"),
        "{}",
        bad[0]
    );
    let created = result_for(&lines, "2");
    let hash = created["body_sha256"].as_str().unwrap();
    assert_eq!(hash.len(), 64, "{created}");

    // A path cell is part of the request: editing it is an edit.
    std::fs::write(
        &csv,
        "id,firstName,lastName,gender\n\
         client_9,Ana,Diaz,female\n\
         client_1,Ben,Okafor,male\n\
         client_2,Chen,Li,\n",
    )
    .unwrap();
    let edited = run(&mock, &args, &[]);
    let line = failed_with(&edited, 3);
    assert!(
        line.contains("row `2` was edited since --results"),
        "{line}"
    );
    assert_eq!(mock.request_count(op("create_client_contact")), 2);

    let allowed = run(&mock, &args, &["--allow-edited"]);
    ended(
        &allowed,
        0,
        "",
        "created 2, failed 0, uncertain 0, skipped 1 (1 created earlier, 0 uncertain earlier), not started 0",
    );
    let last = mock.received_for(op("create_client_contact"));
    assert_eq!(last.len(), 4);
    assert!(
        last.iter().any(|r| r.path == "/clients/contacts/client_9"),
        "{:?}",
        last.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_header_is_refused_naming_the_column() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results.jsonl");
    for (text, key, expected) in [
        (
            "id,firstName,lastName\nc1,Ana,Diaz\n",
            None,
            "unknown column `id` (create_candidate takes: body ",
        ),
        (
            "firstName\nAna\n",
            None,
            "no `lastName` column (create_candidate requires it; the header row must name it)",
        ),
        (
            "ref,firstName,lastName\n,Ana,Diaz\n",
            Some("ref"),
            "line 2: the ref column is empty",
        ),
    ] {
        let csv = write(dir.path(), text);
        let mut args = create_args("spott", "create_candidate", &csv, &out);
        if let Some(key) = key {
            args.extend(["--key", key]);
        }
        let line = failed_with(&run(&mock, &args, &[]), 3);
        assert!(line.contains(expected), "{line}");
    }
    assert!(mock.received().is_empty());
}

// --- Against a scripted server: the faults the mock cannot make. ---

/// Three candidates sent one at a time (so the script answers them in
/// the file's order), keyed by `ref`.
const THREE: &str = "ref,firstName,lastName\nc1,Ana,Diaz\nc2,Ben,Okafor\nc3,Chen,Li\n";

/// `THREE` in a fresh folder (kept while the first value lives), the
/// results file's path and the `bulk create spott create_candidate`
/// arguments, with `more` after them.
fn three_run(more: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), THREE);
    let out = dir.path().join("results.jsonl");
    let mut args = create_args("spott", "create_candidate", &csv, &out);
    args.extend(["--key", "ref", "--concurrency", "1"]);
    args.extend(more);
    let args = args.into_iter().map(str::to_owned).collect();
    (dir, out, args)
}

/// Runs `spott ARGS --base-url SERVER`, the key checked to stay secret.
fn run_at(server: &Scripted, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    support::run_at(&server.url, &args, None)
}

/// The create's answer: the new candidate's id as a JSON string.
fn candidate_created(id: &str) -> Reply {
    Reply::json(201, json!(id))
}

/// A redirect answer with a `location` and no body.
fn redirect(status: u16, location: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("location".into(), location.into())],
        body: String::new(),
    }
}

/// Every request the server received: method, path and the body's
/// `firstName` (which row it was), in arrival order.
fn sent(server: &Scripted) -> Vec<(String, String, String)> {
    server
        .received()
        .iter()
        .map(|r| {
            let name = r.json()["firstName"].as_str().unwrap_or("").to_owned();
            (r.method.clone(), r.path.clone(), name)
        })
        .collect()
}

/// What `sent` holds after c1, c2 and c3 were each sent once.
fn each_row_once() -> Vec<(String, String, String)> {
    ["Ana", "Ben", "Chen"]
        .into_iter()
        .map(|name| ("POST".to_owned(), "/candidates".to_owned(), name.to_owned()))
        .collect()
}

/// Asserts how a run with uncertain rows ended: exit 4, exactly this one
/// error line (the results path appended), exactly this summary.
fn ended_uncertain(output: &Output, error: &str, out: &Path, summary: &str) {
    let line = failed_with(output, 4);
    assert_eq!(line, format!("error: {error}; see {}", out.display()));
    assert_eq!(stdout(output), format!("{summary}\n"));
}

/// A row's outcome line with its body hash checked and taken out.
fn outcome(lines: &[Value], row: &str) -> Value {
    let mut line = result_for(lines, row);
    let hash = line.as_object_mut().unwrap().remove("body_sha256");
    let hash = hash.as_ref().and_then(Value::as_str).unwrap_or("");
    assert_eq!(hash.len(), 64, "{line}");
    line
}

/// The first run's checks and the re-run's, shared by the three faults:
/// c1 and c2 are uncertain with `errors`, c3 created; each was sent once,
/// and a re-run sends nothing and records nothing.
fn uncertain_twice_then_nothing_resent(
    server: &Scripted,
    out: &Path,
    args: &[String],
    errors: [&str; 2],
) {
    let first = run_at(server, args);
    ended_uncertain(
        &first,
        "0 row(s) failed and 2 are uncertain (they may exist: check before --retry-uncertain)",
        out,
        "created 1, failed 0, uncertain 2, skipped 0 (0 created earlier, 0 uncertain earlier), not started 0",
    );
    let lines = results(out);
    assert_eq!(
        lines
            .iter()
            .map(|l| l["status"].clone())
            .collect::<Vec<_>>(),
        [
            "started",
            "uncertain",
            "started",
            "uncertain",
            "started",
            "created"
        ],
        "{lines:?}"
    );
    for (row, error) in [("c1", errors[0]), ("c2", errors[1])] {
        assert_eq!(
            outcome(&lines, row),
            json!({"row": row, "status": "uncertain", "ids": [], "error": error}),
        );
    }
    assert_eq!(
        outcome(&lines, "c3"),
        json!({"row": "c3", "status": "created", "ids": ["cand_3"]}),
    );
    assert_eq!(
        sent(server),
        each_row_once(),
        "each row sent once, none retried"
    );

    let before = std::fs::read(out).unwrap();
    let rerun = run_at(server, args);
    ended_uncertain(
        &rerun,
        "2 row(s) uncertain from an earlier run were not sent again: check whether they exist, then re-run with --retry-uncertain",
        out,
        "created 0, failed 0, uncertain 0, skipped 3 (1 created earlier, 2 uncertain earlier), not started 0",
    );
    assert_eq!(sent(server), each_row_once(), "the re-run sends nothing");
    assert_eq!(std::fs::read(out).unwrap(), before, "nor records anything");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_outlasts_the_timeout_is_uncertain_and_not_resent() {
    // c1: no answer at all; c2: the status line, then nothing for longer
    // than --timeout (the server has taken it); c3: created.
    let server = Scripted::start(vec![
        Reply::Hang,
        candidate_created("cand_2").slow_headers(Duration::from_secs(5)),
        candidate_created("cand_3"),
    ])
    .await;
    let (_dir, out, args) = three_run(&["--timeout", "0.4"]);
    uncertain_twice_then_nothing_resent(
        &server,
        &out,
        &args,
        [
            "create_candidate: timed out after 1 attempt(s)",
            "create_candidate: timed out after 1 attempt(s)",
        ],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_connection_is_reset_after_sending_is_uncertain_and_not_resent() {
    // c1 and c2: read, then RST without a byte; c3: created.
    let server = Scripted::start(vec![
        Reply::Reset,
        Reply::Reset,
        candidate_created("cand_3"),
    ])
    .await;
    let (_dir, out, args) = three_run(&["--timeout", "2"]);
    // Written, then broken: `sent` (no "nothing was sent"), so uncertain.
    let error = "create_candidate: transport error: error sending request";
    uncertain_twice_then_nothing_resent(&server, &out, &args, [error, error]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_answered_with_a_redirect_is_uncertain_and_neither_followed_nor_resent() {
    // c1: 303 See Other (what a server answers once it has created it);
    // c2: 307; c3: created. Neither location is ever asked for.
    let server = Scripted::start(vec![
        redirect(303, "/candidates/cand_1"),
        redirect(307, "/candidates-elsewhere"),
        candidate_created("cand_3"),
    ])
    .await;
    let (_dir, out, args) = three_run(&["--timeout", "2"]);
    uncertain_twice_then_nothing_resent(
        &server,
        &out,
        &args,
        [
            "create_candidate: HTTP 303 redirect to /candidates/cand_1, not followed",
            "create_candidate: HTTP 307 redirect to /candidates-elsewhere, not followed",
        ],
    );
}
