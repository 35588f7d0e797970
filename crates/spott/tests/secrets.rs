//! A sentinel API key goes through real calls with every level of `tracing`
//! and `log` output captured; it must reach the server and nothing else:
//! not the logs, not an error, not a Debug string.
//!
//! Capture goes through one global subscriber for the whole test binary,
//! installed before any test hits a callsite. A subscriber set with
//! `tracing::subscriber::set_default` is not enough: it is thread-local, but
//! tracing caches each callsite's interest globally, and while it is the
//! only dispatcher registered, a callsite first hit by another test's thread
//! is cached as uninteresting (asked of that thread's default, which has no
//! subscriber), so the capturing test silently loses those spans and events.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

use httpmock::prelude::*;
use serde_json::json;
use spott::{Client, NewTask, RetryPolicy};
use tracing_subscriber::fmt::MakeWriter;

const SENTINEL: &str = "sentinel-key-Zq81xw";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

thread_local! {
    /// Where output logged on this thread goes while a test captures it.
    static SINK: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// The global subscriber's writer: the buffer of the thread that logs, if
/// that thread's test captures. A test's client work all runs on its thread
/// (`#[tokio::test]` is a current-thread runtime); the mock server's threads
/// are not captured, as the server is meant to see the key.
struct ThreadSink;

struct SinkWriter(Option<Captured>);

impl Write for SinkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(captured) = &self.0 {
            captured.0.lock().unwrap().extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for ThreadSink {
    type Writer = SinkWriter;
    fn make_writer(&'a self) -> Self::Writer {
        SinkWriter(SINK.try_with(|sink| sink.borrow().clone()).ok().flatten())
    }
}

/// Installs, once, the global subscriber at TRACE and the bridge that turns
/// `log` records (reqwest logs through `log`) into its events. Every test in
/// this binary calls it before anything else, so no callsite is registered
/// without it.
fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing_log::LogTracer::builder()
            .with_max_level(tracing_log::log::LevelFilter::Trace)
            .init()
            .expect("no other `log` logger is installed");
        tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_writer(ThreadSink)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
                .with_ansi(false)
                .finish(),
        )
        .expect("no other global subscriber is installed");
    });
}

/// Everything logged on this thread while it lives.
struct Capture(Captured);

impl Capture {
    fn start() -> Capture {
        install();
        let captured = Captured::default();
        SINK.with(|sink| *sink.borrow_mut() = Some(captured.clone()));
        Capture(captured)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = SINK.try_with(|sink| sink.borrow_mut().take());
    }
}

#[tokio::test]
async fn the_key_reaches_the_server_and_nothing_else() {
    let capture = Capture::start();

    let server = MockServer::start_async().await;
    let created = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/tasks/_raw")
                .header("x-api-key", SENTINEL);
            then.status(201)
                .header("x-request-id", "req-77")
                .json_body(json!({"id": "t-1"}));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/clients/contacts/c-1");
            then.status(503).json_body(json!({"message": "down"}));
        })
        .await;
    let client = Client::builder()
        .api_key(SENTINEL)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::standard().with_base_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();

    client.create_task(NewTask::new("x")).await.unwrap();
    let error = client.contact_overview("c-1").await.unwrap_err();
    let config_error = Client::builder()
        .api_key(SENTINEL)
        .base_url("http://example.com")
        .build()
        .unwrap_err();

    created.assert_async().await;
    assert_eq!(failing.calls_async().await, 3, "a read is retried on 503");
    let logs = capture.0.text();
    assert!(
        logs.contains("reqwest::connect: starting new connection"),
        "reqwest's `log` output was captured: {logs}"
    );
    assert!(
        logs.contains("hyper_util::client::legacy::pool:"),
        "hyper-util's output was captured: {logs}"
    );
    assert!(
        logs.contains("operation=\"create_task\"") || logs.contains("operation=create_task"),
        "{logs}"
    );
    assert!(
        logs.contains("path=/tasks/_raw") || logs.contains("path=\"/tasks/_raw\""),
        "{logs}"
    );
    assert!(logs.contains("request failed, retrying"), "{logs}");
    // The span names what support needs: status and the server's request id.
    assert!(logs.contains("status=201"), "{logs}");
    assert!(
        logs.contains("request_id=\"req-77\"") || logs.contains("request_id=req-77"),
        "{logs}"
    );
    for (what, text) in [
        ("logs", logs.clone()),
        ("client Debug", format!("{client:?}")),
        ("error Display", error.to_string()),
        ("error Debug", format!("{error:?}")),
        ("config error", format!("{config_error} {config_error:?}")),
    ] {
        assert!(
            !text.contains(SENTINEL),
            "the key leaked into {what}: {text}"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_key() {
    install();
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"candidateId": "c"}));
        })
        .await;
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/clients/contacts/c");
        then.status(302).header(
            "location",
            format!("{}/clients/contacts/c", elsewhere.base_url()),
        );
    })
    .await;
    let client = Client::builder()
        .api_key(SENTINEL)
        .base_url(api.base_url())
        .build()
        .unwrap();

    let error = client.contact_overview("c").await.unwrap_err();

    assert_eq!(error.status(), Some(302), "{error:?}");
    assert_eq!(
        stolen.calls_async().await,
        0,
        "the redirect was followed to another origin"
    );
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_followed() {
    install();
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/clients/contacts/old");
        then.status(301).header("location", "/clients/contacts/new");
    })
    .await;
    let moved = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/clients/contacts/new")
                .header("x-api-key", SENTINEL);
            then.status(200).json_body(json!({"candidateId": "new"}));
        })
        .await;
    let client = Client::builder()
        .api_key(SENTINEL)
        .base_url(api.base_url())
        .build()
        .unwrap();

    let overview = client.contact_overview("old").await.unwrap();

    moved.assert_async().await;
    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("new")
    );
}
