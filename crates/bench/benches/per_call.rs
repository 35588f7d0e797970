//! One call of each operation on loopback: the wrapper client, the
//! generated client, and hand-written reqwest + serde (the baseline), all
//! against the same canned server answering the page's documented
//! response, on the same runtime.
//!
//! All variants are measured alike: each call gets its own copy of the
//! input, made outside the timed part (`iter_batched`), because every API
//! consumes a fresh body per call; each builds its URL from the base URL
//! and the path; and the baseline sends the same headers as the bindings
//! (see `bench::baseline`), so the server's work is the same for all.
//! `baseline_bare` sends reqwest's default headers instead, to show what
//! the extra header bytes cost the server.

use std::time::Duration;

use bench::baseline::{self, Api, Headers, KEY};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use reqwest::Method;
use tokio::runtime::Runtime;

/// Inputs are small and made in large batches.
const INPUTS: BatchSize = BatchSize::SmallInput;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A canned server answering `operation`'s documented response, as a URL.
fn canned_url(rt: &Runtime, api: &str, operation: &str, status: u16) -> String {
    rt.block_on(async {
        let body = bench::page_example(api, operation, false);
        format!("http://{}", bench::canned_server(status, body).await)
    })
}

/// The wrapper and the generated client (sending the wrapper's headers).
fn spott_clients(url: &str) -> (spott::Client, spott_openapi::Client) {
    (
        spott::Client::builder()
            .api_key(KEY)
            .base_url(url)
            .build()
            .unwrap(),
        spott_openapi::Client::new_with_client(
            url,
            baseline::http(Headers::SameAs(Api::Spott)),
            Default::default(),
        ),
    )
}

/// Registers the four variants of one operation. Each routine gets an
/// input made by its `make` outside the timed part; the baseline routine
/// also gets the reqwest client to send with (`same` or `bare` headers).
macro_rules! variants {
    (
        $group:expr, $rt:expr, $op:literal, $same:expr, $bare:expr,
        wrapper: ($w_make:expr, |$w_in:pat_param| $w_call:expr),
        generated: ($g_make:expr, |$g_in:pat_param| $g_call:expr),
        baseline: ($b_make:expr, |$b_in:pat_param, $http:ident| $b_call:expr) $(,)?
    ) => {{
        $group.bench_function(BenchmarkId::new($op, "wrapper"), |b| {
            b.to_async($rt)
                .iter_batched(|| $w_make, |$w_in| async { $w_call }, INPUTS)
        });
        $group.bench_function(BenchmarkId::new($op, "generated"), |b| {
            b.to_async($rt)
                .iter_batched(|| $g_make, |$g_in| async { $g_call }, INPUTS)
        });
        for (variant, $http) in [("baseline", $same), ("baseline_bare", $bare)] {
            $group.bench_function(BenchmarkId::new($op, variant), |b| {
                b.to_async($rt)
                    .iter_batched(|| $b_make, |$b_in| async { $b_call }, INPUTS)
            });
        }
    }};
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("per_call");
    group.measurement_time(Duration::from_secs(4));
    let same = baseline::http(Headers::SameAs(Api::Spott));
    let bare = baseline::http(Headers::Bare);

    // ---- spott: create task (000)
    {
        use spott_openapi::types::{CreateTaskRequest, Task};
        let request = bench::page_example("spott", "create_task", true);
        let url = canned_url(&rt, "spott", "create_task", 201);
        let (wrapper, generated) = spott_clients(&url);
        let task = spott::NewTask::from_json(request.clone()).unwrap();
        let body: CreateTaskRequest = serde_json::from_value(request).unwrap();
        variants!(group, &rt, "create_task", &same, &bare,
            wrapper: (task.clone(), |task| wrapper.create_task(task).await.unwrap()),
            generated: (body.clone(), |body| generated.create_task().body(body).send().await.unwrap()),
            baseline: (body.clone(), |body, http| {
                let url = format!("{url}/tasks/_raw");
                baseline::call::<_, Task>(http, Method::POST, url, Some(body)).await
            }),
        );
    }

    // ---- spott: contact overview (001)
    {
        use spott_openapi::types::ContactOverview;
        let url = canned_url(&rt, "spott", "get_contact_overview", 200);
        let (wrapper, generated) = spott_clients(&url);
        variants!(group, &rt, "get_contact_overview", &same, &bare,
            wrapper: ((), |()| wrapper.contact_overview("cand_1").await.unwrap()),
            generated: ((), |()| generated.get_contact_overview().id("cand_1").send().await.unwrap()),
            baseline: ((), |(), http| {
                let url = format!("{url}/clients/contacts/{}", "cand_1");
                baseline::call::<(), ContactOverview>(http, Method::GET, url, None).await
            }),
        );
    }

    // ---- spott: create client contact (002)
    {
        use spott_openapi::types::{ClientContactCreatedId, CreateClientContactRequest};
        let request = bench::page_example("spott", "create_client_contact", true);
        let url = canned_url(&rt, "spott", "create_client_contact", 201);
        let (wrapper, generated) = spott_clients(&url);
        let contact = spott::NewClientContact::from_json(request.clone()).unwrap();
        let body: CreateClientContactRequest = serde_json::from_value(request).unwrap();
        variants!(group, &rt, "create_client_contact", &same, &bare,
            wrapper: (contact.clone(), |contact| {
                wrapper.create_client_contact("client_1", contact).await.unwrap()
            }),
            generated: (body.clone(), |body| {
                let call = generated.create_client_contact().id("client_1").body(body);
                call.send().await.unwrap()
            }),
            baseline: (body.clone(), |body, http| {
                let url = format!("{url}/clients/contacts/{}", "client_1");
                baseline::call::<_, ClientContactCreatedId>(http, Method::POST, url, Some(body)).await
            }),
        );
    }

    // ---- spott: update candidate (004)
    {
        use spott_openapi::types::{Candidate, UpdateCandidateRequest};
        let request = bench::page_example("spott", "update_candidate", true);
        let url = canned_url(&rt, "spott", "update_candidate", 200);
        let (wrapper, generated) = spott_clients(&url);
        let update = spott::CandidateUpdate::from_json(request.clone()).unwrap();
        let body: UpdateCandidateRequest = serde_json::from_value(request).unwrap();
        variants!(group, &rt, "update_candidate", &same, &bare,
            wrapper: (update.clone(), |update| wrapper.update_candidate("cand_1", update).await.unwrap()),
            generated: (body.clone(), |body| {
                let call = generated.update_candidate().id("cand_1").body(body);
                call.send().await.unwrap()
            }),
            baseline: (body.clone(), |body, http| {
                let url = format!("{url}/candidates/{}", "cand_1");
                baseline::call::<_, Candidate>(http, Method::PATCH, url, Some(body)).await
            }),
        );
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
        let same = baseline::http(Headers::SameAs(Api::Saleshandy));
        let generated =
            saleshandy_openapi::Client::new_with_client(&url, same.clone(), Default::default());
        let tasks = saleshandy::NewTasks::from_json(request.clone()).unwrap();
        let body: CreateTasksRequest = serde_json::from_value(request).unwrap();
        variants!(group, &rt, "create_tasks", &same, &bare,
            wrapper: (tasks.clone(), |tasks| wrapper.create_tasks(tasks).await.unwrap()),
            generated: (body.clone(), |body| generated.create_tasks().body(body).send().await.unwrap()),
            baseline: (body.clone(), |body, http| {
                let url = format!("{url}/v1/tasks/create");
                baseline::call::<_, CreateTasksResponse>(http, Method::POST, url, Some(body)).await
            }),
        );
    }
    group.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
