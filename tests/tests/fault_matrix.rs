//! The fault matrix: every operation × every fault, through the wrapper
//! clients as production builds them (pooled keep-alive connections, the
//! core's redirect rules, the real connect timeout), against a scripted
//! server on 127.0.0.1, in real time. Waits are kept short instead: a 5 ms
//! backoff, `Retry-After` of at most a second, and a 300 ms attempt timeout
//! in the rows that need one (the server hangs far longer). Each cell
//! checks the documented outcome and counts what the server received: a
//! create is never processed twice.
//!
//! The operations are data: the columns are the generated operation tables
//! (`spott_openapi::OPERATIONS`, then `saleshandy_openapi::OPERATIONS`), in
//! table order, each headed by its `operationId`; an operation added to a
//! spec and generated becomes a column with no line written here. Each
//! cell calls its operation by id through the wrapper's generic
//! `Client::call_json`, so the key, the retry policy (chosen by the
//! table's retry safety), the timeouts and the error mapping are the typed
//! calls' own. What goes into the call, and what is expected of it:
//!
//! - every path parameter is `id-1`; no query parameter is sent;
//! - the request body is the operation's request example in the spec. An
//!   operation that declares a request body but documents no example fails
//!   the test, naming the operation: the spec author adds the example
//!   (a body made up from the schema would test a request nobody
//!   documented). Likewise the success answer the server scripts is the
//!   operation's success example, and an operation with a success body but
//!   no example fails. An operation whose success documents no body is
//!   answered with an empty one, and the body faults send a body it must
//!   ignore;
//! - `call_json` decodes the answer as JSON; the cell then decodes that JSON
//!   as the operation's generated success type with the table's
//!   `success_decode`, which is what the typed calls do with the same bytes,
//!   and reports a failure there as the `Error::Decode` the typed calls
//!   would return (its path from the typed decoder). A body that is not JSON
//!   at all (malformed, truncated) fails inside `call_json`, whose path is
//!   where the JSON ended, whatever the type;
//! - the expectations come from the retry safety alone: `Read` operations
//!   are retried after 5xx (but 500), closed or reset connections and
//!   timeouts, and follow a redirect; `IdempotentWrite` and `Create` are
//!   not (the standard policy); a `Create` is also checked to have been
//!   processed at most once per call;
//! - the "unknown enum value" row changes the shallowest value of the
//!   success example that the schema types as an open enum (`anyOf` an
//!   enum and any string) or open union (`anyOf` a discriminated `oneOf`
//!   and another schema); a response without either gets an unknown field
//!   instead. The "missing required field" row removes the shallowest
//!   required, non-nullable property of the example and expects `Decode`;
//!   where the example holds none, it removes its first member (sorted)
//!   and expects the body to decode.
//!
//! The table this produces is RELIABILITY.md's; the test fails if the file
//! and the run disagree (`UPDATE_RELIABILITY=1 cargo test -p workspace-tests
//! --test fault_matrix` rewrites it).

use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use scripted_server::{Gate, Reply, Scripted};
use serde_json::{Value, json};
use spott::{Arguments, RetryPolicy};
use spott_saleshandy_core::Error;
use tracing_subscriber::layer::SubscriberExt as _;
use workspace_tests::{
    Open, at_mut, first_open, first_required, has_request_body, request_example, spec,
    success_example, success_schema, workspace_root,
};

/// The value of every path parameter.
const DUMMY_ID: &str = "id-1";

/// Which API an operation belongs to, and so which wrapper calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    Spott,
    Saleshandy,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Spott => "spott",
            Api::Saleshandy => "saleshandy",
        }
    }
}

/// What repeating an operation could do, from the table's `retry_safety`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Safety {
    Read,
    IdempotentWrite,
    Create,
}

impl Safety {
    /// The table's value by its name, so the two crates' `RetrySafety`
    /// types map alike. A value this matrix has no expectations for fails
    /// the test, naming the operation.
    fn of(api: Api, id: &str, retry_safety: impl std::fmt::Debug) -> Self {
        match format!("{retry_safety:?}").as_str() {
            // PUT and DELETE are retried exactly like reads.
            "Read" | "Idempotent" => Safety::Read,
            "IdempotentWrite" => Safety::IdempotentWrite,
            "Create" => Safety::Create,
            other => panic!(
                "{}: `{id}` has retry safety {other}, which the fault matrix has no expectations for: add them",
                api.name()
            ),
        }
    }
}

