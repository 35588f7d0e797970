//! Reading the CSV: a header row, then one create per row.
//!
//! | bulk command | required columns | optional columns |
//! |---|---|---|
//! | `spott-tasks` | `content` | `id`, `due` (YYYY-MM-DD or RFC 3339), `assignee` (user id), `links` (`kind:id;kind:id`) |
//! | `saleshandy-tasks` | `prospects` (`id;id`), `type` (`call-follow-up` or a code) | `id`, `priority` (`high` or a code), `due` (YYYY-MM-DD), `note` |
//!
//! `bulk create API OPERATION` maps its columns onto the operation's path,
//! query and body (see `mapping`).
//!
//! The row key is the `id` column (non-empty and unique), or the row's line
//! number when there is no `id` column; for `bulk create`, the `--key`
//! column, or the line number without one. An unknown column is refused, so a
//! typo (`due_date`) cannot silently drop a value. A cell that does not
//! parse makes its row `failed` (nothing sent); a file that does not parse,
//! a missing column or a bad key stops the run before anything is sent.
//!
//! Each row also carries the SHA-256 of the request body it produces (see
//! `body`): for Saleshandy the wrapper's own `NewTasks::to_json`; for Spott,
//! whose wrapper keeps its body private, the same typed values in the API's
//! shape (`content`, `dueDate`, `assignedToUserId`, `links`, absent ones
//! left out as on the wire). A row that produces no body (a bad cell, a body
//! the wrapper refuses) has none: it is never sent.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use saleshandy::NewTasks;
use serde_json::{Map, Value};
use spott::NewTask;

use super::mapping::{Call, Mapping};
use super::operation::Create;
use crate::commands::saleshandy::{Labels, new_tasks};
use crate::exit::Failure;
use crate::input::{instant, link};

/// Which bulk command: what a row creates.
#[derive(Clone, Debug)]
pub enum Target {
    /// A Spott task per row.
    SpottTasks,
    /// Saleshandy tasks (one per prospect) per row.
    SaleshandyTasks,
    /// A call of this create per row (`bulk create`; see `mapping`).
    Operation {
        /// The operation.
        create: Box<Create>,
        /// The `--key` column; without it, the line number keys rows.
        key: Option<String>,
    },
}

/// What one row asks for.
#[derive(Debug)]
pub enum Request {
    /// Create this Spott task.
    SpottTask(NewTask),
    /// Create these Saleshandy tasks.
    SaleshandyTasks(NewTasks),
    /// Call this create operation.
    Call(Call),
}

/// One row of the file.
#[derive(Debug)]
pub struct Row {
    /// The key results are recorded under.
    pub key: String,
    /// The create, or why the row's cells do not make one.
    pub request: Result<Request, String>,
    /// The SHA-256 of the request body, `None` when the row makes none.
    pub body_sha256: Option<String>,
}

