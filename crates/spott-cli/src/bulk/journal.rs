//! The journal's writer: one task owns the results file and writes what
//! the rows hand it in batches, one write and one `fsync` (`sync_data`) per
//! batch (group commit).
//!
//! - A row about to send its create hands in [`Entry::Started`] and waits:
//!   the writer answers on `durable` only once the batch holding that line
//!   is synced. The create is not polled before (see `run`), so a kill at
//!   any moment leaves every request that may have left with a `started`
//!   line on disk.
//! - A row that ended hands in [`Entry::Ended`] and waits the same way
//!   before it gives up its place in flight: at any moment, at most
//!   `--concurrency` rows lack a durable outcome, so a kill leaves at most
//!   that many uncertain.
//! - While a batch is being synced, the entries that arrive queue up and
//!   make the next batch: the more rows in flight, the fewer syncs per row.
//! - If a write or sync fails, the writer stops writing, keeps receiving
//!   (so no row waits forever), and never answers `durable` again: rows
//!   still waiting are not sent.

use std::collections::HashMap;
use std::fs::File;
use std::future::Future;
use std::io::{self, Write as _};
use std::sync::Arc;

use indicatif::ProgressBar;
use tokio::sync::{mpsc, oneshot};

use super::results::{self, RowResult, Status};

/// The most entries written in one batch.
const MAX_BATCH: usize = 1024;

/// Where the journal's lines go.
pub trait Sink: Send + 'static {
    /// Appends `bytes` (whole lines); when it returns `Ok`, they are
    /// durable.
    fn persist(&mut self, bytes: Vec<u8>) -> impl Future<Output = io::Result<()>> + Send;
}

/// The results file: each batch is one `write_all` and one `sync_data`, on
/// the blocking pool so the rows in flight keep going meanwhile.
pub struct FileSink {
    file: Arc<File>,
}

impl FileSink {
    /// Writes to `file` (opened for appending).
    pub fn new(file: File) -> Self {
        Self {
            file: Arc::new(file),
        }
    }
}

impl Sink for FileSink {
    async fn persist(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        let file = self.file.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer: &File = &file;
            writer.write_all(&bytes)?;
            file.sync_data()
        })
        .await
        .map_err(io::Error::other)?
    }
}

/// What a row hands the writer.
#[derive(Debug)]
pub enum Entry {
    /// The row's create is about to leave; `durable` fires once this line
    /// is synced (and never if it cannot be written).
    Started {
        /// The row key.
        row: String,
        /// Its body hash.
        body_sha256: Option<String>,
        /// Fired once the line is durable.
        durable: oneshot::Sender<()>,
    },
    /// How the row ended; `durable` fires once this line is synced.
    Ended {
        /// The outcome.
        result: RowResult,
        /// Fired once the line is durable.
        durable: oneshot::Sender<()>,
    },
}

/// What the writer did, once every sender is gone.
pub struct Written<S> {
    /// The sink, for the lines written after the rows (abandoned ones).
    pub sink: S,
    /// Rows whose `started` line is durable, in order, with their hash.
    pub started: Vec<(String, Option<String>)>,
    /// Rows whose outcome line is durable, with the outcome.
    pub ended: HashMap<String, Status>,
    /// The first write or sync that failed; nothing was written after it.
    pub failure: Option<io::Error>,
}

/// A line of a batch, for the bookkeeping once it is durable.
enum Done {
    Started(String, Option<String>),
    Ended(String, Status),
}