/// Decodes a success body as the operation's generated type.
type Decode = fn(&[u8]) -> Result<(), (String, String)>;

/// One operation, a column of the matrix: its row of the generated table
/// and the bodies its spec documents.
#[derive(Debug)]
struct Op {
    api: Api,
    id: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: &'static [&'static str],
    safety: Safety,
    decode: Decode,
    /// The request example, for an operation with a request body.
    request: Option<Value>,
    /// The success example; `None` for an operation whose success has no
    /// body (then an empty body is its answer, and any body is ignored).
    success: Option<Value>,
    /// The success example with an unknown enum value (or field).
    unknown_enum: Value,
    /// The success example missing a field, and whether the spec requires
    /// that field.
    missing: (Value, bool),
}

/// Every operation of both generated tables, in table order.
fn operations() -> Vec<Op> {
    let spott_spec = spec("spott");
    let saleshandy_spec = spec("saleshandy");
    let mut ops = Vec::new();
    for row in spott_openapi::OPERATIONS {
        ops.push(Op::new(
            Api::Spott,
            &spott_spec,
            (row.id, row.method, row.path, row.path_params),
            Safety::of(Api::Spott, row.id, row.retry_safety),
            row.success_decode,
        ));
    }
    for row in saleshandy_openapi::OPERATIONS {
        ops.push(Op::new(
            Api::Saleshandy,
            &saleshandy_spec,
            (row.id, row.method, row.path, row.path_params),
            Safety::of(Api::Saleshandy, row.id, row.retry_safety),
            row.success_decode,
        ));
    }
    ops
}

impl Op {
    fn new(
        api: Api,
        spec: &Value,
        (id, method, path, path_params): (
            &'static str,
            &'static str,
            &'static str,
            &'static [&'static str],
        ),
        safety: Safety,
        decode: Decode,
    ) -> Self {
        let file = format!("spec/{}.yaml", api.name());
        let request = has_request_body(spec, id).then(|| {
            request_example(spec, id).unwrap_or_else(|| {
                panic!("{file}: `{id}` takes a request body but documents no request example; add one (the fault matrix sends it)")
            })
        });
        let schema = success_schema(spec, id);
        let success = schema.map(|_| {
            success_example(spec, id).unwrap_or_else(|| {
                panic!("{file}: `{id}` documents no success response example; add one (the fault matrix answers with it)")
            })
        });
        // A body-less success still meets the body faults: on `{}`.
        let body = success.clone().unwrap_or_else(|| json!({}));
        let schema = schema.unwrap_or(&Value::Null);
        let unknown_enum = with_unknown_enum(spec, schema, &body);
        let missing = without_required_field(spec, schema, &body);
        Op {
            api,
            id,
            method,
            path,
            path_params,
            safety,
            decode,
            request,
            success,
            unknown_enum,
            missing,
        }
    }

    fn is_read(&self) -> bool {
        self.safety == Safety::Read
    }

    fn is_create(&self) -> bool {
        self.safety == Safety::Create
    }

    /// The path every attempt of this call is sent to.
    fn request_path(&self) -> String {
        self.path_params
            .iter()
            .fold(self.path.to_owned(), |path, name| {
                path.replace(&format!("{{{name}}}"), DUMMY_ID)
            })
    }
}

/// `success` with the shallowest open enum value or open union
/// discriminator the schema allows set to a value it does not list; with
/// neither, an unknown field stands in.
fn with_unknown_enum(spec: &Value, schema: &Value, success: &Value) -> Value {
    let mut body = success.clone();
    let target = match first_open(spec, schema, success) {
        Some(Open::Enum(steps)) => at_mut(&mut body, &steps),
        Some(Open::Union(steps, discriminator)) => {
            at_mut(&mut body, &steps).and_then(|value| value.get_mut(discriminator.as_str()))
        }
        None => None,
    };
    match target {
        Some(value) => *value = json!("VALUE_FROM_THE_FUTURE"),
        None => add_field(&mut body, "kind", json!("NEW_KIND")),
    }
    body
}

