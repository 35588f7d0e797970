//! `spott bulk …`: many creates from a CSV file, each recorded as it ends,
//! resumable without creating anything twice.
//!
//! - `csv`: the columns and the row key.
//! - `send`: one row's create and what its outcome is recorded as
//!   (`created`, `failed`, `uncertain`).
//! - `results`: the JSON-lines results file, written row by row and read
//!   back by a re-run.
//! - `limiter`: `--rate`.
//! - `run`: concurrency, pacing, Ctrl-C.
//!
//! A re-run skips rows recorded `created`, and `uncertain` ones unless
//! `--retry-uncertain`; `failed` rows are sent again.

mod csv;
mod limiter;
mod results;
mod run;
mod send;

pub use self::csv::Target;
use self::limiter::{Limiter, Rate};
use self::results::{ResultsFile, Status};
use self::send::Sender;
use crate::args::BulkArgs;
use crate::context::Context;
use crate::exit::Failure;
use crate::interrupt::Interrupts;
use crate::output::say;

/// Runs a bulk command; prints a summary line on stdout and the pace on
/// stderr.
pub async fn run(target: Target, ctx: &Context, args: BulkArgs) -> Result<(), Failure> {
    // Before anything else, so an early Ctrl-C is a clean stop too.
    let interrupts = Interrupts::listen()?;
    let limiter = args
        .rate
        .as_deref()
        .map(|text| text.parse::<Rate>())
        .transpose()
        .map_err(|e| Failure::Input(format!("--rate: {e}")))?
        .map(Limiter::new);
    let earlier = results::read_earlier(&args.results)?;
    let rows = csv::read(target, &args.csv)?;
    let sender = Sender::new(target, ctx)?;

    let mut skipped = Skipped::default();
    let mut todo = Vec::new();
    for row in rows {
        match earlier.get(&row.key) {
            Some(Status::Created) => skipped.created += 1,
            Some(Status::Uncertain) if !args.retry_uncertain => skipped.uncertain += 1,
            Some(Status::Uncertain | Status::Failed) | None => {
                todo.push((row.key.clone(), sender.job(row)));
            }
        }
    }

    let mut file = ResultsFile::append_to(&args.results)?;
    let tally = run::run(
        todo,
        usize::from(args.concurrency),
        limiter,
        &mut file,
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
    eprintln!(
        "{finished} row(s) in {:.2}s ({:.0} rows/s)",
        tally.elapsed.as_secs_f64(),
        finished as f64 / tally.elapsed.as_secs_f64().max(1e-9)
    );
    verdict(&tally, &skipped, &file)
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
fn verdict(tally: &run::Tally, skipped: &Skipped, file: &ResultsFile) -> Result<(), Failure> {
    let results = file.path().display();
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
