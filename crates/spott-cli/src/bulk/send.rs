//! Sending one row's create and deciding what it is recorded as.
//!
//! | what happened | recorded as | a re-run |
//! |---|---|---|
//! | 2xx | `created` (ids; for `bulk create`, the answer's `id`, or the answer when it is a bare id) | skips it |
//! | 2xx with an unreadable body | `created` (no ids; the error says so) | skips it |
//! | Saleshandy 2xx where some prospects got no task | `created` (their ids; the error names the others) | skips it |
//! | Saleshandy 2xx where every prospect sent was reported without a task | `failed` | tries again |
//! | Saleshandy 2xx with no task and a prospect sent but not reported | `uncertain`: its task may exist | skips it unless `--retry-uncertain` |
//! | (any 2xx) results for prospects not sent | named in the error, never counted as created | |
//! | a cell that does not parse, bad input | `failed`: nothing was sent | tries again |
//! | 4xx, 429 after the retries | `failed`: the server refused it | tries again |
//! | connection refused / DNS / TLS, connect timeout | `failed`: nothing was sent | tries again |
//! | 3xx, 5xx, timeout, connection broken after sending, oversized answer | `uncertain`: it may exist | skips it unless `--retry-uncertain` |
//! | killed (SIGKILL, a crash, a power cut) after its `started` line, before its outcome line | nothing more: the `started` line is read as `uncertain` | skips it unless `--retry-uncertain` |
//! | interrupted twice while in flight | `uncertain` | skips it unless `--retry-uncertain` |
//!
//! What a create that ended in an error is recorded as is
//! [`spott_saleshandy_core::Error::may_exist_on_server`]'s call ([`status_after`]);
//! the last two rows are the journal's (`run`): a create that may have left
//! and has no outcome may exist.
//!
//! A row whose cells make a request is a [`Work::Send`]: it is journalled
//! `started` (durably) before it is sent. One that makes none is a
//! [`Work::Refused`], recorded `failed` with no network and no `started`
//! line.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;
use spott_saleshandy_core::Error;
use spott_saleshandy_core::dynamic::Arguments;

use super::csv::{Request, Row};
use super::mapping::Call;
use super::results::{RowResult, Status};
use crate::args::ApiName;
use crate::context::Context;
use crate::exit::Failure;

/// One row, ready to run on its own task.
pub struct Job {
    /// The row key.
    pub row: String,
    /// The SHA-256 of its request body (see `body`), for every line it
    /// gets.
    pub body_sha256: Option<String>,
    /// What running it does.
    pub work: Work,
}

/// What running a row does.
pub enum Work {
    /// Nothing is sent: the row is recorded with this result.
    Refused(RowResult),
    /// The create, not started until polled (the journal polls it only
    /// once the row's `started` line is durable).
    Send(Pin<Box<dyn Future<Output = RowResult> + Send>>),
}

/// The clients rows are sent with, built once per run.
#[derive(Clone)]
pub enum Sender {
    /// For `spott-tasks` and Spott's creates.
    Spott(spott::Client),
    /// For `saleshandy-tasks` and Saleshandy's creates.
    Saleshandy(saleshandy::Client),
}

impl Sender {
    /// The client `target` needs, from the global options.
    pub fn new(target: &super::Target, ctx: &Context) -> Result<Self, Failure> {
        use super::Target;
        Ok(match target {
            Target::SpottTasks => Sender::Spott(ctx.spott()?),
            Target::SaleshandyTasks => Sender::Saleshandy(ctx.saleshandy()?),
            Target::Operation { create, .. } => match create.api {
                ApiName::Spott => Sender::Spott(ctx.spott()?),
                ApiName::Saleshandy => Sender::Saleshandy(ctx.saleshandy()?),
            },
        })
    }

