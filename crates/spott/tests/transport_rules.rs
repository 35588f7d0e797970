//! The transport rules that keep a create single and the key safe,
//! attacked from outside: redirects, proxies (plain and tunnelled), a
//! caller's own HTTP client, the whole-call deadline, rate-limit headers
//! on the wrong status.

use std::time::Duration;

use scripted_server::{Reply, Scripted};
use serde_json::json;
use spott::{CandidateUpdate, Client, Error, NewTask, RetryPolicy};
use tokio::time::Instant;

const KEY: &str = "transport-key-Qp3";

fn builder(url: &str) -> spott::ClientBuilder {
    Client::builder().api_key(KEY).base_url(url)
}

/// For paused-time tests: a fresh connection per attempt (a pooled one
/// reused after a virtual time jump can stall; see tests/retries.rs).
fn paused_time_builder(url: &str) -> spott::ClientBuilder {
    builder(url).http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
}

fn see_other() -> Reply {
    Reply::json(303, json!({}))
        .header("location", "/tasks/t-1")
        .header("connection", "close")
}

fn requests(server: &Scripted) -> Vec<(String, String)> {
    server
        .received()
        .into_iter()
        .map(|request| (request.method, request.path))
        .collect()
}

#[tokio::test]
async fn a_create_answered_with_a_redirect_is_not_followed_and_may_exist() {
    // The server processed the create, then redirects to the new task.
    let server = Scripted::start(vec![see_other(), Reply::json(200, json!({"id": "t-1"}))]).await;
    let client = builder(&server.url).build().unwrap();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    match &error {
        Error::Redirect {
            status, location, ..
        } => {
            assert_eq!(*status, 303);
            assert_eq!(location.as_deref(), Some("/tasks/t-1"));
        }
        other => panic!("expected a redirect error, got {other:?}"),
    }
    assert!(error.may_exist_on_server());
    assert_eq!(
        requests(&server),
        [("POST".to_owned(), "/tasks/_raw".to_owned())]
    );
}

#[tokio::test]
async fn a_patch_answered_with_a_redirect_is_not_followed() {
    let server = Scripted::start(vec![
        Reply::json(307, json!({})).header("location", "/candidates/c-2"),
        Reply::json(200, json!({})),
    ])
    .await;
    let client = builder(&server.url).build().unwrap();

    let error = client
        .update_candidate("c-1", CandidateUpdate::new().last_name("Doe"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(307), "{error:?}");
    assert!(error.may_exist_on_server());
    assert_eq!(requests(&server).len(), 1);
}

#[tokio::test]
async fn a_callers_http_client_follows_no_redirect_for_a_create_either() {
    let server = Scripted::start(vec![see_other(), Reply::json(200, json!({"id": "t-1"}))]).await;
    // reqwest's default policy follows up to ten redirects; the wrapper's
    // rule replaces it.
    let client = builder(&server.url)
        .http_client(reqwest::Client::builder())
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    assert_eq!(requests(&server).len(), 1);
}

#[tokio::test]
async fn a_callers_proxy_is_not_used_for_a_loopback_base_url() {
    // A proxy the caller configured: for plain HTTP it would read the key.
    let proxy = Scripted::start(vec![Reply::json(200, json!({"id": "stolen"}))]).await;
    let server = Scripted::start(vec![Reply::json(201, json!({"id": "t-1"}))]).await;
    let client = builder(&server.url)
        .http_client(reqwest::Client::builder().proxy(reqwest::Proxy::all(&proxy.url).unwrap()))
        .build()
        .unwrap();

    let task = client.create_task(NewTask::new("Call")).await.unwrap();

    assert_eq!(task.id.as_deref().map(String::as_str), Some("t-1"));
    assert!(proxy.received().is_empty(), "{:?}", proxy.received());
    assert_eq!(server.received()[0].header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn an_https_call_goes_through_a_proxy_only_as_a_tunnel_it_cannot_read() {
    // A proxy that grants every tunnel and then resets the connection at
    // the first bytes through it, unread: a client that sent the request
    // in clear would have sent it as an HTTP request the proxy records,
    // key included. The TLS handshake inside the tunnel fails, so nothing
    // but CONNECT is read, and no name is resolved: the proxy is asked
    // for the host.
    let granted = || Reply::json(200, json!({})).then_reset_next_request();
    let proxy = Scripted::start(vec![granted(), granted(), granted()]).await;
    let client = builder("https://api.gospott.test")
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
        .http_client(reqwest::Client::builder().proxy(reqwest::Proxy::all(&proxy.url).unwrap()))
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    // A failed handshake means the API was never reached, so the create
    // is tried as often as the policy allows: three tunnels.
    let received = proxy.received();
    assert_eq!(received.len(), 3, "{received:?}");
    for request in &received {
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("CONNECT", "api.gospott.test:443")
        );
        assert_eq!(request.header("x-api-key"), None, "{request:?}");
        assert!(
            request
                .headers
                .iter()
                .all(|(_, value)| !value.contains(KEY)),
            "{request:?}"
        );
    }
    // Every tunnel carried bytes (the TLS handshake), none of them HTTP.
    assert_eq!(proxy.unread().len(), received.len(), "{:?}", proxy.unread());
    // The API never saw the create: it is safe to send again.
    assert!(!error.may_exist_on_server(), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test(start_paused = true)]
async fn the_attempt_timeout_covers_the_body_not_only_the_headers() {
    // The status, the headers and half the body at once, then nothing for
    // a minute: a timeout that ended with the headers would wait for it.
    let stalled = || {
        Reply::json(
            201,
            json!({"id": "t-1", "content": "Call", "source": "MANUAL"}),
        )
        .slow_body(Duration::from_secs(60))
    };
    let client = |url: &str| {
        paused_time_builder(url)
            .request_timeout(Duration::from_secs(2))
            .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
            .build()
            .unwrap()
    };

    // A create that timed out in its body was processed: sent once.
    let server = Scripted::start(vec![stalled()]).await;
    let started = Instant::now();
    let error = client(&server.url)
        .create_task(NewTask::new("Call"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(error.may_exist_on_server());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received().len(), 1);

    // A read is tried again, until the policy's three attempts are spent.
    let server = Scripted::start(vec![stalled(), stalled(), stalled()]).await;
    let error = client(&server.url)
        .get_candidate("cand-1")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(
        requests(&server),
        vec![("GET".into(), "/candidates/cand-1".into()); 3]
    );
}

#[tokio::test]
async fn an_https_base_url_answered_in_plain_http_fails_its_handshake_and_sends_nothing() {
    // A server on the base URL's port that does not speak TLS (a
    // misconfigured port or a proxy in the way): the handshake cannot
    // finish, so no request, key included, is ever written to it.
    let server = Scripted::start(vec![]).await;
    let https = server.url.replacen("http://", "https://", 1);
    let client = builder(&https)
        .connect_timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    assert!(server.received().is_empty(), "{:?}", server.received());
    // Nothing reached the API, so the create is safe to send again.
    assert!(!error.may_exist_on_server(), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(KEY));
}

/// Set in the child process of [`proxy_variables_are_not_used_for_a_loopback_base_url`].
const CHILD: &str = "TRANSPORT_RULES_PROXY_CHILD";

#[test]
fn proxy_variables_are_not_used_for_a_loopback_base_url() {
    if std::env::var_os(CHILD).is_some() {
        return child_sends_through_the_environment();
    }
    // The variables are the process's, so the call runs in a child: this
    // test binary again, running only this test, with them set.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (proxy, server) = runtime.block_on(async {
        (
            Scripted::start(vec![Reply::json(200, json!({"id": "stolen"}))]).await,
            Scripted::start(vec![Reply::json(201, json!({"id": "t-1"}))]).await,
        )
    });
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "proxy_variables_are_not_used_for_a_loopback_base_url",
            "--nocapture",
        ])
        .env(CHILD, &server.url)
        .env("HTTP_PROXY", &proxy.url)
        .env("http_proxy", &proxy.url)
        .env("ALL_PROXY", &proxy.url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(proxy.received().is_empty(), "{:?}", proxy.received());
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("x-api-key"), Some(KEY));
    drop(runtime);
}

