//! The results file: one JSON line per finished row, appended and written
//! through to the OS as each row ends, and read back by a re-run to skip
//! what is done.
//!
//! ```text
//! {"row":"r7","status":"created","ids":["shtask_3"]}
//! {"row":"r8","status":"failed","ids":[],"error":"create_task: HTTP 422: …"}
//! {"row":"r9","status":"uncertain","ids":[],"error":"create_task: timed out after 1 attempt(s)"}
//! ```

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
    /// How the row ended.
    pub status: Status,
    /// What was created (task ids).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Why it failed or is uncertain; for a created row, what went wrong
    /// on the side (a prospect without a task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How a row ended.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Created; a re-run skips it.
    Created,
    /// Refused or never sent: nothing was created; a re-run tries again.
    Failed,
    /// May or may not exist; a re-run skips it unless `--retry-uncertain`.
    Uncertain,
}

/// Reads earlier results: the last line per row wins. A missing file is
/// an empty one.
pub fn read_earlier(path: &Path) -> Result<HashMap<String, Status>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(Failure::Input(format!("--results {}: {e}", path.display()))),
    };
    let mut done = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let result: RowResult = serde_json::from_str(line).map_err(|e| {
            Failure::Input(format!(
                "--results {} line {}: not a result line ({e}); fix or remove it",
                path.display(),
                index + 1
            ))
        })?;
        done.insert(result.row, result.status);
    }
    Ok(done)
}

/// The results file, open for appending.
pub struct ResultsFile {
    path: PathBuf,
    // A plain file, no buffer: each line is one write to the OS as its row
    // ends, so a crash or kill loses no finished row.
    file: File,
}

impl ResultsFile {
    /// Opens (or creates) the file for appending.
    pub fn append_to(path: &Path) -> Result<Self, Failure> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Failure::Other(format!("--results {}: {e}", path.display())))?;
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }

    /// The file's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line.
    pub fn append(&mut self, result: &RowResult) -> std::io::Result<()> {
        let mut line = serde_json::to_string(result)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_the_last_one_per_row_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        assert!(read_earlier(&path).unwrap().is_empty());

        let mut file = ResultsFile::append_to(&path).unwrap();
        for (row, status) in [
            ("a", Status::Failed),
            ("b", Status::Uncertain),
            ("a", Status::Created),
        ] {
            file.append(&RowResult {
                row: row.into(),
                status,
                ids: Vec::new(),
                error: None,
            })
            .unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some(r#"{"row":"a","status":"failed","ids":[]}"#)
        );
        let done = read_earlier(&path).unwrap();
        assert_eq!(done.len(), 2);
        assert_eq!(done["a"], Status::Created);
        assert_eq!(done["b"], Status::Uncertain);
    }

    #[test]
    fn a_broken_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        std::fs::write(
            &path,
            "{\"row\":\"a\",\"status\":\"created\"}\n{\"row\":\"b\",\"sta",
        )
        .unwrap();
        let error = read_earlier(&path).unwrap_err().to_string();
        assert!(error.contains("line 2: not a result line"), "{error}");
    }
}