/// `success` without its shallowest required property, and `true`; or,
/// where it holds none, without its first member (sorted), and `false`.
fn without_required_field(spec: &Value, schema: &Value, success: &Value) -> (Value, bool) {
    let mut body = success.clone();
    if let Some((steps, name)) = first_required(spec, schema, success) {
        at_mut(&mut body, &steps)
            .and_then(Value::as_object_mut)
            .expect("the property was found in this object")
            .remove(&name);
        return (body, true);
    }
    if let Some(object) = body.as_object_mut()
        && let Some(first) = object.keys().min().cloned()
    {
        object.remove(&first);
    }
    (body, false)
}

/// Adds `name` to the body's first object (the body itself, or the first
/// object element of a list).
fn add_field(body: &mut Value, name: &str, value: Value) {
    let object = match body {
        Value::Array(items) => items.iter_mut().find_map(Value::as_object_mut),
        other => other.as_object_mut(),
    };
    if let Some(object) = object {
        object.insert(name.to_owned(), value);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    TooManyRequestsSeconds,
    TooManyRequestsDate,
    TooManyRequestsNoHeader,
    Status500,
    Status502,
    Status503,
    Status504,
    HtmlErrorPage,
    RedirectSeeOther,
    ConnectRefused,
    ClosedBeforeResponse,
    ClosedMidBody,
    ResetAfterRequest,
    IdleClosedBetweenCalls,
    StaleConnectionReset,
    SlowerThanTimeout,
    SlowHeaders,
    MalformedJson,
    TruncatedJson,
    EmptyBody,
    HugeBody,
    UnknownEnumValue,
    UnknownField,
    MissingRequiredField,
    WrongContentType,
}

const FAULTS: [Fault; 25] = [
    Fault::TooManyRequestsSeconds,
    Fault::TooManyRequestsDate,
    Fault::TooManyRequestsNoHeader,
    Fault::Status500,
    Fault::Status502,
    Fault::Status503,
    Fault::Status504,
    Fault::HtmlErrorPage,
    Fault::RedirectSeeOther,
    Fault::ConnectRefused,
    Fault::ClosedBeforeResponse,
    Fault::ClosedMidBody,
    Fault::ResetAfterRequest,
    Fault::IdleClosedBetweenCalls,
    Fault::StaleConnectionReset,
    Fault::SlowerThanTimeout,
    Fault::SlowHeaders,
    Fault::MalformedJson,
    Fault::TruncatedJson,
    Fault::EmptyBody,
    Fault::HugeBody,
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

/// The attempt timeout of the rows that wait for one.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

/// The attempt timeout of every other row: generous, so that a loaded
/// machine never turns an answer into a timeout.
const LONG_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the slow-headers server sits on its headers: far past the
/// attempt timeout, so the client gives up first.
const HEADERS_DELAY: Duration = Duration::from_secs(3);

/// Where the 303 row sends the client.
const SEE_OTHER: &str = "/tasks/t-1";

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
            Fault::HtmlErrorPage => "HTML error page (503)",
            Fault::RedirectSeeOther => {
                "303 See Other to `/tasks/t-1`, `connection: close`, after processing"
            }
            Fault::ConnectRefused => "connection refused (nothing listening), then a listener",
            Fault::ClosedBeforeResponse => "connection closed (FIN) before the response",
            Fault::ClosedMidBody => "connection closed (FIN) mid-body",
            Fault::ResetAfterRequest => "TCP RST after reading the request",
            Fault::IdleClosedBetweenCalls => {
                "2nd call: the server closed the pooled connection, the client saw the FIN"
            }
            Fault::StaleConnectionReset => {
                "2nd call: the pooled connection is reset as the request arrives (unread)"
            }
            Fault::SlowerThanTimeout => "no response (hangs past the 300 ms timeout)",
            Fault::SlowHeaders => "status line, then headers 3 s later (300 ms timeout)",
            Fault::MalformedJson => "malformed JSON",
            Fault::TruncatedJson => "truncated JSON (complete HTTP body)",
            Fault::EmptyBody => "empty 200 body",
            Fault::HugeBody => "10 MB body (limit 1 MiB)",
            Fault::UnknownEnumValue => "unknown enum value",
            Fault::UnknownField => "unknown field",
            Fault::MissingRequiredField => "missing required field",
            Fault::WrongContentType => "JSON sent as text/plain",
        }
    }

    /// What the matrix promises, in words: the `expected` column.
    fn promise(self) -> &'static str {
        match self {
            Fault::TooManyRequestsSeconds
            | Fault::TooManyRequestsDate
            | Fault::TooManyRequestsNoHeader => {
                "all retried after the wait; a 429 is not processed: created once"
            }
            Fault::Status500 => "none retried; the record may exist",
            Fault::Status502
            | Fault::Status503
            | Fault::Status504
            | Fault::HtmlErrorPage
            | Fault::ClosedBeforeResponse
            | Fault::ClosedMidBody
            | Fault::ResetAfterRequest
            | Fault::SlowerThanTimeout
            | Fault::SlowHeaders => "the read retried; writes not: the record may exist",
            Fault::RedirectSeeOther => {
                "the read follows it; writes get `Redirect`, not followed: the record may exist"
            }
            Fault::ConnectRefused => "all retried: nothing was sent; created once",
            Fault::IdleClosedBetweenCalls => "all sent on a new connection: created once per call",
            Fault::StaleConnectionReset => {
                "the read retried; writes not (the server never read them): the record may exist"
            }
            Fault::MalformedJson | Fault::TruncatedJson | Fault::EmptyBody => {
                "none retried; answered 200: the record exists"
            }
            Fault::HugeBody => "none retried; answered: the record may exist",
            Fault::UnknownEnumValue | Fault::UnknownField | Fault::WrongContentType => {
                "decodes: the record exists"
            }
            Fault::MissingRequiredField => {
                "decodes where nothing is required, else `Decode`: the record exists"
            }
        }
    }

    /// The script: the fault, then (where a retry may follow) success.
    fn script(self, op: &Op) -> Vec<Reply> {
        let ok = match &op.success {
            Some(success) => Reply::json(200, success.clone()),
            None => Reply::Respond {
                status: 200,
                headers: Vec::new(),
                body: String::new(),
            },
        };
        let success = op.success.clone().unwrap_or_else(|| json!({}));
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
            Fault::HtmlErrorPage => vec![
                raw(
                    503,
                    "text/html",
                    "<html><body><h1>503 Service Unavailable</h1></body></html>".into(),
                ),
                ok,
            ],
            Fault::RedirectSeeOther => vec![
                raw(303, "application/json", String::new())
                    .header("location", SEE_OTHER)
                    .header("connection", "close"),
                ok,
            ],
            Fault::ConnectRefused => vec![ok],
            Fault::ClosedBeforeResponse => vec![Reply::Close, ok],
            Fault::ClosedMidBody => vec![
                Reply::Truncate {
                    announced: 4096,
                    sent: "{\"id\": \"par".into(),
                },
                ok,
            ],
            Fault::ResetAfterRequest => vec![Reply::Reset, ok],
            Fault::IdleClosedBetweenCalls => vec![ok.clone().then_close(), ok],
            Fault::StaleConnectionReset => vec![ok.clone().then_reset_next_request(), ok],
            Fault::SlowerThanTimeout => vec![Reply::Hang, ok],
            Fault::SlowHeaders => vec![ok.clone().slow_headers(HEADERS_DELAY), ok],
            Fault::MalformedJson => vec![raw(200, "application/json", "{\"id\": tru,}".into()), ok],
            Fault::TruncatedJson => {
                let full = sorted(&success).to_string();
                let mut half = full.len() / 2;
                while !full.is_char_boundary(half) {
                    half -= 1;
                }
                vec![raw(200, "application/json", full[..half].into()), ok]
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
            Fault::UnknownEnumValue => vec![Reply::json(200, op.unknown_enum.clone()), ok],
            Fault::UnknownField => {
                let mut body = success.clone();
                add_field(
                    &mut body,
                    "fieldFromTheFuture",
                    json!({"nested": [1, 2, 3]}),
                );
                vec![Reply::json(200, body), ok]
            }
            Fault::MissingRequiredField => vec![Reply::json(200, op.missing.0.clone()), ok],
            Fault::WrongContentType => {
                vec![raw(200, "text/plain", success.to_string()), ok]
            }
        }
    }

    /// The attempt timeout of the row.
    fn timeout(self) -> Duration {
        match self {
            Fault::SlowerThanTimeout | Fault::SlowHeaders => SHORT_TIMEOUT,
            _ => LONG_TIMEOUT,
        }
    }

    /// Whether the row makes a first, successful call on the same client
    /// before the call it is about.
    fn two_calls(self) -> bool {
        matches!(
            self,
            Fault::IdleClosedBetweenCalls | Fault::StaleConnectionReset
        )
    }
}

