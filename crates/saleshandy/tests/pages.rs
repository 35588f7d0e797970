//! `Client::list` on Saleshandy's page-numbered lists, against scripted
//! servers on 127.0.0.1: the exact page requests (`pageSize`, `page` from
//! 1, as `x-pagination` of `list_prospects` in spec/saleshandy.yaml says),
//! the stop on a short page, the stop instead of a loop when the server
//! ignores the page number, and a failed page retried alone.
//!
//! The spec declares no has-more flag for `list_prospects` (nor for
//! `list_sequences`): its pages are `{payload: [...]}` only, so "a page
//! that claims more but is empty" cannot happen here; without the flag an
//! empty page simply ends the walk.

use std::future::poll_fn;
use std::pin::pin;
use std::time::Duration;

use futures_core::Stream;
use saleshandy::types::Prospect;
use saleshandy::{Arguments, Client, Error, RetryPolicy, lists};
use scripted_server::{Received, Reply, Scripted};
use serde_json::{Value, json};

const KEY: &str = "sh-pages-key";

fn client(url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .retry_policy(RetryPolicy::standard().with_base_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

/// One `GET /v1/prospects` page of the prospects `ids`.
fn prospects_page(ids: &[&str]) -> Reply {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "email": format!("{id}@example.com")}))
        .collect();
    Reply::json(200, json!({"payload": items}))
}

fn paths(received: &[Received]) -> Vec<&str> {
    received
        .iter()
        .map(|request| request.path.as_str())
        .collect()
}

/// Every item of `stream`, errors included; at most `limit` of them, so a
/// walk that loops fails the test instead of hanging it.
async fn collect<S: Stream>(stream: S, limit: usize) -> Vec<S::Item> {
    let mut stream = pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item);
        assert!(items.len() <= limit, "the walk did not stop");
    }
    items
}

fn prospect_ids(prospects: &[Result<Prospect, Error>]) -> Vec<&str> {
    prospects
        .iter()
        .map(|prospect| {
            let prospect = prospect.as_ref().expect("an item, not an error");
            prospect.id.as_deref().map(String::as_str).unwrap()
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn two_full_pages_and_a_short_one_yield_every_prospect_in_order() {
    let server = Scripted::start(vec![
        prospects_page(&["p1", "p2"]),
        prospects_page(&["p3", "p4"]),
        prospects_page(&["p5"]),
    ])
    .await;

    let prospects = collect(
        client(&server.url)
            .list::<lists::ListProspects>(Arguments::default(), Some(2))
            .unwrap(),
        20,
    )
    .await;

    assert_eq!(prospect_ids(&prospects), ["p1", "p2", "p3", "p4", "p5"]);
    assert_eq!(
        prospects[4].as_ref().unwrap().email.as_deref(),
        Some("p5@example.com")
    );
    let received = server.received();
    assert_eq!(
        paths(&received),
        [
            "/v1/prospects?pageSize=2&page=1",
            "/v1/prospects?pageSize=2&page=2",
            "/v1/prospects?pageSize=2&page=3",
        ],
        "the short third page is the last one asked for"
    );
    assert!(
        received
            .iter()
            .all(|r| r.method == "GET" && r.header("x-api-key") == Some(KEY))
    );
}

#[tokio::test(start_paused = true)]
async fn a_server_that_ignores_the_page_number_ends_the_walk_with_a_paging_error() {
    // The same full page, whatever page is asked for; more than the walk
    // needs, so only the walk's own stop can end it.
    let server = Scripted::start(vec![prospects_page(&["p1", "p2"]); 5]).await;

    let results = collect(
        client(&server.url)
            .list::<lists::ListProspects>(Arguments::default(), Some(2))
            .unwrap(),
        20,
    )
    .await;

    assert_eq!(
        results.len(),
        3,
        "the first page's two prospects, then the error: {results:?}"
    );
    assert_eq!(prospect_ids(&results[..2]), ["p1", "p2"]);
    match &results[2] {
        Err(Error::Paging {
            operation, problem, ..
        }) => {
            assert_eq!(*operation, "list_prospects");
            assert!(problem.contains("repeated"), "{problem}");
        }
        other => panic!("expected a paging error, got {other:?}"),
    }
    assert_eq!(
        paths(&server.received()),
        [
            "/v1/prospects?pageSize=2&page=1",
            "/v1/prospects?pageSize=2&page=2",
        ],
        "exactly 2 requests, no loop"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_page_is_retried_alone() {
    let server = Scripted::start(vec![
        prospects_page(&["p1", "p2"]),
        Reply::json(503, json!({"message": "Service unavailable"})),
        prospects_page(&["p3"]),
    ])
    .await;

    let prospects = collect(
        client(&server.url)
            .list::<lists::ListProspects>(Arguments::default(), Some(2))
            .unwrap(),
        20,
    )
    .await;

    assert_eq!(prospect_ids(&prospects), ["p1", "p2", "p3"]);
    assert_eq!(
        paths(&server.received()),
        [
            "/v1/prospects?pageSize=2&page=1",
            "/v1/prospects?pageSize=2&page=2",
            "/v1/prospects?pageSize=2&page=2",
        ],
        "only the page that failed is asked for again"
    );
}
