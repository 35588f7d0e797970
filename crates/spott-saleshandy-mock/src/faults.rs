//! Fault injection: what can go wrong, the knobs for random faults, the scripted queues, and
//! the per-request decision.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::operation::Operation;

/// The `Retry-After` header of a 429.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>` (RFC 9110 IMF-fixdate).
    HttpDate(SystemTime),
    /// No `Retry-After` header at all.
    Absent,
}

impl RetryAfter {
    /// An HTTP-date `Retry-After` that lies `delay` from now.
    pub fn http_date_in(delay: Duration) -> Self {
        RetryAfter::HttpDate(SystemTime::now() + delay)
    }

    /// The header value, or `None` for [`RetryAfter::Absent`].
    pub fn header_value(&self) -> Option<String> {
        match self {
            RetryAfter::Seconds(s) => Some(s.to_string()),
            RetryAfter::HttpDate(t) => Some(httpdate::fmt_http_date(*t)),
            RetryAfter::Absent => None,
        }
    }
}

/// One injected fault.
///
/// Faults named "before processing" answer without touching state: the request provably did
/// nothing. Faults named "after processing" let the operation run (a contact is created, a
/// candidate updated) and then spoil the answer: the client cannot know it worked, which is
/// exactly the case a retry policy must not repeat blindly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Before processing: `429 Too Many Requests` with the documented error body.
    TooManyRequests {
        /// The `Retry-After` header to send.
        retry_after: RetryAfter,
    },
    /// Before processing: this status (400–599; anything else is sent as 500) with the
    /// documented error body, e.g. 500, 502, 503, 504.
    Status(u16),
    /// After processing: this status (400–599; anything else is sent as 500) with the error
    /// body, as a gateway that lost the backend's answer would send.
    StatusAfterProcessing(u16),
    /// Waits this long before handling the request, then behaves normally.
    Delay(Duration),
    /// After processing: sends the status, headers and part of the body, then aborts the
    /// connection. The client sees a body (transport) error.
    ResetMidBody,
    /// After processing: the success status with a body that is not valid JSON.
    MalformedJson,
    /// After processing: the success status with the first part of the JSON body only
    /// (`Content-Length` matches what is sent, so only the JSON parser notices).
    TruncatedJson,
}

/// A request budget: at most `requests` per fixed `window`; more get a 429 whose
/// `Retry-After` is the seconds left in the window.
///
/// Parses from `N/s`, `N/min`, `N/h` or `N/<count><unit>` (e.g. `5/10s`):
///
/// ```
/// use spott_saleshandy_mock::RateLimit;
/// use std::time::Duration;
///
/// let limit: RateLimit = "100/min".parse().unwrap();
/// assert_eq!(limit, RateLimit::new(100, Duration::from_secs(60)));
/// assert_eq!("5/10s".parse::<RateLimit>().unwrap().window, Duration::from_secs(10));
/// assert!("fast".parse::<RateLimit>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The window length (at least one millisecond).
    pub window: Duration,
}

impl RateLimit {
    /// `requests` per `window` (a zero window is taken as one millisecond).
    pub fn new(requests: u32, window: Duration) -> Self {
        Self {
            requests,
            window: window.max(Duration::from_millis(1)),
        }
    }

    /// `requests` per second.
    pub fn per_second(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.window.as_millis();
        let (amount, unit) = [(3_600_000, "h"), (60_000, "min"), (1_000, "s")]
            .into_iter()
            .find(|(unit_ms, _)| ms.is_multiple_of(*unit_ms))
            .map_or((ms, "ms"), |(unit_ms, unit)| (ms / unit_ms, unit));
        if amount == 1 {
            write!(f, "{}/{unit}", self.requests)
        } else {
            write!(f, "{}/{amount}{unit}", self.requests)
        }
    }
}

/// Why a rate limit did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid rate limit `{input}`: {reason} (expected e.g. 100/min, 10/s, 5/10s)")]
pub struct RateLimitParseError {
    input: String,
    reason: &'static str,
}

impl FromStr for RateLimit {
    type Err = RateLimitParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| RateLimitParseError {
            input: s.to_owned(),
            reason,
        };
        let (count, per) = s.trim().split_once('/').ok_or_else(|| err("no `/`"))?;
        let requests: u32 = count
            .trim()
            .parse()
            .map_err(|_| err("the count is not a whole number"))?;
        let per = per.trim();
        let digits = per.chars().take_while(char::is_ascii_digit).count();
        let (amount, unit) = per.split_at(digits);
        let amount: u64 = if amount.is_empty() {
            1
        } else {
            amount.parse().map_err(|_| err("the window is too long"))?
        };
        let unit_ms: u64 = match unit.trim() {
            "ms" => 1,
            "s" | "sec" | "second" | "seconds" => 1_000,
            "m" | "min" | "minute" | "minutes" => 60_000,
            "h" | "hour" | "hours" => 3_600_000,
            _ => return Err(err("unknown unit (use ms, s, min or h)")),
        };
        let ms = amount
            .checked_mul(unit_ms)
            .filter(|ms| *ms > 0)
            .ok_or_else(|| err("the window must be positive and not absurdly long"))?;
        Ok(RateLimit::new(requests, Duration::from_millis(ms)))
    }
}

