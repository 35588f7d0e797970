//! Personal data in response bodies (a name, an email address, a phone
//! number) goes through real calls with every level of `tracing` and `log`
//! output captured. The README promises that errors print the status, the
//! error codes, the field paths the server named and its request id, never
//! the body or its message, that `error.body()` gives the kept body on
//! purpose, and that nothing of a body reaches the logs.
//!
//! Capture: see `log_capture`.

use std::time::Duration;

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{Client, Error, NewTask, RetryPolicy};

mod log_capture;
use log_capture::Capture;

const NAME: &str = "Ana Sentinel-Doe";
const EMAIL: &str = "ana.sentinel@example.com";
const PHONE: &str = "+44 7700 900123";
/// The three together, as a server might quote them in a message.
const SENTINEL: &str = "Ana Sentinel-Doe <ana.sentinel@example.com> +44 7700 900123";

/// Every part of the sentinel that must not show: each piece whole, and
/// smaller pieces that would give it away if a piece were cut or escaped.
const PARTS: [&str; 7] = [
    NAME,
    EMAIL,
    PHONE,
    "Sentinel-Doe",
    "ana.sentinel",
    "7700 900123",
    "900123",
];

/// The first part of the sentinel `text` contains, if any (the word
/// "sentinel" in any case as well).
fn leaked_part(text: &str) -> Option<&'static str> {
    PARTS
        .into_iter()
        .find(|part| text.contains(part))
        .or_else(|| {
            text.to_lowercase()
                .contains("sentinel")
                .then_some("sentinel")
        })
}

/// Neither `Display` (plain and alternate) nor `Debug` (plain and pretty)
/// of `error` shows any part of the sentinel.
fn assert_no_personal_data(error: &Error) {
    for text in [
        format!("{error}"),
        format!("{error:#}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert_eq!(leaked_part(&text), None, "leaked into an error: {text}");
    }
}

/// What `capture` logged so far, after checking that it saw the call (the
/// span of `operation` closed with its fields, and reqwest's `log`
/// output), so that "nothing leaked" is not vacuous; then that no record
/// holds any part of the sentinel.
fn assert_clean(capture: &Capture, operation: &str) -> String {
    let logs = capture.text();
    assert!(
        logs.contains(&format!("operation=\"{operation}\""))
            || logs.contains(&format!("operation={operation}")),
        "the call's span was captured: {logs}"
    );
    assert!(
        logs.contains("reqwest::connect: starting new connection"),
        "reqwest's `log` output was captured: {logs}"
    );
    assert!(logs.contains("hyper_util::"), "hyper-util's output: {logs}");
    assert_eq!(leaked_part(&logs), None, "leaked into the logs: {logs}");
    logs
}

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// Whether a log line records `field` as `value` (quoted or not).
fn logged(logs: &str, field: &str, value: &str) -> bool {
    logs.contains(&format!("{field}={value} "))
        || logs.contains(&format!("{field}=\"{value}\""))
        || logs
            .lines()
            .any(|line| line.ends_with(&format!("{field}={value}")))
}

#[tokio::test]
async fn a_422_shows_codes_fields_and_request_id_but_not_the_messages() {
    let capture = Capture::start();
    let body = json!({
        "status": 422,
        "message": format!("{SENTINEL} already exists"),
        "requestId": "req-pd-422",
        "errors": [
            {
                "code": "invalid_string",
                "path": ["links", 0, "entityId"],
                "message": format!("{SENTINEL} is not an id"),
            },
            {
                "code": "too_small",
                "path": ["content"],
                "message": format!("Call {NAME} on {PHONE} or mail {EMAIL}"),
            },
        ],
    });
    let server = Scripted::start(vec![
        Reply::json(422, body.clone()).header("x-request-id", "hdr-pd-422"),
    ])
    .await;
    let client = client(&server.url);

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    assert_eq!(
        error.to_string(),
        "create_task: HTTP 422 [invalid_string, too_small] at links.0.entityId, content \
         (request id hdr-pd-422)"
    );
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.request_id(), Some("hdr-pd-422"));
    assert_no_personal_data(&error);
    // The field errors name path and code; their messages are there on
    // purpose only.
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = error
        .field_errors()
        .iter()
        .map(|field| {
            (
                field.path.as_str(),
                field.code.as_deref(),
                field.message.as_deref(),
            )
        })
        .collect();
    let first = format!("{SENTINEL} is not an id");
    let second = format!("Call {NAME} on {PHONE} or mail {EMAIL}");
    assert_eq!(
        fields,
        [
            (
                "links.0.entityId",
                Some("invalid_string"),
                Some(first.as_str())
            ),
            ("content", Some("too_small"), Some(second.as_str())),
        ]
    );
    let kept = error.body().expect("an API error keeps its body");
    assert_eq!(kept.text(), body.to_string());
    assert_eq!(
        kept.message().as_deref(),
        Some(format!("{SENTINEL} already exists").as_str())
    );
    assert_eq!(
        format!("{kept:?}"),
        format!("ResponseBody(<{} bytes>)", kept.len())
    );
    assert_eq!(server.received().len(), 1, "a 422 is not retried");

    let logs = assert_clean(&capture, "create_task");
    assert!(logged(&logs, "status", "422"), "{logs}");
    assert!(logged(&logs, "request_id", "hdr-pd-422"), "{logs}");
}

