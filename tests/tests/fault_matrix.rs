//! The fault matrix: every operation × every fault, through the wrapper
//! clients as production builds them (pooled keep-alive connections, the
//! core's redirect rules, the real connect timeout), against a scripted
//! server on 127.0.0.1, in real time. Waits are kept short instead: a 5 ms
//! backoff, `Retry-After` of at most a second, and a 300 ms attempt timeout
//! in the rows that need one (the server hangs far longer). Each cell
//! checks the documented outcome and counts what the server received: a
//! create is never processed twice.
//!
//! The table this produces is RELIABILITY.md's; the test fails if the file
//! and the run disagree (`UPDATE_RELIABILITY=1 cargo test -p workspace-tests
//! --test fault_matrix` rewrites it).

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use saleshandy::{NewTasks, TaskType};
use scripted_server::{Reply, Scripted};
use serde_json::{Value, json};
use spott::{CandidateUpdate, NewClientContact, NewTask, RetryPolicy};
use workspace_tests::{Side, examples, spec, workspace_root};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    CreateTask,
    ContactOverview,
    CreateClientContact,
    UpdateCandidate,
    CreateTasks,
}

const OPS: [Op; 5] = [
    Op::CreateTask,
    Op::ContactOverview,
    Op::CreateClientContact,
    Op::UpdateCandidate,
    Op::CreateTasks,
];

impl Op {
    fn id(self) -> &'static str {
        match self {
            Op::CreateTask => "create_task",
            Op::ContactOverview => "get_contact_overview",
            Op::CreateClientContact => "create_client_contact",
            Op::UpdateCandidate => "update_candidate",
            Op::CreateTasks => "create_tasks",
        }
    }

    fn api(self) -> &'static str {
        if self == Op::CreateTasks {
            "saleshandy"
        } else {
            "spott"
        }
    }

    fn is_create(self) -> bool {
        matches!(
            self,
            Op::CreateTask | Op::CreateClientContact | Op::CreateTasks
        )
    }

    /// The page's success example for this operation.
    fn success_body(self) -> Value {
        examples(&spec(self.api()))
            .into_iter()
            .find(|e| {
                e.operation_id == self.id()
                    && matches!(&e.side, Side::Response(s) if s.starts_with('2'))
            })
            .map(|e| e.value)
            .expect("every operation has a documented response")
    }

    /// A response that is valid but for one value the spec does not know.
    fn with_unknown_enum(self) -> Value {
        let mut body = self.success_body();
        match self {
            Op::CreateTask => body["source"] = json!("AUTOMATION"),
            Op::ContactOverview => {
                body["clientContacts"][0]["customAttributes"][0]["value"] =
                    json!({"viewType": "customRating", "stars": 4})
            }
            Op::UpdateCandidate => body["gender"]["gender"] = json!("nonbinary"),
            // These responses hold no enum: an unknown field stands in.
            Op::CreateClientContact | Op::CreateTasks => body["kind"] = json!("NEW_KIND"),
        }
        body
    }

    /// A response missing a field the spec requires, where it requires one.
    fn without_required_field(self) -> Value {
        let mut body = self.success_body();
        match self {
            Op::CreateClientContact => {
                body.as_object_mut().map(|o| o.remove("id"));
            }
            Op::UpdateCandidate => {
                body.as_object_mut().map(|o| o.remove("createdAt"));
            }
            Op::CreateTasks => {
                body["payload"]["results"][0]
                    .as_object_mut()
                    .map(|o| o.remove("success"));
            }
            // 000 and 001 document no required response field.
            Op::CreateTask | Op::ContactOverview => {
                body.as_object_mut().map(|o| o.remove("id"));
            }
        }
        body
    }
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    TooManyRequestsSeconds,
    TooManyRequestsDate,
    TooManyRequestsNoHeader,
    Status500,
    Status502,
    Status503,
    Status504,
    ResetBeforeResponse,
    ResetMidBody,
    SlowerThanTimeout,
    MalformedJson,
    TruncatedJson,
    EmptyBody,
    HugeBody,
    HtmlErrorPage,
    UnknownEnumValue,
    UnknownField,
    MissingRequiredField,
    WrongContentType,
}

