//! The results file: a journal of JSON lines, appended, each one durable
//! (`fsync`ed) before what it announces happens, and read back by a re-run
//! to skip what is done.
//!
//! ```text
//! {"row":"r7","status":"started","body_sha256":"9f86…"}
//! {"row":"r7","status":"created","ids":["shtask_3"],"body_sha256":"9f86…"}
//! {"row":"r8","status":"failed","ids":[],"error":"create_task: HTTP 422: …","body_sha256":"…"}
//! {"row":"r9","status":"uncertain","ids":[],"error":"create_task: timed out after 1 attempt(s)","body_sha256":"…"}
//! ```
//!
//! - `started`: the row's create is about to leave. Written and synced
//!   before the request is sent; an outcome line follows when it ends.
//! - `created`, `failed`, `uncertain`: how it ended (see `send`).
//! - `body_sha256`: the SHA-256 of the request body (see `body`). Lines
//!   written before it existed have none: their rows are matched by key
//!   only, as then.
//!
//! Reading, the last line per row wins, and:
//! - a row whose last line is `started` was in flight when its run stopped
//!   without recording it (a kill, a crash, a power cut): `uncertain`;
//! - a last line cut off without its newline is the write a kill
//!   interrupted: the row it names is `uncertain`, and if it names none it
//!   is ignored (the run says so). It is cut away before new lines are
//!   appended, with an `uncertain` line for its row;
//! - any other line that does not parse stops the run, naming the line.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// One line of the results file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowResult {
    /// The row key: the `id` column, or the line number without one.
    pub row: String,
    /// How the row ended (or, `started`, that its create is leaving).
    pub status: Status,
    /// What was created (task ids).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Why it failed or is uncertain; for a created row, what went wrong
    /// on the side (a prospect without a task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The SHA-256 of the row's request body; `None` for a row that makes
    /// no body, and in lines from before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<String>,
}

/// A `started` line: the row, its body hash, nothing else.
#[derive(Serialize)]
struct StartedLine<'a> {
    row: &'a str,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_sha256: Option<&'a str>,
}

/// How a row ended.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its create is about to be sent (a journal record, not an outcome):
    /// with no outcome after it, the row is uncertain.
    Started,
    /// Created; a re-run skips it.
    Created,
    /// Refused or never sent: nothing was created; a re-run tries again.
    Failed,
    /// May or may not exist; a re-run skips it unless `--retry-uncertain`.
    Uncertain,
}

/// The line announcing that `row`'s create is about to leave.
pub fn started_line(row: &str, body_sha256: Option<&str>) -> Result<String, serde_json::Error> {
    let mut line = serde_json::to_string(&StartedLine {
        row,
        status: Status::Started,
        body_sha256,
    })?;
    line.push('\n');
    Ok(line)
}

/// The line recording how a row ended.
pub fn outcome_line(result: &RowResult) -> Result<String, serde_json::Error> {
    let mut line = serde_json::to_string(result)?;
    line.push('\n');
    Ok(line)
}

/// What an earlier run recorded for one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// `created`, `failed` or `uncertain` (never `started`: a row left in
    /// flight is `uncertain`, and `stopped` says why).
    pub status: Status,
    /// The body hash its last line carries, if any.
    pub body_sha256: Option<String>,
    /// Set when the row has no outcome line because its run stopped.
    pub stopped: Option<Stopped>,
}

/// Why a row is uncertain without an outcome line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Its last line is `started`: in flight when the run stopped.
    InFlight,
    /// Its last line was cut off mid-write.
    CutOff,
}

impl Stopped {
    /// The `error` of the `uncertain` line a re-run records for it.
    pub fn reason(self) -> &'static str {
        match self {
            Stopped::InFlight => "in flight when an earlier run stopped: it may have been created",
            Stopped::CutOff => {
                "its line was cut off when an earlier run stopped: it may have been created"
            }
        }
    }
}

