//! The hand-written baseline: `reqwest` + `serde`, nothing else.
//!
//! It sends the same request bytes as the generated and wrapper clients
//! (the same headers: `x-api-key`, `user-agent`, `accept`, `api-version`,
//! `content-type`), so the server does the same work for all three and a
//! ratio shows what the client code costs. [`Headers::Bare`] sends
//! reqwest's defaults instead, for the record of what the extra headers
//! cost the server.

use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The key every benchmark client sends.
pub const KEY: &str = "bench-key";

/// Which headers the baseline sends besides the key and the body's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headers {
    /// The headers the generated and wrapper clients send for `api`.
    SameAs(Api),
    /// reqwest's defaults.
    Bare,
}

/// The two APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// Spott.
    Spott,
    /// Saleshandy.
    Saleshandy,
}

/// A reqwest client sending the key, and with [`Headers::SameAs`], the
/// other headers the bindings send, on every request.
///
/// # Panics
/// When reqwest cannot build a client (no TLS backend): nothing can run.
pub fn http(headers: Headers) -> reqwest::Client {
    use spott_openapi::ClientInfo as _;
    use spott_saleshandy_core::Api as _;

    let mut map = HeaderMap::new();
    let mut key = HeaderValue::from_static(KEY);
    key.set_sensitive(true);
    map.insert("x-api-key", key);
    if let Headers::SameAs(api) = headers {
        let (user_agent, api_version) = match api {
            Api::Spott => (
                spott::Client::default_user_agent(),
                spott_openapi::Client::api_version(),
            ),
            Api::Saleshandy => (
                saleshandy::Client::default_user_agent(),
                saleshandy_openapi::Client::api_version(),
            ),
        };
        map.insert(
            USER_AGENT,
            HeaderValue::from_str(&user_agent).expect("a valid user agent"),
        );
        map.insert(ACCEPT, HeaderValue::from_static("application/json"));
        map.insert(
            HeaderName::from_static("api-version"),
            HeaderValue::from_static(api_version),
        );
    }
    reqwest::Client::builder()
        .default_headers(map)
        .build()
        .expect("a reqwest client")
}

/// What a careful person writes by hand: build the URL, send JSON, check
/// the status, decode JSON into the same types. The body is the caller's,
/// dropped once sent, like the bodies the bindings take.
///
/// # Panics
/// On any failure: the benchmarks talk to a canned server that answers
/// every request with a documented success.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<B>,
) -> T {
    let mut request = http.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.expect("decoded")
}