/// Reads every row of `path` for `target`.
pub fn read(target: &Target, path: &Path) -> Result<Vec<Row>, Failure> {
    let shown = path.display();
    let mut reader = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .from_path(path)
        .map_err(|e| Failure::Input(format!("--csv {shown}: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::Input(format!("--csv {shown}: {e}")))?
        .clone();
    let layout =
        Layout::new(target, &headers).map_err(|e| Failure::Input(format!("--csv {shown}: {e}")))?;

    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| Failure::Input(format!("--csv {shown}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let (key, named) = match layout.key() {
            Some((name, position)) => (
                record
                    .get(position)
                    .filter(|text| !text.is_empty())
                    .ok_or_else(|| {
                        Failure::Input(format!(
                            "--csv {shown} line {line}: the {name} column is empty"
                        ))
                    })?
                    .to_owned(),
                name,
            ),
            None => (line.to_string(), "line"),
        };
        if !seen.insert(key.clone()) {
            return Err(Failure::Input(format!(
                "--csv {shown} line {line}: {named} `{key}` appears twice"
            )));
        }
        let (request, body) = layout.row(&record);
        rows.push(Row {
            key,
            request: request.map_err(|e| e.to_string()),
            body_sha256: body.as_ref().map(super::body::sha256),
        });
    }
    Ok(rows)
}

/// How the header's columns make rows, per target.
enum Layout {
    SpottTasks(Columns),
    SaleshandyTasks(Columns),
    Operation(Mapping),
}

impl Layout {
    fn new(target: &Target, headers: &::csv::StringRecord) -> Result<Self, String> {
        Ok(match target {
            Target::SpottTasks => Layout::SpottTasks(Columns::new(
                &["content"],
                &["id", "due", "assignee", "links"],
                headers,
            )?),
            Target::SaleshandyTasks => Layout::SaleshandyTasks(Columns::new(
                &["prospects", "type"],
                &["id", "priority", "due", "note"],
                headers,
            )?),
            Target::Operation { create, key } => {
                Layout::Operation(Mapping::new(create, key.as_deref(), headers)?)
            }
        })
    }

    /// The key column's name and position; `None`: the line number keys.
    fn key(&self) -> Option<(&str, usize)> {
        match self {
            Layout::SpottTasks(columns) | Layout::SaleshandyTasks(columns) => {
                columns.index.get("id").map(|position| ("id", *position))
            }
            Layout::Operation(mapping) => mapping.key(),
        }
    }

    /// The row's request (or why it makes none) and the value its hash is
    /// of (`None` when it makes no body).
    fn row(&self, record: &::csv::StringRecord) -> (Result<Request, String>, Option<Value>) {
        match self {
            Layout::SpottTasks(columns) => match spott_task(&|name| columns.cell(record, name)) {
                Ok((task, body)) => (Ok(Request::SpottTask(task)), Some(body)),
                Err(e) => (Err(e.to_string()), None),
            },
            Layout::SaleshandyTasks(columns) => {
                match saleshandy_tasks(&|name| columns.cell(record, name)) {
                    Ok(tasks) => {
                        let body = tasks.to_json().ok();
                        (Ok(Request::SaleshandyTasks(tasks)), body)
                    }
                    Err(e) => (Err(e.to_string()), None),
                }
            }
            Layout::Operation(mapping) => match mapping.row(record) {
                Ok((call, hashed)) => (Ok(Request::Call(call)), Some(hashed)),
                Err(e) => (Err(e), None),
            },
        }
    }
}

/// Where each column of a task command is.
struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    fn new(
        required: &[&str],
        optional: &[&str],
        headers: &::csv::StringRecord,
    ) -> Result<Self, String> {
        let mut index = HashMap::new();
        for (position, name) in headers.iter().enumerate() {
            if !required.contains(&name) && !optional.contains(&name) {
                return Err(format!(
                    "unknown column `{name}` (columns: {}, optional {})",
                    required.join(", "),
                    optional.join(", ")
                ));
            }
            if index.insert(name.to_owned(), position).is_some() {
                return Err(format!("column `{name}` appears twice"));
            }
        }
        if let Some(missing) = required.iter().find(|c| !index.contains_key(**c)) {
            return Err(format!(
                "no `{missing}` column (the header row must name it)"
            ));
        }
        Ok(Self { index })
    }

    /// The trimmed cell, `None` when empty or absent.
    fn cell<'a>(&self, record: &'a ::csv::StringRecord, name: &str) -> Option<&'a str> {
        self.index
            .get(name)
            .and_then(|position| record.get(*position))
            .filter(|text| !text.is_empty())
    }
}

/// The task, and its body in the API's shape for the hash (built from the
/// same values, so the two cannot disagree).
fn spott_task<'a>(cell: &impl Fn(&str) -> Option<&'a str>) -> Result<(NewTask, Value), Failure> {
    // An empty content is left to the wrapper, which refuses it by name.
    let content = cell("content").unwrap_or_default();
    let mut task = NewTask::new(content);
    let mut body = Map::new();
    body.insert("content".into(), content.into());
    if let Some(due) = cell("due") {
        let due = instant("due", due)?;
        task = task.due(due);
        // As chrono's serde writes it, and so the generated client.
        body.insert(
            "dueDate".into(),
            due.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                .into(),
        );
    }
    if let Some(assignee) = cell("assignee") {
        task = task.assign_to(assignee);
        body.insert("assignedToUserId".into(), assignee.into());
    }
    let mut links = Vec::new();
    for text in cell("links").iter().flat_map(|links| links.split(';')) {
        if !text.trim().is_empty() {
            let link = link("links", text.trim())?;
            links.push(serde_json::json!({
                "entityType": link.kind().to_string(),
                "entityId": link.id(),
            }));
            task = task.link(link);
        }
    }
    if !links.is_empty() {
        body.insert("links".into(), Value::Array(links));
    }
    Ok((task, Value::Object(body)))
}