/// The random and standing faults. Rates are probabilities per request, from 0.0 to 1.0
/// (out-of-range values are clamped, NaN counts as 0). The random draws come from one RNG
/// seeded with `seed`, so a sequence of requests sees the same faults on every run.
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub struct FaultConfig {
    /// At most this many requests per window; `None` for no limit.
    pub rate_limit: Option<RateLimit>,
    /// Probability of answering 500, 502 or 503 (equally likely) before processing.
    pub error_rate: f64,
    /// Added to every request before it is handled.
    pub latency: Duration,
    /// Probability of [`Fault::ResetMidBody`] on a successful response.
    pub reset_rate: f64,
    /// Probability of [`Fault::MalformedJson`] on a successful response.
    pub malformed_json_rate: f64,
    /// Probability of [`Fault::TruncatedJson`] on a successful response.
    pub truncated_json_rate: f64,
    /// Seed of the fault RNG.
    pub seed: u64,
}

impl FaultConfig {
    /// No faults at all (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Sets [`rate_limit`](Self::rate_limit).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sets [`error_rate`](Self::error_rate).
    pub fn error_rate(mut self, rate: f64) -> Self {
        self.error_rate = rate;
        self
    }

    /// Sets [`latency`](Self::latency).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Sets [`reset_rate`](Self::reset_rate).
    pub fn reset_rate(mut self, rate: f64) -> Self {
        self.reset_rate = rate;
        self
    }

    /// Sets [`malformed_json_rate`](Self::malformed_json_rate).
    pub fn malformed_json_rate(mut self, rate: f64) -> Self {
        self.malformed_json_rate = rate;
        self
    }

    /// Sets [`truncated_json_rate`](Self::truncated_json_rate).
    pub fn truncated_json_rate(mut self, rate: f64) -> Self {
        self.truncated_json_rate = rate;
        self
    }

    /// Sets [`seed`](Self::seed).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

fn probability(rate: f64) -> f64 {
    if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    }
}

/// What to do with one request.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    /// Wait this long first.
    pub(crate) delay: Duration,
    /// Answer with this fault instead of processing.
    pub(crate) before: Option<Fault>,
    /// Process, then spoil a successful answer with this fault.
    pub(crate) after: Option<Fault>,
}

/// The mutable fault state of a running mock.
#[derive(Debug)]
pub(crate) struct FaultState {
    config: FaultConfig,
    rng: fastrand::Rng,
    window: Option<(Instant, u32)>,
    scripts: HashMap<Operation, VecDeque<Fault>>,
}

