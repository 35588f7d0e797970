//! How long the server asked us to wait: `Retry-After` and rate-limit reset
//! headers, turned into a [`Duration`].
//!
//! Everything here is a pure function of header text and a `now` passed in
//! by the caller, so it can be tested without a clock. Nothing panics:
//! text that cannot be read yields `None` ("the server gave no usable
//! hint"), a moment already past yields `Some(Duration::ZERO)`, and numbers
//! too large to represent saturate (a retry policy then refuses the wait as
//! too long, which is what a server asking for years means).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A reset value at or above this (2001-09-09T01:46:40Z as a Unix time) is a
/// Unix timestamp in seconds, below it a number of seconds to wait.
///
/// Servers disagree: the IETF `RateLimit-Reset` draft sends seconds to wait,
/// while GitHub-style `X-RateLimit-Reset` sends the Unix time of the reset.
/// No server asks a client to wait 31 years, and no reset happened before
/// 2001, so the two readings never overlap.
pub const EPOCH_SECONDS_THRESHOLD: u64 = 1_000_000_000;

/// A reset value at or above this is a Unix timestamp in milliseconds.
///
/// 10¹² seconds is more than 31 000 years away, so a number this large can
/// only be milliseconds (10¹² ms is again 2001-09-09).
pub const EPOCH_MILLIS_THRESHOLD: u64 = 1_000_000_000_000;

/// The wait the server asked for in `headers`, if any, measured from `now`.
///
/// Looks at, in order, the first header present and readable of:
/// 1. `Retry-After` ([`parse_retry_after`]);
/// 2. `RateLimit-Reset`, then `X-RateLimit-Reset` ([`parse_rate_limit_reset`]).
///
/// A header that is present but unreadable (garbage, negative, not UTF-8)
/// is skipped in favour of the next one. Rate-limit headers ride on every
/// response, so only consult this for responses that are being retried
/// (429, 503).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use spott_saleshandy_core::retry_after::retry_after_from_headers;
/// use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
/// assert_eq!(
///     retry_after_from_headers(&headers, SystemTime::now()),
///     Some(Duration::from_secs(30))
/// );
/// ```
pub fn retry_after_from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    text(RETRY_AFTER.as_str())
        .and_then(|value| parse_retry_after(value, now))
        .or_else(|| text("ratelimit-reset").and_then(|value| parse_rate_limit_reset(value, now)))
        .or_else(|| text("x-ratelimit-reset").and_then(|value| parse_rate_limit_reset(value, now)))
}

/// Reads a `Retry-After` value (RFC 9110 §10.2.3): either a number of
/// seconds or an HTTP date, the latter measured from `now`.
///
/// Lenient where it costs nothing: surrounding whitespace is ignored and a
/// decimal fraction (`"1.5"`) is accepted. A date in the past gives
/// `Some(Duration::ZERO)`; anything else unreadable (including negative
/// numbers) gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(wait) = parse_seconds(value) {
        return Some(wait);
    }
    let when = parse_http_date(value)?;
    Some(until(when, now))
}

/// An HTTP date (RFC 9110 §5.6.7) in any of the three forms a recipient
/// must accept: IMF-fixdate (what servers send), and the obsolete RFC 850
/// and asctime forms. chrono checks the weekday against the date, so
/// "Mon, 02 Jan 2024" (a Tuesday) is refused like a 32nd of January.
fn parse_http_date(value: &str) -> Option<SystemTime> {
    const FORMS: [&str; 3] = [
        "%a, %d %b %Y %H:%M:%S GMT",
        "%A, %d-%b-%y %H:%M:%S GMT",
        "%a %b %e %H:%M:%S %Y",
    ];
    let when = FORMS
        .iter()
        .find_map(|form| chrono::NaiveDateTime::parse_from_str(value, form).ok())?
        .and_utc()
        .timestamp();
    let since_epoch = Duration::from_secs(when.unsigned_abs());
    if when >= 0 {
        UNIX_EPOCH.checked_add(since_epoch)
    } else {
        UNIX_EPOCH.checked_sub(since_epoch)
    }
}