/// Whether the server acted on a request it answered with `reply`: every
/// reply but a 429, which by definition was not processed.
fn processed(reply: &Reply) -> bool {
    !matches!(reply, Reply::Respond { status: 429, .. })
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
fn outcome(result: &Result<(), Error>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(Error::Api { status, .. }) => format!("Api {status}"),
        Err(Error::RateLimited { .. }) => "RateLimited".into(),
        Err(Error::Redirect {
            status, location, ..
        }) => format!(
            "Redirect {status} `{}`",
            location.as_deref().unwrap_or("(none)")
        ),
        Err(Error::Timeout { .. }) => "Timeout".into(),
        Err(Error::Transport { .. }) => "Transport".into(),
        Err(Error::Decode { path, .. }) => format!("Decode `{path}`"),
        Err(Error::ResponseTooLarge { .. }) => "TooLarge".into(),
        Err(other) => format!("{other:?}"),
    }
}

/// One operation's client, built as production builds it.
enum Client {
    Spott(spott::Client),
    Saleshandy(saleshandy::Client),
}

impl Client {
    fn new(api: Api, url: &str, timeout: Duration) -> Self {
        // The standard policy with short waits; no `http_client`: the core's
        // own pooled client, redirect rules and connect timeout.
        let policy = RetryPolicy::standard()
            .with_base_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_millis(50));
        match api {
            Api::Saleshandy => Self::Saleshandy(
                saleshandy::Client::builder()
                    .api_key(SENTINEL)
                    .base_url(url)
                    .retry_policy(policy)
                    .request_timeout(timeout)
                    .max_response_bytes(LIMIT)
                    .build()
                    .expect("a valid configuration"),
            ),
            Api::Spott => Self::Spott(
                spott::Client::builder()
                    .api_key(SENTINEL)
                    .base_url(url)
                    .retry_policy(policy)
                    .request_timeout(timeout)
                    .max_response_bytes(LIMIT)
                    .build()
                    .expect("a valid configuration"),
            ),
        }
    }

    /// Calls `op` by its id with its documented arguments, then decodes
    /// the JSON answer as the operation's generated success type: a body
    /// that type refuses is the `Decode` error a typed call returns.
    async fn call(&self, op: &Op) -> Result<(), Error> {
        let path: Vec<(&str, &str)> = op
            .path_params
            .iter()
            .map(|name| (*name, DUMMY_ID))
            .collect();
        let arguments = Arguments {
            path: &path,
            query: &[],
            body: op.request.as_ref(),
        };
        let answer = match self {
            Self::Spott(client) => client.call_json(op.id, arguments).await?,
            Self::Saleshandy(client) => client.call_json(op.id, arguments).await?,
        };
        let bytes = serde_json::to_vec(&answer).expect("JSON encodes");
        (op.decode)(&bytes).map_err(|(path, message)| Error::decode(op.id, path, &message, &bytes))
    }
}

