//! Retry and timeout behaviour against a scripted server on 127.0.0.1,
//! with paused tokio time: waits are measured, never slept.

use std::time::Duration;

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{CandidateUpdate, Client, Error, NewTask, RetryPolicy};
use tokio::time::Instant;

fn client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        .retry_policy(policy)
        .request_timeout(Duration::from_secs(20))
        // A fresh connection per attempt: with paused time, a pooled
        // connection reused after a virtual jump can stall until the
        // attempt times out (seen with hyper's pool; real-time runs reuse
        // connections fine, see tests/operations.rs).
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap()
}

fn task_json() -> serde_json::Value {
    json!({"id": "task-1", "content": "Call", "source": "MANUAL"})
}

fn candidate_json() -> serde_json::Value {
    // Every required field, with empty wrappers: the smallest valid body.
    json!({
        "id": "cand-1", "name": {}, "gender": {}, "nationality": {}, "status": {},
        "emails": {}, "phoneNumbers": {}, "locations": {}, "dateOfBirth": {},
        "socialMedia": {}, "lastInteractionDate": {}, "lastInteractionWith": {},
        "nextInteractionDate": {}, "nextInteractionWith": {}, "mainContact": {},
        "languages": {}, "compensation": {}, "currentPlacements": {}, "nextTaskDue": {},
        "createdAt": "2026-01-01T00:00:00Z", "modifiedAt": "2026-01-01T00:00:00Z",
        "lastActivityDate": "2026-01-01T00:00:00Z", "acquisitionSource": {},
        "latestWorkExperience": {}, "lastLinkedinDiffAt": null, "isDiffingLinkedin": false,
        "customAttributes": [], "aiSummary": null, "clientContacts": {},
        "isVisibleIfClientContact": null, "hasClientContacts": null,
        "hasActiveClientContacts": null, "lastAgentChatId": null, "cvAttachmentId": null,
        "linkedInProfile": {}
    })
}