/// Reads a `RateLimit-Reset` / `X-RateLimit-Reset` value: a non-negative
/// number that is
/// - seconds to wait, below [`EPOCH_SECONDS_THRESHOLD`];
/// - a Unix timestamp in seconds, from there up to [`EPOCH_MILLIS_THRESHOLD`];
/// - a Unix timestamp in milliseconds, above that.
///
/// Timestamps are measured from `now`; one in the past gives
/// `Some(Duration::ZERO)`. Anything unreadable gives `None`.
pub fn parse_rate_limit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let number = parse_seconds(value)?;
    let whole = number.as_secs();
    if whole < EPOCH_SECONDS_THRESHOLD {
        return Some(number);
    }
    let when = if whole < EPOCH_MILLIS_THRESHOLD {
        UNIX_EPOCH.checked_add(number)
    } else {
        // The number was read as seconds; reinterpret it as milliseconds.
        let millis = number.as_secs_f64();
        Duration::try_from_secs_f64(millis / 1000.0)
            .ok()
            .and_then(|since_epoch| UNIX_EPOCH.checked_add(since_epoch))
    };
    // A timestamp too far ahead for `SystemTime` is "wait forever".
    Some(when.map_or(Duration::MAX, |when| until(when, now)))
}

/// Time from `now` until `when`, zero if `when` has passed.
fn until(when: SystemTime, now: SystemTime) -> Duration {
    when.duration_since(now).unwrap_or(Duration::ZERO)
}