/// Counts the retries the core schedules (its "request failed, retrying"
/// event) and runs an action at the first: the one moment between two
/// attempts a test can act in without racing the client.
#[derive(Clone, Default)]
struct Retries(Arc<Mutex<RetryState>>);

#[derive(Default)]
struct RetryState {
    count: usize,
    at_first: Option<Box<dyn FnOnce() + Send>>,
}

impl Retries {
    /// Starts a cell: no retries seen, `at_first` to run at the first.
    fn reset(&self, at_first: Option<Box<dyn FnOnce() + Send>>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = RetryState { count: 0, at_first };
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).count
    }
}

/// The `message` field of an event.
#[derive(Default)]
struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Retries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut message = Message::default();
        event.record(&mut message);
        if message.0 != "request failed, retrying" {
            return;
        }
        let action = {
            let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            state.count += 1;
            state.at_first.take()
        };
        if let Some(action) = action {
            action();
        }
    }
}

/// `future`, which the server's own actions complete; the limit only turns
/// a server or client that never acts into a failure instead of a hang.
async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen"))
}

/// What one cell came to.
#[derive(Debug)]
struct Cell {
    /// `outcome` of the call the row is about.
    outcome: String,
    /// Requests the server read, over every call of the cell.
    requests: usize,
    /// Retries the core scheduled, over every call of the cell.
    retries: usize,
    /// `may_exist_on_server()` of the error; `None` for a success.
    may_exist: Option<bool>,
}

