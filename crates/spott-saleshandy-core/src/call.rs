//! Sending one operation's request: the API key and user agent on every
//! attempt, a per-attempt timeout, a response-size limit, retries by the
//! policy, a `tracing` span, and a record of what happened for the error
//! mapping in [`crate::failure`].
//!
//! # The life of one call
//!
//! `spott.update_candidate("c-1", update)`, step by step, and where each
//! step lives:
//!
//! 1. **Wrapper** (`crates/spott/src/client.rs`): checks the input
//!    ([`crate::path::check_segment`] for the id, the body's own rules) and
//!    hands the generated builder's future to [`crate::finish`] (or
//!    [`crate::finish_any`] for `Client::call`), which runs it under
//!    [`recorded`]: a task-local [`CallRecord`] that the steps below fill in.
//! 2. **Generated client** (`crates/spott-openapi/src/generated.rs`,
//!    progenitor): builds the `reqwest::Request`, each path parameter
//!    percent-encoded as one segment (`encode_path_segment`).
//! 3. **Hooks** (`crates/spott-openapi/src/hooks.rs`, generated): the
//!    `pre` hook asks the wrapper's `Exec::check` whether the URL path still
//!    fits the operation's template ([`check_path`]; a refusal is recorded
//!    and nothing is sent); the `exec` hook hands the request to the
//!    wrapper's `Exec`, which looks the operation up in the generated
//!    operation table (`spott_openapi::OPERATIONS`) for its path template
//!    and retry safety, a [`Route`], and calls [`send`].
//! 4. **Policy** ([`send`], here): adds the key and user agent, opens the
//!    span, and runs the attempts through [`crate::run_with_retries`]; each
//!    failed attempt is classified ([`crate::Outcome`]), and whether it may
//!    have been processed is recorded; [`crate::decide`] says whether to
//!    wait and retry. Every attempt's timeout is capped by the whole call's
//!    deadline.
//! 5. **Transport** (`attempt_once`, here): `reqwest` sends it once,
//!    following no redirect (a read, PUT or DELETE follows same-origin ones
//!    here); the body is read within the size limit. The last response (or transport error)
//!    goes back to progenitor.
//! 6. **Decoding** (progenitor): a success is decoded into the typed value;
//!    anything else is a `progenitor_client::Error`.
//! 7. **Error mapping** ([`crate::failure::into_error`]): the record, not
//!    progenitor's error, decides: a refused path, an oversized body, a
//!    non-success status (with its body kept out of `Display`), then a
//!    transport failure with whether anything was sent. The caller gets one
//!    [`crate::Error`], and [`crate::Error::may_exist_on_server`] answers
//!    "may I send it again?".
//!
//! The task-local record is the one side channel: progenitor's hooks and
//! errors carry no room for it, so [`send`] and [`check_path`] write into
//! the record of the call they run in, and the mapping reads it afterwards.
//! Outside [`recorded`] (the generated client used without a wrapper)
//! nothing is recorded and nothing breaks.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use tracing::Instrument;

use crate::api_key::{API_KEY_HEADER, ApiKey};
use crate::retry::{Decision, Outcome, RequestKind, RetryPolicy, decide};
use crate::retry_after::retry_after_from_headers;
use crate::retry_loop::run_with_retries;
use crate::transport::classify_reqwest_error;

/// How every call of one client is sent.
#[derive(Clone, Debug)]
pub struct CallSettings {
    /// The API key.
    pub api_key: ApiKey,
    /// The key as a sensitive header value, built once and sent as
    /// `x-api-key` on every attempt.
    pub api_key_header: HeaderValue,
    /// Sent as `User-Agent` on every attempt.
    pub user_agent: HeaderValue,
    /// When to try again.
    pub retry: RetryPolicy,
    /// The longest one attempt may take, body included.
    pub attempt_timeout: Duration,
    /// The largest response body accepted, in bytes.
    pub max_response_bytes: u64,
    /// The base URL's path (`/spott` for `https://proxy.example/spott`,
    /// empty for most), which every request path starts with.
    pub base_path: String,
}

