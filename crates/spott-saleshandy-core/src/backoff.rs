//! Exponential backoff with full jitter.

use std::time::Duration;

/// The wait before retry number `retry` (1 for the first retry), using
/// "full jitter": a uniformly random point between zero and
/// `min(max, base × 2^(retry − 1))`.
///
/// `jitter` is that random point as a fraction in `[0, 1)`; callers pass
/// [`random_jitter`] in production and fixed values in tests. Values outside
/// the range are clamped and NaN counts as zero, so no input panics or
/// exceeds `max`.
///
/// Full jitter spreads clients that failed together (a 503 burst) across the
/// whole window instead of letting them retry in lockstep; see the AWS
/// Architecture Blog, "Exponential Backoff And Jitter".
///
/// ```
/// use std::time::Duration;
/// use spott_saleshandy_core::backoff::full_jitter;
///
/// let base = Duration::from_millis(500);
/// let max = Duration::from_secs(10);
/// // The window doubles per retry: 0.5 s, 1 s, 2 s, 4 s, 8 s, then the cap.
/// assert_eq!(full_jitter(base, max, 3, 0.5), Duration::from_secs(1));
/// assert_eq!(full_jitter(base, max, 30, 0.5), Duration::from_secs(5));
/// assert_eq!(full_jitter(base, max, 3, 0.0), Duration::ZERO);
/// ```
pub fn full_jitter(base: Duration, max: Duration, retry: u32, jitter: f64) -> Duration {
    let window = backoff_window(base, max, retry);
    let fraction = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    // `fraction ≤ 1` keeps the product within `window`; the fallback only
    // guards against float rounding at the very top of `Duration`'s range.
    Duration::try_from_secs_f64(window.as_secs_f64() * fraction)
        .map_or(window, |wait| wait.min(window))
}

/// The upper bound of the wait before retry number `retry`:
/// `min(max, base × 2^(retry − 1))`, saturating instead of overflowing.
pub fn backoff_window(base: Duration, max: Duration, retry: u32) -> Duration {
    let doublings = retry.saturating_sub(1).min(31);
    base.checked_mul(1u32 << doublings)
        .unwrap_or(Duration::MAX)
        .min(max)
}

/// A uniformly random fraction in `[0, 1)`: the default jitter source.
///
/// Each `RandomState` std makes has fresh SipHash keys (seeded from the
/// OS once per thread, then stepped), so the hash of nothing under a new
/// one is 64 unpredictable bits. Jitter needs spread, not cryptography,
/// and this keeps a random-number crate out of every user's build.
pub fn random_jitter() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(());
    // The top 53 bits, the precision of an f64 in [0, 1).
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_millis(500);
    const MAX: Duration = Duration::from_secs(10);

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn window_doubles_then_caps() {
        let cases = [
            (0, ms(500)),
            (1, ms(500)),
            (2, ms(1000)),
            (3, ms(2000)),
            (4, ms(4000)),
            (5, ms(8000)),
            (6, ms(10_000)),
            (32, ms(10_000)),
            (u32::MAX, ms(10_000)),
        ];
        for (retry, expected) in cases {
            assert_eq!(backoff_window(BASE, MAX, retry), expected, "retry {retry}");
        }
    }

    #[test]
    fn jitter_picks_a_point_in_the_window() {
        let cases = [
            (1, 0.0, ms(0)),
            (1, 0.5, ms(250)),
            (2, 0.25, ms(250)),
            (3, 0.75, ms(1500)),
            (9, 0.1, ms(1000)),
            // clamped inputs
            (3, -1.0, ms(0)),
            (3, f64::NAN, ms(0)),
            (3, 1.0, ms(2000)),
            (3, 7.0, ms(2000)),
            (3, f64::INFINITY, ms(2000)),
            (3, f64::NEG_INFINITY, ms(0)),
        ];
        for (retry, jitter, expected) in cases {
            assert_eq!(
                full_jitter(BASE, MAX, retry, jitter),
                expected,
                "retry {retry}, jitter {jitter}"
            );
        }
    }

    #[test]
    fn extreme_durations_do_not_overflow() {
        assert_eq!(
            backoff_window(Duration::MAX, Duration::MAX, 5),
            Duration::MAX
        );
        assert_eq!(
            full_jitter(Duration::MAX, Duration::MAX, 5, 1.0),
            Duration::MAX
        );
        assert!(full_jitter(Duration::MAX, Duration::MAX, 5, 0.999_999) <= Duration::MAX);
        assert_eq!(full_jitter(Duration::ZERO, MAX, 5, 0.5), Duration::ZERO);
        // A cap below the base wins.
        assert_eq!(backoff_window(MAX, BASE, 1), BASE);
    }

    #[test]
    fn random_jitter_stays_in_range_and_spreads() {
        let draws: Vec<f64> = (0..4000).map(|_| random_jitter()).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)));
        // Spread over the range: each quarter holds about a quarter of the
        // draws (the odds of any quarter falling outside 800..1200 by
        // chance are far below one in a billion). A constant or a source
        // stuck in one half fails this.
        for quarter in 0..4 {
            let low = f64::from(quarter) / 4.0;
            let count = draws
                .iter()
                .filter(|j| (low..low + 0.25).contains(*j))
                .count();
            assert!((800..1200).contains(&count), "quarter {quarter}: {count}");
        }
    }
}
