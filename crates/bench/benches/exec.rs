//! Where the wrapper's per-call time goes: the same GET sent by reqwest
//! alone, through `spott_saleshandy_core::send` (key, retries, timeout, body limit),
//! the same with retries switched off (no copy of the request kept for a
//! retry, no early read of the body), and inside `spott_saleshandy_core::recorded`
//! (the per-call error record).

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use reqwest::header::HeaderValue;
use spott_saleshandy_core::{ApiKey, CallSettings, RequestKind, RetryPolicy, Route};

/// A read, as the operation table would describe one.
const ROUTE: Route = Route {
    operation: "op",
    path: "/p",
    kind: RequestKind::Read,
};

fn exec(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = rt.block_on(async {
        format!(
            "http://{}/clients/contacts/cand_1",
            bench::canned_server(
                200,
                bench::page_example("spott", "get_contact_overview", false)
            )
            .await
        )
    });
    let http = reqwest::Client::new();
    let key = ApiKey::new("bench-key").unwrap();
    let settings = Arc::new(CallSettings {
        api_key_header: key.header_value(),
        api_key: key,
        user_agent: HeaderValue::from_static("bench/0"),
        retry: RetryPolicy::standard(),
        attempt_timeout: Duration::from_secs(30),
        max_response_bytes: 8 << 20,
        base_path: String::new(),
    });
    let no_retries = Arc::new(CallSettings {
        retry: RetryPolicy::disabled(),
        ..CallSettings::clone(&settings)
    });
    let request = || http.get(&url).build().unwrap();
    let mut group = c.benchmark_group("exec");
    group.bench_function("reqwest_execute", |b| {
        b.to_async(&rt).iter(|| async {
            http.execute(request())
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        })
    });
    group.bench_function("core_send", |b| {
        b.to_async(&rt).iter(|| async {
            spott_saleshandy_core::send(http.clone(), request(), ROUTE, settings.clone())
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        })
    });
    group.bench_function("core_send_no_retries", |b| {
        b.to_async(&rt).iter(|| async {
            spott_saleshandy_core::send(http.clone(), request(), ROUTE, no_retries.clone())
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        })
    });
    group.bench_function("core_send_recorded", |b| {
        b.to_async(&rt).iter(|| async {
            let (response, _) = spott_saleshandy_core::recorded(spott_saleshandy_core::send(
                http.clone(),
                request(),
                ROUTE,
                settings.clone(),
            ))
            .await;
            response.unwrap().bytes().await.unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, exec);
criterion_main!(benches);
