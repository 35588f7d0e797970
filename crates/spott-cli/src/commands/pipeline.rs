//! The hiring pipeline's readable commands: candidates, applications,
//! vacancies, stages and users. Each is a named front for one operation
//! of the spec, sent through the same generic call as `spott api` (so the
//! key, the retry policy by the operation's retry safety and the errors are
//! the same); lists stream every item of every page as JSON lines.

use serde_json::{Value, json};

use crate::args::{
    ApplicationCommand, CandidateCommand, Output, Paging, StageCommand, UserCommand, VacancyCommand,
};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::read_body;
use crate::output::{print, print_lines};

/// Prints every item of the paged list `operation`.
async fn list(
    ctx: &Context,
    operation: &str,
    path: &[(&str, &str)],
    body: Option<&Value>,
    paging: Paging,
) -> Result<(), Failure> {
    let arguments = spott::Arguments {
        path,
        query: &[],
        body,
    };
    let items = ctx
        .spott()?
        .list_json(operation, arguments, paging.page_size)?;
    print_lines(Box::pin(items)).await
}

/// Calls `operation` once and prints its answer.
async fn call(
    ctx: &Context,
    operation: &str,
    path: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<&Value>,
    output: Output,
) -> Result<(), Failure> {
    let arguments = spott::Arguments { path, query, body };
    let answer = ctx.spott()?.call_json(operation, arguments).await?;
    print(output, &answer)
}

/// `spott candidate list|get|search|create|update`.
pub async fn candidates(
    ctx: &Context,
    command: CandidateCommand,
    output: Output,
) -> Result<(), Failure> {
    match command {
        CandidateCommand::Update(args) => super::candidate::update(ctx, *args, output).await,
        CandidateCommand::List(paging) => list(ctx, "list_candidates", &[], None, paging).await,
        CandidateCommand::Get { id } => {
            call(ctx, "get_candidate", &[("id", &id)], &[], None, output).await
        }
        CandidateCommand::Search { text, paging } => {
            let filters: Vec<Value> = text
                .iter()
                .map(|value| json!({"type": "text", "value": value}))
                .collect();
            let body = json!({ "filters": filters });
            list(ctx, "search_candidates", &[], Some(&body), paging).await
        }
        CandidateCommand::Create {
            first_name,
            last_name,
            body,
        } => {
            let body = match body {
                Some(source) => read_body(&source)?,
                None => json!({ "firstName": first_name, "lastName": last_name }),
            };
            call(ctx, "create_candidate", &[], &[], Some(&body), output).await
        }
    }
}

/// `spott application …`.
pub async fn applications(
    ctx: &Context,
    command: ApplicationCommand,
    output: Output,
) -> Result<(), Failure> {
    match command {
        ApplicationCommand::List {
            candidate: Some(id),
            ..
        } => {
            let path = [("candidateId", id.as_str())];
            call(ctx, "list_candidate_applications", &path, &[], None, output).await
        }
        ApplicationCommand::List {
            vacancy: Some(id), ..
        } => {
            let path = [("vacancyId", id.as_str())];
            call(ctx, "list_vacancy_applications", &path, &[], None, output).await
        }
        ApplicationCommand::List { paging, .. } => {
            list(ctx, "list_applications", &[], None, paging).await
        }
        ApplicationCommand::Get { id } => {
            call(ctx, "get_application", &[("id", &id)], &[], None, output).await
        }
        ApplicationCommand::Move { id, stage } => {
            let body = json!({ "stageId": stage });
            call(
                ctx,
                "move_application",
                &[("id", &id)],
                &[],
                Some(&body),
                output,
            )
            .await
        }
        ApplicationCommand::Reject { id, reason } => {
            let body = json!({ "reason": reason });
            call(
                ctx,
                "reject_application",
                &[("id", &id)],
                &[],
                Some(&body),
                output,
            )
            .await
        }
    }
}

/// `spott vacancy …`.
pub async fn vacancies(
    ctx: &Context,
    command: VacancyCommand,
    output: Output,
) -> Result<(), Failure> {
    match command {
        VacancyCommand::List(paging) => list(ctx, "list_vacancies", &[], None, paging).await,
        VacancyCommand::Get { id } => {
            call(ctx, "get_vacancy", &[("id", &id)], &[], None, output).await
        }
    }
}

/// `spott stage list`.
pub async fn stages(ctx: &Context, command: StageCommand, output: Output) -> Result<(), Failure> {
    let StageCommand::List { template } = command;
    let query: Vec<(&str, &str)> = template
        .iter()
        .map(|id| ("templateId", id.as_str()))
        .collect();
    call(ctx, "list_pipeline_stages", &[], &query, None, output).await
}

/// `spott user list`.
pub async fn users(ctx: &Context, command: UserCommand, output: Output) -> Result<(), Failure> {
    let UserCommand::List = command;
    call(ctx, "list_active_users", &[], &[], None, output).await
}
