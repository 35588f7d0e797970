//! Settings for one call, over the client's own: a retry policy, a
//! per-attempt timeout and extra headers.
//!
//! A wrapper's `client.with_options(options)` is a cheap copy of the client
//! (same connections) whose every call, typed, by operation id or a paged
//! list, uses them; the client itself is unchanged:
//!
//! ```text
//! // This caller looks for duplicates itself, so a create may be retried.
//! let retrying = CallOptions::new()
//!     .retry_policy(RetryPolicy::standard().with_create_retries(true))
//!     .header("x-correlation-id", "import-42");
//! let created = spott.with_options(retrying).create_task(task).await?;
//! ```
//!
//! (The wrappers' docs have it as a compiled example.)
//!
//! A header the client sets itself cannot be replaced: `x-api-key` (the
//! key never changes per call, and a caller's value must not stand in for
//! it), `user-agent` (set it on the builder) and the headers that frame
//! the message (`host`, `content-length`, `transfer-encoding`). Such a
//! header, or one that is not valid HTTP, fails every call of that copy
//! with [`Error::InvalidInput`] naming it, before anything is sent.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::call::CallSettings;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// Headers a call may not set: the client owns them.
const RESERVED: [(&str, &str); 5] = [
    (
        "x-api-key",
        "is the API key header, set by the client; it cannot be replaced per call",
    ),
    (
        "user-agent",
        "is set by the client; configure it on the client builder",
    ),
    ("host", "is set from the base URL"),
    ("content-length", "is set from the body"),
    ("transfer-encoding", "is set from the body"),
];

/// A retry policy, a per-attempt timeout and extra headers for the calls
/// of one `with_options` copy of a client. Unset settings keep the
/// client's.
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    retry: Option<RetryPolicy>,
    request_timeout: Option<Duration>,
    headers: HeaderMap,
    /// The first setting that breaks a rule (field, rule), reported by
    /// every call instead of sending.
    problem: Option<(String, String)>,
}

impl fmt::Debug for CallOptions {
    /// Header names only: a value may be a token of the caller's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("CallOptions")
            .field("retry", &self.retry)
            .field("request_timeout", &self.request_timeout)
            .field("headers", &names)
            .field("problem", &self.problem)
            .finish()
    }
}

impl CallOptions {
    /// No change: every setting is the client's.
    pub fn new() -> Self {
        Self::default()
    }

    /// When to retry these calls, instead of the client's policy; e.g.
    /// [`RetryPolicy::with_create_retries`] for a caller that checks for
    /// duplicates itself.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How long one attempt may take, body included, instead of the
    /// client's request timeout; longer than zero. The whole call's
    /// deadline is the retry policy's [`RetryPolicy::with_max_elapsed`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        if timeout.is_zero() {
            self.refuse("request_timeout", "must be longer than zero");
        }
        self.request_timeout = Some(timeout);
        self
    }

    /// Sends `name: value` with these calls (replacing an earlier value of
    /// the same header). See the module doc for the headers refused.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let field = format!("header {name}");
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.refuse(&field, "is not a valid header name");
            return self;
        };
        if let Some((_, reason)) = RESERVED.iter().find(|(reserved, _)| name == *reserved) {
            self.refuse(&format!("header {name}"), reason);
            return self;
        }
        match HeaderValue::from_str(value) {
            Ok(value) => {
                self.headers.insert(name, value);
            }
            Err(_) => self.refuse(&field, "value must be visible ASCII"),
        }
        self
    }

    /// `Ok` when every setting keeps the rules; otherwise the error each
    /// call would return.
    pub fn check(&self) -> Result<(), Error> {
        match &self.problem {
            Some((field, reason)) => Err(Error::invalid(field.clone(), reason.clone())),
            None => Ok(()),
        }
    }

    /// `other` over these: its settings where it sets them, headers of
    /// both (its value where both set one).
    pub fn merged(&self, other: CallOptions) -> Self {
        let mut headers = self.headers.clone();
        for (name, value) in &other.headers {
            headers.insert(name.clone(), value.clone());
        }
        Self {
            retry: other.retry.or_else(|| self.retry.clone()),
            request_timeout: other.request_timeout.or(self.request_timeout),
            headers,
            problem: self.problem.clone().or(other.problem),
        }
    }

    /// The client's `settings` with these retry and timeout settings laid
    /// over them.
    pub fn apply(&self, settings: &CallSettings) -> CallSettings {
        let mut settings = settings.clone();
        if let Some(retry) = &self.retry {
            settings.retry = retry.clone();
        }
        if let Some(timeout) = self.request_timeout {
            settings.attempt_timeout = timeout;
        }
        settings
    }

    /// Adds the extra headers to `request`. The key and user agent are
    /// set after this, by [`crate::send`], so they win in any case.
    pub fn add_headers(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }

    /// Whether these options change nothing.
    pub fn is_empty(&self) -> bool {
        self.retry.is_none()
            && self.request_timeout.is_none()
            && self.headers.is_empty()
            && self.problem.is_none()
    }

    fn refuse(&mut self, field: &str, reason: &str) {
        // The first problem is the one reported.
        if self.problem.is_none() {
            self.problem = Some((field.to_owned(), reason.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_header_cannot_be_replaced_in_any_case() {
        for name in ["x-api-key", "X-API-Key"] {
            let error = CallOptions::new()
                .header(name, "someone-elses-key")
                .check()
                .unwrap_err();
            assert_eq!(
                error.to_string(),
                "invalid header x-api-key: is the API key header, set by the client; it cannot be replaced per call"
            );
            assert!(!format!("{error:?}").contains("someone-elses-key"));
        }
    }

    #[test]
    fn the_refused_key_header_is_the_one_the_client_sends() {
        assert_eq!(RESERVED[0].0, crate::api_key::API_KEY_HEADER.as_str());
    }

    #[test]
    fn bad_headers_and_timeouts_are_named() {
        let cases = [
            (
                CallOptions::new().header("bad name", "v"),
                "invalid header bad name: is not a valid header name",
            ),
            (
                CallOptions::new().header("x-trace", "line\nbreak"),
                "invalid header x-trace: value must be visible ASCII",
            ),
            (
                CallOptions::new().request_timeout(Duration::ZERO),
                "invalid request_timeout: must be longer than zero",
            ),
        ];
        for (options, expected) in cases {
            assert_eq!(options.check().unwrap_err().to_string(), expected);
        }
        assert!(CallOptions::new().header("x-trace", "t-1").check().is_ok());
    }

    #[test]
    fn debug_shows_header_names_not_values() {
        let options = CallOptions::new().header("x-partner-token", "tok-secret-1");
        let debug = format!("{options:?}");
        assert!(debug.contains("x-partner-token") && !debug.contains("tok-secret-1"));
    }

    #[test]
    fn later_options_win_and_headers_add_up() {
        let first = CallOptions::new()
            .request_timeout(Duration::from_secs(5))
            .header("x-a", "1");
        let both = first.merged(
            CallOptions::new()
                .retry_policy(RetryPolicy::disabled())
                .header("x-b", "2"),
        );
        assert_eq!(both.request_timeout, Some(Duration::from_secs(5)));
        assert_eq!(both.retry, Some(RetryPolicy::disabled()));
        assert_eq!(both.headers.len(), 2);
    }
}
