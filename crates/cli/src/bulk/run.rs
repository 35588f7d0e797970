//! Running the rows: at most `concurrency` in flight, starts paced by the
//! limiter, every finished row written to the results file as it ends.
//!
//! Stopping, and why nothing is lost or created twice:
//! - Ctrl-C (or a results file that cannot be written) stops starting rows;
//!   rows in flight finish and are recorded.
//! - A second Ctrl-C abandons the rows in flight; each is recorded as
//!   `uncertain` (its request may have reached the server), so a re-run
//!   does not send it again unless told to.
//! - A row is recorded once its create has ended, never before, and the
//!   launcher keeps the list of rows it started: any started row without
//!   a line at the end gets an `uncertain` one.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::limiter::Limiter;
use super::results::{ResultsFile, RowResult, Status};
use super::send::Job;
use crate::exit::Failure;
use crate::interrupt::Interrupts;

/// How far a run has been told to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stop {
    /// Keep going.
    Go,
    /// Start no more rows; let those in flight finish.
    Finish,
    /// Abandon the rows in flight too.
    Abandon,
}

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows created.
    pub created: usize,
    /// Rows refused or never sent.
    pub failed: usize,
    /// Rows that may or may not exist (abandoned ones included).
    pub uncertain: usize,
    /// Rows abandoned in flight by a second Ctrl-C (counted in
    /// `uncertain` too).
    pub abandoned: usize,
    /// Rows not started because the run was stopped.
    pub not_started: usize,
    /// Whether Ctrl-C stopped the run before every row ended.
    pub interrupted: bool,
    /// From the first start to the last line written.
    pub elapsed: Duration,
}

impl Tally {
    fn count(&mut self, status: Status) {
        match status {
            Status::Created => self.created += 1,
            Status::Failed => self.failed += 1,
            Status::Uncertain => self.uncertain += 1,
        }
    }
}

