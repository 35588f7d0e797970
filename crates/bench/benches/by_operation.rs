//! Every operation of both operation tables, one call each on loopback:
//! `call_json` through the wrapper (key, retry policy, path check, span,
//! error mapping) against the same request sent with hand-written reqwest
//! and decoded into JSON (the baseline), both against a canned server
//! answering the operation's documented success example. The operations
//! come from the generated tables, so a new spec operation is measured
//! with no edit here.

use std::time::Duration;

use bench::baseline::{self, Api, Headers, KEY};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::Value;
use spott_saleshandy_core::dynamic::Arguments;
use tokio::runtime::Runtime;

/// The id every path parameter gets.
const ID: &str = "id-1";

/// What one operation needs for a call: its row, the documented request
/// body (if it takes one) and success body.
struct Case {
    api: Api,
    id: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: &'static [&'static str],
    request: Option<Value>,
    success: Value,
    status: u16,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    macro_rules! table {
        ($api:expr, $name:literal, $table:expr) => {
            for row in $table {
                cases.push(Case {
                    api: $api,
                    id: row.id,
                    method: row.method,
                    path: row.path,
                    path_params: row.path_params,
                    request: row
                        .request_type
                        .map(|_| bench::page_example($name, row.id, true)),
                    success: if row.success_type == "()" {
                        Value::Null
                    } else {
                        bench::page_example($name, row.id, false)
                    },
                    status: row.success_status,
                });
            }
        };
    }
    table!(Api::Spott, "spott", spott_openapi::OPERATIONS);
    table!(
        Api::Saleshandy,
        "saleshandy",
        saleshandy_openapi::OPERATIONS
    );
    cases
}

fn by_operation(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut group = c.benchmark_group("by_operation");
    group.measurement_time(Duration::from_secs(2));
    group.warm_up_time(Duration::from_millis(500));
    for case in cases() {
        bench_case(&mut group, &rt, &case);
    }
    group.finish();
}

fn bench_case(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rt: &Runtime,
    case: &Case,
) {
    let url = rt.block_on(async {
        format!(
            "http://{}",
            bench::canned_server(case.status, case.success.clone()).await
        )
    });
    let path: Vec<(&str, &str)> = case.path_params.iter().map(|name| (*name, ID)).collect();
    let arguments = Arguments {
        path: &path,
        query: &[],
        body: case.request.as_ref(),
    };
    let name = case.id.to_owned();
    match case.api {
        Api::Spott => {
            let client = spott::Client::builder()
                .api_key(KEY)
                .base_url(&url)
                .build()
                .expect("a client");
            group.bench_function(BenchmarkId::new(&name, "wrapper"), |b| {
                b.to_async(rt)
                    .iter(|| async { client.call_json(case.id, arguments).await.expect("ok") })
            });
        }
        Api::Saleshandy => {
            let client = saleshandy::Client::builder()
                .api_key(KEY)
                .base_url(&url)
                .build()
                .expect("a client");
            group.bench_function(BenchmarkId::new(&name, "wrapper"), |b| {
                b.to_async(rt)
                    .iter(|| async { client.call_json(case.id, arguments).await.expect("ok") })
            });
        }
    }
    let http = baseline::http(Headers::SameAs(case.api));
    let mut target = case.path.to_owned();
    for name in case.path_params {
        target = target.replace(&format!("{{{name}}}"), ID);
    }
    let target = format!("{url}{target}");
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("a method");
    group.bench_function(BenchmarkId::new(&name, "baseline"), |b| {
        b.to_async(rt).iter(|| async {
            let mut request = http.request(method.clone(), &target);
            if let Some(body) = &case.request {
                request = request.json(body);
            }
            let response = request.send().await.expect("sent");
            let bytes = response.bytes().await.expect("read");
            if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice::<Value>(&bytes).expect("JSON")
            }
        })
    });
}

criterion_group!(benches, by_operation);
criterion_main!(benches);
