//! Every kind of invalid request is refused with the right status and an error body that names
//! where the problem is; nothing is processed.

use serde_json::{Value, json};
use spott_saleshandy_mock::Operation;

use crate::common::{Harness, KEY, Reply, op, send};

/// Checks status, that some error sits at `path`, with `code`, and that nothing ran.
fn assert_refused(h: &Harness, op: Operation, reply: &Reply, status: u16, path: Value, code: &str) {
    assert_eq!(reply.status, status, "{op}: {:#}", reply.body);
    let detail = reply
        .error_at(path.clone())
        .unwrap_or_else(|| panic!("{op}: no error at {path}; got {:?}", reply.error_paths()));
    assert_eq!(detail["code"], code, "{op}: {detail}");
    assert!(
        detail["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{op}: {detail}"
    );
    assert_eq!(h.mock.processed_count(op), 0, "{op} was processed");
    assert_eq!(h.mock.created_count(op), 0, "{op} created something");
}

#[tokio::test]
async fn missing_required_fields_name_the_field() {
    let h = Harness::start().await;
    let cases = [
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"dueDate": null}),
            json!(["content"]),
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": "x", "links": [{"entityType": "candidate"}]}),
            json!(["links", 0, "entityId"]),
        ),
        (
            op("create_client_contact"),
            "/clients/contacts/client_1",
            json!({"firstName": "Ann"}),
            json!(["lastName"]),
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["Pr9xQ2Lm"]}),
            json!(["taskType"]),
        ),
    ];
    for (op, path, body, at) in cases {
        let reply = h.call(op, path, Some(body)).await;
        assert_refused(&h, op, &reply, 422, at, "invalid_type");
        assert_eq!(reply.errors()[0]["received"], "undefined");
    }
}

#[tokio::test]
async fn wrong_types_name_the_field_and_what_was_received() {
    let h = Harness::start().await;
    let cases = [
        (
            op("update_candidate"),
            "/candidates/cand_1",
            json!({"firstName": 5}),
            json!(["firstName"]),
            "integer",
        ),
        (
            op("update_candidate"),
            "/candidates/cand_1",
            json!({"firstName": null}),
            json!(["firstName"]),
            "null",
        ),
        (
            op("update_candidate"),
            "/candidates/cand_1",
            json!({"emails": [{"email": "a@b.c", "isPrimary": "yes"}]}),
            json!(["emails", 0, "isPrimary"]),
            "string",
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": ["x"]}),
            json!(["content"]),
            "array",
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": "Pr9xQ2Lm", "taskType": "13"}),
            json!(["prospectIds"]),
            "string",
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!(["not an object"]),
            json!([]),
            "array",
        ),
    ];
    for (op, path, body, at, received) in cases {
        let reply = h.call(op, path, Some(body)).await;
        assert_refused(&h, op, &reply, 422, at.clone(), "invalid_type");
        assert_eq!(reply.error_at(at).expect("detail")["received"], received);
    }
}

#[tokio::test]
async fn bad_enum_values_name_the_field() {
    let h = Harness::start().await;
    let cases = [
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["P"], "taskType": "1"}),
            json!(["taskType"]),
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["P"], "taskType": "13", "priority": "5"}),
            json!(["priority"]),
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": "x", "links": [{"entityType": "planet", "entityId": "p"}]}),
            json!(["links", 0, "entityType"]),
        ),
        // `x` is accepted by update candidate (004) but not by create client contact (002).
        (
            op("create_client_contact"),
            "/clients/contacts/client_1",
            json!({"firstName": "A", "lastName": "B", "gender": "x"}),
            json!(["gender"]),
        ),
        (
            op("update_candidate"),
            "/candidates/cand_1",
            json!({"status": ["actively_looking", "retired"]}),
            json!(["status", 1]),
        ),
        (
            op("update_candidate"),
            "/candidates/cand_1",
            json!({"nationality": ["Martian"]}),
            json!(["nationality", 0]),
        ),
    ];
    for (op, path, body, at) in cases {
        let reply = h.call(op, path, Some(body)).await;
        assert_refused(&h, op, &reply, 422, at.clone(), "invalid_enum_value");
        assert!(
            reply
                .error_at(at)
                .expect("detail")
                .get("received")
                .is_some()
        );
    }
}

#[tokio::test]
async fn other_schema_rules_are_enforced() {
    let h = Harness::start().await;
    let cases = [
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": ""}),
            json!(["content"]),
            "too_small",
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": [], "taskType": "13"}),
            json!(["prospectIds"]),
            "too_small",
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["A", "A"], "taskType": "13"}),
            json!(["prospectIds"]),
            "not_unique",
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["A"], "taskType": "13", "dueDate": "22/04/2026"}),
            json!(["dueDate"]),
            "invalid_string",
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": "x", "dueDate": "soon"}),
            json!(["dueDate"]),
            "invalid_string",
        ),
        (
            op("create_client_contact"),
            "/clients/contacts/client_1",
            json!({"firstName": "A", "lastName": "B", "customAttributes": [{"value": {"viewType": "customText", "text": 1}}]}),
            json!(["customAttributes", 0, "value", "text"]),
            "invalid_type",
        ),
        (
            op("create_client_contact"),
            "/clients/contacts/client_1",
            json!({"firstName": "A", "lastName": "B", "customAttributes": [{"value": {"viewType": "customVideo"}}]}),
            json!(["customAttributes", 0, "value"]),
            "invalid_union",
        ),
    ];
    for (op, path, body, at, code) in cases {
        let reply = h.call(op, path, Some(body)).await;
        assert_refused(&h, op, &reply, 422, at, code);
    }
}