/// Runs `rows` (key, job), appending each outcome to `file`.
pub async fn run(
    rows: Vec<(String, Job)>,
    concurrency: usize,
    mut limiter: Option<Limiter>,
    file: &mut ResultsFile,
    interrupts: Interrupts,
) -> Result<Tally, Failure> {
    let total = rows.len();
    let progress = progress_bar(total);
    let (stop, stopped) = watch::channel(Stop::Go);
    let stop = Arc::new(stop);
    let raise = |stop: &watch::Sender<Stop>, to: Stop| {
        stop.send_if_modified(|now| {
            let raised = *now < to;
            *now = (*now).max(to);
            raised
        })
    };

    // Ctrl-C → Finish, again → Abandon, each said once on stderr.
    let announcer = tokio::spawn({
        let stop = stop.clone();
        let progress = progress.clone();
        let mut interrupts = interrupts.clone();
        async move {
            interrupts.reached(1).await;
            if raise(&stop, Stop::Finish) {
                progress.suspend(|| {
                    eprintln!(
                        "stopping: no new rows start; rows in flight finish and are recorded (Ctrl-C again to abandon them as uncertain)"
                    )
                });
            }
            interrupts.reached(2).await;
            if raise(&stop, Stop::Abandon) {
                progress
                    .suspend(|| eprintln!("abandoning the rows in flight: recorded as uncertain"));
            }
        }
    });

    let (sender, mut receiver) = mpsc::channel::<RowResult>(64);
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let launcher = {
        let mut stopped = stopped.clone();
        async move {
            let mut started = Vec::new();
            let mut running = JoinSet::new();
            for (key, job) in rows {
                let next = async {
                    let permit = permits.clone().acquire_owned().await;
                    if let Some(limiter) = limiter.as_mut() {
                        limiter.ready().await;
                    }
                    permit
                };
                let permit = tokio::select! {
                    biased;
                    _ = stopped.wait_for(|stop| *stop != Stop::Go) => break,
                    permit = next => permit,
                };
                let Ok(permit) = permit else { break };
                started.push(key);
                let sender = sender.clone();
                running.spawn(async move {
                    let result = job.await;
                    let _ = sender.send(result).await;
                    drop(permit);
                });
            }
            drop(sender);
            let mut abandoned = false;
            loop {
                tokio::select! {
                    joined = running.join_next() => if joined.is_none() { break },
                    _ = stopped.wait_for(|stop| *stop == Stop::Abandon), if !abandoned => {
                        running.abort_all();
                        abandoned = true;
                    }
                }
            }
            (started, abandoned)
        }
    };

    let writer = async {
        let mut tally = Tally::default();
        let mut recorded = HashSet::new();
        let mut failure = None;
        // Keep receiving after a write error, so no row waits forever to
        // hand in its result.
        while let Some(result) = receiver.recv().await {
            if failure.is_none() {
                match file.append(&result) {
                    Ok(()) => {
                        tally.count(result.status);
                        recorded.insert(result.row);
                    }
                    Err(e) => {
                        failure = Some(e);
                        raise(&stop, Stop::Finish);
                    }
                }
            }
            progress.inc(1);
        }
        (tally, recorded, failure)
    };

    let clock = Instant::now();
    let ((started, abandoned), (mut tally, recorded, failure)) = tokio::join!(launcher, writer);
    announcer.abort();
    progress.finish_and_clear();

    let unrecorded: Vec<String> = started
        .iter()
        .filter(|key| !recorded.contains(*key))
        .cloned()
        .collect();
    if let Some(e) = failure {
        return Err(Failure::Other(format!(
            "--results {}: cannot write ({e}); stopped. Rows that may have been created without a line: {}",
            file.path().display(),
            if unrecorded.is_empty() {
                "none".to_owned()
            } else {
                unrecorded.join(", ")
            }
        )));
    }
    for key in unrecorded {
        let reason = if abandoned {
            "abandoned in flight by Ctrl-C: it may have been created"
        } else {
            "ended without an outcome: it may have been created"
        };
        file.append(&RowResult {
            row: key,
            status: Status::Uncertain,
            ids: Vec::new(),
            error: Some(reason.into()),
        })
        .map_err(|e| Failure::Other(format!("--results {}: {e}", file.path().display())))?;
        tally.uncertain += 1;
        if abandoned {
            tally.abandoned += 1;
        }
    }
    tally.elapsed = clock.elapsed();
    tally.not_started = total - started.len();
    tally.interrupted = interrupts.count() > 0 && (tally.not_started > 0 || abandoned);
    Ok(tally)
}

/// A bar on stderr when it is a terminal, nothing otherwise.
fn progress_bar(total: usize) -> ProgressBar {
    let target = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(total as u64), target);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(key: &str, delay: Duration) -> (String, Job) {
        let row = key.to_owned();
        (
            key.to_owned(),
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                RowResult {
                    row,
                    status: Status::Created,
                    ids: vec!["t".into()],
                    error: None,
                }
            }),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn every_row_is_recorded_once_with_bounded_concurrency_and_pace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let mut file = ResultsFile::append_to(&path).unwrap();
        let rows = (0..10)
            .map(|i| job(&format!("r{i}"), Duration::from_millis(50)))
            .collect();
        let limiter = Limiter::new("20/s".parse().unwrap());
        let begin = tokio::time::Instant::now();
        let tally = run(
            rows,
            2,
            Some(limiter),
            &mut file,
            Interrupts::listen().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(tally.created, 10);
        assert_eq!(tally.not_started, 0);
        assert!(!tally.interrupted);
        // Ten starts 50 ms apart, the last one taking 50 ms.
        assert_eq!(begin.elapsed(), Duration::from_millis(500));
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rows: Vec<&str> = text.lines().collect();
        rows.sort_unstable();
        rows.dedup();
        assert_eq!(rows.len(), 10);
    }
}