fn child_sends_through_the_environment() {
    let url = std::env::var(CHILD).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = builder(&url).build().unwrap();
        let task = client.create_task(NewTask::new("Call")).await.unwrap();
        assert_eq!(task.id.as_deref().map(String::as_str), Some("t-1"));
    });
}

#[tokio::test(start_paused = true)]
async fn the_whole_call_deadline_caps_every_attempt() {
    // Reads retry on timeouts; the server never answers. Attempts of up to
    // 4 s each, 10 s for the whole call: without the cap the third attempt
    // would run its full 4 s and end near 12.5 s.
    let server = Scripted::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let client = paused_time_builder(&server.url)
        .request_timeout(Duration::from_secs(4))
        .retry_policy(
            RetryPolicy::standard()
                .with_max_attempts(3)
                .with_base_backoff(Duration::from_millis(500))
                .with_max_elapsed(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let started = Instant::now();

    let error = client.contact_overview("c-1").await.unwrap_err();

    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.received().len(), 3);
    assert!(elapsed <= Duration::from_secs(10), "{elapsed:?}");
    assert!(elapsed >= Duration::from_secs(8), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_holds_without_retries_too() {
    let server = Scripted::start(vec![Reply::Hang]).await;
    let client = builder(&server.url)
        .request_timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::disabled().with_max_elapsed(Duration::from_secs(5)))
        .build()
        .unwrap();
    let started = Instant::now();

    let error = client.create_task(NewTask::new("Call")).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(error.may_exist_on_server(), "it was sent: {error:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_reset_on_a_502_is_no_reason_to_wait() {
    // Rate-limit headers ride on every response; a reset an hour away on a
    // 502 must neither be waited for nor stop the retry.
    let server = Scripted::start(vec![
        Reply::json(502, json!({})).header("x-ratelimit-reset", "3600"),
        Reply::json(200, json!({"candidateId": "c-1"})),
    ])
    .await;
    let client = paused_time_builder(&server.url).build().unwrap();
    let started = Instant::now();

    let overview = client.contact_overview("c-1").await.unwrap();

    assert_eq!(
        overview.candidate_id.as_deref().map(String::as_str),
        Some("c-1")
    );
    assert_eq!(server.received().len(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_reset_on_a_429_is_waited_for() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({})).header("ratelimit-reset", "7"),
        Reply::json(201, json!({"id": "t-1"})),
    ])
    .await;
    let client = paused_time_builder(&server.url).build().unwrap();
    let started = Instant::now();

    client.create_task(NewTask::new("Call")).await.unwrap();

    assert_eq!(server.received().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(7));
}

#[test]
fn a_zero_connect_timeout_is_refused() {
    let error = Client::builder()
        .api_key(KEY)
        .connect_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    match error {
        Error::Config {
            setting, reason, ..
        } => {
            assert_eq!(setting, "connect_timeout");
            assert_eq!(reason, "must be longer than zero");
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
}