#[tokio::test(start_paused = true)]
async fn create_after_429_is_sent_exactly_twice_and_waits_retry_after() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "30"),
        Reply::json(201, task_json()),
    ])
    .await;
    let started = Instant::now();

    let task = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap();

    assert_eq!(task.id.as_deref().map(String::as_str), Some("task-1"));
    assert_eq!(server.received().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(31),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_honoured() {
    let in_a_minute = httpdate_in(Duration::from_secs(60));
    let server = Scripted::start(vec![
        Reply::json(429, json!({})).header("retry-after", &in_a_minute),
        Reply::json(200, json!({"candidateId": "c"})),
    ])
    .await;
    let started = Instant::now();

    client(&server.url, RetryPolicy::standard())
        .contact_overview("c")
        .await
        .unwrap();

    assert_eq!(server.received().len(), 2);
    // The date has one-second resolution, so the wait is 59 to 60 s.
    assert!(
        started.elapsed() >= Duration::from_secs(58),
        "{:?}",
        started.elapsed()
    );
}

fn httpdate_in(delay: Duration) -> String {
    // Retry-After dates are compared with the wall clock, not tokio's.
    let when = std::time::SystemTime::now() + delay;
    let secs = when
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let date = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap();
    date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({"message": "come back tomorrow"})).header("retry-after", "86400"),
    ])
    .await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    match error {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(86400)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_default_cap_waits_sixty_seconds_and_not_sixty_one() {
    // At the default cap: waited for, then the read goes through.
    let server = Scripted::start(vec![
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "60"),
        Reply::json(200, candidate_json()),
    ])
    .await;
    let started = Instant::now();
    client(&server.url, RetryPolicy::standard())
        .get_candidate("cand-1")
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(60) && waited < Duration::from_secs(61),
        "{waited:?}"
    );
    assert_eq!(server.received().len(), 2);

    // One second more: the call ends at once with what the server asked.
    let server = Scripted::start(vec![
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "61"),
    ])
    .await;
    let started = Instant::now();
    let error = client(&server.url, RetryPolicy::standard())
        .get_candidate("cand-1")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::RateLimited { retry_after: Some(wait), .. } if *wait == Duration::from_secs(61)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(!error.may_exist_on_server());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_4xx_is_answered_once_and_the_create_did_not_happen() {
    for status in [400, 401, 403, 404, 409, 422] {
        let refused = || Reply::json(status, json!({"message": "no"}));

        let server = Scripted::start(vec![refused(), refused()]).await;
        let error = client(&server.url, RetryPolicy::standard())
            .create_task(NewTask::new("Call"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        // The server refused it: nothing was created, so it may be sent
        // again once fixed.
        assert!(!error.may_exist_on_server(), "{status}: {error:?}");
        assert_eq!(server.received().len(), 1, "create answered {status}");

        let server = Scripted::start(vec![refused(), refused()]).await;
        let error = client(&server.url, RetryPolicy::standard())
            .get_candidate("cand-1")
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.received().len(), 1, "read answered {status}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_create_that_stays_rate_limited_ends_uncreated_after_every_attempt() {
    let limited = || Reply::json(429, json!({"message": "slow down"})).header("retry-after", "1");
    let server = Scripted::start(vec![limited(), limited(), limited(), limited()]).await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::RateLimited { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(error.is_rate_limited());
    assert!(!error.may_exist_on_server());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_500_on_a_create_is_not_retried() {
    let server = Scripted::start(vec![Reply::json(500, json!({"message": "boom"}))]).await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(500));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn gateway_errors_on_a_create_are_not_retried() {
    for status in [502, 503, 504] {
        let server = Scripted::start(vec![Reply::json(status, json!({}))]).await;
        let error = client(&server.url, RetryPolicy::standard())
            .create_task(NewTask::new("Call"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.received().len(), 1, "status {status}");
    }
}

#[tokio::test(start_paused = true)]
async fn gateway_errors_on_a_read_are_retried() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({})),
        Reply::json(502, json!({})),
        Reply::json(200, json!({"candidateId": "c-1"})),
    ])
    .await;

    let overview = client(&server.url, RetryPolicy::standard())
        .contact_overview("c-1")
        .await
        .unwrap();

    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("c-1")
    );
    assert_eq!(server.received().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_create_is_sent_once_and_reported_as_timeout() {
    let server = Scripted::start(vec![Reply::Hang]).await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_reset_create_is_not_retried() {
    let server = Scripted::start(vec![Reply::Close]).await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn patch_retries_on_503_only_when_allowed() {
    let script = || {
        vec![
            Reply::json(503, json!({})),
            Reply::json(200, candidate_json()),
        ]
    };
    let update = || CandidateUpdate::new().last_name("Doe");

    let server = Scripted::start(script()).await;
    let error = client(&server.url, RetryPolicy::standard())
        .update_candidate("cand-1", update())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received().len(), 1);

    let server = Scripted::start(script()).await;
    let allowed = RetryPolicy::standard().with_idempotent_write_retries(true);
    let candidate = client(&server.url, allowed)
        .update_candidate("cand-1", update())
        .await
        .unwrap();
    assert_eq!(candidate.id.as_str(), "cand-1");
    assert_eq!(server.received().len(), 2);
    assert_eq!(server.received()[1].json(), json!({"lastName": "Doe"}));
}

#[tokio::test(start_paused = true)]
async fn disabled_retries_send_once_even_on_429() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({})).header("retry-after", "1"),
        Reply::json(200, task_json()),
    ])
    .await;

    let error = client(&server.url, RetryPolicy::disabled())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert!(error.is_rate_limited());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn disabled_retries_still_map_the_error_body() {
    // Without retries the request skips the retry machinery; the error
    // mapping must still see the status and the body.
    let server = Scripted::start(vec![Reply::json(
        503,
        json!({"message": "maintenance", "requestId": "req-9"}),
    )])
    .await;

    let error = client(&server.url, RetryPolicy::disabled())
        .contact_overview("c-1")
        .await
        .unwrap_err();

    match &error {
        Error::Api {
            status,
            body,
            request_id,
            ..
        } => {
            assert_eq!(*status, 503);
            assert_eq!(body.message().as_deref(), Some("maintenance"));
            assert_eq!(request_id.as_deref(), Some("req-9"));
        }
        other => panic!("expected a 503 API error, got {other:?}"),
    }
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn disabled_retries_still_enforce_the_body_limit() {
    let chunks = vec![
        "{\"content\": \"".to_owned(),
        "x".repeat(5000),
        "\"}".to_owned(),
    ];
    let server = Scripted::start(vec![Reply::Chunked { chunks }]).await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(&server.url)
        .retry_policy(RetryPolicy::disabled())
        .max_response_bytes(1000)
        .build()
        .unwrap();

    let error = client.contact_overview("c-1").await.unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1000, .. }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_cut_off_midway_is_a_transport_error_not_a_decode_error() {
    let server = Scripted::start(vec![Reply::Truncate {
        announced: 500,
        sent: "{\"id\": \"task".into(),
    }])
    .await;

    let error = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unannounced_body_over_the_limit_is_refused_while_streaming() {
    let chunk = "x".repeat(1000);
    let mut chunks = vec!["{\"content\": \"".to_owned()];
    chunks.extend(std::iter::repeat_n(chunk, 50));
    chunks.push("\"}".to_owned());
    let server = Scripted::start(vec![Reply::Chunked { chunks }]).await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(&server.url)
        .max_response_bytes(10_000)
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 10_000, .. }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unannounced_body_within_the_limit_decodes() {
    let server = Scripted::start(vec![Reply::Chunked {
        chunks: vec!["{\"id\": ".into(), "\"task-9\"}".into()],
    }])
    .await;

    let task = client(&server.url, RetryPolicy::standard())
        .create_task(NewTask::new("Call"))
        .await
        .unwrap();

    assert_eq!(task.id.as_deref().map(String::as_str), Some("task-9"));
}

/// A client with every default: the README's figures are these.
fn default_client(url: &str) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(url)
        // See `client`: a fresh connection per attempt under paused time.
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn by_default_three_attempts_wait_at_most_half_a_second_then_one() {
    let unavailable = || Reply::json(503, json!({"message": "maintenance"}));
    let server = Scripted::start(vec![unavailable(), unavailable(), unavailable()]).await;

    let error = default_client(&server.url)
        .get_candidate("cand-1")
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    let received = server.received();
    assert_eq!(received.len(), 3, "three attempts by default");
    // Full jitter: each wait is anywhere from nothing to its ceiling,
    // which starts at 0.5 s and doubles.
    let first = received[1].at - received[0].at;
    let second = received[2].at - received[1].at;
    assert!(first <= Duration::from_millis(500), "{first:?}");
    assert!(second <= Duration::from_secs(1), "{second:?}");
}

#[tokio::test(start_paused = true)]
async fn by_default_a_call_ends_within_two_minutes_whatever_its_attempts_take() {
    // Attempts allowed 100 s each: the whole call is still cut at 120 s,
    // during the second one.
    let server = Scripted::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let client = Client::builder()
        .api_key("test-key")
        .base_url(&server.url)
        .request_timeout(Duration::from_secs(100))
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .build()
        .unwrap();
    let started = Instant::now();

    let error = client.get_candidate("cand-1").await.unwrap_err();

    let took = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        took >= Duration::from_secs(100) && took <= Duration::from_secs(120),
        "{took:?}"
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn by_default_a_body_of_eight_mib_is_read_and_one_byte_more_is_refused() {
    const LIMIT: usize = 8 * 1024 * 1024;
    // A task whose content fills the body to exactly `size` bytes.
    let task_of = |size: usize| {
        let frame = r#"{"id":"task-1","content":""}"#;
        format!(
            r#"{{"id":"task-1","content":"{}"}}"#,
            "x".repeat(size - frame.len())
        )
    };
    let body = |size: usize| Reply::Respond {
        status: 201,
        headers: vec![("content-type".into(), "application/json".into())],
        body: task_of(size),
    };

    let server = Scripted::start(vec![body(LIMIT)]).await;
    let task = default_client(&server.url)
        .create_task(NewTask::new("Call"))
        .await
        .unwrap();
    assert_eq!(task.content.map(|content| content.len()), Some(LIMIT - 28));

    let server = Scripted::start(vec![body(LIMIT + 1)]).await;
    let error = default_client(&server.url)
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == LIMIT as u64),
        "{error:?}"
    );
    // The server answered: the create may exist.
    assert!(error.may_exist_on_server());
}