fn saleshandy_tasks<'a>(cell: &impl Fn(&str) -> Option<&'a str>) -> Result<NewTasks, Failure> {
    let prospects = cell("prospects")
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    new_tasks(
        &Labels {
            task_type: "type",
            priority: "priority",
            due: "due",
        },
        prospects,
        cell("type").unwrap_or_default(),
        cell("priority"),
        cell("due"),
        cell("note").map(str::to_owned),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(target: Target, text: &str) -> Result<Vec<Row>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, text).unwrap();
        read(&target, &path).map_err(|e| e.to_string().replace(&path.display().to_string(), "FILE"))
    }

    #[test]
    fn the_id_column_keys_rows_else_the_line_number() {
        let keyed = rows(Target::SpottTasks, "id,content\nx1,Call\nx2,Mail\n").unwrap();
        assert_eq!(
            keyed.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["x1", "x2"]
        );
        let numbered = rows(Target::SpottTasks, "content\nCall\nMail\n").unwrap();
        assert_eq!(
            numbered.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["2", "3"]
        );
    }

    #[test]
    fn a_spreadsheet_export_with_a_byte_order_mark_reads() {
        let parsed = rows(Target::SpottTasks, "\u{feff}id,content\r\nx1,Call\r\n").unwrap();
        assert_eq!(parsed[0].key, "x1");
    }

    #[test]
    fn bad_files_stop_before_anything_is_sent() {
        for (text, error) in [
            (
                "id,content\na,x\na,y\n",
                "--csv FILE line 3: id `a` appears twice",
            ),
            (
                "id,content\n,x\n",
                "--csv FILE line 2: the id column is empty",
            ),
            (
                "id,content,due_date\n",
                "--csv FILE: unknown column `due_date` (columns: content, optional id, due, assignee, links)",
            ),
            (
                "id,due\n",
                "--csv FILE: no `content` column (the header row must name it)",
            ),
        ] {
            assert_eq!(rows(Target::SpottTasks, text).unwrap_err(), error, "{text}");
        }
    }

    #[test]
    fn a_bad_cell_fails_its_row_only() {
        let parsed = rows(
            Target::SaleshandyTasks,
            "id,prospects,type,priority,due\n\
             ok,a;b,call-follow-up,high,2026-12-02\n\
             late,a,email,,\n\
             when,a,13,,tomorrow\n",
        )
        .unwrap();
        let Ok(Request::SaleshandyTasks(tasks)) = &parsed[0].request else {
            panic!("{:?}", parsed[0]);
        };
        assert_eq!(tasks.prospect_ids(), ["a", "b"]);
        assert!(
            parsed[1]
                .request
                .as_ref()
                .unwrap_err()
                .starts_with("type: invalid TaskType: `email`")
        );
        assert_eq!(
            parsed[2].request.as_ref().unwrap_err(),
            "due: `tomorrow` is not a day (YYYY-MM-DD)"
        );
    }

    #[test]
    fn spott_rows_take_links_and_dates() {
        let parsed = rows(
            Target::SpottTasks,
            "content,due,links\nCall,2026-12-01T09:00:00Z,candidate:c1; client:k1\nBad,,planet:p\n",
        )
        .unwrap();
        let Ok(Request::SpottTask(task)) = &parsed[0].request else {
            panic!("{:?}", parsed[0]);
        };
        assert_eq!(task.content(), "Call");
        assert!(
            parsed[1]
                .request
                .as_ref()
                .unwrap_err()
                .starts_with("links: unknown kind `planet`")
        );
    }

    #[test]
    fn each_row_carries_the_hash_of_its_body_and_a_bad_row_none() {
        let spott = rows(
            Target::SpottTasks,
            "id,content,due,assignee,links\n\
             a,Call,2026-12-01,user_1,candidate:c1;client-contact:k1\n\
             b,Mail,,,\n\
             c,Bad,,,planet:p\n",
        )
        .unwrap();
        let hash = |body: serde_json::Value| Some(crate::bulk::body::sha256(&body));
        assert_eq!(
            spott[0].body_sha256,
            hash(serde_json::json!({
                "content": "Call",
                "dueDate": "2026-12-01T00:00:00Z",
                "assignedToUserId": "user_1",
                "links": [
                    {"entityType": "candidate", "entityId": "c1"},
                    {"entityType": "client_contact", "entityId": "k1"}
                ]
            }))
        );
        assert_eq!(
            spott[1].body_sha256,
            hash(serde_json::json!({"content": "Mail"}))
        );
        assert_eq!(spott[2].body_sha256, None);

        let saleshandy = rows(
            Target::SaleshandyTasks,
            "id,prospects,type,note\nok,a;b,call-follow-up,Hi\nsame,a;b,13,Hi\ntwice,a;a,13,\n",
        )
        .unwrap();
        let Ok(Request::SaleshandyTasks(tasks)) = &saleshandy[0].request else {
            panic!("{:?}", saleshandy[0]);
        };
        assert_eq!(
            saleshandy[0].body_sha256,
            hash(tasks.to_json().unwrap()),
            "the wrapper's own body"
        );
        assert_eq!(
            saleshandy[1].body_sha256, saleshandy[0].body_sha256,
            "the same body however the cells spell it"
        );
        assert_eq!(
            saleshandy[2].body_sha256, None,
            "a body the wrapper refuses (a prospect twice) is never sent"
        );
    }
}