/// A last line cut off without its newline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Torn {
    /// The file's length up to the end of its last whole line.
    pub keep: u64,
    /// The row the line names, if that much of it was written.
    pub row: Option<String>,
}

/// Everything earlier runs recorded.
#[derive(Debug, Default)]
pub struct Earlier {
    /// Per row key.
    pub rows: HashMap<String, Recorded>,
    /// A cut-off last line, to cut away before appending.
    pub torn: Option<Torn>,
    /// The last line is whole but lacks its newline: add one before
    /// appending.
    pub unterminated: bool,
}

/// Reads earlier results (see the module docs). A missing file is an empty
/// one.
pub fn read_earlier(path: &Path) -> Result<Earlier, Failure> {
    let shown = path.display();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Earlier::default()),
        Err(e) => return Err(Failure::Input(format!("--results {shown}: {e}"))),
    };
    let mut earlier = Earlier::default();
    let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    for (index, line) in bytes[..whole].split(|b| *b == b'\n').enumerate() {
        let number = index + 1;
        let bad = |why: String| {
            Failure::Input(format!(
                "--results {shown} line {number}: not a result line ({why}); fix or remove it"
            ))
        };
        let text = std::str::from_utf8(line).map_err(|e| bad(e.to_string()))?;
        if text.trim().is_empty() {
            continue;
        }
        let result: RowResult = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        earlier.apply(result);
    }
    let tail = &bytes[whole..];
    if !tail.trim_ascii().is_empty() {
        match std::str::from_utf8(tail)
            .ok()
            .and_then(|text| serde_json::from_str::<RowResult>(text).ok())
        {
            Some(result) => {
                earlier.apply(result);
                earlier.unterminated = true;
            }
            None => {
                let row = torn_row(tail);
                if let Some(row) = &row {
                    let body_sha256 = earlier.rows.get(row).and_then(|r| r.body_sha256.clone());
                    earlier.rows.insert(
                        row.clone(),
                        Recorded {
                            status: Status::Uncertain,
                            body_sha256,
                            stopped: Some(Stopped::CutOff),
                        },
                    );
                }
                earlier.torn = Some(Torn {
                    keep: whole as u64,
                    row,
                });
            }
        }
    }
    Ok(earlier)
}

impl Earlier {
    fn apply(&mut self, line: RowResult) {
        let (status, stopped) = match line.status {
            Status::Started => (Status::Uncertain, Some(Stopped::InFlight)),
            status => (status, None),
        };
        self.rows.insert(
            line.row,
            Recorded {
                status,
                body_sha256: line.body_sha256,
                stopped,
            },
        );
    }
}

/// The row a cut-off line names: its `"row"` string, when it was written
/// whole (every line starts with it).
fn torn_row(tail: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(tail);
    let rest = text
        .trim_start()
        .strip_prefix('{')?
        .trim_start()
        .strip_prefix("\"row\"")?
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    // Reads one string and ignores what follows; an unterminated one fails.
    String::deserialize(&mut serde_json::Deserializer::from_str(rest)).ok()
}

/// The results file, open for appending.
pub struct ResultsFile {
    path: PathBuf,
    file: File,
}

impl ResultsFile {
    /// Opens (or creates) the file for appending, first cutting away a torn
    /// last line or ending an unterminated one, so every line appended
    /// starts on a line of its own.
    pub fn append_to(path: &Path, earlier: &Earlier) -> Result<Self, Failure> {
        let fail = |e: std::io::Error| Failure::Other(format!("--results {}: {e}", path.display()));
        let existed = path.exists();
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(fail)?;
        if let Some(torn) = &earlier.torn {
            file.set_len(torn.keep).map_err(fail)?;
            file.sync_data().map_err(fail)?;
        } else if earlier.unterminated {
            file.write_all(b"\n").map_err(fail)?;
            file.sync_data().map_err(fail)?;
        }
        if !existed {
            sync_directory_of(path);
        }
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }

