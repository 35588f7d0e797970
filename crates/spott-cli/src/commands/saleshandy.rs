//! `spott saleshandy create-tasks`

use saleshandy::{NewTasks, Priority, TaskOutcome, TaskResults, TaskType};
use serde_json::{Value, json};

use crate::args::{Output, SaleshandyCreate};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{day, parsed, read_body};
use crate::output::print;

/// Creates the tasks and prints the outcome per prospect.
pub async fn create_tasks(
    ctx: &Context,
    args: SaleshandyCreate,
    output: Output,
) -> Result<(), Failure> {
    let tasks = match &args.body {
        Some(source) => NewTasks::from_json(read_body(source)?)?,
        None => new_tasks(
            &Labels::FLAGS,
            args.prospects,
            args.task_type.as_deref().unwrap_or_default(),
            args.priority.as_deref(),
            args.due.as_deref(),
            args.note,
        )?,
    };
    let results = ctx.saleshandy()?.create_tasks(tasks).await?;
    print(output, &results_json(&results))
}

/// `{message, results: [{prospectId, taskId, success}]}` for the prospects
/// sent (`"unconfirmed": true` on one whose answer contradicts itself,
/// success without a task id or a failure naming one: its task may exist),
/// plus `missing` (sent, not reported: their tasks may exist) and
/// `unrequested` (reported, not sent: the answer does not match the
/// request) when there are any.
pub fn results_json(results: &TaskResults) -> Value {
    let outcome = |o: &saleshandy::ProspectOutcome| {
        let mut value = json!({
            "prospectId": o.prospect_id,
            "taskId": o.task_id(),
            "success": matches!(o.task, TaskOutcome::Created(_)),
        });
        if o.task == TaskOutcome::Unconfirmed {
            value["unconfirmed"] = json!(true);
        }
        value
    };
    let unrequested: Vec<Value> = results.unrequested().map(outcome).collect();
    // The prospects sent, in the server's order.
    let requested: Vec<Value> = results
        .outcomes
        .iter()
        .map(outcome)
        .filter(|value| !unrequested.contains(value))
        .collect();
    let mut out = json!({"message": results.message, "results": requested});
    let missing: Vec<&str> = results.missing().map(|id| id.as_str()).collect();
    if !missing.is_empty() {
        out["missing"] = json!(missing);
    }
    if !unrequested.is_empty() {
        out["unrequested"] = json!(unrequested);
    }
    out
}

/// What errors call each input: flags here, CSV columns in bulk.
pub struct Labels {
    /// The task type.
    pub task_type: &'static str,
    /// The priority.
    pub priority: &'static str,
    /// The due day.
    pub due: &'static str,
}

impl Labels {
    /// The command line's flag names.
    pub const FLAGS: Labels = Labels {
        task_type: "--type",
        priority: "--priority",
        due: "--due",
    };
}

/// Saleshandy tasks from text values (flags or a CSV row).
pub fn new_tasks(
    labels: &Labels,
    prospects: Vec<String>,
    task_type: &str,
    priority: Option<&str>,
    due: Option<&str>,
    note: Option<String>,
) -> Result<NewTasks, Failure> {
    let task_type: TaskType = parsed(labels.task_type, task_type)?;
    let mut tasks = NewTasks::new(task_type, prospects);
    if let Some(priority) = priority {
        tasks = tasks.priority(parsed::<Priority>(labels.priority, priority)?);
    }
    if let Some(due) = due {
        tasks = tasks.due(day(labels.due, due)?);
    }
    if let Some(note) = note {
        tasks = tasks.note(note);
    }
    Ok(tasks)
}