impl FaultState {
    pub(crate) fn new(config: FaultConfig) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(config.seed),
            config,
            window: None,
            scripts: HashMap::new(),
        }
    }

    pub(crate) fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// Replaces the configuration; reseeds the RNG and restarts the rate-limit window.
    pub(crate) fn set_config(&mut self, config: FaultConfig) {
        self.rng = fastrand::Rng::with_seed(config.seed);
        self.window = None;
        self.config = config;
    }

    pub(crate) fn script(&mut self, op: Operation, faults: impl IntoIterator<Item = Fault>) {
        self.scripts.entry(op).or_default().extend(faults);
    }

    pub(crate) fn pending(&self, op: Operation) -> usize {
        self.scripts.get(&op).map_or(0, VecDeque::len)
    }

    pub(crate) fn clear_scripts(&mut self) {
        self.scripts.clear();
    }

    /// Decides the fate of one request to `op` arriving at `now`: a scripted fault if one is
    /// queued, else the rate limit, else the random draws. Every request counts against the
    /// rate limit and consumes the same number of random draws, so outcomes depend only on
    /// the seed and the order of requests.
    pub(crate) fn plan(&mut self, op: Operation, now: Instant) -> Plan {
        let mut plan = Plan {
            delay: self.config.latency,
            ..Plan::default()
        };
        let scripted = self.scripts.get_mut(&op).and_then(VecDeque::pop_front);
        let over_limit = self.count_request(now);
        let error_draw = self.rng.f64();
        let status_draw = self.rng.usize(0..3);
        let body_draw = self.rng.f64();

        if let Some(fault) = scripted {
            match fault {
                Fault::Delay(d) => plan.delay += d,
                Fault::TooManyRequests { .. } | Fault::Status(_) => plan.before = Some(fault),
                Fault::StatusAfterProcessing(_)
                | Fault::ResetMidBody
                | Fault::MalformedJson
                | Fault::TruncatedJson => plan.after = Some(fault),
            }
            return plan;
        }
        if let Some(retry_after) = over_limit {
            plan.before = Some(Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(retry_after),
            });
            return plan;
        }
        if error_draw < probability(self.config.error_rate) {
            plan.before = Some(Fault::Status([500, 502, 503][status_draw]));
            return plan;
        }
        let reset = probability(self.config.reset_rate);
        let malformed = reset + probability(self.config.malformed_json_rate);
        let truncated = malformed + probability(self.config.truncated_json_rate);
        plan.after = if body_draw < reset {
            Some(Fault::ResetMidBody)
        } else if body_draw < malformed {
            Some(Fault::MalformedJson)
        } else if body_draw < truncated {
            Some(Fault::TruncatedJson)
        } else {
            None
        };
        plan
    }

    /// Counts a request against the fixed window; returns the `Retry-After` seconds when it is
    /// over the limit.
    fn count_request(&mut self, now: Instant) -> Option<u64> {
        let limit = self.config.rate_limit?;
        let (start, count) = match self.window {
            Some((start, count)) if now.saturating_duration_since(start) < limit.window => {
                (start, count.saturating_add(1))
            }
            _ => (now, 1),
        };
        self.window = Some((start, count));
        if count <= limit.requests {
            return None;
        }
        let left = limit
            .window
            .saturating_sub(now.saturating_duration_since(start));
        let mut secs = left.as_secs();
        if left.subsec_nanos() > 0 {
            secs += 1;
        }
        Some(secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::op;

    #[test]
    fn rate_limit_parses_the_documented_forms() {
        let cases = [
            ("100/min", Some((100, 60_000))),
            ("10/s", Some((10, 1_000))),
            ("5/10s", Some((5, 10_000))),
            ("1/h", Some((1, 3_600_000))),
            ("3/250ms", Some((3, 250))),
            (" 7 / 2min ", Some((7, 120_000))),
            ("100", None),
            ("x/min", None),
            ("5/0s", None),
            ("5/fortnight", None),
            ("-1/s", None),
        ];
        for (input, expected) in cases {
            let parsed = input
                .parse::<RateLimit>()
                .ok()
                .map(|l| (l.requests, l.window.as_millis() as u64));
            assert_eq!(parsed, expected, "{input}");
        }
        for text in ["100/min", "5/10s", "3/250ms", "1/h", "7/2min"] {
            let limit: RateLimit = text.parse().expect("parses");
            assert_eq!(limit.to_string(), text);
        }
    }

    #[test]
    fn scripted_faults_come_first_in_order_then_normal_behaviour() {
        let mut state = FaultState::new(FaultConfig::none());
        state.script(
            op("create_task"),
            [
                Fault::Status(503),
                Fault::ResetMidBody,
                Fault::Delay(Duration::from_millis(3)),
            ],
        );
        let now = Instant::now();
        assert_eq!(state.plan(op("update_candidate"), now), Plan::default());
        assert_eq!(
            state.plan(op("create_task"), now).before,
            Some(Fault::Status(503))
        );
        assert_eq!(
            state.plan(op("create_task"), now).after,
            Some(Fault::ResetMidBody)
        );
        assert_eq!(
            state.plan(op("create_task"), now).delay,
            Duration::from_millis(3)
        );
        assert_eq!(state.plan(op("create_task"), now), Plan::default());
    }

    #[test]
    fn rate_limit_window_gives_retry_after_and_resets() {
        let mut state = FaultState::new(
            FaultConfig::none().rate_limit(RateLimit::new(2, Duration::from_secs(10))),
        );
        let start = Instant::now();
        assert_eq!(state.plan(op("create_task"), start).before, None);
        assert_eq!(state.plan(op("create_task"), start).before, None);
        assert_eq!(
            state
                .plan(op("create_task"), start + Duration::from_millis(2_500))
                .before,
            Some(Fault::TooManyRequests {
                retry_after: RetryAfter::Seconds(8)
            })
        );
        let later = start + Duration::from_secs(10);
        assert_eq!(state.plan(op("create_task"), later).before, None);
    }

    #[test]
    fn random_faults_are_deterministic_per_seed() {
        let config = FaultConfig::none()
            .error_rate(0.5)
            .truncated_json_rate(0.3)
            .seed(7);
        let run = || {
            let mut state = FaultState::new(config.clone());
            let now = Instant::now();
            (0..50)
                .map(|_| state.plan(op("create_tasks"), now))
                .map(|p| (p.before, p.after))
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        assert!(first.iter().any(|(b, _)| b.is_some()));
        assert!(first.iter().any(|(b, a)| b.is_none() && a.is_some()));
        assert!(first.iter().any(|(b, a)| b.is_none() && a.is_none()));
    }

    #[test]
    fn rates_are_clamped() {
        let mut state = FaultState::new(FaultConfig::none().error_rate(f64::NAN).reset_rate(7.0));
        let plan = state.plan(op("create_task"), Instant::now());
        assert_eq!((plan.before, plan.after), (None, Some(Fault::ResetMidBody)));
    }

    #[test]
    fn retry_after_header_values() {
        assert_eq!(RetryAfter::Seconds(2).header_value().as_deref(), Some("2"));
        assert_eq!(RetryAfter::Absent.header_value(), None);
        let date = RetryAfter::HttpDate(SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777));
        assert_eq!(
            date.header_value().as_deref(),
            Some("Sun, 06 Nov 1994 08:49:37 GMT")
        );
    }
}
