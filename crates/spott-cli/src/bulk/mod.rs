//! `spott bulk …`: many creates from a CSV file, each journalled in the
//! results file before it is sent and recorded as it ends, resumable
//! without creating anything twice — even after `kill -9`. The task
//! commands (`spott-tasks`, `saleshandy-tasks`) and `bulk create` (any
//! create operation of either API) differ only in how a row becomes a
//! request (`csv`, `mapping`) and is sent (`send`); the journal, the
//! re-run rules and the run are the same code for all three.
//!
//! - `csv`: the file: the columns of the task commands, the row key, the
//!   row's body hash.
//! - `operation`: `bulk create`'s operation, from the generated tables;
//!   only creates.
//! - `mapping`: `bulk create`'s columns to path, query and body.
//! - `body`: the body hash (SHA-256 of the canonical JSON body).
//! - `send`: one row's create and what its outcome is recorded as
//!   (`created`, `failed`, `uncertain`).
//! - `results`: the JSON-lines results file, its format, reading it back.
//! - `journal`: the writer: batched writes, each synced before the rows in
//!   it go on.
//! - `limiter`: `--rate`.
//! - `run`: concurrency, pacing, interrupts, the order of journal and send.
//!
//! A row's create leaves only once its `started` line is on disk; its
//! outcome line follows when it ends. A re-run skips rows recorded
//! `created`, and `uncertain` ones unless `--retry-uncertain`; `failed`
//! rows are sent again. A row whose last line is `started` (its run was
//! killed while it was in flight) or whose last line was cut off by the
//! kill is `uncertain`: it gets an `uncertain` line saying so and is held
//! back like the others.
//!
//! Every line carries the SHA-256 of the row's request body. A re-run
//! refuses a row recorded `created` or `uncertain` whose CSV row now makes
//! another body (it was edited), naming it, unless `--allow-edited`, which
//! sends such rows as new. Lines written before the hash existed have
//! none: those rows are matched by key alone, as they were then.

mod body;
mod csv;
mod journal;
mod limiter;
mod mapping;
mod operation;
mod results;
mod run;
mod send;

use std::collections::HashSet;
use std::path::Path;

pub use self::csv::Target;
use self::journal::FileSink;
use self::limiter::{Limiter, Rate};
pub use self::operation::is_create;
use self::results::{Earlier, ResultsFile, RowResult, Status};
use self::send::Sender;
use crate::args::{BulkArgs, BulkCreate};
use crate::context::Context;
use crate::exit::Failure;
use crate::interrupt::Interrupts;
use crate::output::say;

/// Runs `spott bulk create API OPERATION`: refuses an operation that is
/// not a create before reading any file, then runs its rows like the task
/// commands' (the same journal, resumes and guarantees).
pub async fn create(ctx: &Context, args: BulkCreate) -> Result<(), Failure> {
    let create = operation::find(args.api, &args.operation)?;
    let target = Target::Operation {
        create: Box::new(create),
        key: args.key,
    };
    run(target, ctx, args.run).await
}

/// Runs a bulk command; prints a summary line on stdout and the pace on
/// stderr.
pub async fn run(target: Target, ctx: &Context, args: BulkArgs) -> Result<(), Failure> {
    // Before anything else, so an early interrupt is a clean stop too.
    let interrupts = Interrupts::listen()?;
    let limiter = args
        .rate
        .as_deref()
        .map(|text| text.parse::<Rate>())
        .transpose()
        .map_err(|e| Failure::Input(format!("--rate: {e}")))?
        .map(Limiter::new);
    let earlier = results::read_earlier(&args.results)?;
    let rows = csv::read(&target, &args.csv)?;
    let sender = Sender::new(&target, ctx)?;

    let edited: Vec<&str> = rows
        .iter()
        .filter(|row| is_edited(&earlier, &row.key, row.body_sha256.as_deref()))
        .map(|row| row.key.as_str())
        .collect();
    if !edited.is_empty() && !args.allow_edited {
        return Err(edited_error(&edited, &earlier, &args.csv, &args.results));
    }
    let edited: HashSet<String> = edited.into_iter().map(str::to_owned).collect();

    // Nothing is written before the checks above pass.
    let mut file = ResultsFile::append_to(&args.results, &earlier)?;
    if let Some(torn) = &earlier.torn
        && torn.row.is_none()
    {
        note(&format!(
            "note: --results {}: its last line is cut off and names no row (a run was killed while writing it); ignored",
            args.results.display()
        ));
    }
    settle_stopped_rows(&mut file, &earlier)?;

    let mut skipped = Skipped::default();
    let mut todo = Vec::new();
    let mut unhashed = 0;
    for row in rows {
        let recorded = earlier.rows.get(&row.key);
        let send = edited.contains(&row.key)
            || match recorded.map(|r| r.status) {
                Some(Status::Created) => {
                    skipped.created += 1;
                    false
                }
                Some(Status::Uncertain) if !args.retry_uncertain => {
                    skipped.uncertain += 1;
                    false
                }
                Some(Status::Uncertain | Status::Failed | Status::Started) | None => true,
            };
        if send {
            todo.push(sender.job(row));
        } else if recorded.is_some_and(|r| r.body_sha256.is_none()) {
            unhashed += 1;
        }
    }
    if unhashed > 0 {
        note(&format!(
            "note: --results {}: {unhashed} skipped row(s) were recorded without a body hash (by an older spott): they are matched by row key only, so an edit to them goes unnoticed",
            args.results.display()
        ));
    }
    if !edited.is_empty() {
        note(&format!(
            "note: sending {} edited row(s) as new (--allow-edited)",
            edited.len()
        ));
    }

    let tally = run::run(
        todo,
        usize::from(args.concurrency),
        limiter,
        FileSink::new(file.into_file()),
        &args.results,
        interrupts,
    )
    .await?;

    say!(
        "created {}, failed {}, uncertain {}, skipped {} ({} created earlier, {} uncertain earlier), not started {}",
        tally.created,
        tally.failed,
        tally.uncertain,
        skipped.created + skipped.uncertain,
        skipped.created,
        skipped.uncertain,
        tally.not_started
    )?;
    let finished = tally.created + tally.failed + tally.uncertain;
    note(&format!(
        "{finished} row(s) in {:.2}s ({:.0} rows/s)",
        tally.elapsed.as_secs_f64(),
        finished as f64 / tally.elapsed.as_secs_f64().max(1e-9)
    ));
    verdict(&tally, &skipped, &args.results)
}

