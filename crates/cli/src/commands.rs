//! One function per single-operation command.

use spott::{CandidateUpdate, NewClientContact, NewTask};

use crate::args::{CandidateUpdateArgs, ContactCreate, Output, SaleshandyCreate, TaskCreate};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{day, instant, link, read_body, value};
use crate::output::print;

/// `spott task create`
pub async fn task_create(ctx: &Context, args: TaskCreate, output: Output) -> Result<(), Failure> {
    let task = match &args.body {
        Some(source) => NewTask::from_json(read_body(source)?)?,
        None => {
            let mut task = NewTask::new(args.content.unwrap_or_default());
            if let Some(due) = &args.due {
                task = task.due(instant("--due", due)?);
            }
            if let Some(assignee) = args.assignee {
                task = task.assign_to(assignee);
            }
            for text in &args.links {
                task = task.link(link(text)?);
            }
            task
        }
    };
    let created = ctx.spott()?.create_task(task).await?;
    print(output, &created);
    Ok(())
}

/// `spott contact show`
pub async fn contact_show(
    ctx: &Context,
    candidate_id: &str,
    output: Output,
) -> Result<(), Failure> {
    let overview = ctx.spott()?.contact_overview(candidate_id).await?;
    print(output, &overview);
    Ok(())
}

/// `spott contact create`
pub async fn contact_create(
    ctx: &Context,
    args: ContactCreate,
    output: Output,
) -> Result<(), Failure> {
    let contact = match &args.body {
        Some(source) => NewClientContact::from_json(read_body(source)?)?,
        None => {
            let mut contact = NewClientContact::new(
                args.first_name.unwrap_or_default(),
                args.last_name.unwrap_or_default(),
            );
            if let Some(gender) = &args.gender {
                contact = contact.gender(value::<spott::types::ClientContactGender>(
                    "--gender", gender,
                )?);
            }
            for nationality in &args.nationality {
                contact = contact.nationality(value("--nationality", nationality)?);
            }
            for status in &args.status {
                contact = contact.status(value("--status", status)?);
            }
            if let Some(source) = &args.source {
                contact = contact.acquisition_source(value::<
                    spott::types::ClientContactAcquisitionSource,
                >("--source", source)?);
            }
            if let Some(role) = args.role {
                contact = contact.role(role);
            }
            if let Some(department) = args.department {
                contact = contact.department(department);
            }
            for (index, text) in args.emails.iter().enumerate() {
                let (purpose, address) = text.split_once(':').ok_or_else(|| {
                    Failure::Input(format!("--email: `{text}` is not PURPOSE:ADDRESS"))
                })?;
                contact = contact.email(spott::email(purpose.into(), address, index == 0));
            }
            contact
        }
    };
    let id = ctx
        .spott()?
        .create_client_contact(&args.client_id, contact)
        .await?;
    print(output, &serde_json::json!({ "id": id }));
    Ok(())
}

/// `spott candidate update`
pub async fn candidate_update(
    ctx: &Context,
    args: CandidateUpdateArgs,
    output: Output,
) -> Result<(), Failure> {
    let update = match &args.body {
        Some(source) => CandidateUpdate::from_json(read_body(source)?)?,
        None => {
            let mut update = CandidateUpdate::new();
            if let Some(name) = args.first_name {
                update = update.first_name(name);
            }
            if let Some(name) = args.middle_name {
                update = update.middle_name(name);
            }
            if let Some(name) = args.last_name {
                update = update.last_name(name);
            }
            if let Some(gender) = &args.gender {
                update = update.gender(value::<spott::types::CandidateGender>("--gender", gender)?);
            }
            if args.clear_gender {
                update = update.clear_gender();
            }
            if let Some(date) = &args.date_of_birth {
                update = update.date_of_birth(instant("--date-of-birth", date)?);
            }
            if args.clear_date_of_birth {
                update = update.clear_date_of_birth();
            }
            if !args.nationality.is_empty() {
                let values = args
                    .nationality
                    .iter()
                    .map(|n| value("--nationality", n))
                    .collect::<Result<Vec<_>, _>>()?;
                update = update.nationality(values);
            }
            if !args.status.is_empty() {
                let values = args
                    .status
                    .iter()
                    .map(|s| value("--status", s))
                    .collect::<Result<Vec<_>, _>>()?;
                update = update.status(values);
            }
            update
        }
    };
    let candidate = ctx.spott()?.update_candidate(&args.id, update).await?;
    print(output, &candidate);
    Ok(())
}

/// `spott saleshandy create-tasks`
pub async fn saleshandy_create(
    ctx: &Context,
    args: SaleshandyCreate,
    output: Output,
) -> Result<(), Failure> {
    let tasks = match &args.body {
        Some(source) => saleshandy::NewTasks::from_json(read_body(source)?)?,
        None => saleshandy_tasks(
            &args.prospects,
            args.task_type.as_deref().unwrap_or_default(),
            args.priority.as_deref(),
            args.due.as_deref(),
            args.note,
        )?,
    };
    let results = ctx.saleshandy()?.create_tasks(tasks).await?;
    let outcomes: Vec<_> = results
        .outcomes
        .iter()
        .map(|o| serde_json::json!({"prospectId": o.prospect_id, "taskId": o.task_id, "success": o.success}))
        .collect();
    print(
        output,
        &serde_json::json!({"message": results.message, "results": outcomes}),
    );
    Ok(())
}

/// Saleshandy tasks from flag-style values (shared with bulk rows).
pub fn saleshandy_tasks(
    prospects: &[String],
    task_type: &str,
    priority: Option<&str>,
    due: Option<&str>,
    note: Option<String>,
) -> Result<saleshandy::NewTasks, Failure> {
    let task_type: saleshandy::TaskType = value("--type", task_type)?;
    let mut tasks = saleshandy::NewTasks::new(task_type, prospects.iter().cloned());
    if let Some(priority) = priority {
        tasks = tasks.priority(value("--priority", priority)?);
    }
    if let Some(due) = due {
        tasks = tasks.due(day("--due", due)?);
    }
    if let Some(note) = note {
        tasks = tasks.note(note);
    }
    Ok(tasks)
}
