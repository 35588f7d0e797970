//! The async loop that makes attempts, asks [`decide`] and sleeps.

use std::future::Future;

use tokio::time::{Instant, sleep};

use crate::backoff::random_jitter;
use crate::retry::{Decision, Outcome, RequestKind, RetryPolicy, decide};

/// Runs `attempt` until it succeeds or [`decide`] says stop, sleeping
/// between attempts with `tokio::time::sleep`.
///
/// - `attempt` receives the attempt number (1 for the first) and returns
///   the attempt's result. `Ok` ends the loop at once; progenitor clients
///   return `Err` for every non-2xx status, so a 429 arrives here as an error.
/// - `classify` turns an error into an [`Outcome`]: for example
///   [`crate::transport::classify_reqwest_error`] for transport errors, or
///   [`Outcome::Status`] with [`crate::retry_after::retry_after_from_headers`]
///   for error responses.
///
/// The error of the last attempt is returned unchanged. Elapsed time is
/// measured with `tokio::time::Instant`, from before the first attempt, so
/// time spent inside attempts counts against the policy's budget too.
///
/// Each retry emits an `INFO` `tracing` event with the attempt number, the
/// wait and the outcome that caused it; giving up after a failure emits a
/// `DEBUG` event with the reason. Neither carries headers or bodies.
///
/// ```
/// use spott_saleshandy_core::{run_with_retries, Outcome, RequestKind, RetryPolicy};
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let result: Result<&str, u16> = run_with_retries(
///     &RetryPolicy::standard(),
///     RequestKind::Read,
///     |status| Outcome::Status { status: *status, retry_after: None },
///     |attempt| async move { if attempt == 1 { Err(502) } else { Ok("done") } },
/// )
/// .await;
/// assert_eq!(result, Ok("done"));
/// # }
/// ```
pub async fn run_with_retries<T, E, C, F, Fut>(
    policy: &RetryPolicy,
    kind: RequestKind,
    classify: C,
    attempt: F,
) -> Result<T, E>
where
    C: FnMut(&E) -> Outcome,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    run_with_retries_jittered(policy, kind, random_jitter, classify, attempt).await
}

