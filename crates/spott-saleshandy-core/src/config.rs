//! Building a client: key, base URL, timeouts, retries, user agent and an
//! optional caller-supplied `reqwest::Client`, shared by both wrappers.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::api_key::ApiKey;
use crate::base_url::BaseUrl;
use crate::call::CallSettings;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// What a wrapper tells the builder about its API.
pub trait Api: Sized {
    /// The API's documented base URL.
    const DEFAULT_BASE_URL: &'static str;
    /// Environment variable holding the API key (`SPOTT_API_KEY`).
    const API_KEY_VAR: &'static str;
    /// Environment variable overriding the base URL (`SPOTT_BASE_URL`).
    const BASE_URL_VAR: &'static str;
    /// The default `User-Agent` (`spott/0.1.0`).
    fn default_user_agent() -> String;
    /// Makes the wrapper's client from a finished configuration.
    fn from_connection(connection: Connection) -> Self;
    /// The path templates of every operation (from the generated
    /// operation table). A base URL that already ends with the segments
    /// all of them start with (Saleshandy's documented
    /// `https://open-api.saleshandy.com/v1`, whose operations are all
    /// `/v1/…`) has them taken off, so they are not sent twice.
    fn operation_paths() -> Vec<&'static str> {
        Vec::new()
    }
}

/// The leading literal path segments every one of `paths` shares
/// (`["v1"]`), never a path's last segment.
fn shared_prefix<'a>(paths: &[&'a str]) -> Vec<&'a str> {
    let mut iter = paths.iter();
    let Some(first) = iter.next() else {
        return Vec::new();
    };
    // Only literal segments, never a `{parameter}`, and never the last one.
    let mut shared: Vec<&str> = first
        .trim_start_matches('/')
        .split('/')
        .take_while(|segment| !segment.starts_with('{'))
        .collect();
    shared.pop();
    for path in iter {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let same = shared
            .iter()
            .zip(&segments)
            .take_while(|(a, b)| a == b)
            .count();
        shared.truncate(same.min(segments.len().saturating_sub(1)));
    }
    shared
}

/// `base_url` without the longest leading part of the operations' shared
/// prefix that its path ends with (`…/v1` for `/v1/tasks/…`).
fn without_shared_prefix(base_url: BaseUrl, paths: &[&str]) -> BaseUrl {
    let shared = shared_prefix(paths);
    for length in (1..=shared.len()).rev() {
        let suffix: String = shared[..length].iter().map(|s| format!("/{s}")).collect();
        if base_url
            .url()
            .path()
            .trim_end_matches('/')
            .ends_with(&suffix)
        {
            return base_url.without_path_suffix(&suffix);
        }
    }
    base_url
}

/// A finished configuration: what a wrapper needs to send calls.
#[derive(Clone)]
pub struct Connection {
    /// The HTTP client, built by [`ClientBuilder::build`] (from the
    /// caller's `reqwest::ClientBuilder`, if one was given).
    pub http: reqwest::Client,
    /// The validated base URL.
    pub base_url: BaseUrl,
    /// Key, user agent, retries, timeouts and limits for every call.
    pub settings: Arc<CallSettings>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("base_url", &self.base_url.as_str())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Builder for a wrapper's client. Every setting has a default except the
/// API key.
///
/// | setting | default |
/// |---|---|
/// | base URL | the API's documented URL |
/// | connect timeout | 10 s |
/// | request timeout (per attempt, body included) | 30 s |
/// | retry policy | [`RetryPolicy::standard`] |
/// | user agent | `<crate>/<version>` |
/// | largest response body | 8 MiB |
///
/// Whatever the caller configures, the HTTP client this builds follows no
/// redirect itself (reads follow same-origin ones in [`crate::send`]; a
/// create's 3xx comes back as [`Error::Redirect`]), never repeats a request
/// that may have reached the server behind the retry policy's back, and sends a loopback base URL's plain-HTTP
/// requests straight to it, never through a proxy: the key must not
/// cross a hop in clear.
#[must_use]
pub struct ClientBuilder<A: Api> {
    api_key: Option<Result<ApiKey, Error>>,
    base_url: String,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http: Option<reqwest::ClientBuilder>,
    max_response_bytes: u64,
    api: PhantomData<fn() -> A>,
}

impl<A: Api> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "api_key",
                &self.api_key.as_ref().map(|key| key.is_ok()).map(|_| "***"),
            )
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl<A: Api> Default for ClientBuilder<A> {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: A::DEFAULT_BASE_URL.to_owned(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::standard(),
            user_agent: A::default_user_agent(),
            http: None,
            max_response_bytes: 8 * 1024 * 1024,
            api: PhantomData,
        }
    }
}

