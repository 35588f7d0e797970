//! `spott bulk …`: many creates from a CSV file, each recorded as it ends.
//!
//! - Results are JSON lines `{row, status, ids, error}`, appended and
//!   flushed row by row, so a crash or Ctrl-C loses nothing finished.
//! - A re-run reads the results first and skips rows already `created`.
//!   Rows whose outcome was `uncertain` (a timeout or broken connection
//!   after sending: the server may have created them) are skipped too,
//!   unless `--retry-uncertain` says to send them again. `failed` rows (the
//!   API refused them, nothing was created) are tried again.
//! - Ctrl-C stops starting rows; rows in flight finish and are recorded.
//! - `--concurrency` bounds rows in flight; `--rate` bounds rows started
//!   per second or minute.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use tokio::sync::{Semaphore, mpsc};

use crate::args::BulkArgs;
use crate::commands::saleshandy_tasks;
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{instant, link};

/// One line of the results file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowResult {
    /// The row's `id` column.
    pub row: String,
    /// `created`, `failed` or `uncertain`.
    pub status: Status,
    /// What was created (task ids).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Why it failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How a row ended.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Created.
    Created,
    /// Refused; nothing was created; a re-run tries it again.
    Failed,
    /// May or may not exist; a re-run skips it unless `--retry-uncertain`.
    Uncertain,
}

/// A Spott task row.
#[derive(Debug, Deserialize)]
struct SpottRow {
    id: String,
    content: String,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default)]
    links: Option<String>,
}

/// A Saleshandy row.
#[derive(Debug, Deserialize)]
struct SaleshandyRow {
    id: String,
    prospects: String,
    #[serde(rename = "type")]
    task_type: String,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Which API a bulk run creates in.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Spott tasks.
    Spott,
    /// Saleshandy tasks.
    Saleshandy,
}

/// A row turned into a call that can run on its own task.
type Job = std::pin::Pin<Box<dyn std::future::Future<Output = RowResult> + Send>>;

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

/// The outcome of a create as a row result.
fn outcome(row: String, result: Result<Vec<String>, client_core::Error>) -> RowResult {
    match result {
        Ok(ids) => RowResult {
            row,
            status: Status::Created,
            ids,
            error: None,
        },
        Err(error) => {
            let status = match error {
                client_core::Error::Timeout { .. } | client_core::Error::Transport { .. } => {
                    Status::Uncertain
                }
                // A decode failure came after a 2xx: it was created.
                client_core::Error::Decode { .. } | client_core::Error::ResponseTooLarge { .. } => {
                    Status::Uncertain
                }
                _ => Status::Failed,
            };
            RowResult {
                row,
                status,
                ids: Vec::new(),
                error: Some(error.to_string()),
            }
        }
    }
}

fn failed(row: String, reason: String) -> RowResult {
    RowResult {
        row,
        status: Status::Failed,
        ids: Vec::new(),
        error: Some(reason),
    }
}