#[tokio::test]
async fn several_problems_are_all_reported() {
    let h = Harness::start().await;
    let reply = h
        .call(
            op("create_tasks"),
            "/v1/tasks/create",
            Some(json!({"prospectIds": [""], "taskType": "99", "taskNote": 3})),
        )
        .await;
    assert_eq!(reply.status, 422);
    let mut paths = reply.error_paths();
    paths.sort_by_key(Value::to_string);
    assert_eq!(
        paths,
        vec![
            json!(["prospectIds", 0]),
            json!(["taskNote"]),
            json!(["taskType"])
        ]
    );
    assert_eq!(reply.body["message"], "Validation failed");
}

#[tokio::test]
async fn empty_path_ids_are_refused() {
    let h = Harness::start().await;
    let reply = h
        .call(op("get_contact_overview"), "/clients/contacts/", None)
        .await;
    assert_refused(
        &h,
        op("get_contact_overview"),
        &reply,
        400,
        json!(["params", "id"]),
        "too_small",
    );
    let reply = h
        .call(op("update_candidate"), "/candidates/", Some(json!({})))
        .await;
    assert_refused(
        &h,
        op("update_candidate"),
        &reply,
        400,
        json!(["params", "id"]),
        "too_small",
    );
    let reply = h
        .call(
            op("create_client_contact"),
            "/clients/contacts/",
            Some(json!({"firstName": "A", "lastName": "B"})),
        )
        .await;
    assert_refused(
        &h,
        op("create_client_contact"),
        &reply,
        400,
        json!(["params", "id"]),
        "too_small",
    );
}

#[tokio::test]
async fn malformed_and_missing_bodies_are_400() {
    let h = Harness::start().await;
    for (op, path) in [
        (op("create_task"), "/tasks/_raw"),
        (op("update_candidate"), "/candidates/cand_1"),
        (op("create_tasks"), "/v1/tasks/create"),
    ] {
        for raw in [
            &b"{\"content\": \"x\","[..],
            b"{'single': 'quotes'}",
            b"\xff\xfe",
            b"",
            b"   ",
        ] {
            let request = h
                .http
                .request(
                    reqwest::Method::from_bytes(op.method().as_bytes()).expect("method"),
                    h.url(path),
                )
                .header("x-api-key", KEY)
                .header("content-type", "application/json")
                .body(raw.to_vec());
            let reply = send(request).await;
            h.assert_conforms(op, &reply);
            assert_refused(&h, op, &reply, 400, json!([]), "invalid_json");
        }
    }
}

#[tokio::test]
async fn non_json_content_types_are_400() {
    let h = Harness::start().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = h
            .http
            .post(h.url("/tasks/_raw"))
            .header("x-api-key", KEY)
            .body(r#"{"content":"x"}"#);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let reply = send(request).await;
        h.assert_conforms(op("create_task"), &reply);
        assert_refused(
            &h,
            op("create_task"),
            &reply,
            400,
            json!(["headers", "content-type"]),
            "unsupported_media_type",
        );
        assert!(
            reply.body["message"]
                .as_str()
                .is_some_and(|m| m.contains("application/json"))
        );
    }
}

