//! The bulk journal through the built binary: every row's start is durable
//! in the results file before its create leaves, so a run killed with
//! SIGKILL leaves nothing a re-run could send twice; SIGTERM and SIGHUP
//! stop a run like Ctrl-C; a line cut off by a kill is the row in flight;
//! an edited CSV row is refused instead of inheriting the old outcome.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};
use spott_saleshandy_mock::{FaultConfig, MockConfig, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use support::{
    command, command_at, failed_with, finished, mock, op, result_for, results, saleshandy_csv,
    spott, stderr, stdout,
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

/// How many times the mock processed a Saleshandy create per note.
fn processed_per_note(mock: &MockServer) -> HashMap<String, usize> {
    processed_per(mock, "create_tasks", "taskNote")
}

/// How many times the mock processed `operation` per value of the body
/// field `note`.
fn processed_per(mock: &MockServer, operation: &str, note: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in mock.received_for(op(operation)) {
        if let Some(note) = request.body.as_ref().and_then(|b| b[note].as_str())
            && request.processed
        {
            *counts.entry(note.to_owned()).or_default() += 1;
        }
    }
    counts
}

/// The row key of a `saleshandy_csv` note (`row 7` → `r7`).
fn row_of(note: &str) -> String {
    format!("r{}", note.trim_start_matches("row "))
}

/// The results file's whole lines, read while a run may be writing it (or
/// after a kill cut its last line): a line without its newline is left out.
fn whole_lines(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read(path).unwrap_or_default();
    let end = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    String::from_utf8_lossy(&text[..end])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The last status recorded per row.
fn last_status(lines: &[Value]) -> HashMap<String, String> {
    lines
        .iter()
        .map(|l| {
            (
                l["row"].as_str().unwrap().to_owned(),
                l["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Waits, bounded, until `done` holds.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..5000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("timed out waiting until {what}");
}

/// The JSON body as the journal hashes it: keys sorted at every level,
/// no whitespace.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        scalar => scalar.to_string(),
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A TCP proxy in front of the mock: requests pass straight through, every
/// byte of every answer is held back `hold`. The mock has processed (and
/// counted) a create well before the client hears of it, as with a slow
/// server or network: the window a kill must not turn into a duplicate.
struct SlowAnswers {
    addr: SocketAddr,
    open: Arc<AtomicUsize>,
    accept: tokio::task::JoinHandle<()>,
}

impl SlowAnswers {
    async fn start(upstream: SocketAddr, hold: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let open = Arc::new(AtomicUsize::new(0));
        let accept = tokio::spawn({
            let open = open.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        continue;
                    };
                    open.fetch_add(1, Ordering::SeqCst);
                    let open = open.clone();
                    tokio::spawn(async move {
                        relay(client, server, hold).await;
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            }
        });
        Self { addr, open, accept }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections still open (both directions not yet finished).
    fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

impl Drop for SlowAnswers {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Client → server at once; server → client `hold` later. Ends when the
/// client has gone and the server has closed its side.
async fn relay(client: TcpStream, server: TcpStream, hold: Duration) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let requests = async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
        let _ = server_write.shutdown().await;
    };
    let (held, mut due) = mpsc::unbounded_channel::<(tokio::time::Instant, Vec<u8>)>();
    let answers = async move {
        let mut buffer = vec![0; 16 * 1024];
        while let Ok(n @ 1..) = server_read.read(&mut buffer).await {
            let _ = held.send((tokio::time::Instant::now() + hold, buffer[..n].to_vec()));
        }
    };
    let deliver = async move {
        while let Some((at, bytes)) = due.recv().await {
            tokio::time::sleep_until(at).await;
            if client_write.write_all(&bytes).await.is_err() {
                break;
            }
        }
    };
    tokio::join!(requests, answers, deliver);
}

fn send_signal(child: &std::process::Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// What a kill test runs: the bulk command's words after `bulk`, the
/// create it sends, the body field holding each row's `row N` note, and
/// the CSV of N rows keyed `r0…`.
struct Creates {
    command: &'static [&'static str],
    operation: &'static str,
    note: &'static str,
    csv: fn(&std::path::Path, usize) -> std::path::PathBuf,
}

/// `saleshandy-tasks`, the note in `taskNote`.
const SALESHANDY_TASKS: Creates = Creates {
    command: &["saleshandy-tasks"],
    operation: "create_tasks",
    note: "taskNote",
    csv: saleshandy_csv,
};

/// `bulk create spott create_candidate`, keyed by `ref`, the note in
/// `lastName`.
const CANDIDATES: Creates = Creates {
    command: &["create", "spott", "create_candidate", "--key", "ref"],
    operation: "create_candidate",
    note: "lastName",
    csv: candidates_csv,
};

fn candidates_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("ref,firstName,lastName\n");
    for row in 0..rows {
        text.push_str(&format!("r{row},Kim,row {row}\n"));
    }
    let path = dir.join("candidates.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The reproduction: 200 rows, 16 in flight, answers held back 1 s; SIGKILL
/// once the server has processed 20; re-run. The rows in flight at the kill
/// had been processed (their answers were still held back) and have a
/// durable start record without an outcome: the re-run holds them back as
/// uncertain instead of creating them a second time.
#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_run_then_a_rerun_creates_no_row_the_server_processed_twice() {
    sigkill_then_rerun(SALESHANDY_TASKS).await;
}

/// The same for `bulk create` of any create operation.
#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_bulk_create_then_a_rerun_creates_no_row_the_server_processed_twice() {
    sigkill_then_rerun(CANDIDATES).await;
}

async fn sigkill_then_rerun(creates: Creates) {
    let processed_per_note =
        |mock: &MockServer| processed_per(mock, creates.operation, creates.note);
    let mock = mock().await;
    let slow = SlowAnswers::start(mock.addr(), Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = (creates.csv)(dir.path(), 200);
    let out = dir.path().join("results.jsonl");
    let mut args: Vec<&str> = [&["bulk"][..], creates.command].concat();
    args.extend([
        "--csv",
        csv.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]);
    args.extend(["--concurrency", "16"]);

    let mut child = command_at(&slow.url(), &args).spawn().unwrap();
    wait_until("the mock has processed 20 creates", || {
        mock.processed_count(op(creates.operation)) >= 20
    })
    .await;
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success(), "killed");
    // Once every relayed connection is closed, the mock has seen all it
    // will ever see of the first run.
    wait_until("the killed run's connections are closed", || {
        slow.open() == 0
    })
    .await;

    let first: BTreeSet<String> = processed_per_note(&mock)
        .keys()
        .map(|n| row_of(n))
        .collect();
    assert!(first.len() >= 20, "{first:?}");
    let after_kill = last_status(&whole_lines(&out));
    // Every row the server processed has a durable line: its start record
    // at least. Without the journal the rows in flight have none.
    let unknown: Vec<&String> = first
        .iter()
        .filter(|r| !after_kill.contains_key(*r))
        .collect();
    assert!(
        unknown.is_empty(),
        "processed, not in the results file: {unknown:?}"
    );
    let created_first = after_kill.values().filter(|s| *s == "created").count();

    let rerun = spott(&mock, &args);
    let line = failed_with(&rerun, 4);
    assert!(
        line.contains("uncertain from an earlier run were not sent again"),
        "{line}"
    );
    let per_note = processed_per_note(&mock);
    let twice: Vec<(&String, &usize)> = per_note.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "created twice: {twice:?}");

    let lines = results(&out);
    let status = last_status(&lines);
    let uncertain: BTreeSet<String> = status
        .iter()
        .filter(|(_, s)| *s == "uncertain")
        .map(|(r, _)| r.clone())
        .collect();
    assert!(
        !uncertain.is_empty() && uncertain.len() <= 16,
        "the rows in flight at the kill, at most --concurrency: {uncertain:?}"
    );
    for row in &uncertain {
        let line = result_for(&lines, row);
        assert_eq!(
            line["error"], "in flight when an earlier run stopped: it may have been created",
            "{line}"
        );
    }
    // Which uncertain rows the server had processed: those whose answer
    // was held back at the kill (at least one: answers take 1 s, the kill
    // comes as the 20th create is processed). The others had their start
    // record written but their request had not reached the server.
    let seen: BTreeSet<&String> = uncertain.iter().filter(|r| first.contains(*r)).collect();
    let unseen: BTreeSet<&String> = uncertain.iter().filter(|r| !first.contains(*r)).collect();
    assert!(
        !seen.is_empty(),
        "processed but unanswered at the kill: {uncertain:?}"
    );
    // The re-run created every row neither created nor uncertain, once.
    assert_eq!(
        stdout(&rerun),
        format!(
            "created {}, failed 0, uncertain 0, skipped {} ({created_first} created earlier, {} uncertain earlier), not started 0\n",
            200 - created_first - uncertain.len(),
            created_first + uncertain.len(),
            uncertain.len()
        )
    );
    for row in 0..200 {
        let key = format!("r{row}");
        let expected = usize::from(!unseen.contains(&key));
        assert_eq!(
            per_note.get(&format!("row {row}")).copied().unwrap_or(0),
            expected,
            "{key}"
        );
    }
    assert_eq!(
        mock.created_count(op(creates.operation)),
        200 - unseen.len(),
        "200 minus the uncertain rows the server never saw"
    );

    // --retry-uncertain sends exactly the uncertain rows: the ones the server
    // never saw now exist once; the ones it had processed exist twice, which
    // is why it takes the flag (check them first).
    let retry = spott(&mock, &[&args[..], &["--retry-uncertain"]].concat());
    assert!(retry.status.success(), "{}", stderr(&retry));
    assert_eq!(
        stdout(&retry),
        format!(
            "created {0}, failed 0, uncertain 0, skipped {1} ({1} created earlier, 0 uncertain earlier), not started 0\n",
            uncertain.len(),
            200 - uncertain.len()
        )
    );
    let per_note = processed_per_note(&mock);
    for row in 0..200 {
        let key = format!("r{row}");
        let expected = if seen.contains(&key) { 2 } else { 1 };
        assert_eq!(
            per_note.get(&format!("row {row}")),
            Some(&expected),
            "{key}"
        );
    }
    assert_eq!(mock.created_count(op(creates.operation)), 200 + seen.len());
}

/// SIGTERM and SIGHUP (systemd, docker, `timeout`, a closed terminal) stop
/// a run as Ctrl-C does: no new rows, rows in flight finish and are
/// recorded, exit 130; the re-run creates every remaining row once.
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_and_sighup_stop_like_ctrl_c_and_a_rerun_finishes_without_repeats() {
    for signal in ["TERM", "HUP"] {
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
        wait_until("4 rows are recorded", || {
            whole_lines(&out)
                .iter()
                .filter(|l| l["status"] == "created")
                .count()
                >= 4
        })
        .await;
        send_signal(&child, signal);
        let first = finished(child);
        let line = failed_with(&first, 130);
        assert!(
            line.starts_with("error: interrupted: "),
            "SIG{signal}: {line}"
        );
        assert!(
            stderr(&first).contains("stopping: no new rows start"),
            "SIG{signal}: {}",
            stderr(&first)
        );
        let lines = results(&out);
        let status = last_status(&lines);
        // Every row that started has its outcome: none was left in flight.
        assert!(
            status.values().all(|s| s == "created"),
            "SIG{signal}: {status:?}"
        );
        assert!(
            status.len() >= 4 && status.len() < 120,
            "SIG{signal}: {}",
            status.len()
        );
        assert!(stdout(&first).starts_with(&format!("created {}, ", status.len())));
        assert_eq!(mock.created_count(op("create_tasks")), status.len());

        let second = spott(&mock, &args);
        assert!(second.status.success(), "SIG{signal}: {}", stderr(&second));
        assert_eq!(last_status(&results(&out)).len(), 120);
        let per_note = processed_per_note(&mock);
        assert_eq!(per_note.len(), 120, "SIG{signal}");
        assert!(
            per_note.values().all(|n| *n == 1),
            "SIG{signal}: {per_note:?}"
        );
    }
}

/// A kill while a line was being written leaves it cut off at the end of
/// the file. The re-run reads it as that row in flight: uncertain, not sent
/// again (here it had been created: sending it again would duplicate it),
/// and the file is whole again afterwards.
#[tokio::test(flavor = "multi_thread")]
async fn a_torn_last_line_is_its_row_in_flight_uncertain_and_not_resent() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results.jsonl");
    // Three rows, one at a time: the file ends with r2's outcome line.
    let csv = saleshandy_csv(dir.path(), 3);
    let mut args = bulk_args("saleshandy-tasks", &csv, &out);
    args.extend(["--concurrency", "1"]);
    assert!(spott(&mock, &args).status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let last = text.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with(r#"{"row":"r2","status":"created""#),
        "{last}"
    );
    std::fs::write(&out, &text[..text.len() - last.len() / 2]).unwrap();

    let csv = saleshandy_csv(dir.path(), 5);
    let run = spott(&mock, &args);
    let line = failed_with(&run, 4);
    assert!(
        line.contains("1 row(s) uncertain from an earlier run were not sent again"),
        "{line}"
    );
    assert_eq!(
        stdout(&run),
        "created 2, failed 0, uncertain 0, skipped 3 (2 created earlier, 1 uncertain earlier), not started 0\n"
    );
    let per_note = processed_per_note(&mock);
    assert_eq!(per_note.get("row 2"), Some(&1), "r2 not sent again");
    assert_eq!(per_note.len(), 5);
    assert!(per_note.values().all(|n| *n == 1), "{per_note:?}");
    let lines = results(&out);
    let r2 = result_for(&lines, "r2");
    assert_eq!(r2["status"], "uncertain");
    assert_eq!(
        r2["error"],
        "its line was cut off when an earlier run stopped: it may have been created"
    );

    // A cut-off line whose row cannot be read is ignored, and said so.
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(
        &csv,
        format!("{csv_text}r5,8PvBmrB7P7,call-follow-up,high,2026-12-02,row 5\n"),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(&out).unwrap();
    text.push_str(r#"{"ro"#);
    std::fs::write(&out, text).unwrap();
    let run = spott(&mock, &args);
    failed_with(&run, 4);
    assert!(
        stderr(&run).contains(&format!(
            "note: --results {}: its last line is cut off and names no row (a run was killed while writing it); ignored",
            out.display()
        )),
        "{}",
        stderr(&run)
    );
    assert_eq!(processed_per_note(&mock).get("row 5"), Some(&1));
    assert_eq!(
        results(&out).len(),
        lines.len() + 2,
        "r5's two lines, nothing else"
    );

    // A broken line with lines after it is no cut-off write: refused, by number.
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::write(&out, format!("{{\"row\":\"r0\",\"sta\n{text}")).unwrap();
    let refused = spott(&mock, &args);
    let line = failed_with(&refused, 3);
    assert!(
        line.contains(&format!(
            "--results {} line 1: not a result line",
            out.display()
        )),
        "{line}"
    );
}

/// A row edited since it was recorded is refused by name, nothing sent;
/// `--allow-edited` sends it as new. Every line carries the SHA-256 of the
/// request body, the same the server received.
#[tokio::test(flavor = "multi_thread")]
async fn an_edited_row_is_refused_by_name_unless_allow_edited() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = saleshandy_csv(dir.path(), 3);
    let out = dir.path().join("results.jsonl");
    let args = bulk_args("saleshandy-tasks", &csv, &out);
    assert!(spott(&mock, &args).status.success());
    let sent = mock.received_for(op("create_tasks"));
    for request in &sent {
        let note = request.body.as_ref().unwrap()["taskNote"].as_str().unwrap();
        let hash = sha256_hex(&canonical(request.body.as_ref().unwrap()));
        let lines = results(&out);
        let mine: Vec<&Value> = lines.iter().filter(|l| l["row"] == row_of(note)).collect();
        assert_eq!(mine.len(), 2, "a start record and an outcome: {mine:?}");
        assert_eq!(mine[0]["status"], "started");
        assert_eq!(mine[1]["status"], "created");
        for line in mine {
            assert_eq!(line["body_sha256"], hash.as_str(), "{line}");
        }
    }

    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replace(",row 1\n", ",row 1 edited\n")).unwrap();
    let before = std::fs::read(&out).unwrap();
    let refused = spott(&mock, &args);
    assert_eq!(
        failed_with(&refused, 3),
        format!(
            "error: --csv {}: row `r1` was edited since --results {} recorded it (created): \
             its request body is not the one recorded; restore it, give it a new id, \
             or pass --allow-edited to send edited rows as new",
            csv.display(),
            out.display()
        )
    );
    assert_eq!(mock.request_count(op("create_tasks")), 3, "nothing sent");
    assert_eq!(std::fs::read(&out).unwrap(), before, "nothing written");

    let allowed = spott(&mock, &[&args[..], &["--allow-edited"]].concat());
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    assert_eq!(
        stdout(&allowed),
        "created 1, failed 0, uncertain 0, skipped 2 (2 created earlier, 0 uncertain earlier), not started 0\n"
    );
    let per_note = processed_per_note(&mock);
    assert_eq!(per_note.get("row 1 edited"), Some(&1));
    assert_eq!(per_note.len(), 4, "{per_note:?}");
    let edited = mock.received_for(op("create_tasks")).pop().unwrap();
    assert_eq!(
        result_for(&results(&out), "r1")["body_sha256"],
        sha256_hex(&canonical(edited.body.as_ref().unwrap())).as_str()
    );

    // The new body is the recorded one now: a plain re-run sends nothing.
    let again = spott(&mock, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(mock.request_count(op("create_tasks")), 4);
}

/// Spott tasks hash the body the API receives too (links, due date and
/// assignee included).
#[tokio::test(flavor = "multi_thread")]
async fn a_spott_row_records_the_hash_of_the_body_sent() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tasks.csv");
    std::fs::write(
        &csv,
        "id,content,due,assignee,links\n\
         a,Call Jane,2026-12-01,user_1,candidate:cand_1;client:client_1\n\
         b,Mail Joe,,,\n",
    )
    .unwrap();
    let out = dir.path().join("results.jsonl");
    let run = spott(&mock, &bulk_args("spott-tasks", &csv, &out));
    assert!(run.status.success(), "{}", stderr(&run));
    let lines = results(&out);
    for request in mock.received_for(op("create_task")) {
        let body = request.body.unwrap();
        let row = if body["content"] == "Call Jane" {
            "a"
        } else {
            "b"
        };
        assert_eq!(
            result_for(&lines, row)["body_sha256"],
            sha256_hex(&canonical(&body)).as_str(),
            "{body}"
        );
    }
}
