//! Every fault kind, observed from the client side.

use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use spott_saleshandy_mock::{Fault, FaultConfig, MockConfig, Operation, RateLimit, RetryAfter};

use crate::common::{Harness, KEY, default_path, op, valid_body};

fn retry_after(reply: &crate::common::Reply) -> Option<String> {
    reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn scripted_faults_are_consumed_in_order_then_normal_behaviour_resumes() {
    let h = Harness::start().await;
    h.mock.script(
        op("create_task"),
        [
            Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(2),
            },
            Fault::Status(503),
        ],
    );
    assert_eq!(h.mock.pending_faults(op("create_task")), 2);
    // Another operation does not consume them.
    assert_eq!(h.call_valid(op("create_tasks")).await.status, 201);

    let first = h.call_valid(op("create_task")).await;
    assert_eq!(first.status, 429);
    assert_eq!(retry_after(&first).as_deref(), Some("2"));
    let second = h.call_valid(op("create_task")).await;
    assert_eq!(second.status, 503);
    assert_eq!(second.body["status"], 503);
    let third = h.call_valid(op("create_task")).await;
    assert_eq!(third.status, 201);
    assert_eq!(h.mock.pending_faults(op("create_task")), 0);

    let records = h.mock.received_for(op("create_task"));
    let faults: Vec<_> = records.iter().map(|r| r.fault.clone()).collect();
    assert_eq!(
        faults,
        vec![
            Some(Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(2)
            }),
            Some(Fault::Status(503)),
            None
        ]
    );
    assert_eq!(
        records.iter().map(|r| r.processed).collect::<Vec<_>>(),
        vec![false, false, true]
    );
    assert_eq!(h.mock.created_count(op("create_task")), 1);
}

#[tokio::test]
async fn too_many_requests_with_http_date_and_without_header() {
    let h = Harness::start().await;
    h.mock.script(
        op("create_tasks"),
        [
            Fault::TooManyRequests {
                retry_after: RetryAfter::http_date_in(Duration::from_secs(30)),
            },
            Fault::TooManyRequests {
                retry_after: RetryAfter::Absent,
            },
        ],
    );
    let dated = h.call_valid(op("create_tasks")).await;
    assert_eq!(dated.status, 429);
    let when =
        httpdate::parse_http_date(&retry_after(&dated).expect("Retry-After")).expect("HTTP date");
    assert!(when > SystemTime::now() + Duration::from_secs(20));
    assert!(dated.body["message"].is_string(), "Saleshandy error shape");

    let bare = h.call_valid(op("create_tasks")).await;
    assert_eq!(bare.status, 429);
    assert_eq!(retry_after(&bare), None);
}

#[tokio::test]
async fn rate_limit_gives_429_with_retry_after_and_can_be_lifted() {
    let faults = FaultConfig::none().rate_limit(RateLimit::new(2, Duration::from_secs(60)));
    let h = Harness::with(MockConfig::new().api_key(KEY).faults(faults)).await;
    assert_eq!(h.call_valid(op("update_candidate")).await.status, 200);
    assert_eq!(h.call_valid(op("get_contact_overview")).await.status, 200);
    let limited = h.call_valid(op("create_task")).await;
    assert_eq!(limited.status, 429);
    let seconds: u64 = retry_after(&limited)
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
    assert_eq!(limited.body["status"], 429);
    assert_eq!(h.mock.created_count(op("create_task")), 0);

    h.mock.update_faults(|f| f.rate_limit = None);
    assert_eq!(h.call_valid(op("create_task")).await.status, 201);
}

#[tokio::test]
async fn error_rate_gives_5xx_before_processing_deterministically() {
    let statuses = |seed: u64| async move {
        let faults = FaultConfig::none().error_rate(0.5).seed(seed);
        let h = Harness::with(MockConfig::new().api_key(KEY).faults(faults)).await;
        let mut out = Vec::new();
        for _ in 0..20 {
            out.push(h.call_valid(op("create_tasks")).await.status);
        }
        let failures = out.iter().filter(|s| **s >= 500).count();
        assert_eq!(
            h.mock.processed_count(op("create_tasks")),
            out.len() - failures
        );
        out
    };
    let first = statuses(42).await;
    assert_eq!(first, statuses(42).await, "same seed, same faults");
    assert!(
        first.iter().all(|s| [201, 500, 502, 503].contains(s)),
        "{first:?}"
    );
    assert!(
        first.contains(&201) && first.iter().any(|s| *s >= 500),
        "{first:?}"
    );
}

