//! Shared helpers: start a mock, send requests, check every answer against the spec.

use std::sync::Arc;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use spott_saleshandy_mock::{MockConfig, MockServer, Operation, SpecValidator, UnknownFields};

/// The key every test mock accepts; a sentinel so leaks are easy to spot.
pub const KEY: &str = "sk-test-SENTINEL-4242";

/// A running mock, an HTTP client and the spec validators.
pub struct Harness {
    pub mock: MockServer,
    pub http: reqwest::Client,
    pub spec: Arc<SpecValidator>,
}

/// One answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `errors` list of an error body of either API.
    pub fn errors(&self) -> Vec<Value> {
        let list = self
            .body
            .get("errors")
            .or_else(|| self.body.pointer("/payload/errors"));
        list.and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// The `path` of every error, as JSON arrays.
    pub fn error_paths(&self) -> Vec<Value> {
        self.errors()
            .iter()
            .filter_map(|e| e.get("path").cloned())
            .collect()
    }

    /// The error detail at `path`, if any.
    pub fn error_at(&self, path: Value) -> Option<Value> {
        self.errors()
            .into_iter()
            .find(|e| e.get("path") == Some(&path))
    }
}

impl Harness {
    pub async fn start() -> Self {
        Self::with(MockConfig::new().api_key(KEY)).await
    }

    pub async fn with(config: MockConfig) -> Self {
        let mock = MockServer::start(config).await.expect("mock starts");
        let spec = SpecValidator::shared(UnknownFields::Spec).expect("specs compile");
        Self {
            mock,
            http: reqwest::Client::new(),
            spec,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.mock.url())
    }

    /// Sends `body` as JSON to `op` at `path` with the test key and checks the answer against
    /// the spec (status declared, body valid for it, 429 with declared headers).
    pub async fn call(&self, op: Operation, path: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .http
            .request(
                Method::from_bytes(op.method().as_bytes()).expect("method"),
                self.url(path),
            )
            .header("x-api-key", KEY);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply = send(request).await;
        self.assert_conforms(op, &reply);
        reply
    }

    /// `call` with the operation's default path and a valid body.
    pub async fn call_valid(&self, op: Operation) -> Reply {
        self.call(op, &default_path(op), valid_body(op)).await
    }

    /// Panics unless `reply` is what the spec declares for `op`.
    pub fn assert_conforms(&self, op: Operation, reply: &Reply) {
        if let Err(violations) = self.spec.validate_response(op, reply.status, &reply.body) {
            panic!(
                "{op} answered {} with a body the spec rejects: {violations:#?}\nbody: {:#}",
                reply.status, reply.body
            );
        }
        for header in self.spec.declared_headers(op, reply.status) {
            if header.eq_ignore_ascii_case("retry-after") {
                // Declared, not required: `RetryAfter::Absent` omits it on purpose.
                continue;
            }
            assert!(
                reply.headers.contains_key(header.as_str()),
                "{op}: missing {header}"
            );
        }
        assert!(
            reply.headers.contains_key("x-request-id"),
            "{op}: no x-request-id"
        );
    }
}

/// Sends and reads the whole answer; the body must be JSON (or empty).
pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("request reaches the mock");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body arrives whole");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// The operation `id` of the specs.
pub fn op(id: &str) -> Operation {
    Operation::by_id(id).unwrap_or_else(|| panic!("the specs declare no `{id}`"))
}

/// A path for `op` that addresses seeded data (for an operation without state: its template
/// with `x1` for every parameter), with the required query parameters.
pub fn default_path(op: Operation) -> String {
    let path = seeded_path(op);
    if path.contains('?') {
        // The seeded path brings its own query.
        return path;
    }
    let query: Vec<String> = op
        .required_query()
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn seeded_path(op: Operation) -> String {
    let seeded = match op.operation_id() {
        "get_contact_overview" => "/clients/contacts/cand_1",
        "create_client_contact" => "/clients/contacts/client_1",
        "update_candidate" => "/candidates/cand_2",
        "get_candidate" => "/candidates/cand_1",
        "get_vacancy" => "/vacancies/vac_1",
        "get_client" => "/clients/client_1",
        "update_client_contact" => "/clients/contacts/cand_1",
        "create_vacancy" => "/vacancies?companyId=client_1",
        "get_application" => "/applications/app_1",
        "list_candidate_applications" => "/applications/candidate/cand_1",
        "list_vacancy_applications" => "/applications/vacancy/vac_1",
        "move_application" => "/applications/app_2/move",
        "reject_application" => "/applications/app_3/rejections",
        "snooze_task" => "/v1/tasks/lP0Zg2keMz/snooze",
        "get_bulk_action_status" => "/v1/tasks/bulk-status/Gk5Wd1PzTe",
        _ => {
            return op
                .path_template()
                .split('/')
                .map(|s| if s.starts_with('{') { "x1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
        }
    };
    seeded.to_owned()
}

/// A valid body for `op` (`None` for GET).
pub fn valid_body(op: Operation) -> Option<Value> {
    match op.operation_id() {
        "create_task" => Some(json!({
            "content": "Call Jane about the offer",
            "dueDate": "2030-01-02T10:00:00.000Z",
            "assignedToUserId": "user_1",
            "links": [{"taskLinkId": null, "entityType": "candidate", "entityId": "cand_1"}],
        })),
        "create_client_contact" => Some(json!({"firstName": "Ann", "lastName": "Lee"})),
        "update_candidate" => Some(json!({"middleName": "Q"})),
        "create_tasks" => Some(json!({"prospectIds": ["Pr9xQ2Lm"], "taskType": "13"})),
        "move_application" => Some(json!({"stageId": "pstage_3"})),
        _ => page_example(op),
    }
}

/// The page's request example of `op`, from the embedded spec.
pub fn page_example(op: Operation) -> Option<Value> {
    let yaml = match op.api() {
        spott_saleshandy_mock::Api::Spott => spott_saleshandy_mock::spec::SPOTT_YAML,
        spott_saleshandy_mock::Api::Saleshandy => spott_saleshandy_mock::spec::SALESHANDY_YAML,
    };
    let doc: Value = serde_norway::from_str(yaml).expect("spec parses");
    let path = op.path_template().replace('~', "~0").replace('/', "~1");
    let pointer = format!(
        "/paths/{path}/{}/requestBody/content/application~1json/examples/page/value",
        op.method().to_lowercase()
    );
    doc.pointer(&pointer).cloned()
}
