//! The retry decision: a pure function of the policy, what kind of request
//! it was, how far along we are, and how the last attempt ended.
//!
//! The rule that shapes everything else: a request that creates something
//! is repeated only when the server provably never saw it (the connection
//! was never made) or said so itself (429). A 502 or a timeout after a POST
//! may hide a record that was created, and repeating it would create a
//! second one.

use std::fmt;
use std::time::Duration;

use reqwest::Method;

use crate::backoff::full_jitter;

/// How often and how long to retry.
///
/// Start from [`RetryPolicy::standard`] or [`RetryPolicy::disabled`] and
/// adjust with the `with_*` methods:
///
/// ```
/// use std::time::Duration;
/// use spott_saleshandy_core::RetryPolicy;
///
/// let policy = RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_max_retry_after(Duration::from_secs(120))
///     .with_idempotent_write_retries(true);
/// assert_eq!(policy.max_attempts(), 5);
/// assert!(!RetryPolicy::disabled().is_enabled());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    enabled: bool,
    max_attempts: u32,
    max_elapsed: Duration,
    base_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    idempotent_write_retries: bool,
    create_retries: bool,
}

impl RetryPolicy {
    /// Retries on, with:
    ///
    /// | setting | value |
    /// |---|---|
    /// | attempts in total | 3 |
    /// | elapsed time, including waits | 2 minutes |
    /// | backoff | 0.5 s doubling per retry, capped at 10 s, full jitter |
    /// | longest `Retry-After` honoured | 60 s |
    /// | retry PATCH/PUT on 502/503/504, timeout, reset | no |
    ///
    /// PATCH is not idempotent by definition, so retrying it after an
    /// ambiguous failure is opt-in per API ([`Self::with_idempotent_write_retries`]).
    pub fn standard() -> Self {
        Self {
            enabled: true,
            max_attempts: 3,
            max_elapsed: Duration::from_secs(120),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            idempotent_write_retries: false,
            create_retries: false,
        }
    }

    /// No retries at all: every request is made exactly once.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Total attempts, the first included. Zero is treated as one.
    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Longest time from the first attempt until a retry may start, waits
    /// included. A retry whose wait would end past it is not started.
    #[must_use]
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Backoff window of the first retry; it doubles for each later one.
    #[must_use]
    pub fn with_base_backoff(mut self, base_backoff: Duration) -> Self {
        self.base_backoff = base_backoff;
        self
    }

    /// Largest backoff window, however many retries came before.
    #[must_use]
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Longest server-requested wait (`Retry-After`, rate-limit reset) we
    /// are willing to sit through. A longer request stops the retries
    /// rather than blocking the caller for it.
    #[must_use]
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Whether [`RequestKind::IdempotentWrite`] requests (PATCH) are
    /// retried after failures that leave it unknown whether the
    /// server applied them (502/503/504, timeout, connection reset). Turn on
    /// for an API whose writes set absolute values, so applying one twice
    /// equals applying it once.
    #[must_use]
    pub fn with_idempotent_write_retries(mut self, retry: bool) -> Self {
        self.idempotent_write_retries = retry;
        self
    }

    /// Whether [`RequestKind::Create`] requests (POST) are retried after
    /// failures that leave it unknown whether the server created the
    /// record (502/503/504, timeout, connection reset), like a read. Off by
    /// default, and meant for one call (`CallOptions::retry_policy`) of a
    /// caller that finds and removes duplicates itself: a retry may create
    /// the record twice. Redirects are still never followed for a create.
    #[must_use]
    pub fn with_create_retries(mut self, retry: bool) -> Self {
        self.create_retries = retry;
        self
    }

    /// See [`Self::with_create_retries`].
    pub fn create_retries(&self) -> bool {
        self.create_retries
    }

    /// Turns retrying on or off without touching the other settings.
    #[must_use]
    pub fn with_enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Whether any retry may happen.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// See [`Self::with_max_elapsed`].
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// See [`Self::with_base_backoff`].
    pub fn base_backoff(&self) -> Duration {
        self.base_backoff
    }