    /// The file's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `bytes` (whole lines) and syncs them to the disk before
    /// returning.
    pub fn append_durably(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.sync_data()
    }

    /// The file itself, for the journal's writer.
    pub fn into_file(self) -> File {
        self.file
    }
}

/// Makes a new file's name durable too: without it, a power cut can lose
/// the whole file even though its content was synced. Best effort: some
/// file systems cannot sync a directory, and the lines themselves are
/// synced either way.
fn sync_directory_of(path: &Path) {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if let Ok(directory) = File::open(parent) {
            let _ = directory.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created(row: &str, hash: Option<&str>) -> RowResult {
        RowResult {
            row: row.into(),
            status: Status::Created,
            ids: vec!["t".into()],
            error: None,
            body_sha256: hash.map(str::to_owned),
        }
    }

    fn read(text: &str) -> Result<Earlier, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(&path, text).unwrap();
        read_earlier(&path).map_err(|e| e.to_string().replace(&path.display().to_string(), "FILE"))
    }

    #[test]
    fn lines_round_trip_and_the_last_one_per_row_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let none = read_earlier(&path).unwrap();
        assert!(none.rows.is_empty() && none.torn.is_none());

        let mut file = ResultsFile::append_to(&path, &none).unwrap();
        let mut bytes = started_line("a", Some("h1")).unwrap();
        for (row, status) in [
            ("a", Status::Failed),
            ("b", Status::Uncertain),
            ("a", Status::Created),
        ] {
            bytes.push_str(
                &outcome_line(&RowResult {
                    status,
                    ..created(row, Some("h1"))
                })
                .unwrap(),
            );
        }
        file.append_durably(bytes.as_bytes()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().take(2).collect::<Vec<_>>(),
            [
                r#"{"row":"a","status":"started","body_sha256":"h1"}"#,
                r#"{"row":"a","status":"failed","ids":["t"],"body_sha256":"h1"}"#
            ]
        );
        let earlier = read_earlier(&path).unwrap();
        assert_eq!(earlier.rows.len(), 2);
        assert_eq!(earlier.rows["a"].status, Status::Created);
        assert_eq!(earlier.rows["a"].body_sha256.as_deref(), Some("h1"));
        assert_eq!(earlier.rows["b"].status, Status::Uncertain);
        assert_eq!(earlier.rows["b"].stopped, None);
    }

    #[test]
    fn a_start_without_an_outcome_is_uncertain() {
        let earlier = read(concat!(
            "{\"row\":\"a\",\"status\":\"started\",\"body_sha256\":\"h\"}\n",
            "{\"row\":\"b\",\"status\":\"started\"}\n",
            "{\"row\":\"b\",\"status\":\"created\",\"ids\":[\"t\"]}\n",
        ))
        .unwrap();
        assert_eq!(
            earlier.rows["a"],
            Recorded {
                status: Status::Uncertain,
                body_sha256: Some("h".into()),
                stopped: Some(Stopped::InFlight)
            }
        );
        assert_eq!(earlier.rows["b"].status, Status::Created);
    }

    #[test]
    fn lines_from_before_the_journal_still_read() {
        let earlier = read(concat!(
            "{\"row\":\"a\",\"status\":\"created\",\"ids\":[\"x\"]}\n",
            "{\"row\":\"b\",\"status\":\"uncertain\",\"ids\":[],\"error\":\"create_tasks: HTTP 502\"}\n",
        ))
        .unwrap();
        assert_eq!(earlier.rows["a"].status, Status::Created);
        assert_eq!(earlier.rows["a"].body_sha256, None);
        assert_eq!(earlier.rows["b"].status, Status::Uncertain);
    }

    #[test]
    fn a_cut_off_last_line_is_its_row_in_flight() {
        let whole = outcome_line(&created("a", Some("h1"))).unwrap();
        let cut = outcome_line(&created("b", Some("h2"))).unwrap();
        for keep in [12, cut.len() / 2, cut.len() - 2] {
            let text = format!("{whole}{}", &cut[..keep]);
            let earlier = read(&text).unwrap();
            assert_eq!(
                earlier.torn,
                Some(Torn {
                    keep: whole.len() as u64,
                    row: Some("b".into())
                }),
                "{text}"
            );
            assert_eq!(earlier.rows["b"].status, Status::Uncertain);
            assert_eq!(earlier.rows["b"].stopped, Some(Stopped::CutOff));
            assert_eq!(earlier.rows["a"].status, Status::Created);
        }
        // Its hash is the one of the row's earlier line, if any.
        let started = started_line("b", Some("h2")).unwrap();
        let earlier = read(&format!("{started}{}", &cut[..20])).unwrap();
        assert_eq!(earlier.rows["b"].body_sha256.as_deref(), Some("h2"));
    }

    #[test]
    fn a_cut_off_line_naming_no_row_is_set_aside() {
        let first = "{\"row\":\"a\",\"status\":\"failed\"}\n";
        for tail in ["{", "{\"ro", "{\"row\":\"b", "{\"row\":", "\u{0}\u{0}\u{0}"] {
            let earlier = read(&format!("{first}{tail}")).unwrap();
            assert_eq!(
                earlier.torn,
                Some(Torn {
                    keep: first.len() as u64,
                    row: None
                }),
                "{tail:?}"
            );
            assert_eq!(earlier.rows.len(), 1, "{tail:?}");
        }
        // Cut in the middle of a multi-byte character: still just torn.
        let cut = "{\"row\":\"é\",\"status\":\"créé".as_bytes();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(&path, &cut[..cut.len() - 1]).unwrap();
        let earlier = read_earlier(&path).unwrap();
        assert_eq!(earlier.torn.unwrap().row.as_deref(), Some("é"));
    }

    #[test]
    fn a_whole_last_line_without_its_newline_counts() {
        let earlier = read("{\"row\":\"a\",\"status\":\"created\"}").unwrap();
        assert!(earlier.unterminated);
        assert_eq!(earlier.torn, None);
        assert_eq!(earlier.rows["a"].status, Status::Created);
    }

    #[test]
    fn a_broken_line_with_lines_after_it_is_named() {
        let error = read("{\"row\":\"a\",\"status\":\"created\"}\n{\"row\":\"b\",\"sta\n{\"row\":\"c\",\"status\":\"created\"}\n")
            .unwrap_err();
        assert!(
            error.starts_with("--results FILE line 2: not a result line"),
            "{error}"
        );
        let error = read("{\"row\":\"a\",\"status\":\"done\"}\n").unwrap_err();
        assert!(
            error.starts_with("--results FILE line 1: not a result line"),
            "{error}"
        );
        let error = read("{\"row\":\"a\",\"status\":\"created\"}\n\u{ff}\n").unwrap_err();
        assert!(
            error.starts_with("--results FILE line 2: not a result line"),
            "{error}"
        );
    }

    #[test]
    fn appending_cuts_a_torn_line_away_and_ends_an_unterminated_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(
            &path,
            "{\"row\":\"a\",\"status\":\"failed\"}\n{\"row\":\"b\",\"st",
        )
        .unwrap();
        let earlier = read_earlier(&path).unwrap();
        let mut file = ResultsFile::append_to(&path, &earlier).unwrap();
        file.append_durably(b"{\"row\":\"c\",\"status\":\"failed\"}\n")
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"row\":\"a\",\"status\":\"failed\"}\n{\"row\":\"c\",\"status\":\"failed\"}\n"
        );

        std::fs::write(&path, "{\"row\":\"a\",\"status\":\"failed\"}").unwrap();
        let earlier = read_earlier(&path).unwrap();
        let mut file = ResultsFile::append_to(&path, &earlier).unwrap();
        file.append_durably(b"{\"row\":\"c\",\"status\":\"failed\"}\n")
            .unwrap();
        assert_eq!(read_earlier(&path).unwrap().rows.len(), 2);
    }
}