#[tokio::test]
async fn missing_and_wrong_keys_are_401_on_both_apis() {
    let h = Harness::start().await;
    for op in Operation::all() {
        let path = crate::common::default_path(op);
        for key in [None, Some("wrong-key"), Some("")] {
            let mut request = h.http.request(
                reqwest::Method::from_bytes(op.method().as_bytes()).expect("method"),
                h.url(&path),
            );
            if let Some(body) = crate::common::valid_body(op) {
                request = request.json(&body);
            }
            if let Some(key) = key {
                request = request.header("x-api-key", key);
            }
            let reply = send(request).await;
            h.assert_conforms(op, &reply);
            assert_refused(
                &h,
                op,
                &reply,
                401,
                json!(["headers", "x-api-key"]),
                "unauthorized",
            );
            assert!(
                !reply.body.to_string().contains("wrong-key"),
                "the key is echoed"
            );
        }
    }
    // The Saleshandy shape is the {message, payload} envelope.
    let reply = send(h.http.post(h.url("/v1/tasks/create")).json(&json!({}))).await;
    assert!(reply.body.get("message").is_some() && reply.body.get("payload").is_some());
    assert!(reply.body.get("status").is_none());
    // Spott's carries status and requestId.
    let reply = send(h.http.post(h.url("/tasks/_raw")).json(&json!({}))).await;
    assert_eq!(reply.body["status"], 401);
    assert_eq!(
        reply.body["requestId"].as_str(),
        reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_recorded_without_an_operation() {
    let h = Harness::start().await;
    let reply = send(h.http.get(h.url("/nope")).header("x-api-key", KEY)).await;
    assert_eq!(reply.status, 404);
    let reply = send(
        h.http
            .delete(h.url("/candidates/cand_1"))
            .header("x-api-key", KEY),
    )
    .await;
    assert_eq!(reply.status, 405);
    // Whatever the spec declares on that path, in spec order.
    let allowed: Vec<&str> = Operation::all()
        .into_iter()
        .filter(|op| op.path_template() == "/candidates/{id}")
        .map(|op| op.method())
        .collect();
    assert!(allowed.contains(&"PATCH") && !allowed.contains(&"DELETE"));
    assert_eq!(reply.headers["allow"], allowed.join(", "));
    let reply = send(
        h.http
            .get(h.url("/v1/tasks/create"))
            .header("x-api-key", KEY),
    )
    .await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "POST");
    assert!(
        reply.body.get("payload").is_some(),
        "Saleshandy paths answer in its shape"
    );
    // A path template shared by several methods allows each.
    let reply = send(
        h.http
            .put(h.url("/clients/contacts/cand_1"))
            .header("x-api-key", KEY),
    )
    .await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "GET, PATCH, POST");
    let reply = send(
        h.http
            .get(h.url("/tasks/_raw/extra"))
            .header("x-api-key", KEY),
    )
    .await;
    assert_eq!(reply.status, 404);
    let received = h.mock.received();
    assert_eq!(received.len(), 5);
    assert!(
        received
            .iter()
            .all(|r| r.operation.is_none() && !r.processed)
    );
}

#[tokio::test]
async fn hostile_inputs_get_answers_and_the_mock_survives() {
    let h = Harness::start().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies = [
        deep,
        r#"{"content": "x", "links": [{"entityType": "candidate", "entityId": "\u0000\ud800"}]}"#
            .to_owned(),
        format!(r#"{{"content": "{}"}}"#, "é".repeat(100_000)),
        r#"{"content": 1e400}"#.to_owned(),
        "null".to_owned(),
        "123".to_owned(),
    ];
    for body in bodies {
        let request = h
            .http
            .post(h.url("/tasks/_raw"))
            .header("x-api-key", KEY)
            .header("content-type", "application/json")
            .body(body);
        let reply = send(request).await;
        h.assert_conforms(op("create_task"), &reply);
        assert!(reply.status < 500, "{}", reply.status);
    }
    let odd_ids = [
        (op("update_candidate"), "/candidates/%ff%fe"),
        (op("update_candidate"), "/candidates/a%2Fb"),
        (op("get_contact_overview"), "/clients/contacts/%"),
        (op("get_contact_overview"), "/clients/contacts/%E2%82"),
    ];
    for (op, path) in odd_ids {
        let reply = h.call(op, path, crate::common::valid_body(op)).await;
        assert_eq!(reply.status, 404, "{path}");
    }
    assert_eq!(h.call_valid(op("create_task")).await.status, 201);
}

#[tokio::test]
async fn unknown_fields_are_accepted_as_the_spec_allows_or_refused_on_demand() {
    use spott_saleshandy_mock::{MockConfig, UnknownFields};
    // Neither spec says `additionalProperties: false`: extras are accepted and ignored.
    let h = Harness::start().await;
    let before = h.mock.candidate("cand_1").expect("seeded")["isVisibleIfClientContact"].clone();
    let cases = [
        (
            op("update_candidate"),
            "/candidates/cand_1",
            // A response field in a request: not read, whatever its value.
            json!({"isVisibleIfClientContact": "yes", "middleName": "Q"}),
            200,
        ),
        (
            op("create_task"),
            "/tasks/_raw",
            json!({"content": "x", "priority": 1,
                   "links": [{"entityType": "candidate", "entityId": "cand_1", "note": "n"}]}),
            201,
        ),
        (
            op("create_tasks"),
            "/v1/tasks/create",
            json!({"prospectIds": ["Pr9xQ2Lm"], "taskType": "13", "sequenceId": "s1"}),
            201,
        ),
    ];
    for (op, path, body, status) in &cases {
        let reply = h.call(*op, path, Some(body.clone())).await;
        assert_eq!(reply.status, *status, "{op}: {}", reply.body);
    }
    let candidate = h.mock.candidate("cand_1").expect("seeded");
    assert_eq!(candidate["isVisibleIfClientContact"], before);
    assert_eq!(h.mock.received().len(), 3);

    // `UnknownFields::Reject` (`--reject-unknown-fields`) is stricter than the spec.
    let strict = Harness::with(
        MockConfig::new()
            .api_key(KEY)
            .unknown_fields(UnknownFields::Reject),
    )
    .await;
    let expected = [
        json!(["isVisibleIfClientContact"]),
        json!(["priority"]),
        json!(["sequenceId"]),
    ];
    for ((op, path, body, _), at) in cases.iter().zip(expected) {
        let reply = strict.call(*op, path, Some(body.clone())).await;
        assert_refused(&strict, *op, &reply, 422, at, "unrecognized_keys");
    }
}