/// Which operation a request belongs to, as the generated operation table
/// says: its id and path template (for the span and the path check) and
/// what repeating it could do (for the retry decision).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The `operationId`.
    pub operation: &'static str,
    /// The path template (`/candidates/{id}`).
    pub path: &'static str,
    /// What repeating the request could do.
    pub kind: RequestKind,
}

/// What happened during one call, for turning failures into errors.
#[derive(Clone, Debug, Default)]
pub struct CallRecord {
    /// Attempts made.
    pub attempts: u32,
    /// The last response, when its status was not a success.
    pub last_response: Option<ResponseSnapshot>,
    /// Set when a body exceeded the limit (the limit in bytes).
    pub too_large: Option<u64>,
    /// Whether any attempt ended in a way that may hide a processed
    /// request ([`Outcome::may_have_been_processed`]).
    pub maybe_processed: bool,
    /// Set when [`check_path`] refused the request before it was sent:
    /// the field and the rule.
    pub refused: Option<(String, String)>,
    /// The operation [`send`] sent, once it was called.
    pub operation: Option<&'static str>,
}

/// A response as the error mapping needs it.
#[derive(Clone, Debug)]
pub struct ResponseSnapshot {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

tokio::task_local! {
    static RECORD: Arc<Mutex<CallRecord>>;
}

/// Runs `call` (one generated-client call) and returns what [`send`]
/// recorded while it ran.
pub async fn recorded<F: std::future::Future>(call: F) -> (F::Output, CallRecord) {
    let record = Arc::new(Mutex::new(CallRecord::default()));
    let output = RECORD.scope(record.clone(), call).await;
    let record = record.lock().map(|r| r.clone()).unwrap_or_default();
    (output, record)
}

fn update_record(update: impl FnOnce(&mut CallRecord)) {
    // Outside `recorded` (someone using the hook directly) there is no
    // record to keep, and that is fine.
    let _ = RECORD.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            update(&mut record);
        }
    });
}

/// Checks, right before a request is sent, that its URL path still has
/// the shape of the operation's path `template` (see
/// [`crate::path::check_request_path`]); a generated client's `pre` hook
/// calls it through the wrapper's `Exec`. A refusal is recorded for the
/// error mapping, which turns it into [`crate::Error::InvalidInput`]
/// naming the parameter; the returned text is what progenitor carries.
pub fn check_path(
    settings: &CallSettings,
    request: &reqwest::Request,
    template: &str,
) -> Result<(), String> {
    match crate::path::check_request_path(&settings.base_path, template, request.url().path()) {
        Ok(()) => Ok(()),
        Err(error) => {
            let text = error.to_string();
            if let crate::Error::InvalidInput { field, reason } = error {
                update_record(|record| record.refused = Some((field, reason)));
            }
            Err(text)
        }
    }
}

/// Refuses, right before a request is sent, a call whose
/// [`crate::CallOptions`] break a rule; recorded like a refused path, so
/// the error mapping returns the [`crate::Error::InvalidInput`] naming it.
pub fn check_options(options: &crate::CallOptions) -> Result<(), String> {
    match options.check() {
        Ok(()) => Ok(()),
        Err(error) => {
            let text = error.to_string();
            if let crate::Error::InvalidInput { field, reason } = error {
                update_record(|record| record.refused = Some((field, reason)));
            }
            Err(text)
        }
    }
}

/// One attempt's failure, as the retry loop sees it.
enum AttemptError {
    /// The server answered with a non-success status.
    Status(Buffered),
    /// reqwest failed (connect, timeout, reset).
    Transport(reqwest::Error),
    /// The body was larger than the limit; never retried.
    TooLarge(Buffered),
}

/// A successful attempt's response.
enum Answer {
    /// Read to the end (so a body that broke off could be retried).
    Read(Buffered),
    /// Handed on unread: a success of announced length within the limit,
    /// for a request whose body failure would not be retried anyway.
    Unread(reqwest::Response),
}