impl<A: Api> ClientBuilder<A> {
    /// A builder with every default and no API key yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the key from the API's key variable and, if set, the
    /// base URL from its base URL variable. A missing key is reported by
    /// [`ClientBuilder::build`], naming the variable.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with a custom variable lookup.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut builder = Self::new();
        builder.api_key = Some(match lookup(A::API_KEY_VAR) {
            Some(value) => ApiKey::for_field(A::API_KEY_VAR, value).map_err(|e| Error::Config {
                setting: A::API_KEY_VAR.to_owned(),
                reason: e.problem().to_string(),
            }),
            None => Err(Error::Config {
                setting: A::API_KEY_VAR.to_owned(),
                reason: "is not set".to_owned(),
            }),
        });
        if let Some(url) = lookup(A::BASE_URL_VAR) {
            builder.base_url = url;
        }
        builder
    }

    /// The API key, sent as `x-api-key` on every request.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key).map_err(|e| Error::Config {
            setting: "api_key".to_owned(),
            reason: e.problem().to_string(),
        }));
        self
    }

    /// The base URL (for a proxy or the mock server). `http://` is accepted
    /// for loopback hosts only.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long connecting may take (longer than zero).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the last body byte.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// When to retry; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Build the HTTP client from this `reqwest::ClientBuilder` (its proxy,
    /// TLS and pool settings). A finished `reqwest::Client` is not taken,
    /// because its redirect policy cannot be checked: the builder's redirect
    /// policy, retry layer and (for a loopback base URL) proxies are
    /// replaced by the rules above, and the connect timeout is set. The key,
    /// user agent, per-attempt timeout and retries apply as usual.
    pub fn http_client(mut self, client: reqwest::ClientBuilder) -> Self {
        self.http = Some(client);
        self
    }

    /// The largest response body accepted; larger ones fail with
    /// [`Error::ResponseTooLarge`] instead of filling memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks every setting and builds the client.
    pub fn build(self) -> Result<A, Error> {
        let api_key = self.api_key.unwrap_or_else(|| {
            Err(Error::Config {
                setting: "api_key".to_owned(),
                reason: "is required".to_owned(),
            })
        })?;
        let base_url = BaseUrl::parse(&self.base_url).map_err(|e| Error::Config {
            setting: "base_url".to_owned(),
            reason: e.to_string(),
        })?;
        let base_url = without_shared_prefix(base_url, &A::operation_paths());
        for (setting, timeout) in [
            ("request_timeout", self.request_timeout),
            ("connect_timeout", self.connect_timeout),
        ] {
            if timeout.is_zero() {
                return Err(Error::Config {
                    setting: setting.to_owned(),
                    reason: "must be longer than zero".to_owned(),
                });
            }
        }
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| Error::Config {
            setting: "user_agent".to_owned(),
            reason: "must be visible ASCII".to_owned(),
        })?;
        let http = http_client(
            self.http.unwrap_or_default(),
            self.connect_timeout,
            base_url.is_loopback(),
        )?;
        let base_path = base_url.url().path().trim_end_matches('/').to_owned();
        Ok(A::from_connection(Connection {
            http,
            base_url,
            settings: Arc::new(CallSettings {
                api_key_header: api_key.header_value(),
                api_key,
                user_agent,
                retry: self.retry,
                attempt_timeout: self.request_timeout,
                max_response_bytes: self.max_response_bytes,
                base_path,
            }),
        }))
    }
}