#[tokio::test]
async fn a_503_retried_to_the_end_shows_the_status_and_request_id_only() {
    let capture = Capture::start();
    let body = json!({
        "status": 503,
        "message": format!("Maintenance: {SENTINEL} is being merged"),
        "requestId": "req-pd-503",
        "errors": [{"message": format!("{EMAIL} locked")}],
    });
    let unavailable = || Reply::json(503, body.clone()).header("x-request-id", "hdr-pd-503");
    let server = Scripted::start(vec![unavailable(), unavailable(), unavailable()]).await;
    let client = client(&server.url);

    let error = client.contact_overview("cand-1").await.unwrap_err();

    assert_eq!(server.received().len(), 3, "a read is tried 3 times on 503");
    // The one entry names no field and no code: nothing of it is shown.
    assert_eq!(
        error.to_string(),
        "get_contact_overview: HTTP 503 (request id hdr-pd-503)"
    );
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.request_id(), Some("hdr-pd-503"));
    assert!(error.may_exist_on_server());
    assert_no_personal_data(&error);
    assert_eq!(error.field_errors().len(), 1);
    assert_eq!(error.field_errors()[0].path, "");
    assert_eq!(
        error.field_errors()[0].message.as_deref(),
        Some(format!("{EMAIL} locked").as_str())
    );
    let kept = error.body().expect("an API error keeps its body");
    assert_eq!(kept.text(), body.to_string());
    assert!(kept.text().contains(NAME) && kept.text().contains(PHONE));

    let logs = assert_clean(&capture, "get_contact_overview");
    assert_eq!(
        logs.matches("request failed, retrying").count(),
        2,
        "both retries were logged: {logs}"
    );
    assert!(logged(&logs, "status", "503"), "{logs}");
    assert!(logged(&logs, "request_id", "hdr-pd-503"), "{logs}");
}

/// A candidate body in a fixed text (so positions in it are known): the
/// sentinel as the value of the boolean `isDiffingLinkedin`, first, then
/// every other field, with the sentinel in the name, email and phone number.
fn misshapen_candidate() -> String {
    let mut rest = candidate_json();
    rest.as_object_mut().unwrap().remove("isDiffingLinkedin");
    let rest = rest.to_string();
    format!(
        "{{\"isDiffingLinkedin\":{},{}",
        serde_json::Value::from(SENTINEL),
        &rest[1..]
    )
}

#[tokio::test]
async fn a_success_of_the_wrong_shape_names_the_path_and_not_the_value() {
    let capture = Capture::start();
    let body = misshapen_candidate();
    let server = Scripted::start(vec![Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-request-id".into(), "hdr-pd-200".into()),
        ],
        body: body.clone(),
    }])
    .await;
    let client = client(&server.url);

    let error = client.get_candidate("cand-1").await.unwrap_err();

    // serde_json gives the column of the value's last character.
    let value = format!("\"isDiffingLinkedin\":\"{SENTINEL}\"");
    let column = body.find(&value).unwrap() + value.len();
    assert_eq!(
        error.to_string(),
        format!(
            "get_candidate: unexpected response body at `isDiffingLinkedin`: \
             invalid type: string \"…\", expected a boolean at line 1 column {column}"
        )
    );
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(error.request_id(), None);
    assert!(error.may_exist_on_server(), "a success was processed");
    assert_no_personal_data(&error);
    let kept = error
        .body()
        .expect("a decode error keeps the start of the body");
    assert_eq!(
        kept.text().chars().count(),
        spott_saleshandy_core::error::SNIPPET_CHARS
    );
    assert!(body.starts_with(&*kept.text()));
    assert!(kept.text().contains(SENTINEL), "{}", kept.text());

    let logs = assert_clean(&capture, "get_candidate");
    assert!(logged(&logs, "status", "200"), "{logs}");
    assert!(logged(&logs, "request_id", "hdr-pd-200"), "{logs}");
}