/// A response read to the end.
struct Buffered {
    status: reqwest::StatusCode,
    version: reqwest::Version,
    headers: HeaderMap,
    body: Bytes,
}

impl Buffered {
    fn into_response(self) -> reqwest::Response {
        let mut builder = http::Response::builder()
            .status(self.status)
            .version(self.version);
        if let Some(headers) = builder.headers_mut() {
            *headers = self.headers;
        }
        match builder.body(self.body) {
            Ok(response) => reqwest::Response::from(response),
            // Status, version and headers came from a valid response.
            Err(_) => reqwest::Response::from(http::Response::new(Bytes::new())),
        }
    }
}

/// A request that can be built again for every attempt.
struct Template {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Template {
    /// `None` for a streaming body, which cannot be sent twice.
    fn from_request(request: &reqwest::Request) -> Option<Self> {
        let body = match request.body() {
            None => None,
            Some(body) => Some(Bytes::copy_from_slice(body.as_bytes()?)),
        };
        Some(Self {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body,
        })
    }

    fn build(&self, timeout: Duration) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        *request.timeout_mut() = Some(timeout);
        request
    }
}

/// Sends `request` for `route` under `settings`, retrying as the policy
/// allows for the route's kind, and returns the last response
/// with its body already read (so a body that is too large, or that breaks
/// off midway, fails here and not in the decoder).
///
/// The whole call, every attempt and every wait, ends by the policy's
/// [`RetryPolicy::max_elapsed`]: each attempt's timeout is the shorter of
/// the per-attempt timeout and what is left of that deadline.
///
/// Redirects: the client follows none itself. A read (or a PUT or
/// DELETE) follows up to [`MAX_REDIRECTS`] redirects within the same
/// origin, here, a 303 as a GET of the target; any other
/// request gets the 3xx back (mapped to [`crate::Error::Redirect`]): a
/// create the server answered with `303 See Other` was processed, and
/// following it must never turn into sending it again.
pub async fn send(
    client: reqwest::Client,
    mut request: reqwest::Request,
    route: Route,
    settings: Arc<CallSettings>,
) -> reqwest::Result<reqwest::Response> {
    let Route {
        operation,
        path,
        kind,
    } = route;
    let method = request.method().clone();
    update_record(|record| record.operation = Some(operation));
    let headers = request.headers_mut();
    headers.insert(API_KEY_HEADER, settings.api_key_header.clone());
    headers.insert(USER_AGENT, settings.user_agent.clone());

    let span = tracing::info_span!(
        "http_request",
        operation,
        method = %method,
        path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    let started = tokio::time::Instant::now();
    let deadline = started + settings.retry.max_elapsed();
    let attempt_timeout = || {
        settings.attempt_timeout.min(
            deadline
                .saturating_duration_since(tokio::time::Instant::now())
                .max(Duration::from_millis(1)),
        )
    };
    *request.timeout_mut() = Some(attempt_timeout());
    // What may be sent again may follow a redirect: reads, and PUT and
    // DELETE, whose repetition changes nothing more.
    let follow = matches!(kind, RequestKind::Read | RequestKind::Idempotent);
    let can_retry = settings.retry.is_enabled() && settings.retry.max_attempts() > 1;
    // Without retries there is nothing to copy the request for, and no
    // reason to read a success body early.
    let template = if can_retry {
        Template::from_request(&request)
    } else {
        None
    };
    let result = match template {
        // One attempt; also the path of a streaming body, which can be sent
        // once only (progenitor never builds one for these specs).
        None => {
            span.record("attempt", 1);
            update_record(|record| record.attempts = 1);
            attempt_once(&client, request, settings.max_response_bytes, false, follow)
                .instrument(span.clone())
                .await
        }
        Some(template) => {
            // Reading a success body here costs a copy of the response; it
            // is only worth it when a body that breaks off midway would be
            // retried.
            let read_success = matches!(
                decide(
                    &settings.retry,
                    kind,
                    1,
                    Duration::ZERO,
                    &Outcome::ConnectionReset,
                    0.0
                ),
                Decision::Retry(_)
            );
            // The first attempt sends the request as built; only retries
            // need copies from the template.
            let mut first = Some(request);
            let classify_and_record = |error: &AttemptError| {
                let outcome = classify(error);
                if outcome.may_have_been_processed() {
                    update_record(|record| record.maybe_processed = true);
                }
                outcome
            };
            run_with_retries(&settings.retry, kind, classify_and_record, |attempt| {
                span.record("attempt", attempt);
                update_record(|record| record.attempts = attempt);
                let request = first
                    .take()
                    .unwrap_or_else(|| template.build(attempt_timeout()));
                attempt_once(
                    &client,
                    request,
                    settings.max_response_bytes,
                    read_success,
                    follow,
                )
                .instrument(span.clone())
            })
            .await
        }
    };
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );

    let response = match result {
        // A success needs no record: the error mapping never looks at it.
        Ok(Answer::Read(buffered)) => Ok(success(buffered)),
        // Metadata was asked for (`with_meta`): the body may hold the
        // request id, so read it (the limit holds: its length was checked).
        Ok(Answer::Unread(response)) if crate::meta::wanted() => {
            read_success(response).await.map(success)
        }
        Ok(Answer::Unread(response)) => Ok(response),
        Err(error) => finish_failure(error, &settings),
    };
    if let Ok(response) = &response {
        span.record("status", response.status().as_u16());
        // The server's id for the request, to quote to support: a header
        // on every answer, unlike the error body's `requestId`.
        if let Some(id) = header_request_id(response.headers()) {
            span.record("request_id", id);
        }
    }
    response
}