/// Reads the CSV and turns every row into a job.
fn jobs(target: Target, ctx: &Context, csv_path: &Path) -> Result<Vec<(String, Job)>, Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(csv_path)
        .map_err(|e| Failure::Input(format!("--csv {}: {e}", csv_path.display())))?;
    let mut jobs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    match target {
        Target::Spott => {
            let client = ctx.spott()?;
            for (line, record) in reader.deserialize::<SpottRow>().enumerate() {
                let row =
                    record.map_err(|e| Failure::Input(format!("--csv line {}: {e}", line + 2)))?;
                let id = row.id.clone();
                let key = id.clone();
                let task = spott_task(row);
                let client = client.clone();
                let job: Job = Box::pin(async move {
                    match task {
                        Ok(task) => outcome(
                            id,
                            client
                                .create_task(task)
                                .await
                                .map(|t| t.id.into_iter().collect()),
                        ),
                        Err(reason) => failed(id, reason),
                    }
                });
                jobs.push((row_key(&mut seen, &key, line)?, job));
            }
        }
        Target::Saleshandy => {
            let client = ctx.saleshandy()?;
            for (line, record) in reader.deserialize::<SaleshandyRow>().enumerate() {
                let row =
                    record.map_err(|e| Failure::Input(format!("--csv line {}: {e}", line + 2)))?;
                let id = row.id.clone();
                let key = id.clone();
                let prospects: Vec<String> = row
                    .prospects
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect();
                let tasks = saleshandy_tasks(
                    &prospects,
                    &row.task_type,
                    non_empty(row.priority).as_deref(),
                    non_empty(row.due).as_deref(),
                    non_empty(row.note),
                )
                .map_err(|e| e.to_string());
                let client = client.clone();
                let job: Job = Box::pin(async move {
                    match tasks {
                        Ok(tasks) => outcome(
                            id,
                            client.create_tasks(tasks).await.map(|results| {
                                results
                                    .successes()
                                    .filter_map(|o| o.task_id.clone())
                                    .collect()
                            }),
                        ),
                        Err(reason) => failed(id, reason),
                    }
                });
                jobs.push((row_key(&mut seen, &key, line)?, job));
            }
        }
    }
    Ok(jobs)
}

/// Row ids must be present and unique: they are how a re-run knows what is
/// done.
fn row_key(
    seen: &mut std::collections::HashSet<String>,
    id: &str,
    line: usize,
) -> Result<String, Failure> {
    if id.is_empty() {
        return Err(Failure::Input(format!(
            "--csv line {}: the id column is empty",
            line + 2
        )));
    }
    if !seen.insert(id.to_owned()) {
        return Err(Failure::Input(format!(
            "--csv line {}: id `{id}` appears twice",
            line + 2
        )));
    }
    Ok(id.to_owned())
}

fn spott_task(row: SpottRow) -> Result<spott::NewTask, String> {
    let mut task = spott::NewTask::new(row.content);
    if let Some(due) = non_empty(row.due) {
        task = task.due(instant("due", &due).map_err(|e| e.to_string())?);
    }
    if let Some(assignee) = non_empty(row.assignee) {
        task = task.assign_to(assignee);
    }
    for text in non_empty(row.links).iter().flat_map(|l| l.split(';')) {
        let text = text.trim();
        if !text.is_empty() {
            task = task.link(link(text).map_err(|e| e.to_string())?);
        }
    }
    Ok(task)
}

/// Reads earlier results: the last line per row wins.
fn earlier_results(path: &Path) -> Result<HashMap<String, RowResult>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(Failure::Input(format!("--results {}: {e}", path.display()))),
    };
    let mut done = HashMap::new();
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let result: RowResult = serde_json::from_str(line).map_err(|e| {
            Failure::Input(format!(
                "--results {} line {}: {e}",
                path.display(),
                number + 1
            ))
        })?;
        done.insert(result.row.clone(), result);
    }
    Ok(done)
}

/// `N/s` or `N/min` as the pause between starts.
fn rate_interval(text: &str) -> Result<Duration, Failure> {
    let bad = || Failure::Input(format!("--rate: `{text}` is not N/s or N/min"));
    let (count, unit) = text.split_once('/').ok_or_else(bad)?;
    let count: u32 = count.trim().parse().map_err(|_| bad())?;
    if count == 0 {
        return Err(bad());
    }
    let window = match unit.trim() {
        "s" | "sec" | "second" => Duration::from_secs(1),
        "min" | "m" | "minute" => Duration::from_secs(60),
        _ => return Err(bad()),
    };
    Ok(window / count)
}

/// What a bulk run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows created in this run.
    pub created: usize,
    /// Rows refused in this run.
    pub failed: usize,
    /// Rows with an uncertain outcome in this run.
    pub uncertain: usize,
    /// Rows skipped because an earlier run finished them.
    pub skipped: usize,
    /// Rows not started because of Ctrl-C.
    pub not_started: usize,
    /// Wall time from the first row started to the last one recorded.
    pub elapsed: Duration,
}