/// `DIGITS` or `DIGITS.DIGITS` as seconds. Integers too large for `u64`
/// saturate to `Duration::MAX` rather than fail: the server clearly asked for
/// a very long wait, not for none.
fn parse_seconds(value: &str) -> Option<Duration> {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let Ok(seconds) = whole.parse::<u64>() else {
        // Only digits, so the one way to fail is overflow.
        return Some(Duration::MAX);
    };
    let nanos = fraction.map_or(0, |fraction| {
        // First nine digits are nanoseconds; pad short fractions with zeros.
        fraction
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(9)
            .fold(0u32, |acc, digit| acc * 10 + u32::from(digit - b'0'))
    });
    Some(Duration::new(seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// 2024-01-01T00:00:00Z
    const NOW_UNIX: u64 = 1_704_067_200;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW_UNIX)
    }

    fn secs(s: u64) -> Option<Duration> {
        Some(Duration::from_secs(s))
    }

    #[test]
    fn retry_after_table() {
        let cases: &[(&str, Option<Duration>)] = &[
            // delta-seconds
            ("0", Some(Duration::ZERO)),
            ("30", secs(30)),
            ("  120\t", secs(120)),
            ("007", secs(7)),
            ("1.5", Some(Duration::from_millis(1500))),
            ("0.25", Some(Duration::from_millis(250))),
            ("2.0000000019", Some(Duration::new(2, 1))),
            ("18446744073709551615", secs(u64::MAX)),
            ("99999999999999999999999", Some(Duration::MAX)),
            // HTTP dates, all three formats RFC 9110 requires readers to accept
            ("Mon, 01 Jan 2024 00:00:30 GMT", secs(30)),
            ("Monday, 01-Jan-24 00:01:00 GMT", secs(60)),
            ("Mon Jan  1 00:00:05 2024", secs(5)),
            ("Mon, 01 Jan 2024 00:00:00 GMT", Some(Duration::ZERO)),
            ("Wed, 03 Jan 2024 00:00:00 GMT", secs(2 * 86_400)),
            ("Wed Jan 10 00:00:00 2024", secs(9 * 86_400)),
            // a weekday that is not the date's, and a zone other than GMT
            ("Tue, 01 Jan 2024 00:00:30 GMT", None),
            ("Mon, 01 Jan 2024 00:00:30 UTC", None),
            ("Mon, 01 Jan 2024 00:00:30 +0100", None),
            // past dates: retry now
            ("Sun, 31 Dec 2023 23:59:00 GMT", Some(Duration::ZERO)),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(Duration::ZERO)),
            // garbage
            ("", None),
            ("   ", None),
            ("-1", None),
            ("-0", None),
            ("+5", None),
            ("1e3", None),
            ("5s", None),
            ("1.", None),
            (".5", None),
            ("1.2.3", None),
            ("NaN", None),
            ("inf", None),
            ("٣", None),
            ("tomorrow", None),
            ("Mon, 32 Jan 2024 00:00:00 GMT", None),
            ("2024-01-01T00:00:30Z", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_retry_after(value, now()), *expected, "{value:?}");
        }
    }

    #[test]
    fn rate_limit_reset_table() {
        let cases: &[(String, Option<Duration>)] = &[
            // seconds to wait
            ("0".into(), Some(Duration::ZERO)),
            ("1".into(), secs(1)),
            (" 60 ".into(), secs(60)),
            ("2.5".into(), Some(Duration::from_millis(2500))),
            ("999999999".into(), secs(999_999_999)),
            // Unix seconds
            ((NOW_UNIX + 42).to_string(), secs(42)),
            (NOW_UNIX.to_string(), Some(Duration::ZERO)),
            ((NOW_UNIX - 10).to_string(), Some(Duration::ZERO)),
            ("1000000000".into(), Some(Duration::ZERO)),
            // Unix milliseconds
            (((NOW_UNIX + 3) * 1000).to_string(), secs(3)),
            (
                format!("{}500", NOW_UNIX + 1),
                Some(Duration::from_millis(1500)),
            ),
            ((NOW_UNIX * 1000 - 1).to_string(), Some(Duration::ZERO)),
            // garbage
            ("".into(), None),
            ("-5".into(), None),
            ("soon".into(), None),
            ("Mon, 01 Jan 2024 00:00:30 GMT".into(), None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_rate_limit_reset(value, now()), *expected, "{value:?}");
        }
    }

    /// Header name and raw value bytes.
    type Pairs = [(&'static str, &'static [u8])];

    fn headers(pairs: &Pairs) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_bytes(value).unwrap());
        }
        map
    }

    #[test]
    fn headers_table() {
        let reset_in_9: &'static str = format!("{}", NOW_UNIX + 9).leak();
        let reset_in_9 = reset_in_9.as_bytes();
        let cases: &[(&Pairs, Option<Duration>)] = &[
            (&[], None),
            (&[("retry-after", b"30")], secs(30)),
            (
                &[("Retry-After", b"Mon, 01 Jan 2024 00:00:10 GMT")],
                secs(10),
            ),
            (&[("ratelimit-reset", b"7")], secs(7)),
            (&[("x-ratelimit-reset", reset_in_9)], secs(9)),
            // Retry-After wins over the reset headers.
            (
                &[("x-ratelimit-reset", b"5"), ("retry-after", b"3")],
                secs(3),
            ),
            // RateLimit-Reset wins over X-RateLimit-Reset.
            (
                &[("x-ratelimit-reset", b"5"), ("ratelimit-reset", b"4")],
                secs(4),
            ),
            // An unreadable header falls through to the next one.
            (
                &[("retry-after", b"later"), ("ratelimit-reset", b"6")],
                secs(6),
            ),
            (
                &[("retry-after", b"\xff\xfe"), ("x-ratelimit-reset", b"2")],
                secs(2),
            ),
            (&[("retry-after", b"-1")], None),
            (&[("retry-after", b"\xff")], None),
            // With repeated headers the first one counts.
            (&[("retry-after", b"1"), ("retry-after", b"99")], secs(1)),
            // Unrelated headers are ignored.
            (
                &[
                    ("x-ratelimit-remaining", b"0"),
                    ("date", b"Mon, 01 Jan 2024 00:00:00 GMT"),
                ],
                None,
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(
                retry_after_from_headers(&headers(pairs), now()),
                *expected,
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn absurd_reset_values_mean_a_very_long_wait() {
        let hundred_years = Duration::from_secs(100 * 365 * 24 * 3600);
        for value in [
            "99999999999999999999999",
            "18446744073709551615",
            "999999999999",
        ] {
            let wait = parse_rate_limit_reset(value, now()).unwrap();
            assert!(wait > hundred_years, "{value:?}: {wait:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_clocks() {
        // A `now` before the epoch and one far in the future.
        for now in [UNIX_EPOCH, UNIX_EPOCH + Duration::from_secs(1 << 40)] {
            for value in [
                "1",
                "Mon, 01 Jan 2024 00:00:30 GMT",
                "1704067230",
                "1704067230000",
                "18446744073709551615",
            ] {
                let _ = parse_retry_after(value, now);
                let _ = parse_rate_limit_reset(value, now);
            }
        }
        assert_eq!(
            parse_rate_limit_reset("1704067230", UNIX_EPOCH + Duration::from_secs(1 << 40)),
            Some(Duration::ZERO)
        );
    }
}