/// The server's id for a request, one rule for successes
/// ([`ResponseMeta`](crate::ResponseMeta)), errors and the call's span, so
/// all three quote the same id: the first of its `x-request-id` and
/// `request-id` headers, else a top-level string `requestId` in the JSON
/// body, which `body` gives (called only when no header names the id, so
/// a caller that has not parsed the body need not).
pub(crate) fn request_id(
    headers: &HeaderMap,
    body: impl FnOnce() -> Option<serde_json::Value>,
) -> Option<String> {
    header_request_id(headers).or_else(|| body()?.get("requestId")?.as_str().map(str::to_owned))
}

/// The server's id for a request, from the first of `x-request-id` and
/// `request-id` it sent (as visible text).
fn header_request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_owned)
}

/// A success handed on, its metadata kept for a `with_meta` call.
fn success(buffered: Buffered) -> reqwest::Response {
    crate::meta::keep(buffered.status.as_u16(), &buffered.headers, &buffered.body);
    buffered.into_response()
}

/// Reads an unread success to the end.
async fn read_success(mut response: reqwest::Response) -> reqwest::Result<Buffered> {
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(Buffered {
        status,
        version,
        headers,
        body,
    })
}

/// Records what the error mapping needs of the last attempt's failure and
/// hands the response (or the transport error) on to progenitor.
fn finish_failure(
    error: AttemptError,
    settings: &CallSettings,
) -> reqwest::Result<reqwest::Response> {
    match error {
        AttemptError::Status(buffered) => {
            remember(&buffered);
            Ok(buffered.into_response())
        }
        AttemptError::TooLarge(buffered) => {
            update_record(|record| record.too_large = Some(settings.max_response_bytes));
            Ok(buffered.into_response())
        }
        AttemptError::Transport(error) => Err(error),
    }
}

fn remember(buffered: &Buffered) {
    let snapshot = ResponseSnapshot {
        status: buffered.status.as_u16(),
        headers: buffered.headers.clone(),
        body: buffered.body.clone(),
    };
    update_record(|record| record.last_response = Some(snapshot));
}

fn classify(error: &AttemptError) -> Outcome {
    match error {
        AttemptError::Status(buffered) => Outcome::Status {
            status: buffered.status.as_u16(),
            retry_after: server_wait(buffered.status.as_u16(), &buffered.headers),
        },
        AttemptError::Transport(error) => classify_reqwest_error(error),
        AttemptError::TooLarge(_) => Outcome::Other,
    }
}