    /// See [`Self::with_max_backoff`].
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// See [`Self::with_max_retry_after`].
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// See [`Self::with_idempotent_write_retries`].
    pub fn idempotent_write_retries(&self) -> bool {
        self.idempotent_write_retries
    }
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::standard`].
    fn default() -> Self {
        Self::standard()
    }
}

/// What repeating a request could do, which decides when it may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// Reads (GET, HEAD, OPTIONS): repeating is harmless.
    Read,
    /// Writes HTTP defines as idempotent (PUT, DELETE): applying one twice
    /// leaves the same state as applying it once, so they are retried like
    /// reads.
    Idempotent,
    /// Partial updates (PATCH): repeating is harmless only if the API
    /// applies them idempotently, which the policy decides
    /// ([`RetryPolicy::with_idempotent_write_retries`]).
    IdempotentWrite,
    /// Writes that create (POST): repeating may create a duplicate.
    Create,
}

impl RequestKind {
    /// The kind an HTTP method implies. Unknown methods count as
    /// [`RequestKind::Create`], the kind retried least. A POST that only
    /// reads (a search endpoint) can be declared [`RequestKind::Read`] by
    /// the caller instead.
    pub fn from_method(method: &Method) -> Self {
        match *method {
            Method::GET | Method::HEAD | Method::OPTIONS => Self::Read,
            Method::PUT | Method::DELETE => Self::Idempotent,
            Method::PATCH => Self::IdempotentWrite,
            _ => Self::Create,
        }
    }
}

/// How one attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with `status`. `retry_after` is the wait it asked
    /// for, if any (see [`crate::retry_after`]).
    Status {
        /// The HTTP status code.
        status: u16,
        /// The server-requested wait before trying again.
        retry_after: Option<Duration>,
    },
    /// No complete answer in time. The request may have been processed.
    Timeout,
    /// The connection could not be made (refused, DNS, TLS handshake): no
    /// byte of the request reached the server.
    ConnectFailed,
    /// The connection broke after it was made. The request may have been
    /// processed.
    ConnectionReset,
    /// Anything else (an invalid request, an unreadable response): trying
    /// again would fail the same way.
    Other,
}

impl Outcome {
    /// Whether the server may have processed a request whose attempt ended
    /// like this. Only a connection that was never made, a 429 and any
    /// other 4xx (the server refused the request) say it did not; an
    /// answer of any other status, a timeout, a broken connection and
    /// anything unclassified (an oversized answer) may hide a processed
    /// request. [`crate::Error::may_exist_on_server`] is built on it.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Status { status, .. } => !(400..500).contains(status),
            Self::ConnectFailed => false,
            Self::Timeout | Self::ConnectionReset | Self::Other => true,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status { status, .. } => write!(f, "HTTP {status}"),
            Self::Timeout => f.write_str("timeout"),
            Self::ConnectFailed => f.write_str("connection failed"),
            Self::ConnectionReset => f.write_str("connection reset"),
            Self::Other => f.write_str("non-retryable error"),
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Do not try again.
    Stop(StopReason),
}

/// Why [`decide`] said stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The policy has retries turned off.
    Disabled,
    /// The attempt did not fail (a status from 100 to 399).
    NotAFailure,
    /// The failure is not one a retry fixes (500, a 4xx other than 429, an
    /// invalid request).
    NotRetryable,
    /// The failure could be transient, but the request may already have
    /// been applied and this kind of request must not be applied twice.
    UnsafeToRepeat,
    /// The policy's attempt budget is used up.
    AttemptsExhausted,
    /// Waiting would take the operation past the policy's elapsed-time budget.
    OutOfTime,
    /// The server asked for a longer wait than the policy allows.
    RetryAfterTooLong {
        /// What the server asked for.
        requested: Duration,
        /// The policy's limit.
        limit: Duration,
    },
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disabled => f.write_str("retries are disabled"),
            Self::NotAFailure => f.write_str("the attempt did not fail"),
            Self::NotRetryable => f.write_str("the failure is not retryable"),
            Self::UnsafeToRepeat => {
                f.write_str("the request may already have been applied and must not be repeated")
            }
            Self::AttemptsExhausted => f.write_str("no attempts left"),
            Self::OutOfTime => f.write_str("no time left"),
            Self::RetryAfterTooLong { requested, limit } => write!(
                f,
                "the server asked to wait {requested:?}, longer than the {limit:?} allowed"
            ),
        }
    }
}

/// Whether to try again after `attempt` (1 for the first) ended with
/// `outcome`, `elapsed` after the first attempt started.
///
/// The rules, in order:
/// 1. a disabled policy stops;
/// 2. statuses 100–399 stop ([`StopReason::NotAFailure`]);
/// 3. which failures may be retried, by kind:
///
///    | outcome | Read | IdempotentWrite | Create |
///    |---|---|---|---|
///    | 429 | yes | yes | yes |
///    | 502, 503, 504 | yes | if the policy allows | never |
///    | timeout, connection reset | yes | if the policy allows | never |
///    | connect failed | yes | yes | yes |
///    | 500, other 4xx, other 5xx, other | never | never | never |
///
///    429 and a failed connect are safe for every kind: the server did not
///    process the request. Everything in the middle rows may have been
///    applied;
/// 4. the attempt budget: `attempt >= max_attempts` stops;
/// 5. the wait is the server's `retry_after` when it sent one (a value
///    above the policy's `max_retry_after` stops instead of waiting),
///    otherwise a full-jitter backoff for this retry number, `jitter` in
///    `[0, 1)` choosing the point in the window;
/// 6. a wait that would end past `max_elapsed` stops.
///
/// ```
/// use std::time::Duration;
/// use spott_saleshandy_core::{decide, Decision, Outcome, RequestKind, RetryPolicy, StopReason};
///
/// let policy = RetryPolicy::standard();
/// let throttled = Outcome::Status { status: 429, retry_after: Some(Duration::from_secs(2)) };
/// assert_eq!(
///     decide(&policy, RequestKind::Create, 1, Duration::ZERO, &throttled, 0.5),
///     Decision::Retry(Duration::from_secs(2))
/// );
/// assert_eq!(
///     decide(&policy, RequestKind::Create, 1, Duration::ZERO, &Outcome::Timeout, 0.5),
///     Decision::Stop(StopReason::UnsafeToRepeat)
/// );
/// ```
pub fn decide(
    policy: &RetryPolicy,
    kind: RequestKind,
    attempt: u32,
    elapsed: Duration,
    outcome: &Outcome,
    jitter: f64,
) -> Decision {
    if !policy.enabled {
        return Decision::Stop(StopReason::Disabled);
    }
    if let Err(reason) = retryable(policy, kind, outcome) {
        return Decision::Stop(reason);
    }
    if attempt >= policy.max_attempts {
        return Decision::Stop(StopReason::AttemptsExhausted);
    }
    let server_wait = match *outcome {
        Outcome::Status { retry_after, .. } => retry_after,
        _ => None,
    };
    let wait = match server_wait {
        Some(requested) if requested > policy.max_retry_after => {
            return Decision::Stop(StopReason::RetryAfterTooLong {
                requested,
                limit: policy.max_retry_after,
            });
        }
        Some(requested) => requested,
        None => full_jitter(policy.base_backoff, policy.max_backoff, attempt, jitter),
    };
    match elapsed.checked_add(wait) {
        Some(resume_at) if resume_at <= policy.max_elapsed => Decision::Retry(wait),
        _ => Decision::Stop(StopReason::OutOfTime),
    }
}

/// Step 3 of [`decide`]: may this outcome be retried for this kind at all?
fn retryable(policy: &RetryPolicy, kind: RequestKind, outcome: &Outcome) -> Result<(), StopReason> {
    match *outcome {
        Outcome::Status {
            status: 100..=399, ..
        } => Err(StopReason::NotAFailure),
        // The server certainly did not apply the request.
        Outcome::Status { status: 429, .. } | Outcome::ConnectFailed => Ok(()),
        // The server may have applied it.
        Outcome::Status {
            status: 502..=504, ..
        }
        | Outcome::Timeout
        | Outcome::ConnectionReset => match kind {
            RequestKind::Read | RequestKind::Idempotent => Ok(()),
            RequestKind::IdempotentWrite if policy.idempotent_write_retries => Ok(()),
            RequestKind::Create if policy.create_retries => Ok(()),
            RequestKind::IdempotentWrite | RequestKind::Create => Err(StopReason::UnsafeToRepeat),
        },
        Outcome::Status { .. } | Outcome::Other => Err(StopReason::NotRetryable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestKind::{Create, IdempotentWrite, Read};

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    fn status_after(status: u16, secs: u64) -> Outcome {
        Outcome::Status {
            status,
            retry_after: Some(Duration::from_secs(secs)),
        }
    }

    fn first_attempt(policy: &RetryPolicy, kind: RequestKind, outcome: Outcome) -> Decision {
        decide(policy, kind, 1, Duration::ZERO, &outcome, 0.5)
    }

    /// `Retry` with whatever wait, or the exact stop reason.
    fn retries(decision: Decision) -> Result<(), StopReason> {
        match decision {
            Decision::Retry(_) => Ok(()),
            Decision::Stop(reason) => Err(reason),
        }
    }

    /// The outcome × kind table of [`decide`], with PATCH retries off and on.
    #[test]
    fn which_failures_are_retried_per_kind() {
        use StopReason::{NotAFailure, NotRetryable, UnsafeToRepeat};
        const OK: Result<(), StopReason> = Ok(());
        // (outcome, Read, IdempotentWrite (policy off), IdempotentWrite (policy on), Create)
        let table: &[(Outcome, [Result<(), StopReason>; 4])] = &[
            (status(200), [Err(NotAFailure); 4]),
            (status(204), [Err(NotAFailure); 4]),
            (status(304), [Err(NotAFailure); 4]),
            (status(429), [OK, OK, OK, OK]),
            (status_after(429, 5), [OK, OK, OK, OK]),
            (Outcome::ConnectFailed, [OK, OK, OK, OK]),
            (
                status(502),
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (
                status(503),
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (
                status_after(503, 5),
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (
                status(504),
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (
                Outcome::Timeout,
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (
                Outcome::ConnectionReset,
                [OK, Err(UnsafeToRepeat), OK, Err(UnsafeToRepeat)],
            ),
            (status(500), [Err(NotRetryable); 4]),
            (status(501), [Err(NotRetryable); 4]),
            (status(505), [Err(NotRetryable); 4]),
            (status(599), [Err(NotRetryable); 4]),
            (status(400), [Err(NotRetryable); 4]),
            (status(401), [Err(NotRetryable); 4]),
            (status(403), [Err(NotRetryable); 4]),
            (status(404), [Err(NotRetryable); 4]),
            (status(408), [Err(NotRetryable); 4]),
            (status(409), [Err(NotRetryable); 4]),
            (status(422), [Err(NotRetryable); 4]),
            (status_after(400, 1), [Err(NotRetryable); 4]),
            (status(0), [Err(NotRetryable); 4]),
            (status(99), [Err(NotRetryable); 4]),
            (status(999), [Err(NotRetryable); 4]),
            (Outcome::Other, [Err(NotRetryable); 4]),
        ];
        let off = RetryPolicy::standard();
        let on = RetryPolicy::standard().with_idempotent_write_retries(true);
        for (outcome, [read, write_off, write_on, create]) in table {
            // PUT and DELETE are retried exactly like reads.
            assert_eq!(
                retries(first_attempt(&off, RequestKind::Idempotent, *outcome)),
                *read,
                "{outcome:?}"
            );
            let got = [
                retries(first_attempt(&off, Read, *outcome)),
                retries(first_attempt(&off, IdempotentWrite, *outcome)),
                retries(first_attempt(&on, IdempotentWrite, *outcome)),
                retries(first_attempt(&on, Create, *outcome)),
            ];
            assert_eq!(got, [*read, *write_off, *write_on, *create], "{outcome:?}");
            // A caller who removes duplicates may retry a create like a read.
            let creates_on = RetryPolicy::standard().with_create_retries(true);
            assert_eq!(
                retries(first_attempt(&creates_on, Create, *outcome)),
                *read,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn a_create_is_never_retried_when_it_may_have_been_applied() {
        let ambiguous = [
            status(500),
            status(502),
            status(503),
            status(504),
            status_after(503, 1),
            Outcome::Timeout,
            Outcome::ConnectionReset,
            Outcome::Other,
        ];
        // Even with the most permissive policy, at any point of the budget.
        let permissive = RetryPolicy::standard()
            .with_idempotent_write_retries(true)
            .with_max_attempts(u32::MAX)
            .with_max_elapsed(Duration::MAX);
        for outcome in ambiguous {
            for attempt in [0, 1, 2, 10] {
                for jitter in [0.0, 0.5, 0.99] {
                    let decision = decide(
                        &permissive,
                        Create,
                        attempt,
                        Duration::ZERO,
                        &outcome,
                        jitter,
                    );
                    assert!(
                        matches!(decision, Decision::Stop(_)),
                        "{outcome:?} attempt {attempt}: {decision:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_disabled_policy_never_retries() {
        for outcome in [
            status(429),
            status(503),
            Outcome::ConnectFailed,
            Outcome::Timeout,
        ] {
            for kind in [Read, IdempotentWrite, Create] {
                assert_eq!(
                    first_attempt(&RetryPolicy::disabled(), kind, outcome),
                    Decision::Stop(StopReason::Disabled)
                );
                let switched_off = RetryPolicy::standard().with_enabled(false);
                assert_eq!(
                    first_attempt(&switched_off, kind, outcome),
                    Decision::Stop(StopReason::Disabled)
                );
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_limit() {
        let policy = RetryPolicy::standard().with_max_retry_after(Duration::from_secs(60));
        let cases = [
            (status_after(429, 0), Decision::Retry(Duration::ZERO)),
            (
                status_after(429, 30),
                Decision::Retry(Duration::from_secs(30)),
            ),
            (
                status_after(429, 60),
                Decision::Retry(Duration::from_secs(60)),
            ),
            (
                status_after(429, 61),
                Decision::Stop(StopReason::RetryAfterTooLong {
                    requested: Duration::from_secs(61),
                    limit: Duration::from_secs(60),
                }),
            ),
            (
                Outcome::Status {
                    status: 429,
                    retry_after: Some(Duration::MAX),
                },
                Decision::Stop(StopReason::RetryAfterTooLong {
                    requested: Duration::MAX,
                    limit: Duration::from_secs(60),
                }),
            ),
            (
                status_after(503, 7),
                Decision::Retry(Duration::from_secs(7)),
            ),
        ];
        for (outcome, expected) in cases {
            assert_eq!(
                first_attempt(&policy, Read, outcome),
                expected,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn backoff_grows_with_the_attempt_and_follows_the_jitter() {
        let policy = RetryPolicy::standard()
            .with_base_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1000))
            .with_max_attempts(10);
        let ms = Duration::from_millis;
        let cases = [
            (1, 0.0, ms(0)),
            (1, 0.5, ms(50)),
            (2, 0.5, ms(100)),
            (3, 0.5, ms(200)),
            (4, 0.5, ms(400)),
            (5, 0.5, ms(500)),
            (9, 0.5, ms(500)),
            (3, 0.25, ms(100)),
        ];
        for (attempt, jitter, wait) in cases {
            assert_eq!(
                decide(
                    &policy,
                    Read,
                    attempt,
                    Duration::ZERO,
                    &Outcome::Timeout,
                    jitter
                ),
                Decision::Retry(wait),
                "attempt {attempt}, jitter {jitter}"
            );
        }
    }

    #[test]
    fn stops_when_attempts_run_out() {
        let policy = RetryPolicy::standard().with_max_attempts(3);
        let cases = [
            (0, true),
            (1, true),
            (2, true),
            (3, false),
            (4, false),
            (u32::MAX, false),
        ];
        for (attempt, retried) in cases {
            let decision = decide(&policy, Read, attempt, Duration::ZERO, &status(503), 0.5);
            if retried {
                assert!(
                    matches!(decision, Decision::Retry(_)),
                    "attempt {attempt}: {decision:?}"
                );
            } else {
                assert_eq!(
                    decision,
                    Decision::Stop(StopReason::AttemptsExhausted),
                    "attempt {attempt}"
                );
            }
        }
        // One attempt means no retry, and zero is treated as one.
        for max in [0, 1] {
            let once = RetryPolicy::standard().with_max_attempts(max);
            assert_eq!(once.max_attempts(), 1);
            assert_eq!(
                first_attempt(&once, Read, status(429)),
                Decision::Stop(StopReason::AttemptsExhausted)
            );
        }
    }

    #[test]
    fn stops_when_the_wait_would_pass_the_elapsed_budget() {
        let policy = RetryPolicy::standard().with_max_elapsed(Duration::from_secs(60));
        let secs = Duration::from_secs;
        let cases = [
            (secs(0), status_after(429, 30), Decision::Retry(secs(30))),
            (secs(30), status_after(429, 30), Decision::Retry(secs(30))),
            (
                secs(31),
                status_after(429, 30),
                Decision::Stop(StopReason::OutOfTime),
            ),
            (secs(60), status_after(429, 0), Decision::Retry(secs(0))),
            (
                secs(61),
                status_after(429, 0),
                Decision::Stop(StopReason::OutOfTime),
            ),
            (
                Duration::MAX,
                status_after(429, 1),
                Decision::Stop(StopReason::OutOfTime),
            ),
            (
                Duration::from_millis(59_900),
                Outcome::ConnectFailed,
                Decision::Stop(StopReason::OutOfTime),
            ),
            (
                secs(59),
                Outcome::ConnectFailed,
                Decision::Retry(Duration::from_millis(250)),
            ),
        ];
        for (elapsed, outcome, expected) in cases {
            assert_eq!(
                decide(&policy, Read, 1, elapsed, &outcome, 0.5),
                expected,
                "{elapsed:?} {outcome:?}"
            );
        }
    }

    #[test]
    fn request_kind_follows_the_method() {
        let cases = [
            (Method::GET, Read),
            (Method::HEAD, Read),
            (Method::OPTIONS, Read),
            (Method::PUT, RequestKind::Idempotent),
            (Method::PATCH, IdempotentWrite),
            (Method::DELETE, RequestKind::Idempotent),
            (Method::POST, Create),
            (Method::CONNECT, Create),
            (Method::TRACE, Create),
            (Method::from_bytes(b"PURGE").unwrap(), Create),
        ];
        for (method, kind) in cases {
            assert_eq!(RequestKind::from_method(&method), kind, "{method}");
        }
    }

    #[test]
    fn named_policies() {
        let standard = RetryPolicy::standard();
        assert!(standard.is_enabled());
        assert_eq!(standard.max_attempts(), 3);
        assert_eq!(standard.max_retry_after(), Duration::from_secs(60));
        assert!(!standard.idempotent_write_retries());
        assert!(standard.base_backoff() <= standard.max_backoff());
        assert!(standard.max_retry_after() <= standard.max_elapsed());
        assert_eq!(RetryPolicy::default(), standard);
        let disabled = RetryPolicy::disabled();
        assert!(!disabled.is_enabled());
        assert_eq!(disabled.max_attempts(), 1);
    }

    #[test]
    fn reasons_and_outcomes_read_well() {
        assert_eq!(status(429).to_string(), "HTTP 429");
        assert_eq!(Outcome::ConnectFailed.to_string(), "connection failed");
        assert_eq!(
            StopReason::RetryAfterTooLong {
                requested: Duration::from_secs(90),
                limit: Duration::from_secs(60),
            }
            .to_string(),
            "the server asked to wait 90s, longer than the 60s allowed"
        );
    }
}
