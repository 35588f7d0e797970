//! `--rate N/s|N/min`: starts spaced evenly, at most N per second or
//! minute. A caller waiting for its slot sleeps until then (no busy loop);
//! there are no bursts to bound because slots never accumulate.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use tokio::time::Instant;

/// A rate: `count` starts per `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    count: u32,
    per: Duration,
}

impl Rate {
    /// The pause between two starts.
    pub fn interval(self) -> Duration {
        self.per / self.count
    }
}

/// Why a rate did not parse.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRate(String);

impl fmt::Display for BadRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not N/s or N/min with N at least 1 (10/s, 300/min)",
            self.0
        )
    }
}

impl FromStr for Rate {
    type Err = BadRate;

    fn from_str(text: &str) -> Result<Self, BadRate> {
        let bad = || BadRate(text.to_owned());
        let (count, unit) = text.split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 {
            return Err(bad());
        }
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            _ => return Err(bad()),
        };
        Ok(Self { count, per })
    }
}

/// Hands out start slots `interval` apart; the first one at once.
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    next: Option<Instant>,
}

impl Limiter {
    /// A limiter for `rate`.
    pub fn new(rate: Rate) -> Self {
        Self {
            interval: rate.interval(),
            next: None,
        }
    }

    /// Waits for the next slot and takes it. A slot not taken in time is
    /// lost, not saved up: after a pause, starts resume at the rate.
    pub async fn ready(&mut self) {
        let now = Instant::now();
        let slot = self.next.map_or(now, |next| next.max(now));
        tokio::time::sleep_until(slot).await;
        self.next = Some(slot + self.interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse() {
        let interval = |text: &str| text.parse::<Rate>().map(Rate::interval);
        assert_eq!(interval("10/s"), Ok(Duration::from_millis(100)));
        assert_eq!(interval("120/min"), Ok(Duration::from_millis(500)));
        assert_eq!(
            interval(" 3 / second "),
            Ok(Duration::from_nanos(333_333_333))
        );
        for bad in ["0/s", "fast", "10", "10/h", "-1/s", "/s"] {
            assert_eq!(interval(bad), Err(BadRate(bad.to_owned())), "{bad}");
        }
        assert_eq!(
            "5/h".parse::<Rate>().unwrap_err().to_string(),
            "`5/h` is not N/s or N/min with N at least 1 (10/s, 300/min)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_interval_and_never_burst() {
        let mut limiter = Limiter::new("10/s".parse().unwrap());
        let begin = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..4 {
            limiter.ready().await;
            starts.push(begin.elapsed());
        }
        assert_eq!(
            starts,
            [0, 100, 200, 300].map(Duration::from_millis).to_vec()
        );

        // A long pause saves up no slots: the next two are 100 ms apart.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let resumed = Instant::now();
        limiter.ready().await;
        limiter.ready().await;
        assert_eq!(resumed.elapsed(), Duration::from_millis(100));
    }
}