#[tokio::test]
async fn latency_is_added_and_can_change_while_running() {
    let h = Harness::start().await;
    h.mock
        .update_faults(|f| f.latency = Duration::from_millis(25));
    let start = Instant::now();
    assert_eq!(h.call_valid(op("get_contact_overview")).await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(25));
    assert_eq!(h.mock.faults().latency, Duration::from_millis(25));

    h.mock.set_faults(FaultConfig::none());
    h.mock.script(
        op("get_contact_overview"),
        [Fault::Delay(Duration::from_millis(15))],
    );
    let start = Instant::now();
    assert_eq!(h.call_valid(op("get_contact_overview")).await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(15));
}

#[tokio::test]
async fn reset_mid_body_is_a_client_side_body_error_after_processing() {
    let h = Harness::start().await;
    h.mock
        .script(op("create_client_contact"), [Fault::ResetMidBody]);
    let op = op("create_client_contact");
    let response = h
        .http
        .post(h.url(&default_path(op)))
        .header("x-api-key", KEY)
        .json(&valid_body(op))
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(response.status().as_u16(), 201);
    let body = response.bytes().await;
    assert!(body.is_err(), "the body must fail, got {body:?}");
    // The contact was created: the client cannot know, which is the point.
    assert_eq!(h.mock.created_count(op), 1);
    let record = &h.mock.received_for(op)[0];
    assert_eq!(
        (record.processed, record.fault.clone()),
        (true, Some(Fault::ResetMidBody))
    );
    // The next request is normal.
    assert_eq!(h.call_valid(op).await.status, 201);
}

#[tokio::test]
async fn malformed_and_truncated_json_bodies_after_processing() {
    let h = Harness::start().await;
    let op = op("update_candidate");
    h.mock
        .script(op, [Fault::MalformedJson, Fault::TruncatedJson]);
    for expected in [Fault::MalformedJson, Fault::TruncatedJson] {
        let response = h
            .http
            .patch(h.url(&default_path(op)))
            .header("x-api-key", KEY)
            .json(&valid_body(op))
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 200);
        let length = response.content_length();
        let bytes = response
            .bytes()
            .await
            .expect("the whole (broken) body arrives");
        assert_eq!(length, Some(bytes.len() as u64));
        assert!(
            serde_json::from_slice::<Value>(&bytes).is_err(),
            "{expected:?} parsed"
        );
    }
    assert_eq!(h.mock.processed_count(op), 2);
    assert_eq!(h.call_valid(op).await.status, 200);
}

#[tokio::test]
async fn status_after_processing_creates_but_answers_an_error() {
    let h = Harness::start().await;
    h.mock
        .script(op("create_tasks"), [Fault::StatusAfterProcessing(502)]);
    let reply = h.call_valid(op("create_tasks")).await;
    assert_eq!(reply.status, 502);
    assert_eq!(h.mock.created_count(op("create_tasks")), 1);
    assert!(h.mock.received()[0].processed);
}

#[tokio::test]
async fn random_body_faults_follow_their_rates() {
    let faults = FaultConfig::none().truncated_json_rate(1.0);
    let h = Harness::with(MockConfig::new().api_key(KEY).faults(faults)).await;
    let response = h
        .http
        .get(h.url("/clients/contacts/cand_1"))
        .header("x-api-key", KEY)
        .send()
        .await
        .expect("answer");
    let bytes = response.bytes().await.expect("body");
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());

    h.mock.set_faults(FaultConfig::none().reset_rate(1.0));
    let response = h
        .http
        .get(h.url("/clients/contacts/cand_1"))
        .header("x-api-key", KEY)
        .send()
        .await
        .expect("headers");
    assert!(response.bytes().await.is_err());

    // Errors are never spoiled: they are not successes.
    h.mock
        .set_faults(FaultConfig::none().malformed_json_rate(1.0));
    let reply = crate::common::send(
        h.http
            .get(h.url("/clients/contacts/ghost"))
            .header("x-api-key", KEY),
    )
    .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn every_error_answer_of_every_operation_matches_the_spec() {
    let h = Harness::start().await;
    for op in Operation::all() {
        // 404 only where the spec declares it (an addressed id): a list
        // has no 404 to send.
        let declares_404 = h.spec.declared_status(op, 404).is_some();
        let mut faults = vec![
            Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(1),
            },
            Fault::TooManyRequests {
                retry_after: RetryAfter::http_date_in(Duration::from_secs(5)),
            },
            Fault::TooManyRequests {
                retry_after: RetryAfter::Absent,
            },
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Status(504),
        ];
        let mut expected = vec![429, 429, 429, 500, 502, 503, 504];
        if declares_404 {
            faults.push(Fault::Status(404));
            expected.push(404);
        }
        faults.push(Fault::StatusAfterProcessing(500));
        expected.push(500);
        h.mock.script(op, faults);
        let mut statuses = Vec::new();
        while h.mock.pending_faults(op) > 0 && statuses.len() < 20 {
            // `call_valid` checks status, body and headers against the spec.
            statuses.push(h.call_valid(op).await.status);
        }
        assert_eq!(statuses, expected, "{op}");
    }
}
