//! The baseline must put the same request on the wire as the bindings, or
//! the per-call ratios would include server work on different headers.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use bench::baseline::{self, Api, Headers, KEY};
use reqwest::Method;
use serde_json::Value;

/// Every request's headers, sorted, as `name: value` lines.
type Seen = Arc<Mutex<Vec<Vec<String>>>>;

/// A server on 127.0.0.1 that answers `reply` with 201 and keeps every
/// request's headers.
async fn capture(reply: Value) -> (String, Seen) {
    let seen = Seen::default();
    let keep = seen.clone();
    let body = serde_json::to_vec(&reply).unwrap();
    let app = Router::new().fallback(move |headers: HeaderMap| {
        let mut lines: Vec<String> = headers
            .iter()
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
            .collect();
        lines.sort();
        keep.lock().unwrap().push(lines);
        let body = body.clone();
        async move {
            (
                StatusCode::CREATED,
                [("content-type", "application/json")],
                body,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn the_baseline_sends_the_wrappers_headers_and_bare_does_not() {
    let (url, seen) = capture(bench::page_example("spott", "create_task", false)).await;
    let request = bench::page_example("spott", "create_task", true);
    let body: spott_openapi::types::CreateTaskRequest =
        serde_json::from_value(request.clone()).unwrap();

    let wrapper = spott::Client::builder()
        .api_key(KEY)
        .base_url(&url)
        .build()
        .unwrap();
    wrapper
        .create_task(spott::NewTask::from_json(request).unwrap())
        .await
        .unwrap();
    for headers in [Headers::SameAs(Api::Spott), Headers::Bare] {
        let _: spott_openapi::types::Task = baseline::call(
            &baseline::http(headers),
            Method::POST,
            format!("{url}/tasks/_raw"),
            Some(&body),
        )
        .await;
    }

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1], seen[0], "baseline vs wrapper");
    assert!(
        seen[0]
            .iter()
            .any(|line| line.starts_with("user-agent: spott/")),
        "{:?}",
        seen[0]
    );
    assert!(seen[0].contains(&"api-version: 1.0.0".to_owned()));
    assert_ne!(seen[2], seen[0], "bare sends reqwest's defaults");
    assert!(seen[2].contains(&"accept: */*".to_owned()), "{:?}", seen[2]);
}