const FAULTS: [Fault; 19] = [
    Fault::TooManyRequestsSeconds,
    Fault::TooManyRequestsDate,
    Fault::TooManyRequestsNoHeader,
    Fault::Status500,
    Fault::Status502,
    Fault::Status503,
    Fault::Status504,
    Fault::ResetBeforeResponse,
    Fault::ResetMidBody,
    Fault::SlowerThanTimeout,
    Fault::MalformedJson,
    Fault::TruncatedJson,
    Fault::EmptyBody,
    Fault::HugeBody,
    Fault::HtmlErrorPage,
    Fault::UnknownEnumValue,
    Fault::UnknownField,
    Fault::MissingRequiredField,
    Fault::WrongContentType,
];

/// The API key of every call: it must reach the server on every request and
/// appear nowhere else (logs at TRACE, errors, Debug output).
const SENTINEL: &str = "sentinel-Kx92-matrix";

/// The response limit the matrix runs with; the huge body is ten times it.
const LIMIT: u64 = 1024 * 1024;

impl Fault {
    fn label(self) -> &'static str {
        match self {
            Fault::TooManyRequestsSeconds => "429, Retry-After: 1 (seconds)",
            Fault::TooManyRequestsDate => "429, Retry-After: HTTP date",
            Fault::TooManyRequestsNoHeader => "429 without Retry-After",
            Fault::Status500 => "500",
            Fault::Status502 => "502",
            Fault::Status503 => "503",
            Fault::Status504 => "504",
            Fault::ResetBeforeResponse => "connection reset before the response",
            Fault::ResetMidBody => "connection reset mid-body",
            Fault::SlowerThanTimeout => "no response (hangs past the 300 ms timeout)",
            Fault::MalformedJson => "malformed JSON",
            Fault::TruncatedJson => "truncated JSON (complete HTTP body)",
            Fault::EmptyBody => "empty 200 body",
            Fault::HugeBody => "10 MB body (limit 1 MiB)",
            Fault::HtmlErrorPage => "HTML error page (503)",
            Fault::UnknownEnumValue => "unknown enum value",
            Fault::UnknownField => "unknown field",
            Fault::MissingRequiredField => "missing required field",
            Fault::WrongContentType => "JSON sent as text/plain",
        }
    }

    /// The script: the fault, then (where a retry may follow) success.
    fn script(self, op: Op) -> Vec<Reply> {
        let ok = Reply::json(200, op.success_body());
        let status = |code: u16| Reply::json(code, json!({"message": format!("HTTP {code}")}));
        let raw = |status: u16, content_type: &str, body: String| Reply::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        };
        match self {
            Fault::TooManyRequestsSeconds => vec![status(429).header("retry-after", "1"), ok],
            Fault::TooManyRequestsDate => {
                // Whole seconds: the wait is under a second.
                let when = SystemTime::now() + Duration::from_secs(1);
                let date = chrono::DateTime::<chrono::Utc>::from(when)
                    .format("%a, %d %b %Y %H:%M:%S GMT")
                    .to_string();
                vec![status(429).header("retry-after", &date), ok]
            }
            Fault::TooManyRequestsNoHeader => vec![status(429), ok],
            Fault::Status500 => vec![status(500), ok],
            Fault::Status502 => vec![status(502), ok],
            Fault::Status503 => vec![status(503), ok],
            Fault::Status504 => vec![status(504), ok],
            Fault::ResetBeforeResponse => vec![Reply::Close, ok],
            Fault::ResetMidBody => vec![
                Reply::Truncate {
                    announced: 4096,
                    sent: "{\"id\": \"par".into(),
                },
                ok,
            ],
            Fault::SlowerThanTimeout => vec![Reply::Hang, ok],
            Fault::MalformedJson => vec![raw(200, "application/json", "{\"id\": tru,}".into()), ok],
            Fault::TruncatedJson => {
                let full = sorted(&op.success_body()).to_string();
                vec![
                    raw(200, "application/json", full[..full.len() / 2].into()),
                    ok,
                ]
            }
            Fault::EmptyBody => vec![raw(200, "application/json", String::new()), ok],
            Fault::HugeBody => vec![
                raw(
                    200,
                    "application/json",
                    format!("\"{}\"", "x".repeat(10 * 1024 * 1024)),
                ),
                ok,
            ],
            Fault::HtmlErrorPage => vec![
                raw(
                    503,
                    "text/html",
                    "<html><body><h1>503 Service Unavailable</h1></body></html>".into(),
                ),
                ok,
            ],
            Fault::UnknownEnumValue => vec![Reply::json(200, op.with_unknown_enum()), ok],
            Fault::UnknownField => {
                let mut body = op.success_body();
                body["fieldFromTheFuture"] = json!({"nested": [1, 2, 3]});
                vec![Reply::json(200, body), ok]
            }
            Fault::MissingRequiredField => vec![Reply::json(200, op.without_required_field()), ok],
            Fault::WrongContentType => {
                vec![raw(200, "text/plain", op.success_body().to_string()), ok]
            }
        }
    }

    /// Whether the first reply may have been acted on by the server (every
    /// reply but a 429, which by definition was not processed).
    fn first_reply_processed(self) -> bool {
        !matches!(
            self,
            Fault::TooManyRequestsSeconds
                | Fault::TooManyRequestsDate
                | Fault::TooManyRequestsNoHeader
        )
    }
}