/// Runs one cell, asserts what holds for every cell (the key, no create
/// processed twice) and returns what happened with any mismatch in the
/// row's own details (which requests, on which connections, which error).
async fn run_cell(op: &Op, fault: Fault, retries: &Retries) -> (Cell, Vec<String>) {
    let cell = format!("{} × {}", op.id, fault.label());
    let script = fault.script(op);
    let script_processed: Vec<bool> = script.iter().map(processed).collect();
    let (server, gate) = if fault == Fault::ConnectRefused {
        let (server, gate) = Scripted::refusing(script);
        (server, Some(Arc::new(gate)))
    } else {
        (Scripted::start(script).await, None)
    };
    retries.reset(gate.clone().map(|gate| {
        Box::new(move || {
            gate.open();
        }) as Box<dyn FnOnce() + Send>
    }));
    let client = Client::new(op.api, &server.url, fault.timeout());

    // Requests the server read before the call the row is about.
    let mut before = 0;
    if fault.two_calls() {
        let first = client.call(op).await;
        assert!(first.is_ok(), "{cell}: the first call: {first:?}");
        assert_eq!(server.received().len(), 1, "{cell}: the first call");
        if fault == Fault::IdleClosedBetweenCalls {
            // The server finishes only once the client closed its side:
            // from then on the pool knows the connection is gone.
            within(
                "the client closing the idle connection",
                server.wait_closed(1),
            )
            .await;
        } else {
            // Let the pool take the connection back: hyper returns it from
            // a task of its own, woken without any I/O, so one idle turn of
            // this single-threaded runtime completes it. The server below
            // checks that the second call did reuse it.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        before = 1;
    }
    let result = client.call(op).await;

    if let Err(error) = &result {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SENTINEL), "key in the error of {cell}");
    }
    let received = server.received();
    for request in &received {
        assert_eq!(request.header("x-api-key"), Some(SENTINEL), "{cell}");
    }
    if op.is_create() {
        // Per call, the requests the server processed: each got the script's
        // next reply (past its end, a 500), and only a 429 leaves a request
        // unprocessed.
        for (call, range) in [
            ("the first call", 0..before),
            ("the call", before..received.len()),
        ] {
            let processed = range
                .filter(|&i| script_processed.get(i).copied().unwrap_or(true))
                .count();
            assert!(
                processed <= 1,
                "{cell}: {call} was processed {processed} times"
            );
        }
    }
    let mut problems = Problems {
        cell,
        found: Vec::new(),
    };
    check_details(op, fault, &server, gate.as_deref(), &result, &mut problems);
    let cell = Cell {
        outcome: outcome(&result),
        requests: received.len(),
        retries: retries.count(),
        may_exist: result.as_ref().err().map(Error::may_exist_on_server),
    };
    (cell, problems.found)
}

/// Mismatches found in one cell, each naming the cell.
struct Problems {
    cell: String,
    found: Vec<String>,
}

impl Problems {
    fn check(&mut self, holds: bool, what: impl std::fmt::Display) {
        if !holds {
            self.found.push(format!("{}: {what}", self.cell));
        }
    }

    fn same<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got != want {
            self.found.push(format!(
                "{}: {what}: got {got:?}, expected {want:?}",
                self.cell
            ));
        }
    }
}