/// [`run_with_retries`] with the jitter source supplied: `jitter` is called
/// once per failed attempt and should return a fraction in `[0, 1)` (see
/// [`crate::backoff::full_jitter`]). Pass a constant for deterministic tests.
pub async fn run_with_retries_jittered<T, E, J, C, F, Fut>(
    policy: &RetryPolicy,
    kind: RequestKind,
    mut jitter: J,
    mut classify: C,
    mut attempt: F,
) -> Result<T, E>
where
    J: FnMut() -> f64,
    C: FnMut(&E) -> Outcome,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let started = Instant::now();
    let mut number: u32 = 1;
    loop {
        let error = match attempt(number).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let outcome = classify(&error);
        match decide(policy, kind, number, started.elapsed(), &outcome, jitter()) {
            Decision::Retry(wait) => {
                tracing::info!(
                    attempt = number,
                    max_attempts = policy.max_attempts(),
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    reason = %outcome,
                    kind = ?kind,
                    "request failed, retrying"
                );
                sleep(wait).await;
                number = number.saturating_add(1);
            }
            Decision::Stop(stop) => {
                tracing::debug!(
                    attempts = number,
                    reason = %outcome,
                    stop = %stop,
                    kind = ?kind,
                    "request failed, not retrying"
                );
                return Err(error);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::fmt::{self, Write as _};
    use std::sync::{Arc, Mutex, Once};
    use std::time::Duration;

    use tokio::time::Instant;

    use super::*;

    /// A failure as a test attempt reports it: the outcome, plus a label to
    /// check that the last error is the one returned.
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Failure(Outcome, &'static str);

    fn classify(failure: &Failure) -> Outcome {
        failure.0
    }

    fn throttled(secs: u64) -> Outcome {
        Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        }
    }

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    /// Runs a scripted sequence of attempt results with a fixed jitter of
    /// 0.5 and returns (result, attempts made, virtual time elapsed).
    async fn run_script(
        policy: &RetryPolicy,
        kind: RequestKind,
        script: &[Result<&'static str, Failure>],
    ) -> (Result<&'static str, Failure>, u32, Duration) {
        let calls = Cell::new(0u32);
        let started = Instant::now();
        let result = run_with_retries_jittered(
            policy,
            kind,
            || 0.5,
            classify,
            |number| {
                calls.set(calls.get() + 1);
                assert_eq!(number, calls.get(), "attempt numbers count from 1");
                let step = script
                    .get(number as usize - 1)
                    .copied()
                    .unwrap_or(Err(Failure(Outcome::Other, "script ran out")));
                async move { step }
            },
        )
        .await;
        (result, calls.get(), started.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn waits_out_retry_after_then_succeeds() {
        let (result, attempts, elapsed) = run_script(
            &RetryPolicy::standard(),
            RequestKind::Create,
            &[Err(Failure(throttled(30), "429")), Ok("created")],
        )
        .await;
        assert_eq!(result, Ok("created"));
        assert_eq!(attempts, 2);
        assert!(elapsed >= Duration::from_secs(30), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(31), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_create_is_tried_once_on_ambiguous_failures() {
        for outcome in [
            status(500),
            status(502),
            status(503),
            status(504),
            Outcome::Timeout,
            Outcome::ConnectionReset,
        ] {
            let policy = RetryPolicy::standard().with_idempotent_write_retries(true);
            let (result, attempts, elapsed) = run_script(
                &policy,
                RequestKind::Create,
                &[Err(Failure(outcome, "first")), Ok("never")],
            )
            .await;
            assert_eq!(result, Err(Failure(outcome, "first")), "{outcome:?}");
            assert_eq!(attempts, 1, "{outcome:?}");
            assert_eq!(elapsed, Duration::ZERO, "{outcome:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_create_is_retried_when_the_connection_never_happened() {
        let (result, attempts, _) = run_script(
            &RetryPolicy::standard(),
            RequestKind::Create,
            &[
                Err(Failure(Outcome::ConnectFailed, "refused")),
                Ok("created"),
            ],
        )
        .await;
        assert_eq!(result, Ok("created"));
        assert_eq!(attempts, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_attempts_with_the_last_error() {
        let policy = RetryPolicy::standard()
            .with_max_attempts(3)
            .with_base_backoff(Duration::from_secs(1))
            .with_max_backoff(Duration::from_secs(60));
        let (result, attempts, elapsed) = run_script(
            &policy,
            RequestKind::Read,
            &[
                Err(Failure(status(503), "first")),
                Err(Failure(Outcome::Timeout, "second")),
                Err(Failure(status(502), "third")),
                Ok("too late"),
            ],
        )
        .await;
        assert_eq!(result, Err(Failure(status(502), "third")));
        assert_eq!(attempts, 3);
        // Jitter 0.5 of the 1 s and 2 s windows.
        assert_eq!(elapsed, Duration::from_millis(500 + 1000));
    }

    #[tokio::test(start_paused = true)]
    async fn a_disabled_policy_makes_one_attempt() {
        let (result, attempts, _) = run_script(
            &RetryPolicy::disabled(),
            RequestKind::Read,
            &[Err(Failure(throttled(1), "429")), Ok("never")],
        )
        .await;
        assert_eq!(result, Err(Failure(throttled(1), "429")));
        assert_eq!(attempts, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn refuses_a_retry_after_longer_than_the_policy_allows() {
        let policy = RetryPolicy::standard().with_max_retry_after(Duration::from_secs(60));
        let (result, attempts, elapsed) = run_script(
            &policy,
            RequestKind::Read,
            &[Err(Failure(throttled(3600), "429")), Ok("never")],
        )
        .await;
        assert!(result.is_err());
        assert_eq!(attempts, 1);
        assert_eq!(elapsed, Duration::ZERO, "it must not wait at all");
    }

    #[tokio::test(start_paused = true)]
    async fn time_spent_in_attempts_counts_against_the_budget() {
        // Each attempt itself takes 20 s; with a 45 s budget and 10 s waits,
        // the second retry would start at 20+10+20+10 = 60 s: too late.
        let policy = RetryPolicy::standard()
            .with_max_attempts(10)
            .with_max_elapsed(Duration::from_secs(45));
        let calls = Cell::new(0u32);
        let started = Instant::now();
        let result: Result<(), Failure> = run_with_retries_jittered(
            &policy,
            RequestKind::Read,
            || 0.5,
            classify,
            |_| {
                calls.set(calls.get() + 1);
                async {
                    sleep(Duration::from_secs(20)).await;
                    Err(Failure(throttled(10), "slow"))
                }
            },
        )
        .await;
        assert!(result.is_err());
        assert_eq!(calls.get(), 2);
        assert_eq!(started.elapsed(), Duration::from_secs(50));
    }

    #[tokio::test(start_paused = true)]
    async fn the_default_jitter_stays_within_the_window() {
        let policy = RetryPolicy::standard()
            .with_max_attempts(2)
            .with_base_backoff(Duration::from_secs(4));
        let started = Instant::now();
        let calls = Cell::new(0u32);
        let result = run_with_retries(&policy, RequestKind::Read, classify, |_| {
            calls.set(calls.get() + 1);
            async { Err::<(), _>(Failure(Outcome::Timeout, "slow")) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls.get(), 2);
        assert!(started.elapsed() < Duration::from_secs(4));
    }

    /// Events as `level message field=value …`, collected on one thread.
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<String>>>);

    std::thread_local! {
        /// Where events emitted on this thread go while its test captures.
        static CAPTURING: RefCell<Option<Capture>> = const { RefCell::new(None) };
    }

    struct Fields(String);

    impl tracing::field::Visit for Fields {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
    }

    /// The one global subscriber of this test binary: hands each event to
    /// the capture of the thread that emits it, if any. A thread-local
    /// `set_default` subscriber is not enough: tracing caches each
    /// callsite's interest globally, and while that subscriber is the only
    /// dispatcher, a callsite first hit by another test's thread is cached
    /// as uninteresting, so the capturing test loses its events.
    struct ByThread;

    impl tracing::Subscriber for ByThread {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            let Ok(Some(capture)) = CAPTURING.try_with(|capturing| capturing.borrow().clone())
            else {
                return;
            };
            let mut fields = Fields(event.metadata().level().to_string());
            event.record(&mut fields);
            if let Ok(mut events) = capture.0.lock() {
                events.push(fields.0);
            }
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    /// Captures the events emitted on this thread while it lives.
    struct Capturing(Capture);

    impl Capturing {
        fn start() -> Capturing {
            static INSTALL: Once = Once::new();
            INSTALL.call_once(|| {
                tracing::subscriber::set_global_default(ByThread)
                    .expect("no other global subscriber is installed");
            });
            // Installing rebuilt the interest of every callsite registered
            // by then; rebuilding again also covers one whose registration
            // on another test's thread straddled the install.
            tracing::callsite::rebuild_interest_cache();
            let capture = Capture::default();
            CAPTURING.with(|capturing| *capturing.borrow_mut() = Some(capture.clone()));
            Capturing(capture)
        }

        fn events(&self) -> Vec<String> {
            self.0.0.lock().unwrap().clone()
        }
    }

    impl Drop for Capturing {
        fn drop(&mut self) {
            let _ = CAPTURING.try_with(|capturing| capturing.borrow_mut().take());
        }
    }

    #[tokio::test(start_paused = true)]
    async fn emits_one_event_per_retry_and_one_when_giving_up() {
        let capture = Capturing::start();
        let (result, attempts, _) = run_script(
            &RetryPolicy::standard(),
            RequestKind::Read,
            &[
                Err(Failure(throttled(2), "429")),
                Err(Failure(status(503), "503")),
                Err(Failure(status(503), "503 again")),
            ],
        )
        .await;
        assert!(result.is_err());
        assert_eq!(attempts, 3);
        let events = capture.events();
        assert_eq!(
            events,
            [
                "INFO message=request failed, retrying attempt=1 max_attempts=3 wait_ms=2000 reason=HTTP 429 kind=Read",
                "INFO message=request failed, retrying attempt=2 max_attempts=3 wait_ms=500 reason=HTTP 503 kind=Read",
                "DEBUG message=request failed, not retrying attempts=3 reason=HTTP 503 stop=no attempts left kind=Read",
            ]
        );
    }
}