/// `value` with every object's keys in sorted order, so the cut of the
/// truncated body (and the path it reports) does not depend on whether
/// serde_json keeps insertion order in this build.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// What a call came to, as a short label.
fn outcome(result: Result<(), client_core::Error>) -> String {
    use client_core::Error as E;
    match result {
        Ok(()) => "ok".into(),
        Err(E::Api { status, .. }) => format!("Api {status}"),
        Err(E::RateLimited { .. }) => "RateLimited".into(),
        Err(E::Timeout { .. }) => "Timeout".into(),
        Err(E::Transport { .. }) => "Transport".into(),
        Err(E::Decode { path, .. }) => format!("Decode `{path}`"),
        Err(E::ResponseTooLarge { .. }) => "TooLarge".into(),
        Err(other) => format!("{other:?}"),
    }
}

/// The attempt timeout of the rows that wait for one.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

/// The attempt timeout of every other row: generous, so that a loaded
/// machine never turns an answer into a timeout.
const LONG_TIMEOUT: Duration = Duration::from_secs(10);

async fn call(op: Op, url: &str, timeout: Duration) -> Result<(), client_core::Error> {
    // The standard policy with short waits; no `http_client`: the core's own
    // pooled client, redirect rules and connect timeout.
    let policy = RetryPolicy::standard()
        .with_base_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(50));
    if op == Op::CreateTasks {
        let client = saleshandy::Client::builder()
            .api_key(SENTINEL)
            .base_url(url)
            .retry_policy(policy)
            .request_timeout(timeout)
            .max_response_bytes(LIMIT)
            .build()?;
        return client
            .create_tasks(NewTasks::new(TaskType::CallFollowUp, ["p-1"]))
            .await
            .map(drop);
    }
    let client = spott::Client::builder()
        .api_key(SENTINEL)
        .base_url(url)
        .retry_policy(policy)
        .request_timeout(timeout)
        .max_response_bytes(LIMIT)
        .build()?;
    match op {
        Op::CreateTask => client.create_task(NewTask::new("x")).await.map(drop),
        Op::ContactOverview => client.contact_overview("c-1").await.map(drop),
        Op::CreateClientContact => client
            .create_client_contact("cl-1", NewClientContact::new("Ana", "Doe"))
            .await
            .map(drop),
        Op::UpdateCandidate => client
            .update_candidate("c-1", CandidateUpdate::new().last_name("Doe"))
            .await
            .map(drop),
        Op::CreateTasks => unreachable!("handled above"),
    }
}

/// Runs one cell: (outcome, requests received).
async fn run_cell(op: Op, fault: Fault) -> (String, usize) {
    let server = Scripted::start(fault.script(op)).await;
    let timeout = match fault {
        Fault::SlowerThanTimeout => SHORT_TIMEOUT,
        _ => LONG_TIMEOUT,
    };
    let result = call(op, &server.url, timeout).await;
    if let Err(error) = &result {
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains(SENTINEL),
            "key in the error of {} × {}",
            op.id(),
            fault.label()
        );
    }
    let received = server.received();
    for request in &received {
        assert_eq!(
            request.header("x-api-key"),
            Some(SENTINEL),
            "{} × {}",
            op.id(),
            fault.label()
        );
    }
    let received = received.len();
    if op.is_create() {
        // Replies after the first are successes, which are processed; the
        // first is processed unless it was a 429.
        let processed = usize::from(fault.first_reply_processed()) + received.saturating_sub(1);
        assert!(
            processed <= 1,
            "{} × {}: a create was processed {processed} times",
            op.id(),
            fault.label()
        );
    }
    (outcome(result), received)
}

