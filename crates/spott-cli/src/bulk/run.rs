//! Running the rows: at most `concurrency` in flight, starts paced by the
//! limiter, each create journalled before it leaves and its outcome after.
//!
//! A row's life, and what a stop at each point leaves in the results file:
//!
//! | a kill while the row … | leaves in the file | so a re-run |
//! |---|---|---|
//! | waits for its `started` line to be synced (not sent yet) | nothing, or `started` | sends it, or holds it back as `uncertain` |
//! | is being sent or answered | `started` | holds it back as `uncertain` (unless `--retry-uncertain`) |
//! | waits for its outcome line to be synced | `started`, or the outcome | holds it back as `uncertain`, or goes by the outcome |
//! | has its outcome synced | the outcome | goes by the outcome |
//!
//! The create is polled only after the journal said its `started` line is
//! durable, so no request leaves without a line a re-run will read; a kill
//! (SIGKILL, a crash, a power cut) can cost a row an outcome line, never
//! its `started` line.
//!
//! Stopping:
//! - An interrupt (Ctrl-C, SIGTERM, SIGHUP) or a results file that cannot
//!   be written stops starting rows; rows in flight finish and are
//!   recorded.
//! - A second interrupt abandons the rows in flight; each is recorded as
//!   `uncertain` (its request may have reached the server), so a re-run
//!   does not send it again unless told to.
//! - At the end, every row with a durable `started` line and no outcome
//!   gets an `uncertain` one.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};
use tokio::task::JoinSet;

use super::journal::{self, Entry, Sink};
use super::limiter::Limiter;
use super::results::{self, RowResult, Status};
use super::send::{Job, Work};
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
    /// Rows abandoned in flight by a second interrupt (counted in
    /// `uncertain` too).
    pub abandoned: usize,
    /// Rows not started because the run was stopped.
    pub not_started: usize,
    /// Whether an interrupt stopped the run before every row ended.
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
            // Never an outcome.
            Status::Started => {}
        }
    }
}

/// A line on stderr, around the progress bar.
fn note(progress: &ProgressBar, text: &str) {
    progress.suspend(|| super::note(text));
}

/// Runs `rows`, journalling each to `sink` (the results file at `path`,
/// named in messages).
pub async fn run<S: Sink>(
    rows: Vec<Job>,
    concurrency: usize,
    mut limiter: Option<Limiter>,
    sink: S,
    path: &Path,
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

    // First interrupt → Finish, second → Abandon, each said once on stderr.
    let announcer = tokio::spawn({
        let stop = stop.clone();
        let progress = progress.clone();
        let mut interrupts = interrupts.clone();
        async move {
            interrupts.reached(1).await;
            if raise(&stop, Stop::Finish) {
                note(
                    &progress,
                    "stopping: no new rows start; rows in flight finish and are recorded (interrupt again to abandon them as uncertain)",
                );
            }
            interrupts.reached(2).await;
            if raise(&stop, Stop::Abandon) {
                note(
                    &progress,
                    "abandoning the rows in flight: recorded as uncertain",
                );
            }
        }
    });

    let (entries, received) = mpsc::channel::<Entry>(256);
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let launcher = {
        let mut stopped = stopped.clone();
        async move {
            let mut running = JoinSet::new();
            for job in rows {
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
                running.spawn(row(job, entries.clone(), permit));
            }
            drop(entries);
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
            abandoned
        }
    };
    let writer = journal::write(
        received,
        sink,
        || {
            raise(&stop, Stop::Finish);
        },
        progress.clone(),
    );

    let clock = Instant::now();
    let (abandoned, written) = tokio::join!(launcher, writer);
    announcer.abort();
    progress.finish_and_clear();

    let journal::Written {
        mut sink,
        started,
        ended,
        failure,
    } = written;
    // Rows whose request may have left, with no outcome on disk.
    let unrecorded: Vec<(String, Option<String>)> = started
        .iter()
        .filter(|(row, _)| !ended.contains_key(row))
        .cloned()
        .collect();
    let shown = path.display();
    if let Some(e) = failure {
        let rows: Vec<&str> = unrecorded.iter().map(|(row, _)| row.as_str()).collect();
        return Err(Failure::Other(format!(
            "--results {shown}: cannot write ({e}); stopped. Rows that may have been created without an outcome line: {}",
            if rows.is_empty() {
                "none".to_owned()
            } else {
                rows.join(", ")
            }
        )));
    }
    let mut tally = Tally::default();
    for status in ended.values() {
        tally.count(*status);
    }
    if !unrecorded.is_empty() {
        let reason = if abandoned {
            "abandoned in flight by a second interrupt: it may have been created"
        } else {
            "ended without an outcome: it may have been created"
        };
        let mut bytes = String::new();
        for (row, body_sha256) in &unrecorded {
            let line = results::outcome_line(&RowResult {
                row: row.clone(),
                status: Status::Uncertain,
                ids: Vec::new(),
                error: Some(reason.into()),
                body_sha256: body_sha256.clone(),
            })
            .map_err(|e| Failure::Other(format!("--results {shown}: {e}")))?;
            bytes.push_str(&line);
        }
        sink.persist(bytes.into_bytes())
            .await
            .map_err(|e| Failure::Other(format!("--results {shown}: {e}")))?;
        tally.uncertain += unrecorded.len();
        if abandoned {
            tally.abandoned += unrecorded.len();
        }
    }
    let touched: HashSet<&str> = started
        .iter()
        .map(|(row, _)| row.as_str())
        .chain(ended.keys().map(String::as_str))
        .collect();
    tally.elapsed = clock.elapsed();
    tally.not_started = total.saturating_sub(touched.len());
    tally.interrupted = interrupts.count() > 0 && (tally.not_started > 0 || abandoned);
    Ok(tally)
}

