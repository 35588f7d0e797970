//! The running mock: routes, start, inspection and control, shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{ApiKeys, MockConfig};
use crate::faults::{Fault, FaultConfig, FaultState};
use crate::operation::{Operation, load_table};
use crate::pipeline::{Shared, lock, serve};
use crate::record::RecordedRequest;
use crate::render;
use crate::routes;
use crate::spec::SpecError;
use crate::state::Store;
use crate::validate::SpecValidator;

/// Why the mock did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The embedded specs could not be turned into validators.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The address could not be bound.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// One route for everything: the operation table decides (see `pipeline::serve`).
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(|State(shared): State<Arc<Shared>>, request: Request| serve(shared, request))
        .with_state(shared)
}

/// A running mock of both APIs on 127.0.0.1. Shuts down when dropped (or with
/// [`shutdown`](Self::shutdown)).
///
/// See the [crate documentation](crate) for an example.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Compiles the spec validators, seeds the state, binds `config.addr` (by default
    /// `127.0.0.1:0`, a free port) and serves in a background task of the current tokio
    /// runtime.
    pub async fn start(config: MockConfig) -> Result<Self, StartError> {
        load_table()?;
        let validator = SpecValidator::shared(config.unknown_fields)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
        let shared = Arc::new(Shared::new(
            validator,
            Store::new(config.seed_data, config.prospects.iter().cloned()),
            FaultState::new(config.faults.clone()),
            config.api_keys.clone(),
            config.apis,
        ));
        let app = router(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                // A dropped sender means the same as a sent signal: stop.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "spott-saleshandy-mock server stopped with an error");
            }
        });
        tracing::info!(%addr, apis = ?config.apis, keys = ?config.api_keys, "spott-saleshandy-mock listening");
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The base URL, `http://127.0.0.1:<port>` (no trailing slash). Both APIs live under it:
    /// use it as the Spott base URL and as the Saleshandy base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the mock listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn received(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.records).clone()
    }

    /// The requests received for `op`.
    pub fn received_for(&self, op: Operation) -> Vec<RecordedRequest> {
        lock(&self.shared.records)
            .iter()
            .filter(|r| r.operation == Some(op))
            .cloned()
            .collect()
    }

    /// Forgets the recorded requests (state and scripts stay).
    pub fn clear_received(&self) {
        lock(&self.shared.records).clear();
    }

    /// How many requests for `op` arrived.
    pub fn request_count(&self, op: Operation) -> usize {
        lock(&self.shared.records)
            .iter()
            .filter(|r| r.operation == Some(op))
            .count()
    }

    /// How many requests for `op` were processed (the operation ran and succeeded, whatever
    /// happened to the answer afterwards).
    pub fn processed_count(&self, op: Operation) -> usize {
        lock(&self.shared.records)
            .iter()
            .filter(|r| r.operation == Some(op) && r.processed)
            .count()
    }

    /// How many resources requests for `op` created: tasks, client contacts, Saleshandy tasks
    /// (one per successful prospect).
    pub fn created_count(&self, op: Operation) -> usize {
        lock(&self.shared.records)
            .iter()
            .filter(|r| r.operation == Some(op))
            .map(|r| r.created_ids.len())
            .sum()
    }

    /// Queues faults for the next requests to `op`: each matching request takes the next one,
    /// in order; when the queue is empty, normal behaviour (and the random faults) resume.
    /// Scripted faults come before authentication, validation and the rate limit.
    ///
    /// ```no_run
    /// # async fn demo(mock: &spott_saleshandy_mock::MockServer) {
    /// use spott_saleshandy_mock::{Fault, Operation, RetryAfter};
    /// mock.script(
    ///     Operation::by_id("create_task").unwrap(),
    ///     [Fault::TooManyRequests { retry_after: RetryAfter::Seconds(2) }, Fault::Status(503)],
    /// );
    /// # }
    /// ```
    pub fn script(&self, op: Operation, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.shared.faults).script(op, faults);
    }

    /// How many scripted faults are still queued for `op`.
    pub fn pending_faults(&self, op: Operation) -> usize {
        lock(&self.shared.faults).pending(op)
    }

    /// Drops every queued scripted fault.
    pub fn clear_scripts(&self) {
        lock(&self.shared.faults).clear_scripts();
    }

    /// The current random and standing faults.
    pub fn faults(&self) -> FaultConfig {
        lock(&self.shared.faults).config().clone()
    }

    /// Replaces the random and standing faults; reseeds the RNG and restarts the rate-limit
    /// window.
    pub fn set_faults(&self, faults: FaultConfig) {
        lock(&self.shared.faults).set_config(faults);
    }

    /// Changes the random and standing faults in place, e.g.
    /// `mock.update_faults(|f| f.latency = Duration::from_millis(5))`. Like
    /// [`set_faults`](Self::set_faults), reseeds and restarts the window.
    pub fn update_faults(&self, change: impl FnOnce(&mut FaultConfig)) {
        let mut faults = lock(&self.shared.faults);
        let mut config = faults.config().clone();
        change(&mut config);
        faults.set_config(config);
    }

    /// Replaces the accepted API keys.
    pub fn set_api_keys(&self, keys: ApiKeys) {
        *lock(&self.shared.api_keys) = keys;
    }

    /// Makes a Saleshandy prospect id known (with the seeded details when it is one of
    /// [`DEFAULT_PROSPECTS`](crate::DEFAULT_PROSPECTS), else with none); `list_prospects`
    /// lists it after the ones known before.
    pub fn add_prospect(&self, prospect_id: impl Into<String>) {
        lock(&self.shared.store).add_prospect(prospect_id.into());
    }

    /// A candidate as `update_candidate` would return it, or `None`.
    pub fn candidate(&self, candidate_id: &str) -> Option<Value> {
        let store = lock(&self.shared.store);
        store
            .candidates
            .get(candidate_id)
            .map(|c| render::candidate(&store, c))
    }

    /// A Spott task as `create_task` returned it, or `None`.
    pub fn task(&self, task_id: &str) -> Option<Value> {
        let store = lock(&self.shared.store);
        store
            .tasks
            .iter()
            .find(|t| t.id == task_id)
            .map(|t| render::task(&store, t))
    }

    /// A Saleshandy task: `{id, prospectId, taskType, priority, dueDate, taskNote, status,
    /// snoozedUntil, callOutcome}` (`status` is `pending`, `snoozed` or `skipped`), or `None`.
    pub fn saleshandy_task(&self, task_id: &str) -> Option<Value> {
        let store = lock(&self.shared.store);
        store
            .prospect_tasks
            .iter()
            .find(|t| t.id == task_id)
            .map(|t| {
                json!({
                    "id": t.id,
                    "prospectId": t.prospect_id,
                    "taskType": t.task_type,
                    "priority": t.priority,
                    "dueDate": t.due_date,
                    "taskNote": t.note,
                    "status": t.status,
                    "snoozedUntil": t.snoozed_until,
                    "callOutcome": t.call_outcome,
                })
            })
    }

    /// A Saleshandy bulk action: the status `get_bulk_action_status` answers, plus the ids
    /// it acted on (`taskIds`) and those it could not (`failedTaskIds`), in request order; or
    /// `None`.
    pub fn bulk_action(&self, bulk_action_id: &str) -> Option<Value> {
        let store = lock(&self.shared.store);
        store
            .bulk_actions
            .iter()
            .find(|a| a.id == bulk_action_id)
            .map(|a| {
                let mut status = routes::bulk_action_status(a);
                status["taskIds"] = json!(a.done);
                status["failedTaskIds"] = json!(a.failed);
                status
            })
    }

    /// Stops accepting, lets open requests finish (at most five seconds), and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::op;
    use crate::validate::UnknownFields;

    struct Reply {
        status: u16,
        headers: reqwest::header::HeaderMap,
        bytes: bytes::Bytes,
    }

    impl Reply {
        fn json(&self) -> Value {
            serde_json::from_slice(&self.bytes).expect("a JSON body")
        }

        fn error_paths(&self) -> Vec<Value> {
            self.json()["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["path"].clone())
                .collect()
        }
    }

    async fn send(mock: &MockServer, method: &str, path: &str, body: Option<&str>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", mock.url()))
            .header("x-api-key", "k");
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.expect("the mock answers");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            bytes: response.bytes().await.expect("a whole body"),
        }
    }

    /// The fixture operations (`operation::FIXTURE_SPEC`) have no handler: routed, validated
    /// and answered from the spec alone.
    #[tokio::test]
    async fn operations_without_a_handler_are_served_from_the_spec() {
        let mock = MockServer::start(MockConfig::new().api_key("k"))
            .await
            .unwrap();
        let validator = SpecValidator::shared(UnknownFields::Spec).unwrap();
        let get = op("fixture_get_task");

        // A value built from the response schema: every required field, formats respected.
        let reply = send(
            &mock,
            "GET",
            "/fixture/tasks/t1?limit=2&tags=a&tags=b",
            None,
        )
        .await;
        assert_eq!(reply.status, 200);
        let body = reply.json();
        assert_eq!(validator.validate_response(get, 200, &body), Ok(()));
        assert_eq!(body["id"], "string");
        assert_eq!(body["createdAt"], "2026-01-01T00:00:00Z");
        assert_eq!(body["isDiffingLinkedin"], true);

        // Path and query parameters are checked against their schemas.
        let reply = send(&mock, "GET", "/fixture/tasks/t?limit=0&tags=c", None).await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.error_paths(), [json!(["params", "taskId"])]);
        let reply = send(&mock, "GET", "/fixture/tasks/t1?limit=0&tags=c", None).await;
        assert_eq!(reply.status, 400);
        assert_eq!(
            reply.error_paths(),
            [json!(["query", "limit"]), json!(["query", "tags", 0])]
        );
        assert_eq!(validator.validate_response(get, 400, &reply.json()), Ok(()));

        // A response without content has no body; another method on the path is a 405.
        let reply = send(&mock, "DELETE", "/fixture/tasks/t1", None).await;
        assert_eq!((reply.status, reply.bytes.len()), (204, 0));
        assert!(reply.headers.get("content-type").is_none());
        let reply = send(&mock, "PUT", "/fixture/tasks/t1", None).await;
        assert_eq!(reply.status, 405);
        assert_eq!(reply.headers["allow"], "DELETE, GET");

        // A create answers 201 with the first example; the optional body may be left out;
        // `additionalProperties: false` refuses an extra field even by default.
        let create = op("fixture_create_label");
        let expected = json!({"id": "label_1", "name": "Hot", "colorHex": "#ff8800"});
        let reply = send(&mock, "POST", "/fixture/labels", Some(r#"{"name": "x"}"#)).await;
        assert_eq!((reply.status, reply.json()), (201, expected.clone()));
        let reply = send(&mock, "POST", "/fixture/labels", None).await;
        assert_eq!((reply.status, reply.json()), (201, expected));
        let reply = send(
            &mock,
            "POST",
            "/fixture/labels",
            Some(r#"{"name": "x", "z": 1}"#),
        )
        .await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.json()["errors"][0]["code"], "unrecognized_keys");
        assert_eq!(reply.error_paths(), [json!(["z"])]);

        let ops: Vec<Option<&str>> = mock
            .received()
            .iter()
            .map(|r| r.operation.map(Operation::operation_id))
            .collect();
        assert_eq!(
            ops,
            [
                Some("fixture_get_task"),
                Some("fixture_get_task"),
                Some("fixture_get_task"),
                Some("fixture_delete_task"),
                None,
                Some("fixture_create_label"),
                Some("fixture_create_label"),
                Some("fixture_create_label"),
            ]
        );
        assert_eq!(mock.processed_count(create), 2);
        assert_eq!(mock.created_count(create), 0);
    }

    /// A synthesized list pages by its `x-pagination` like a stored one: each page holds the
    /// next items of the example, a page past them is empty instead of a repeat of the first,
    /// and the answer's other fields stay.
    #[tokio::test]
    async fn a_synthesized_list_pages_instead_of_repeating_its_first_page() {
        let mock = MockServer::start(MockConfig::new().api_key("k"))
            .await
            .unwrap();
        let validator = SpecValidator::shared(UnknownFields::Spec).unwrap();
        let list = op("fixture_list_labels");
        let mut pages = Vec::new();
        for page in 1..=3 {
            let reply = send(
                &mock,
                "GET",
                &format!("/fixture/labels?size=1&page={page}"),
                None,
            )
            .await;
            assert_eq!(reply.status, 200);
            let body = reply.json();
            assert_eq!(validator.validate_response(list, 200, &body), Ok(()));
            assert_eq!(body["total"], 2);
            let ids: Vec<Value> = body["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .map(|label| label["id"].clone())
                .collect();
            pages.push(ids);
        }
        assert_eq!(
            pages,
            [vec![json!("label_1")], vec![json!("label_2")], vec![]]
        );
    }
}