/// Writes entries until every sender is dropped. `on_failure` is called
/// once, when a write or sync fails; `progress` counts outcomes written.
pub async fn write<S: Sink>(
    mut entries: mpsc::Receiver<Entry>,
    sink: S,
    on_failure: impl Fn(),
    progress: ProgressBar,
) -> Written<S> {
    let mut written = Written {
        sink,
        started: Vec::new(),
        ended: HashMap::new(),
        failure: None,
    };
    while let Some(first) = entries.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match entries.try_recv() {
                Ok(entry) => batch.push(entry),
                Err(_) => break,
            }
        }
        if written.failure.is_some() {
            // Dropping the batch drops its `durable` senders: those rows
            // are never sent.
            continue;
        }
        let mut bytes = String::new();
        let mut waiting = Vec::new();
        let mut done = Vec::new();
        let mut bad = None;
        for entry in batch {
            let line = match &entry {
                Entry::Started {
                    row, body_sha256, ..
                } => results::started_line(row, body_sha256.as_deref()),
                Entry::Ended { result, .. } => results::outcome_line(result),
            };
            match line {
                Ok(line) => bytes.push_str(&line),
                Err(e) => bad = bad.or(Some(io::Error::other(e))),
            }
            match entry {
                Entry::Started {
                    row,
                    body_sha256,
                    durable,
                } => {
                    waiting.push(durable);
                    done.push(Done::Started(row, body_sha256));
                }
                Entry::Ended { result, durable } => {
                    waiting.push(durable);
                    done.push(Done::Ended(result.row, result.status));
                }
            }
        }
        let outcome = match bad {
            Some(e) => Err(e),
            None => written.sink.persist(bytes.into_bytes()).await,
        };
        if let Err(e) = outcome {
            written.failure = Some(e);
            on_failure();
            continue;
        }
        for durable in waiting {
            // A row abandoned meanwhile no longer listens; its line stands.
            let _ = durable.send(());
        }
        for line in done {
            match line {
                Done::Started(row, body_sha256) => written.started.push((row, body_sha256)),
                Done::Ended(row, status) => {
                    written.ended.insert(row, status);
                    progress.inc(1);
                }
            }
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Keeps what it is given; fails from the `fail_from`th call on.
    struct Memory {
        batches: Arc<Mutex<Vec<String>>>,
        fail_from: usize,
    }

    impl Sink for Memory {
        async fn persist(&mut self, bytes: Vec<u8>) -> io::Result<()> {
            let mut batches = self.batches.lock().unwrap();
            if batches.len() >= self.fail_from {
                return Err(io::Error::other("disk full"));
            }
            batches.push(String::from_utf8(bytes).unwrap());
            Ok(())
        }
    }

    fn ended(row: &str) -> (Entry, oneshot::Receiver<()>) {
        let (durable, synced) = oneshot::channel();
        let entry = Entry::Ended {
            result: RowResult {
                row: row.into(),
                status: Status::Created,
                ids: Vec::new(),
                error: None,
                body_sha256: Some("h".into()),
            },
            durable,
        };
        (entry, synced)
    }

    #[tokio::test]
    async fn entries_queued_during_a_sync_share_the_next_one() {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = mpsc::channel(16);
        let mut durable = Vec::new();
        for row in ["a", "b", "c"] {
            let (tx, rx) = oneshot::channel();
            sender
                .send(Entry::Started {
                    row: row.into(),
                    body_sha256: None,
                    durable: tx,
                })
                .await
                .unwrap();
            durable.push(rx);
        }
        let (entry, synced) = ended("z");
        sender.send(entry).await.unwrap();
        durable.push(synced);
        drop(sender);
        let written = write(
            receiver,
            Memory {
                batches: batches.clone(),
                fail_from: usize::MAX,
            },
            || {},
            ProgressBar::hidden(),
        )
        .await;
        assert_eq!(
            *batches.lock().unwrap(),
            [concat!(
                "{\"row\":\"a\",\"status\":\"started\"}\n",
                "{\"row\":\"b\",\"status\":\"started\"}\n",
                "{\"row\":\"c\",\"status\":\"started\"}\n",
                "{\"row\":\"z\",\"status\":\"created\",\"ids\":[],\"body_sha256\":\"h\"}\n",
            )],
            "one write, one sync"
        );
        for rx in durable {
            assert_eq!(rx.await, Ok(()));
        }
        assert_eq!(
            written
                .started
                .iter()
                .map(|(r, _)| r.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(written.ended["z"], Status::Created);
    }

    #[tokio::test]
    async fn after_a_failed_sync_no_row_is_released() {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = mpsc::channel(16);
        let (tx, rx) = oneshot::channel();
        sender
            .send(Entry::Started {
                row: "a".into(),
                body_sha256: None,
                durable: tx,
            })
            .await
            .unwrap();
        drop(sender);
        let failed = std::sync::atomic::AtomicUsize::new(0);
        let written = write(
            receiver,
            Memory {
                batches,
                fail_from: 0,
            },
            || {
                failed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            },
            ProgressBar::hidden(),
        )
        .await;
        assert!(rx.await.is_err(), "never told it is durable");
        assert!(written.started.is_empty());
        assert_eq!(written.failure.unwrap().to_string(), "disk full");
        assert_eq!(failed.into_inner(), 1);
    }
}