/// Runs a bulk command.
pub async fn run(target: Target, ctx: &Context, args: BulkArgs) -> Result<Summary, Failure> {
    let interval = args.rate.as_deref().map(rate_interval).transpose()?;
    let done = earlier_results(&args.results)?;
    let all = jobs(target, ctx, &args.csv)?;
    let mut summary = Summary::default();
    let mut todo = Vec::new();
    for (key, job) in all {
        let skip = match done.get(&key).map(|r| r.status) {
            Some(Status::Created) => true,
            Some(Status::Uncertain) => !args.retry_uncertain,
            Some(Status::Failed) | None => false,
        };
        if skip {
            summary.skipped += 1;
        } else {
            todo.push((key, job));
        }
    }

    // A plain file, no buffer: each line is one write to the OS as its row
    // ends (tokio::fs would hop through the blocking pool for every line).
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.results)
        .map_err(|e| Failure::Other(format!("--results {}: {e}", args.results.display())))?;
    let progress = ProgressBar::with_draw_target(
        Some(todo.len() as u64),
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );

    let stop = Arc::new(AtomicBool::new(false));
    let interrupted = crate::interrupt::interrupt_listener()?;
    let watcher = {
        let stop = stop.clone();
        tokio::spawn(async move {
            interrupted.await;
            stop.store(true, Ordering::SeqCst);
        })
    };

    let (sender, mut receiver) = mpsc::channel::<RowResult>(64);
    let permits = Arc::new(Semaphore::new(args.concurrency.max(1)));
    let mut ticker = interval.map(|every| {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker
    });
    let total = todo.len();
    let launcher = {
        let stop = stop.clone();
        async move {
            let mut started = 0;
            let mut running = tokio::task::JoinSet::new();
            for (key, job) in todo {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Some(ticker) = ticker.as_mut() {
                    ticker.tick().await;
                }
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    break;
                };
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let sender = sender.clone();
                started += 1;
                running.spawn(async move {
                    let mut result = job.await;
                    result.row = key;
                    let _ = sender.send(result).await;
                    drop(permit);
                });
            }
            drop(sender);
            while running.join_next().await.is_some() {}
            started
        }
    };
    let writer = async {
        let mut written = Vec::new();
        while let Some(result) = receiver.recv().await {
            let mut line = serde_json::to_string(&result).unwrap_or_default();
            line.push('\n');
            file.write_all(line.as_bytes())?;
            progress.inc(1);
            written.push(result.status);
        }
        Ok::<_, std::io::Error>(written)
    };
    let clock = std::time::Instant::now();
    let (started, written) = tokio::join!(launcher, writer);
    summary.elapsed = clock.elapsed();
    watcher.abort();
    progress.finish_and_clear();
    for status in written? {
        match status {
            Status::Created => summary.created += 1,
            Status::Failed => summary.failed += 1,
            Status::Uncertain => summary.uncertain += 1,
        }
    }
    summary.not_started = total - started;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse() {
        assert_eq!(rate_interval("10/s").unwrap(), Duration::from_millis(100));
        assert_eq!(
            rate_interval("120/min").unwrap(),
            Duration::from_millis(500)
        );
        assert!(rate_interval("0/s").is_err());
        assert!(rate_interval("fast").is_err());
    }

    #[test]
    fn uncertain_and_failed_are_told_apart() {
        let timeout = outcome(
            "r".into(),
            Err(client_core::Error::Timeout {
                operation: "x",
                attempts: 1,
            }),
        );
        assert_eq!(timeout.status, Status::Uncertain);
        let refused = outcome(
            "r".into(),
            Err(client_core::Error::invalid("content", "empty")),
        );
        assert_eq!(refused.status, Status::Failed);
        let line = serde_json::to_string(&outcome("7".into(), Ok(vec!["t1".into()]))).unwrap();
        assert_eq!(line, r#"{"row":"7","status":"created","ids":["t1"]}"#);
    }
}