    /// The work for `row`; a create is not started until polled.
    pub fn job(&self, row: Row) -> Job {
        let key = row.key;
        let work = match (row.request, self) {
            (Err(reason), _) => Work::Refused(RowResult {
                row: key.clone(),
                status: Status::Failed,
                ids: Vec::new(),
                error: Some(reason),
                body_sha256: None,
            }),
            (Ok(Request::SpottTask(task)), Sender::Spott(client)) => {
                let client = client.clone();
                let key = key.clone();
                Work::Send(Box::pin(async move {
                    match client.create_task(task).await {
                        Ok(task) => {
                            created(key, task.id.into_iter().map(String::from).collect(), None)
                        }
                        Err(error) => after_error(key, &error),
                    }
                }))
            }
            (Ok(Request::SaleshandyTasks(tasks)), Sender::Saleshandy(client)) => {
                let client = client.clone();
                let key = key.clone();
                Work::Send(Box::pin(async move {
                    match client.create_tasks(tasks).await {
                        Ok(results) => saleshandy_outcome(key, &results),
                        Err(error) => after_error(key, &error),
                    }
                }))
            }
            (Ok(Request::Call(call)), sender) => {
                let sender = sender.clone();
                let key = key.clone();
                Work::Send(Box::pin(async move {
                    match sender.call(call).await {
                        Ok(answer) => created(key, created_ids(&answer), None),
                        Err(error) => after_error(key, &error),
                    }
                }))
            }
            (Ok(_), _) => Work::Refused(RowResult {
                row: key.clone(),
                status: Status::Failed,
                ids: Vec::new(),
                error: Some("this row is for the other API".into()),
                body_sha256: None,
            }),
        };
        Job {
            row: key,
            body_sha256: row.body_sha256,
            work,
        }
    }
}

impl Sender {
    /// Sends `call` through the wrapper's `call_json`: the key, the retry
    /// policy by the operation's retry safety (a create is never resent
    /// once it may have been processed), the timeouts and the errors of
    /// every call.
    async fn call(&self, call: Call) -> Result<Value, Error> {
        let path: Vec<(&str, &str)> = call.path.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let query: Vec<(&str, &str)> = call.query.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let arguments = Arguments {
            path: &path,
            query: &query,
            body: call.body.as_ref(),
        };
        match self {
            Sender::Spott(client) => client.call_json(call.operation, arguments).await,
            Sender::Saleshandy(client) => client.call_json(call.operation, arguments).await,
        }
    }
}

/// The ids a create's answer names: the answer itself when it is a bare
/// id (`create_candidate`), else its top-level `id`; none otherwise.
fn created_ids(answer: &Value) -> Vec<String> {
    let id = match answer {
        Value::Object(fields) => fields.get("id"),
        id => Some(id),
    };
    match id {
        Some(Value::String(id)) => vec![id.clone()],
        Some(Value::Number(id)) => vec![id.to_string()],
        _ => Vec::new(),
    }
}

fn created(row: String, ids: Vec<String>, error: Option<String>) -> RowResult {
    RowResult {
        row,
        status: Status::Created,
        ids,
        error,
        body_sha256: None,
    }
}