/// The exact requests each row must have produced (method, path and
/// connection), and the exact error of the rows that are about an error.
fn check_details(
    op: &Op,
    fault: Fault,
    server: &Scripted,
    gate: Option<&Gate>,
    result: &Result<(), Error>,
    problems: &mut Problems,
) {
    let received = server.received();
    let (method, path) = (op.method, op.request_path());
    let path = path.as_str();
    let seen: Vec<(&str, &str, usize)> = received
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.connection))
        .collect();
    let sent: Vec<(&str, &str)> = seen.iter().map(|&(m, p, _)| (m, p)).collect();
    let connections: Vec<usize> = seen.iter().map(|&(_, _, c)| c).collect();
    let read = op.is_read();
    match fault {
        // Followed: a GET with the same key, on a new connection (the 303
        // said `connection: close`).
        Fault::RedirectSeeOther if read => problems.same(
            "requests",
            seen.clone(),
            vec![(method, path, 0), ("GET", SEE_OTHER, 1)],
        ),
        Fault::RedirectSeeOther => {
            problems.same("requests", seen.clone(), vec![(method, path, 0)]);
            problems.check(
                matches!(
                    result,
                    Err(Error::Redirect { status: 303, location: Some(location), .. })
                        if location == SEE_OTHER
                ),
                format!("not a 303 to {SEE_OTHER}: {result:?}"),
            );
        }
        _ => problems.same("requests", sent, vec![(method, path); received.len()]),
    }
    let retried_on_a_new_connection = [0, 1].as_slice();
    match fault {
        Fault::TooManyRequestsSeconds => {
            // (Fewer requests are reported as a count mismatch.)
            if let [refused, retried, ..] = received.as_slice() {
                let waited = retried.at - refused.at;
                problems.check(
                    waited >= Duration::from_secs(1),
                    format!("retried after {waited:?}, the server asked for 1 s"),
                );
            }
        }
        Fault::ConnectRefused => {
            // The first attempt met a closed port; the retry scheduled
            // after it opened the gate, and only then did a request arrive.
            problems.check(
                gate.is_some_and(Gate::is_open),
                "the gate was not opened by a retry",
            );
            problems.same("connections", connections.as_slice(), &[0]);
        }
        Fault::IdleClosedBetweenCalls => {
            problems.same(
                "connections",
                connections.as_slice(),
                retried_on_a_new_connection,
            );
            problems.same("unread after the FIN", server.unread(), vec![]);
        }
        Fault::StaleConnectionReset => {
            // The 2nd call reused connection 0 and was reset unread there.
            problems.same("reset unread on", server.unread(), vec![0]);
            if read {
                problems.same(
                    "connections",
                    connections.as_slice(),
                    retried_on_a_new_connection,
                );
            } else {
                problems.same("connections", connections.as_slice(), &[0]);
            }
        }
        Fault::ClosedBeforeResponse
        | Fault::ClosedMidBody
        | Fault::ResetAfterRequest
        | Fault::SlowerThanTimeout
        | Fault::SlowHeaders
            if read =>
        {
            problems.same(
                "connections",
                connections.as_slice(),
                retried_on_a_new_connection,
            );
        }
        _ => {}
    }
    // The errors of the connection faults, exactly.
    match fault {
        Fault::ClosedBeforeResponse
        | Fault::ClosedMidBody
        | Fault::ResetAfterRequest
        | Fault::StaleConnectionReset
            if !read =>
        {
            problems.check(
                matches!(result, Err(Error::Transport { sent: true, .. })),
                format!("not Transport {{ sent: true }}: {result:?}"),
            );
        }
        Fault::SlowerThanTimeout | Fault::SlowHeaders if !read => problems.check(
            matches!(
                result,
                Err(Error::Timeout {
                    sent: true,
                    attempts: 1,
                    ..
                })
            ),
            format!("not Timeout {{ sent: true, attempts: 1 }}: {result:?}"),
        ),
        _ => {}
    }
}

/// The documented outcome of each cell.
struct Expected {
    /// How the outcome label starts (`Decode` for any path).
    outcome: &'static str,
    /// Requests the server reads, over every call of the cell.
    requests: usize,
    /// Retries the core schedules.
    retries: usize,
    /// `may_exist_on_server()` of the error; `None` for a success.
    may_exist: Option<bool>,
}

impl Expected {
    fn matches(&self, cell: &Cell) -> bool {
        cell.outcome.starts_with(self.outcome)
            && cell.requests == self.requests
            && cell.retries == self.retries
            && cell.may_exist == self.may_exist
    }
}

/// A success after `requests` requests and `retries` retries.
fn ok(requests: usize, retries: usize) -> Expected {
    Expected {
        outcome: "ok",
        requests,
        retries,
        may_exist: None,
    }
}

/// A failure of a request that may have been processed, after one request
/// and no retry.
fn may_exist(outcome: &'static str) -> Expected {
    Expected {
        outcome,
        requests: 1,
        retries: 0,
        may_exist: Some(true),
    }
}

