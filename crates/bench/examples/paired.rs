//! Interleaved timing of the wrapper, generated and baseline clients for
//! every operation: the three take turns in rounds of a few hundred calls,
//! so load that drifts over a run (a shared machine) hits them alike, and
//! the median round is reported. `cargo xtask bench` prints its ratios
//! beside criterion's; it is also the quick check while changing the send
//! path.
//!
//! `cargo run --release -p bench --example paired [ROUNDS]`
//!
//! Prints one line per operation:
//! `<operation> <wrapper ns> <generated ns> <baseline ns>`.

use std::time::Instant;

use bench::baseline::{self, Api, Headers, KEY};
use reqwest::Method;
use saleshandy_openapi::types as sh;
use spott_openapi::types as sp;

/// Calls per variant per round.
const CALLS: usize = 300;
/// Rounds run before the measured ones, to warm connections and caches.
const WARM_UP_ROUNDS: usize = 2;

/// Times `CALLS` runs of `$call`, each with its own input made by `$make`
/// before the clock starts; evaluates to nanoseconds per call.
macro_rules! timed {
    ($make:expr, |$input:ident| $call:expr) => {{
        let inputs: Vec<_> = (0..CALLS).map(|_| $make).collect();
        let started = Instant::now();
        for $input in inputs {
            $call;
        }
        started.elapsed().as_nanos() as f64 / CALLS as f64
    }};
}

async fn server(api: &str, operation: &str, status: u16) -> String {
    let body = bench::page_example(api, operation, false);
    format!("http://{}", bench::canned_server(status, body).await)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn spott_for(url: &str) -> (spott::Client, spott_openapi::Client) {
    (
        spott::Client::builder()
            .api_key(KEY)
            .base_url(url)
            .build()
            .expect("a client"),
        spott_openapi::Client::new_with_client(
            url,
            baseline::http(Headers::SameAs(Api::Spott)),
            Default::default(),
        ),
    )
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(run(rounds));
}

async fn run(rounds: usize) {
    let example = |api, op| bench::page_example(api, op, true);
    let task_url = server("spott", "create_task", 201).await;
    let overview_url = server("spott", "get_contact_overview", 200).await;
    let contact_url = server("spott", "create_client_contact", 201).await;
    let update_url = server("spott", "update_candidate", 200).await;
    let tasks_url = server("saleshandy", "create_tasks", 200).await;

    let task = spott::NewTask::from_json(example("spott", "create_task")).expect("task");
    let task_body: sp::CreateTaskRequest =
        serde_json::from_value(example("spott", "create_task")).expect("body");
    let contact = spott::NewClientContact::from_json(example("spott", "create_client_contact"))
        .expect("contact");
    let contact_body: sp::CreateClientContactRequest =
        serde_json::from_value(example("spott", "create_client_contact")).expect("body");
    let update =
        spott::CandidateUpdate::from_json(example("spott", "update_candidate")).expect("update");
    let update_body: sp::UpdateCandidateRequest =
        serde_json::from_value(example("spott", "update_candidate")).expect("body");
    let tasks =
        saleshandy::NewTasks::from_json(example("saleshandy", "create_tasks")).expect("tasks");
    let tasks_body: sh::CreateTasksRequest =
        serde_json::from_value(example("saleshandy", "create_tasks")).expect("body");

    let (t_w, t_g) = spott_for(&task_url);
    let (o_w, o_g) = spott_for(&overview_url);
    let (c_w, c_g) = spott_for(&contact_url);
    let (u_w, u_g) = spott_for(&update_url);
    let s_w = saleshandy::Client::builder()
        .api_key(KEY)
        .base_url(&tasks_url)
        .build()
        .expect("a client");
    let s_http = baseline::http(Headers::SameAs(Api::Saleshandy));
    let s_g =
        saleshandy_openapi::Client::new_with_client(&tasks_url, s_http.clone(), Default::default());
    let http = baseline::http(Headers::SameAs(Api::Spott));

    const OPERATIONS: [&str; 5] = [
        "create_task",
        "get_contact_overview",
        "create_client_contact",
        "update_candidate",
        "create_tasks",
    ];
    let mut results: [[Vec<f64>; 3]; 5] = Default::default();
    for round in 0..rounds + WARM_UP_ROUNDS {
        let samples: [[f64; 3]; 5] = [
            [
                timed!(task.clone(), |i| t_w.create_task(i).await.expect("wrapper")),
                timed!(task_body.clone(), |i| t_g
                    .create_task()
                    .body(i)
                    .send()
                    .await
                    .expect("generated")),
                timed!(task_body.clone(), |i| baseline::call::<_, sp::Task>(
                    &http,
                    Method::POST,
                    format!("{task_url}/tasks/_raw"),
                    Some(i)
                )
                .await),
            ],
            [
                timed!((), |_i| o_w
                    .contact_overview("cand_1")
                    .await
                    .expect("wrapper")),
                timed!((), |_i| o_g
                    .get_contact_overview()
                    .id("cand_1")
                    .send()
                    .await
                    .expect("generated")),
                timed!((), |_i| baseline::call::<(), sp::ContactOverview>(
                    &http,
                    Method::GET,
                    format!("{overview_url}/clients/contacts/{}", "cand_1"),
                    None
                )
                .await),
            ],
            [
                timed!(contact.clone(), |i| c_w
                    .create_client_contact("client_1", i)
                    .await
                    .expect("wrapper")),
                timed!(contact_body.clone(), |i| c_g
                    .create_client_contact()
                    .id("client_1")
                    .body(i)
                    .send()
                    .await
                    .expect("generated")),
                timed!(contact_body.clone(), |i| {
                    baseline::call::<_, sp::ClientContactCreatedId>(
                        &http,
                        Method::POST,
                        format!("{contact_url}/clients/contacts/{}", "client_1"),
                        Some(i),
                    )
                    .await
                }),
            ],
            [
                timed!(update.clone(), |i| u_w
                    .update_candidate("cand_1", i)
                    .await
                    .expect("wrapper")),
                timed!(update_body.clone(), |i| u_g
                    .update_candidate()
                    .id("cand_1")
                    .body(i)
                    .send()
                    .await
                    .expect("generated")),
                timed!(update_body.clone(), |i| baseline::call::<_, sp::Candidate>(
                    &http,
                    Method::PATCH,
                    format!("{update_url}/candidates/{}", "cand_1"),
                    Some(i)
                )
                .await),
            ],
            [
                timed!(tasks.clone(), |i| s_w
                    .create_tasks(i)
                    .await
                    .expect("wrapper")),
                timed!(tasks_body.clone(), |i| s_g
                    .create_tasks()
                    .body(i)
                    .send()
                    .await
                    .expect("generated")),
                timed!(tasks_body.clone(), |i| baseline::call::<
                    _,
                    sh::CreateTasksResponse,
                >(
                    &s_http,
                    Method::POST,
                    format!("{tasks_url}/v1/tasks/create"),
                    Some(i)
                )
                .await),
            ],
        ];
        if round >= WARM_UP_ROUNDS {
            for (series, sample) in results.iter_mut().zip(samples) {
                for (values, value) in series.iter_mut().zip(sample) {
                    values.push(value);
                }
            }
        }
    }
    for (operation, [w, g, b]) in OPERATIONS.into_iter().zip(results) {
        println!(
            "{operation} {:.0} {:.0} {:.0}",
            median(w),
            median(g),
            median(b)
        );
    }
}