/// The wait a response with `status` asks for. Only a 429 or a 503 asks:
/// rate-limit headers ride on every response of some APIs, and a reset
/// time on a 502 is no reason to wait for it.
pub(crate) fn server_wait(status: u16, headers: &HeaderMap) -> Option<Duration> {
    if matches!(status, 429 | 503) {
        retry_after_from_headers(headers, SystemTime::now())
    } else {
        None
    }
}

/// How many redirects a read follows within its origin.
pub const MAX_REDIRECTS: usize = 5;

/// Where a redirect `response` to a request for `from` points, if it may
/// be followed: a `Location` on the same origin (scheme, host and port),
/// so the key header never travels to another host.
fn same_origin_target(from: &reqwest::Url, response: &reqwest::Response) -> Option<reqwest::Url> {
    let location = response.headers().get(reqwest::header::LOCATION)?;
    let target = from.join(location.to_str().ok()?).ok()?;
    (target.origin() == from.origin()).then_some(target)
}

/// Whether following a `status` redirect of a `method` request is a GET
/// of the target (RFC 9110 15.4): always after 303 See Other, and after
/// 301/302 for a POST, as every client does; 307 and 308 repeat the
/// method and body.
fn turns_into_get(status: reqwest::StatusCode, method: &reqwest::Method) -> bool {
    use reqwest::StatusCode;
    status == StatusCode::SEE_OTHER
        || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
            && method == reqwest::Method::POST)
}

/// Sends `request` once (following a read's same-origin redirects) and
/// reads as much of the response as the caller needs.
async fn attempt_once(
    client: &reqwest::Client,
    request: reqwest::Request,
    limit: u64,
    read_success: bool,
    follow: bool,
) -> Result<Answer, AttemptError> {
    let mut request = request;
    let mut hops = 0;
    let mut response = loop {
        // Bodies are bytes here, so the copy always succeeds.
        let again = if follow { request.try_clone() } else { None };
        let from = request.url().clone();
        let response = client
            .execute(request)
            .await
            .map_err(AttemptError::Transport)?;
        if !response.status().is_redirection() || hops == MAX_REDIRECTS {
            break response;
        }
        match (again, same_origin_target(&from, &response)) {
            (Some(mut next), Some(target)) => {
                *next.url_mut() = target;
                if turns_into_get(response.status(), next.method()) {
                    *next.method_mut() = reqwest::Method::GET;
                    *next.body_mut() = None;
                    next.headers_mut().remove(reqwest::header::CONTENT_TYPE);
                    next.headers_mut().remove(reqwest::header::CONTENT_LENGTH);
                }
                hops += 1;
                request = next;
            }
            _ => break response,
        }
    };
    let status = response.status();
    if !read_success
        && status.is_success()
        && response
            .content_length()
            .is_some_and(|length| length <= limit)
    {
        // hyper enforces the announced length, so the limit holds unread.
        return Ok(Answer::Unread(response));
    }
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let body = match response.content_length() {
        Some(length) if length > limit => None,
        // Announced and within the limit: reqwest collects it, usually
        // without a copy; a body longer than announced is an error hyper
        // reports, not a way around the limit.
        Some(_) => Some(response.bytes().await.map_err(AttemptError::Transport)?),
        None => read_limited(response, limit).await?,
    };
    let Some(body) = body else {
        return Err(AttemptError::TooLarge(Buffered {
            status,
            version,
            headers,
            body: Bytes::new(),
        }));
    };
    let buffered = Buffered {
        status,
        version,
        headers,
        body,
    };
    if status.is_success() {
        Ok(Answer::Read(buffered))
    } else {
        Err(AttemptError::Status(buffered))
    }
}

/// Reads a body of unannounced length, stopping (`None`) past `limit`.
async fn read_limited(
    response: reqwest::Response,
    limit: u64,
) -> Result<Option<Bytes>, AttemptError> {
    let mut body = BytesMut::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(AttemptError::Transport)?;
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}
