//! One call of each operation on loopback, three ways: the wrapper client,
//! the generated client, and hand-written reqwest + serde (the baseline).
//! Same server, same canned documented response, same runtime.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::runtime::Runtime;

const KEY: &str = "bench-key";

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The baseline's HTTP client: the key as a default header, nothing else.
fn plain_http() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    let mut key = HeaderValue::from_static(KEY);
    key.set_sensitive(true);
    headers.insert("x-api-key", key);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a reqwest client")
}

/// What a careful person writes by hand: send JSON, check the status,
/// decode JSON into the same types.
async fn baseline<B: Serialize, T: DeserializeOwned>(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<&B>,
) -> T {
    let mut request = http.request(method, url);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("sent");
    assert!(response.status().is_success());
    response.json().await.expect("decoded")
}

/// A canned server answering `operation`'s documented response, as a URL.
fn canned_url(rt: &Runtime, api: &str, operation: &str, status: u16) -> String {
    rt.block_on(async {
        let body = bench::page_example(api, operation, false);
        format!("http://{}", bench::canned_server(status, body).await)
    })
}

fn spott_clients(url: &str) -> (spott::Client, spott_openapi::Client) {
    (
        spott::Client::builder()
            .api_key(KEY)
            .base_url(url)
            .build()
            .unwrap(),
        spott_openapi::Client::new_with_client(url, plain_http(), Default::default()),
    )
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("per_call");
    group.measurement_time(Duration::from_secs(4));

    // ---- spott: create task (000)
    {
        use spott_openapi::types::{CreateTaskRequest, Task};
        let request = bench::page_example("spott", "create_task", true);
        let url = canned_url(&rt, "spott", "create_task", 201);
        let (wrapper, generated) = spott_clients(&url);
        let http = plain_http();
        let task = spott::NewTask::from_json(request.clone()).unwrap();
        let body: CreateTaskRequest = serde_json::from_value(request).unwrap();
        let endpoint = format!("{url}/tasks/_raw");

        group.bench_function(BenchmarkId::new("create_task", "wrapper"), |b| {
            b.to_async(&rt)
                .iter(|| async { wrapper.create_task(task.clone()).await.unwrap() })
        });
        group.bench_function(BenchmarkId::new("create_task", "generated"), |b| {
            b.to_async(&rt).iter(|| async {
                generated
                    .create_task()
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("create_task", "baseline"), |b| {
            b.to_async(&rt).iter(|| async {
                baseline::<_, Task>(&http, reqwest::Method::POST, &endpoint, Some(&body)).await
            })
        });
    }

    // ---- spott: contact overview (001)
    {
        use spott_openapi::types::ContactOverview;
        let url = canned_url(&rt, "spott", "get_contact_overview", 200);
        let (wrapper, generated) = spott_clients(&url);
        let http = plain_http();
        let endpoint = format!("{url}/clients/contacts/cand_1");

        group.bench_function(BenchmarkId::new("get_contact_overview", "wrapper"), |b| {
            b.to_async(&rt)
                .iter(|| async { wrapper.contact_overview("cand_1").await.unwrap() })
        });
        group.bench_function(BenchmarkId::new("get_contact_overview", "generated"), |b| {
            b.to_async(&rt).iter(|| async {
                generated
                    .get_contact_overview()
                    .id("cand_1")
                    .send()
                    .await
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("get_contact_overview", "baseline"), |b| {
            b.to_async(&rt).iter(|| async {
                baseline::<(), ContactOverview>(&http, reqwest::Method::GET, &endpoint, None).await
            })
        });
    }

    // ---- spott: create client contact (002)
    {
        use spott_openapi::types::{CreateClientContactRequest, CreatedId};
        let request = bench::page_example("spott", "create_client_contact", true);
        let url = canned_url(&rt, "spott", "create_client_contact", 201);
        let (wrapper, generated) = spott_clients(&url);
        let http = plain_http();
        let contact = spott::NewClientContact::from_json(request.clone()).unwrap();
        let body: CreateClientContactRequest = serde_json::from_value(request).unwrap();
        let endpoint = format!("{url}/clients/contacts/client_1");

        group.bench_function(BenchmarkId::new("create_client_contact", "wrapper"), |b| {
            b.to_async(&rt).iter(|| async {
                wrapper
                    .create_client_contact("client_1", contact.clone())
                    .await
                    .unwrap()
            })
        });
        group.bench_function(
            BenchmarkId::new("create_client_contact", "generated"),
            |b| {
                b.to_async(&rt).iter(|| async {
                    generated
                        .create_client_contact()
                        .id("client_1")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap()
                })
            },
        );
        group.bench_function(BenchmarkId::new("create_client_contact", "baseline"), |b| {
            b.to_async(&rt).iter(|| async {
                baseline::<_, CreatedId>(&http, reqwest::Method::POST, &endpoint, Some(&body)).await
            })
        });
    }

    // ---- spott: update candidate (004)
    {
        use spott_openapi::types::{Candidate, UpdateCandidateRequest};
        let request = bench::page_example("spott", "update_candidate", true);
        let url = canned_url(&rt, "spott", "update_candidate", 200);
        let (wrapper, generated) = spott_clients(&url);
        let http = plain_http();
        let update = spott::CandidateUpdate::from_json(request.clone()).unwrap();
        let body: UpdateCandidateRequest = serde_json::from_value(request).unwrap();
        let endpoint = format!("{url}/candidates/cand_1");

        group.bench_function(BenchmarkId::new("update_candidate", "wrapper"), |b| {
            b.to_async(&rt).iter(|| async {
                wrapper
                    .update_candidate("cand_1", update.clone())
                    .await
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("update_candidate", "generated"), |b| {
            b.to_async(&rt).iter(|| async {
                generated
                    .update_candidate()
                    .id("cand_1")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("update_candidate", "baseline"), |b| {
            b.to_async(&rt).iter(|| async {
                baseline::<_, Candidate>(&http, reqwest::Method::PATCH, &endpoint, Some(&body))
                    .await
            })
        });
    }

    // ---- saleshandy: create tasks (003)
    {
        use saleshandy_openapi::types::{CreateTasksRequest, CreateTasksResponse};
        let request = bench::page_example("saleshandy", "create_tasks", true);
        let url = canned_url(&rt, "saleshandy", "create_tasks", 200);
        let wrapper = saleshandy::Client::builder()
            .api_key(KEY)
            .base_url(&url)
            .build()
            .unwrap();
        let generated =
            saleshandy_openapi::Client::new_with_client(&url, plain_http(), Default::default());
        let http = plain_http();
        let tasks = saleshandy::NewTasks::from_json(request.clone()).unwrap();
        let body: CreateTasksRequest = serde_json::from_value(request).unwrap();
        let endpoint = format!("{url}/v1/tasks/create");

        group.bench_function(BenchmarkId::new("create_tasks", "wrapper"), |b| {
            b.to_async(&rt)
                .iter(|| async { wrapper.create_tasks(tasks.clone()).await.unwrap() })
        });
        group.bench_function(BenchmarkId::new("create_tasks", "generated"), |b| {
            b.to_async(&rt).iter(|| async {
                generated
                    .create_tasks()
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("create_tasks", "baseline"), |b| {
            b.to_async(&rt).iter(|| async {
                baseline::<_, CreateTasksResponse>(
                    &http,
                    reqwest::Method::POST,
                    &endpoint,
                    Some(&body),
                )
                .await
            })
        });
    }
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