/// A Saleshandy answer: created if any prospect got a task.
fn saleshandy_outcome(row: String, results: &saleshandy::TaskResults) -> RowResult {
    let ids: Vec<String> = results
        .successes()
        .filter_map(|o| o.task_id().map(|id| id.as_str().to_owned()))
        .collect();
    let failed: Vec<&str> = results.failures().map(|o| o.prospect_id.as_str()).collect();
    let unconfirmed: Vec<&str> = results
        .unconfirmed()
        .map(|o| o.prospect_id.as_str())
        .collect();
    let missing: Vec<&str> = results.missing().map(|id| id.as_str()).collect();
    let unrequested: Vec<&str> = results
        .unrequested()
        .map(|o| o.prospect_id.as_str())
        .collect();
    let mut problems = Vec::new();
    if !failed.is_empty() {
        problems.push(format!("no task for prospect(s) {}", failed.join(", ")));
    }
    if !unconfirmed.is_empty() {
        problems.push(format!(
            "the answer contradicts itself for prospect(s) {} (success without a task id, or a failure naming one): their tasks may exist",
            unconfirmed.join(", ")
        ));
    }
    if !missing.is_empty() {
        problems.push(format!(
            "the answer did not report prospect(s) {}: their tasks may exist",
            missing.join(", ")
        ));
    }
    if !unrequested.is_empty() {
        problems.push(format!(
            "the answer reported prospect(s) not sent: {}",
            unrequested.join(", ")
        ));
    }
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    let status = if results.successes().next().is_some() {
        Status::Created
    } else if missing.is_empty() && unconfirmed.is_empty() {
        // Every prospect sent was reported, and none got a task.
        Status::Failed
    } else {
        // A 2xx that leaves a prospect unaccounted for or unclear: its
        // task may exist.
        Status::Uncertain
    };
    let error = match status {
        Status::Failed => error.or_else(|| Some("no task was created".into())),
        _ => error,
    };
    RowResult {
        row,
        status,
        ids,
        error,
        body_sha256: None,
    }
}

/// A failed create as a row result.
pub fn after_error(row: String, error: &Error) -> RowResult {
    let status = status_after(error);
    let error = match (status, error) {
        (Status::Created, _) => format!("created, but the answer could not be read: {error}"),
        _ => error.to_string(),
    };
    RowResult {
        row,
        status,
        ids: Vec::new(),
        error: Some(error),
        body_sha256: None,
    }
}

/// What a create that ended in `error` is recorded as (see the module's
/// table): the core's [`Error::may_exist_on_server`] decides, so bulk and
/// the retry policy never disagree about what was sent.
pub fn status_after(error: &Error) -> Status {
    match error {
        // Only ever after a 2xx: the server created it.
        Error::Decode { .. } => Status::Created,
        _ if error.may_exist_on_server() => Status::Uncertain,
        _ => Status::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> Error {
        Error::status_only("create_task", status)
    }

    #[test]
    fn only_a_provably_unprocessed_create_is_failed() {
        let table = [
            (
                Error::invalid("content", "must not be empty"),
                Status::Failed,
            ),
            (api(404), Status::Failed),
            (api(422), Status::Failed),
            (Error::rate_limited("create_task", None, 3), Status::Failed),
            (api(500), Status::Uncertain),
            (api(503), Status::Uncertain),
            (Error::timeout("create_task", 1, true), Status::Uncertain),
            (
                // A connect timeout: nothing was sent.
                Error::timeout("create_task", 3, false),
                Status::Failed,
            ),
            (
                Error::redirect("create_task", 303, Some("/tasks/t-1".into())),
                Status::Uncertain,
            ),
            (
                Error::response_too_large("create_task", 10),
                Status::Uncertain,
            ),
            (
                Error::decode("create_task", ".", "EOF", b"{"),
                Status::Created,
            ),
        ];
        for (error, status) in table {
            assert_eq!(status_after(&error), status, "{error}");
        }
    }

    #[test]
    fn results_lines_say_what_happened() {
        let line = serde_json::to_string(&after_error("7".into(), &api(503))).unwrap();
        assert_eq!(
            line,
            r#"{"row":"7","status":"uncertain","ids":[],"error":"create_task: HTTP 503"}"#
        );
    }

    #[test]
    fn a_created_answer_names_its_id_when_it_has_one() {
        use serde_json::json;
        assert_eq!(created_ids(&json!("candidate_3")), ["candidate_3"]);
        assert_eq!(
            created_ids(&json!({"id": "note_1", "content": "x"})),
            ["note_1"]
        );
        assert_eq!(created_ids(&json!({"id": 42})), ["42"]);
        assert!(created_ids(&json!({"bulkActionId": "b1"})).is_empty());
        assert!(created_ids(&Value::Null).is_empty());
    }
}