fn expected(op: &Op, fault: Fault) -> Expected {
    let read = op.is_read();
    let bodiless = op.success.is_none();
    match fault {
        // No body is documented, so whatever body comes is not read as
        // one (the size limit still holds).
        Fault::MalformedJson
        | Fault::TruncatedJson
        | Fault::EmptyBody
        | Fault::UnknownEnumValue
        | Fault::UnknownField
        | Fault::MissingRequiredField
        | Fault::WrongContentType
            if bodiless =>
        {
            ok(1, 0)
        }
        Fault::TooManyRequestsSeconds
        | Fault::TooManyRequestsDate
        | Fault::TooManyRequestsNoHeader => ok(2, 1),
        Fault::Status500 => may_exist("Api 500"),
        Fault::Status502 if read => ok(2, 1),
        Fault::Status502 => may_exist("Api 502"),
        Fault::Status503 | Fault::HtmlErrorPage if read => ok(2, 1),
        Fault::Status503 | Fault::HtmlErrorPage => may_exist("Api 503"),
        Fault::Status504 if read => ok(2, 1),
        Fault::Status504 => may_exist("Api 504"),
        // Followed inside the one attempt.
        Fault::RedirectSeeOther if read => ok(2, 0),
        Fault::RedirectSeeOther => may_exist("Redirect 303 `/tasks/t-1`"),
        // One retry, one request: the first attempt never reached it.
        Fault::ConnectRefused => ok(1, 1),
        Fault::ClosedBeforeResponse | Fault::ClosedMidBody | Fault::ResetAfterRequest if read => {
            ok(2, 1)
        }
        Fault::ClosedBeforeResponse | Fault::ClosedMidBody | Fault::ResetAfterRequest => {
            may_exist("Transport")
        }
        // Two calls, one request each, no retry.
        Fault::IdleClosedBetweenCalls => ok(2, 0),
        // The 2nd call's first attempt was reset unread: only the read's
        // retry reaches the server.
        Fault::StaleConnectionReset if read => ok(2, 1),
        Fault::StaleConnectionReset => may_exist("Transport"),
        Fault::SlowerThanTimeout | Fault::SlowHeaders if read => ok(2, 1),
        Fault::SlowerThanTimeout | Fault::SlowHeaders => may_exist("Timeout"),
        Fault::MalformedJson | Fault::TruncatedJson | Fault::EmptyBody => may_exist("Decode"),
        // The limit holds: the body is not read, and the answer may hide
        // a processed request.
        Fault::HugeBody => may_exist("TooLarge"),
        Fault::UnknownEnumValue | Fault::UnknownField | Fault::WrongContentType => ok(1, 0),
        // The spec decides: a removed required field fails the typed
        // decode; any other removal decodes.
        Fault::MissingRequiredField if op.missing.1 => may_exist("Decode"),
        Fault::MissingRequiredField => ok(1, 0),
    }
}

fn render(ops: &[Op], rows: &[(Fault, Vec<Cell>)]) -> String {
    let mut table = String::from("| fault | expected |");
    for op in ops {
        let _ = write!(table, " `{}` |", op.id);
    }
    table.push_str("\n|---|---|");
    for _ in ops {
        table.push_str("---|");
    }
    table.push('\n');
    for (fault, cells) in rows {
        let _ = write!(table, "| {} | {} |", fault.label(), fault.promise());
        for cell in cells {
            let exists = match cell.may_exist {
                None => "",
                Some(true) => ", may exist",
                Some(false) => ", does not exist",
            };
            let _ = write!(table, " {}{exists} ({} req) |", cell.outcome, cell.requests);
        }
        table.push('\n');
    }
    table
}

const BEGIN: &str = "<!-- fault-matrix:begin -->\n";
const END: &str = "<!-- fault-matrix:end -->";

/// Collects everything tracing writes, at every level.
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

// Real time on the default current-thread runtime: the server, the client
// and hyper's pool share one thread, so nothing of theirs runs in parallel
// with the test.
#[tokio::test]
async fn every_operation_survives_every_fault_as_documented() {
    let logs = Captured::default();
    let retries = Retries::default();
    let _tracing = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(logs.clone())
            .with_ansi(false)
            .finish()
            .with(retries.clone()),
    );
    let ops = operations();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for fault in FAULTS {
        let mut cells = Vec::new();
        for op in &ops {
            let (got, problems) = run_cell(op, fault, &retries).await;
            failures.extend(problems);
            let want = expected(op, fault);
            if !want.matches(&got) {
                failures.push(format!(
                    "{} × {}: got {got:?}, expected {} after {} request(s) and {} retries, may exist {:?}",
                    op.id,
                    fault.label(),
                    want.outcome,
                    want.requests,
                    want.retries,
                    want.may_exist,
                ));
            }
            cells.push(got);
        }
        rows.push((fault, cells));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logs.contains("http_request"), "tracing was captured");
    assert!(!logs.contains(SENTINEL), "the key reached the logs");

    let table = render(&ops, &rows);
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