#[tokio::test]
async fn a_successful_read_gives_the_data_to_the_caller_and_not_to_the_logs() {
    let capture = Capture::start();
    let server = Scripted::start(vec![
        Reply::json(200, candidate_json()).header("x-request-id", "hdr-pd-ok"),
    ])
    .await;
    let client = client(&server.url);

    let candidate = client.get_candidate("cand-1").await.unwrap();

    assert_eq!(candidate.name.first_name.as_deref(), Some("Ana"));
    assert_eq!(candidate.name.last_name.as_deref(), Some("Sentinel-Doe"));
    // The decoded value is the caller's own data: its Debug may show it.
    let debug = format!("{candidate:?}");
    assert!(debug.contains(EMAIL) && debug.contains(PHONE), "{debug}");

    let logs = assert_clean(&capture, "get_candidate");
    assert!(logged(&logs, "status", "200"), "{logs}");
    assert!(logged(&logs, "request_id", "hdr-pd-ok"), "{logs}");
}

/// A candidate with every required field, named with the sentinel, with its
/// email address and phone number.
fn candidate_json() -> serde_json::Value {
    json!({
        "id": "cand-1",
        "name": {"viewType": "candidateName", "firstName": "Ana", "lastName": "Sentinel-Doe"},
        "gender": {}, "nationality": {}, "status": {},
        "emails": {"viewType": "candidateEmails", "emails": [
            {"purpose": "personal", "email": EMAIL, "isPrimary": true}
        ]},
        "phoneNumbers": {"viewType": "candidatePhoneNumbers", "phoneNumbers": [
            {"purpose": "personal", "phoneNumber": PHONE, "isPrimary": true}
        ]},
        "locations": {}, "dateOfBirth": {},
        "socialMedia": {}, "lastInteractionDate": {}, "lastInteractionWith": {},
        "nextInteractionDate": {}, "nextInteractionWith": {}, "mainContact": {},
        "languages": {}, "compensation": {}, "currentPlacements": {}, "nextTaskDue": {},
        "createdAt": "2026-01-01T00:00:00Z", "modifiedAt": "2026-01-01T00:00:00Z",
        "lastActivityDate": "2026-01-01T00:00:00Z", "acquisitionSource": {},
        "latestWorkExperience": {}, "lastLinkedinDiffAt": null, "isDiffingLinkedin": false,
        "customAttributes": [], "aiSummary": format!("Talked to {SENTINEL}"),
        "clientContacts": {},
        "isVisibleIfClientContact": null, "hasClientContacts": null,
        "hasActiveClientContacts": null, "lastAgentChatId": null, "cvAttachmentId": null,
        "linkedInProfile": {}
    })
}

#[tokio::test]
async fn a_number_where_text_belongs_names_the_path() {
    let capture = Capture::start();
    let mut body = candidate_json();
    body["phoneNumbers"]["phoneNumbers"][0]["phoneNumber"] = json!(447_700_900_123_u64);
    let server = Scripted::start(vec![Reply::json(200, body)]).await;
    let client = client(&server.url);

    let error = client.get_candidate("cand-1").await.unwrap_err();

    assert!(
        error.to_string().starts_with(
            "get_candidate: unexpected response body at \
             `phoneNumbers.phoneNumbers[0].phoneNumber`: invalid type: integer "
        ),
        "{error}"
    );
    // serde quotes a number between backticks, not double quotes: the
    // value is left out all the same.
    assert_eq!(
        error.to_string(),
        "get_candidate: unexpected response body at \
         `phoneNumbers.phoneNumbers[0].phoneNumber`: invalid type: integer `…`, \
         expected a string at line 1 column 377"
    );
    assert_no_personal_data(&error);
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_clean(&capture, "get_candidate");
}