/// The documented outcome of each cell: (outcome, requests received).
fn expected(op: Op, fault: Fault) -> (&'static str, usize) {
    let read = op == Op::ContactOverview;
    match fault {
        Fault::TooManyRequestsSeconds
        | Fault::TooManyRequestsDate
        | Fault::TooManyRequestsNoHeader => ("ok", 2),
        Fault::Status500 => ("Api 500", 1),
        Fault::Status502 if read => ("ok", 2),
        Fault::Status502 => ("Api 502", 1),
        Fault::Status503 | Fault::HtmlErrorPage if read => ("ok", 2),
        Fault::Status503 | Fault::HtmlErrorPage => ("Api 503", 1),
        Fault::Status504 if read => ("ok", 2),
        Fault::Status504 => ("Api 504", 1),
        Fault::ResetBeforeResponse | Fault::ResetMidBody if read => ("ok", 2),
        Fault::ResetBeforeResponse | Fault::ResetMidBody => ("Transport", 1),
        Fault::SlowerThanTimeout if read => ("ok", 2),
        Fault::SlowerThanTimeout => ("Timeout", 1),
        Fault::MalformedJson | Fault::TruncatedJson | Fault::EmptyBody => ("Decode", 1),
        Fault::HugeBody => ("TooLarge", 1),
        Fault::UnknownEnumValue | Fault::UnknownField | Fault::WrongContentType => ("ok", 1),
        Fault::MissingRequiredField => match op {
            Op::CreateTask | Op::ContactOverview => ("ok", 1),
            _ => ("Decode", 1),
        },
    }
}

fn render(rows: &[(Fault, Vec<(String, usize)>)]) -> String {
    let mut table = String::from("| fault |");
    for op in OPS {
        let _ = write!(table, " `{}` |", op.id());
    }
    table.push_str("\n|---|");
    for _ in OPS {
        table.push_str("---|");
    }
    table.push('\n');
    for (fault, cells) in rows {
        let _ = write!(table, "| {} |", fault.label());
        for (outcome, requests) in cells {
            let _ = write!(table, " {outcome} ({requests} req) |");
        }
        table.push('\n');
    }
    table
}

const BEGIN: &str = "<!-- fault-matrix:begin -->\n";
const END: &str = "<!-- fault-matrix:end -->";

/// Everything this test binary logs, through `tracing` or `log`, at every
/// level.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Installs, once, a global subscriber at TRACE writing into one buffer,
/// and the bridge that turns `log` records (reqwest logs through `log`) into
/// its events. Global, not `set_default`: tracing caches each callsite's
/// interest globally, and while a thread-local subscriber is the only one, a
/// callsite first hit on another thread (a second test, a blocking-pool
/// thread) is cached as uninteresting and its output is lost. This binary's
/// only test calls it before anything else.
fn captured_logs() -> &'static Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        tracing_log::LogTracer::builder()
            .with_max_level(tracing_log::log::LevelFilter::Trace)
            .init()
            .expect("no other `log` logger is installed");
        tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(logs.clone())
                .with_ansi(false)
                .finish(),
        )
        .expect("no other global subscriber is installed");
        logs
    })
}

#[tokio::test]
async fn every_operation_survives_every_fault_as_documented() {
    let logs = captured_logs();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for fault in FAULTS {
        let mut cells = Vec::new();
        for op in OPS {
            let (got, requests) = run_cell(op, fault).await;
            let (want, want_requests) = expected(op, fault);
            if !got.starts_with(want) || requests != want_requests {
                failures.push(format!(
                    "{} × {}: got {got} after {requests} request(s), expected {want} after {want_requests}",
                    op.id(),
                    fault.label()
                ));
            }
            cells.push((got, requests));
        }
        rows.push((fault, cells));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logs.contains("http_request"), "tracing was captured");
    assert!(
        logs.contains("reqwest::connect: starting new connection"),
        "reqwest's `log` output was captured"
    );
    assert!(!logs.contains(SENTINEL), "the key reached the logs");

    let table = render(&rows);
    let path = workspace_root().join("RELIABILITY.md");
    let document = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(start), Some(end)) = (document.find(BEGIN), document.find(END)) else {
        panic!("RELIABILITY.md lacks the fault-matrix markers");
    };
    let committed = &document[start + BEGIN.len()..end];
    if committed != table {
        if std::env::var_os("UPDATE_RELIABILITY").is_some() {
            let updated = format!(
                "{}{table}{}",
                &document[..start + BEGIN.len()],
                &document[end..]
            );
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "RELIABILITY.md's table differs from this run; rerun with UPDATE_RELIABILITY=1 and review.\n{table}"
            );
        }
    }
}