/// One row on its own task: a create waits for its `started` line to be
/// durable before it is polled; the outcome goes to the journal.
async fn row(job: Job, journal: mpsc::Sender<Entry>, permit: tokio::sync::OwnedSemaphorePermit) {
    let Job {
        row,
        body_sha256,
        work,
    } = job;
    let result = match work {
        Work::Refused(result) => result,
        Work::Send(create) => {
            let (durable, synced) = oneshot::channel();
            let record = Entry::Started {
                row,
                body_sha256: body_sha256.clone(),
                durable,
            };
            if journal.send(record).await.is_err() || synced.await.is_err() {
                // Not durable (the file cannot be written): never sent.
                return;
            }
            create.await
        }
    };
    let (durable, synced) = oneshot::channel();
    let record = Entry::Ended {
        result: RowResult {
            body_sha256,
            ..result
        },
        durable,
    };
    if journal.send(record).await.is_ok() {
        // Its place in flight is free once its outcome is on disk.
        let _ = synced.await;
    }
    drop(permit);
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
    use std::sync::Mutex;

    /// What happened, in order: a batch handed to the sink, the same batch
    /// synced, a create sent.
    #[derive(Clone, Debug, PartialEq, Eq)]
    enum Event {
        Writing(String),
        Synced(String),
        Sent(String),
    }

    type Log = Arc<Mutex<Vec<Event>>>;

    /// A sink whose syncs wait for the test's permission, one permit each.
    struct Gated {
        log: Log,
        gate: Arc<Semaphore>,
    }

    impl Sink for Gated {
        async fn persist(&mut self, bytes: Vec<u8>) -> std::io::Result<()> {
            let text = String::from_utf8(bytes).unwrap();
            self.log.lock().unwrap().push(Event::Writing(text.clone()));
            self.gate.acquire().await.unwrap().forget();
            self.log.lock().unwrap().push(Event::Synced(text));
            Ok(())
        }
    }

    /// A create that logs when it is sent, then takes `delay`.
    fn job(key: &str, log: &Log, delay: Duration) -> Job {
        let row = key.to_owned();
        let log = log.clone();
        Job {
            row: key.to_owned(),
            body_sha256: Some(format!("hash-{key}")),
            work: Work::Send(Box::pin(async move {
                log.lock().unwrap().push(Event::Sent(row.clone()));
                tokio::time::sleep(delay).await;
                RowResult {
                    row,
                    status: Status::Created,
                    ids: vec!["t".into()],
                    error: None,
                    body_sha256: None,
                }
            })),
        }
    }

    fn position(log: &[Event], what: impl Fn(&Event) -> bool) -> usize {
        log.iter()
            .position(what)
            .unwrap_or_else(|| panic!("not in {log:#?}"))
    }

    #[tokio::test]
    async fn a_create_is_sent_only_once_its_started_line_is_synced() {
        let log = Log::default();
        let gate = Arc::new(Semaphore::new(0));
        let rows = ["a", "b", "c"]
            .iter()
            .map(|key| job(key, &log, Duration::ZERO))
            .collect();
        let sink = Gated {
            log: log.clone(),
            gate: gate.clone(),
        };
        let running = tokio::spawn(run(
            rows,
            3,
            None,
            sink,
            Path::new("results.jsonl"),
            Interrupts::never(),
        ));
        // Until the first sync is let through, every row is ready to go
        // and none may.
        for _ in 0..1000 {
            tokio::task::yield_now().await;
        }
        {
            let log = log.lock().unwrap();
            assert!(matches!(log[..], [Event::Writing(_)]), "{log:#?}");
        }
        gate.add_permits(1000);
        let tally = running.await.unwrap().unwrap();
        assert_eq!(tally.created, 3);

        let log = log.lock().unwrap();
        for key in ["a", "b", "c"] {
            let started = format!(
                "{{\"row\":\"{key}\",\"status\":\"started\",\"body_sha256\":\"hash-{key}\"}}\n"
            );
            let created = format!(
                "{{\"row\":\"{key}\",\"status\":\"created\",\"ids\":[\"t\"],\"body_sha256\":\"hash-{key}\"}}\n"
            );
            let synced = position(
                &log,
                |e| matches!(e, Event::Synced(t) if t.contains(&started)),
            );
            let sent = position(&log, |e| *e == Event::Sent(key.into()));
            let outcome = position(
                &log,
                |e| matches!(e, Event::Writing(t) if t.contains(&created)),
            );
            assert!(synced < sent && sent < outcome, "{key}: {log:#?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn every_row_is_recorded_once_with_bounded_concurrency_and_pace() {
        let log = Log::default();
        let rows = (0..10)
            .map(|i| job(&format!("r{i}"), &log, Duration::from_millis(50)))
            .collect();
        let limiter = Limiter::new("20/s".parse().unwrap());
        let sink = Gated {
            log: log.clone(),
            gate: Arc::new(Semaphore::new(1000)),
        };
        let begin = tokio::time::Instant::now();
        let tally = run(
            rows,
            2,
            Some(limiter),
            sink,
            Path::new("results.jsonl"),
            Interrupts::never(),
        )
        .await
        .unwrap();
        assert_eq!(tally.created, 10);
        assert_eq!(tally.not_started, 0);
        assert!(!tally.interrupted);
        // Ten starts 50 ms apart, the last one taking 50 ms.
        assert_eq!(begin.elapsed(), Duration::from_millis(500));
        let written: String = log
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::Synced(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let mut lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 20, "a start and an outcome per row");
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(lines.len(), 20);
    }
}
