//! `Client::list`: every item of a paged operation across its pages, from
//! the spec's `x-pagination` alone, with the key and the retry policy on
//! each page, and a stop instead of a loop when the pages do not fit.

use futures::TryStreamExt as _;
use scripted_server::{Received, Reply, Scripted};
use serde_json::{Value, json};
use spott::{Arguments, Client, Error, RetryPolicy, lists};

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("pages-key")
        .base_url(url)
        .http_client(reqwest::Client::builder().pool_max_idle_per_host(0))
        .retry_policy(RetryPolicy::standard().with_base_backoff(std::time::Duration::from_secs(1)))
        .build()
        .unwrap()
}

/// One `GET /tasks` page.
fn tasks_page(ids: &[&str], next: Option<&str>, more: bool) -> Reply {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "content": "Call"}))
        .collect();
    Reply::json(
        200,
        json!({"items": items, "pageInfo": {"nextCursor": next, "hasNextPage": more}}),
    )
}

fn paths(received: &[Received]) -> Vec<&str> {
    received
        .iter()
        .map(|request| request.path.as_str())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_cursor_list_follows_each_cursor_until_the_last_page() {
    let server = Scripted::start(vec![
        tasks_page(&["t1", "t2"], Some("c1"), true),
        tasks_page(&["t3"], Some("c2"), true),
        tasks_page(&["t4"], None, false),
    ])
    .await;

    let tasks: Vec<spott::types::Task> = client(&server.url)
        .list::<lists::ListTasks>(Arguments::default(), Some(2))
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = tasks
        .iter()
        .map(|task| task.id.as_deref().map(String::as_str).unwrap())
        .collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4"]);
    let received = server.received();
    assert_eq!(
        paths(&received),
        [
            "/tasks?limit=2",
            "/tasks?limit=2&cursor=c1",
            "/tasks?limit=2&cursor=c2"
        ]
    );
    assert!(
        received
            .iter()
            .all(|r| r.header("x-api-key") == Some("pages-key"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_page_is_retried_alone() {
    let server = Scripted::start(vec![
        tasks_page(&["t1"], Some("c1"), true),
        Reply::json(503, json!({"message": "down"})),
        tasks_page(&["t2"], None, false),
    ])
    .await;

    let tasks: Vec<Value> = client(&server.url)
        .list_json("list_tasks", Arguments::default(), None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(tasks.len(), 2);
    assert_eq!(
        paths(&server.received()),
        ["/tasks", "/tasks?cursor=c1", "/tasks?cursor=c1"],
        "only the page that failed is asked for again"
    );
}

#[tokio::test(start_paused = true)]
async fn a_repeated_cursor_ends_the_walk_with_an_error_instead_of_a_loop() {
    let server = Scripted::start(vec![
        tasks_page(&["t1"], Some("c1"), true),
        tasks_page(&["t2"], Some("c1"), true),
        tasks_page(&["t3"], None, false),
    ])
    .await;

    let results: Vec<Result<Value, Error>> = futures::StreamExt::collect(
        client(&server.url)
            .list_json("list_tasks", Arguments::default(), None)
            .unwrap(),
    )
    .await;

    assert_eq!(results.len(), 3, "two items, then the error: {results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    match &results[2] {
        Err(Error::Paging {
            operation, problem, ..
        }) => {
            assert_eq!(*operation, "list_tasks");
            assert!(problem.contains("already followed"), "{problem}");
        }
        other => panic!("expected a paging error, got {other:?}"),
    }
    assert_eq!(server.received().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_empty_page_that_claims_more_is_an_error() {
    let server = Scripted::start(vec![tasks_page(&[], Some("c1"), true)]).await;

    let error = client(&server.url)
        .list_json("list_tasks", Arguments::default(), None)
        .unwrap()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Paging { problem, .. } if problem.contains("empty page")),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_resumed_walk_starts_at_the_callers_cursor() {
    let server = Scripted::start(vec![tasks_page(&["t9"], None, false)]).await;

    let tasks: Vec<Value> = client(&server.url)
        .list_json(
            "list_tasks",
            Arguments {
                query: &[("cursor", "resume-here")],
                ..Arguments::default()
            },
            Some(10),
        )
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(tasks.len(), 1);
    assert_eq!(
        paths(&server.received()),
        ["/tasks?cursor=resume-here&limit=10"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_paged_search_numbers_its_pages_and_stops_on_a_short_page() {
    // A candidate as the spec's own search example shows one.
    let example = search_example_candidate();
    let candidate = |id: &str| {
        let mut candidate = example.clone();
        candidate["id"] = json!(id);
        candidate
    };
    let server = Scripted::start(vec![
        Reply::json(200, json!({"items": [candidate("c1"), candidate("c2")]})),
        Reply::json(200, json!({"items": [candidate("c3")]})),
    ])
    .await;
    let filters = json!({"filters": []});

    let found: Vec<spott::types::Candidate> = client(&server.url)
        .list::<lists::SearchCandidates>(
            Arguments {
                body: Some(&filters),
                ..Arguments::default()
            },
            Some(2),
        )
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = found
        .iter()
        .map(|candidate| candidate.id.as_str())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    let received = server.received();
    let bodies: Vec<Value> = received.iter().map(Received::json).collect();
    assert_eq!(
        bodies,
        [
            json!({"filters": [], "pageSize": 2, "page": 0}),
            json!({"filters": [], "pageSize": 2, "page": 1}),
        ]
    );
    assert!(
        received
            .iter()
            .all(|r| r.method == "POST" && r.path == "/candidates/_search")
    );
}

#[tokio::test(start_paused = true)]
async fn an_item_that_does_not_decode_names_its_place() {
    let server = Scripted::start(vec![Reply::json(
        200,
        json!({"items": [{"id": "t1"}, {"id": 7}], "pageInfo": {"hasNextPage": false}}),
    )])
    .await;

    let error = client(&server.url)
        .list::<lists::ListTasks>(Arguments::default(), None)
        .unwrap()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();

    match error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(operation, "list_tasks");
            assert_eq!(path, "items[1].id");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn an_operation_that_does_not_page_is_refused_before_sending() {
    let client = client("http://127.0.0.1:9");
    let error = client
        .list_json("get_contact_overview", Arguments::default(), None)
        .err()
        .expect("refused");
    assert!(
        error.to_string().contains("not a paged list operation"),
        "{error}"
    );
    let error = client
        .list_json("list_tasks", Arguments::default(), Some(0))
        .err()
        .expect("refused");
    assert_eq!(error.to_string(), "invalid limit: must be at least 1");
}

/// The first candidate of the search example in spec/spott.yaml.
fn search_example_candidate() -> Value {
    let spec: Value = serde_norway::from_str(spott_saleshandy_mock::spec::SPOTT_YAML).unwrap();
    let response = &spec["paths"]["/candidates/_search"]["post"]["responses"]["200"];
    let response = match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            spec["components"]["responses"][name].clone()
        }
        None => response.clone(),
    };
    response["content"]["application/json"]["examples"]["page"]["value"]["items"][0].clone()
}

#[tokio::test(start_paused = true)]
async fn a_server_that_ignores_the_page_number_is_caught_at_the_first_repeat() {
    let candidate = search_example_candidate();
    let page = || {
        Reply::json(
            200,
            json!({"items": [candidate.clone(), candidate.clone()]}),
        )
    };
    let server = Scripted::start(vec![page(), page(), page()]).await;

    let results: Vec<Result<Value, Error>> = futures::StreamExt::collect(
        client(&server.url)
            .list_json("search_candidates", Arguments::default(), Some(2))
            .unwrap(),
    )
    .await;

    assert_eq!(
        results.len(),
        3,
        "one page of two, then the error: {results:?}"
    );
    assert!(matches!(
        results.last(),
        Some(Err(Error::Paging { problem, .. })) if problem.contains("repeated")
    ));
    assert_eq!(server.received().len(), 2);
}