/// The caller's (or a default) `reqwest::ClientBuilder` with the rules
/// that keep a create single and the key safe laid over it:
///
/// - no redirect is followed by reqwest. A policy cannot see the request's
///   method, and a create answered with a redirect may already exist;
///   [`crate::send`] follows a read's same-origin redirects itself;
/// - reqwest's own retry layer is off: retrying is
///   [`crate::run_with_retries`]'s job alone (a create must never be
///   repeated behind its back); with HTTP/1.1 only the layer never retries
///   anyway, and left on it copies every request in case it might. (hyper's
///   pool still re-sends a request that never left the client, when the
///   pooled connection it picked turned out closed before writing: that
///   cannot apply anything twice.)
/// - a loopback base URL (the only one plain HTTP is allowed for) is never
///   reached through a proxy from `HTTP_PROXY`/`ALL_PROXY`, which would get
///   the key in clear. An `https://` base URL may go through a proxy: the
///   request travels inside a TLS tunnel (CONNECT) the proxy cannot read.
fn http_client(
    builder: reqwest::ClientBuilder,
    connect_timeout: Duration,
    loopback: bool,
) -> Result<reqwest::Client, Error> {
    let builder = builder
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0));
    let builder = if loopback {
        builder.no_proxy()
    } else {
        builder
    };
    builder.build().map_err(|e| Error::Config {
        setting: "http_client".to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Demo(Connection);

    impl Api for Demo {
        const DEFAULT_BASE_URL: &'static str = "https://api.example.com";
        const API_KEY_VAR: &'static str = "DEMO_API_KEY";
        const BASE_URL_VAR: &'static str = "DEMO_BASE_URL";
        fn default_user_agent() -> String {
            "demo/1.0.0".to_owned()
        }
        fn from_connection(connection: Connection) -> Self {
            Demo(connection)
        }
    }

    fn config_error(result: Result<Demo, Error>) -> (String, String) {
        match result {
            Err(Error::Config { setting, reason }) => (setting, reason),
            Err(other) => panic!("expected a configuration error, got {other:?}"),
            Ok(_) => panic!("expected a configuration error, got a client"),
        }
    }

    #[test]
    fn the_operations_shared_prefix_is_not_doubled() {
        let base = |url: &str| BaseUrl::parse(url).unwrap();
        let saleshandy = [
            "/v1/tasks/create",
            "/v1/prospects",
            "/v1/tasks/{taskId}/snooze",
        ];
        assert_eq!(shared_prefix(&saleshandy), ["v1"]);
        assert_eq!(
            shared_prefix(&["/tasks/_raw", "/candidates/{id}"]),
            Vec::<&str>::new()
        );
        for (url, paths, expected) in [
            ("https://h/v1", &saleshandy[..], "https://h"),
            ("https://h/v1/", &saleshandy[..], "https://h"),
            ("https://h/proxy/v1", &saleshandy[..], "https://h/proxy"),
            ("https://h", &saleshandy[..], "https://h"),
            ("https://h/apiv1", &saleshandy[..], "https://h/apiv1"),
            ("https://h/v1/tasks", &["/v1/tasks/create"][..], "https://h"),
            (
                "https://h/tasks",
                &["/tasks/_raw", "/candidates/{id}"][..],
                "https://h/tasks",
            ),
        ] {
            assert_eq!(
                without_shared_prefix(base(url), paths).as_str(),
                expected,
                "{url}"
            );
        }
    }

    #[test]
    fn defaults_apply() {
        let Demo(connection) = ClientBuilder::<Demo>::new().api_key("k-1").build().unwrap();
        assert_eq!(connection.base_url.as_str(), "https://api.example.com");
        assert_eq!(connection.settings.user_agent, "demo/1.0.0");
        assert_eq!(connection.settings.attempt_timeout, Duration::from_secs(30));
        assert_eq!(connection.settings.max_response_bytes, 8 * 1024 * 1024);
    }

    #[test]
    fn env_lookup_reads_key_and_base_url() {
        let Demo(connection) = ClientBuilder::<Demo>::from_lookup(|name| match name {
            "DEMO_API_KEY" => Some("env-key".to_owned()),
            "DEMO_BASE_URL" => Some("http://127.0.0.1:9999".to_owned()),
            _ => None,
        })
        .build()
        .unwrap();
        assert_eq!(connection.settings.api_key.expose_secret(), "env-key");
        assert_eq!(connection.base_url.as_str(), "http://127.0.0.1:9999");
    }

    #[test]
    fn missing_env_key_names_the_variable() {
        let (setting, reason) = config_error(ClientBuilder::<Demo>::from_lookup(|_| None).build());
        assert_eq!(
            (setting.as_str(), reason.as_str()),
            ("DEMO_API_KEY", "is not set")
        );
    }

    #[test]
    fn missing_key_and_bad_settings_are_named() {
        assert_eq!(
            config_error(ClientBuilder::<Demo>::new().build()).0,
            "api_key"
        );
        let (setting, _) = config_error(ClientBuilder::<Demo>::new().api_key(" ").build());
        assert_eq!(setting, "api_key");
        let (setting, reason) = config_error(
            ClientBuilder::<Demo>::new()
                .api_key("k")
                .base_url("http://api.example.com")
                .build(),
        );
        assert_eq!(setting, "base_url");
        assert!(reason.contains("http"), "{reason}");
        let (setting, _) = config_error(
            ClientBuilder::<Demo>::new()
                .api_key("k")
                .request_timeout(Duration::ZERO)
                .build(),
        );
        assert_eq!(setting, "request_timeout");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = ClientBuilder::<Demo>::new().api_key("sentinel-key-123");
        assert!(!format!("{builder:?}").contains("sentinel-key-123"));
        let Demo(connection) = builder.build().unwrap();
        assert!(!format!("{connection:?}").contains("sentinel-key-123"));
    }
}