/// A line on stderr; when stderr is gone (a terminal closed, SIGHUP) there
/// is no one to tell, and the run goes on.
fn note(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("{text}\n").as_bytes());
}

/// Whether `key` was recorded `created` or `uncertain` for another body
/// than the one its CSV row makes now. `failed` rows are sent again
/// anyway, and rows recorded without a hash cannot tell.
fn is_edited(earlier: &Earlier, key: &str, body_sha256: Option<&str>) -> bool {
    earlier.rows.get(key).is_some_and(|recorded| {
        matches!(recorded.status, Status::Created | Status::Uncertain)
            && recorded
                .body_sha256
                .as_deref()
                .is_some_and(|before| Some(before) != body_sha256)
    })
}

fn edited_error(edited: &[&str], earlier: &Earlier, csv: &Path, results: &Path) -> Failure {
    let status = |key: &str| match earlier.rows.get(key).map(|r| r.status) {
        Some(Status::Created) => "created",
        _ => "uncertain",
    };
    let named = match edited {
        [one] => format!(
            "row `{one}` was edited since --results {} recorded it ({})",
            results.display(),
            status(one)
        ),
        many => {
            let shown: Vec<String> = many.iter().take(10).map(|key| format!("`{key}`")).collect();
            let more = if many.len() > 10 {
                format!(" and {} more", many.len() - 10)
            } else {
                String::new()
            };
            format!(
                "rows {}{more} were edited since --results {} recorded them",
                shown.join(", "),
                results.display()
            )
        }
    };
    let (it, them) = if edited.len() == 1 {
        ("its request body is not the one recorded; restore it", "it")
    } else {
        (
            "their request bodies are not the ones recorded; restore them",
            "them",
        )
    };
    Failure::Input(format!(
        "--csv {}: {named}: {it}, give {them} a new id, or pass --allow-edited to send edited rows as new",
        csv.display()
    ))
}

/// Records each row an earlier run left without an outcome (in flight at
/// a kill, or its line cut off) as `uncertain`, with the reason, so the
/// file's last line per row says what the row is.
fn settle_stopped_rows(file: &mut ResultsFile, earlier: &Earlier) -> Result<(), Failure> {
    let mut stopped: Vec<(&String, &results::Recorded)> = earlier
        .rows
        .iter()
        .filter(|(_, recorded)| recorded.stopped.is_some())
        .collect();
    if stopped.is_empty() {
        return Ok(());
    }
    stopped.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let path = file.path().to_owned();
    let fail =
        |e: &dyn std::fmt::Display| Failure::Other(format!("--results {}: {e}", path.display()));
    let mut bytes = String::new();
    for (row, recorded) in stopped {
        let line = results::outcome_line(&RowResult {
            row: row.clone(),
            status: Status::Uncertain,
            ids: Vec::new(),
            error: recorded.stopped.map(|s| s.reason().to_owned()),
            body_sha256: recorded.body_sha256.clone(),
        })
        .map_err(|e| fail(&e))?;
        bytes.push_str(&line);
    }
    file.append_durably(bytes.as_bytes()).map_err(|e| fail(&e))
}

/// Rows a re-run did not send.
#[derive(Debug, Default)]
struct Skipped {
    /// Recorded `created` earlier.
    created: usize,
    /// Recorded `uncertain` earlier, held back without `--retry-uncertain`.
    uncertain: usize,
}

/// Exit 0 only when every row of the file is recorded `created`.
fn verdict(tally: &run::Tally, skipped: &Skipped, results: &Path) -> Result<(), Failure> {
    let results = results.display();
    if tally.interrupted {
        let abandoned = if tally.abandoned > 0 {
            format!(
                ", {} abandoned in flight (recorded uncertain)",
                tally.abandoned
            )
        } else {
            String::new()
        };
        return Err(Failure::Interrupted(format!(
            "interrupted: {} row(s) not started{abandoned}; run the same command again to finish",
            tally.not_started
        )));
    }
    if tally.failed > 0 || tally.uncertain > 0 {
        return Err(Failure::Api(format!(
            "{} row(s) failed and {} are uncertain (they may exist: check before --retry-uncertain); see {results}",
            tally.failed, tally.uncertain
        )));
    }
    if skipped.uncertain > 0 {
        return Err(Failure::Api(format!(
            "{} row(s) uncertain from an earlier run were not sent again: check whether they exist, then re-run with --retry-uncertain; see {results}",
            skipped.uncertain
        )));
    }
    Ok(())
}
