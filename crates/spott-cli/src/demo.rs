//! `spott demo`: the embedded mock server and a realistic flow through the
//! wrapper crates, printed for a person to read.

use chrono::NaiveDate;
use futures::TryStreamExt as _;
use saleshandy::{NewTasks, Priority, TaskOutcome, TaskType};
use serde_json::{Value, json};
use spott::types::{CandidateGender, CandidateStatus, ClientContactStatus};
use spott::{
    Arguments, CandidateUpdate, NewClientContact, NewTask, OpenEnum, Purpose, TaskLink, lists,
};
use spott_saleshandy_mock::MockConfig;

use crate::context::{Context, MOCK_KEY, start_mock};
use crate::exit::Failure;
use crate::output::say;

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

/// Runs the demo; everything talks to 127.0.0.1 only.
pub async fn run() -> Result<(), Failure> {
    let mock = start_mock(MockConfig::new().api_key(MOCK_KEY)).await?;
    say!(
        "Embedded mock server on {} (Spott and Saleshandy, validating against spec/)\n",
        mock.url()
    )?;
    let ctx = Context::on_mock(mock);
    let spott = ctx.spott()?;
    let saleshandy = ctx.saleshandy()?;

    say!("1. Create a client contact at Acme Corp (client_1)")?;
    let contact_id = spott
        .create_client_contact(
            "client_1",
            NewClientContact::new("Ana", "García")
                .status(ClientContactStatus::ActivelyLooking)
                .role("Head of Talent")
                .department("People")
                .email(spott::email(
                    Purpose::Personal,
                    "ana.garcia@example.com",
                    true,
                )),
        )
        .await?;
    // The overview, the update and the task take the candidate behind the
    // contact, a different kind of id: the client contact list pairs them.
    let contacts: Vec<spott::types::ClientContactListItem> = spott
        .list::<lists::ListClientContacts>(Arguments::default(), None)?
        .try_collect()
        .await?;
    let candidate_id = contacts
        .into_iter()
        .find(|listed| listed.id.as_ref() == Some(&contact_id))
        .and_then(|listed| listed.candidate_id)
        .ok_or_else(|| Failure::Other(format!("{} is not in the contact list", *contact_id)))?;
    say!(
        "   created client contact {}, candidate {}\n",
        *contact_id,
        *candidate_id
    )?;

    say!("2. Read the contact overview")?;
    let overview = spott.contact_overview(&candidate_id).await?;
    say!(
        "   {} {}",
        or_dash(overview.first_name.as_deref()),
        or_dash(overview.last_name.as_deref())
    )?;
    for position in &overview.client_contacts {
        say!(
            "   {} ({}) at {}, email {}",
            or_dash(position.role.as_deref()),
            or_dash(position.department.as_deref()),
            or_dash(position.company.as_ref().and_then(|c| c.name.as_deref())),
            or_dash(
                position
                    .email_addresses
                    .first()
                    .and_then(|e| e.email.as_deref())
            ),
        )?;
    }
    say!()?;

    say!("3. Update the candidate: new last name, gender, status; clear the date of birth")?;
    let update = CandidateUpdate::new()
        .last_name("García López")
        .gender(CandidateGender::Female)
        .status([CandidateStatus::ApproachableButNotActivelyLooking])
        .clear_date_of_birth();
    say!("   PATCH body: {}", update.to_json()?)?;
    let candidate = spott.update_candidate(&candidate_id, update).await?;
    let status: Vec<String> = candidate
        .status
        .status
        .iter()
        .map(|s| match s {
            OpenEnum::Known(known) => known.to_string(),
            OpenEnum::Unknown(raw) => format!("{raw} (new value)"),
        })
        .collect();
    say!(
        "   now {} {}, status {}\n",
        or_dash(candidate.name.first_name.as_deref()),
        or_dash(candidate.name.last_name.as_deref()),
        status.join(", ")
    )?;

    say!("4. Create a Spott task linked to the candidate")?;
    let due = NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| Failure::Other("bad demo date".into()))?;
    let task = spott
        .create_task(
            NewTask::new("Call Ana about the Head of Talent offer")
                .due(due)
                .assign_to("user_1")
                .link(TaskLink::candidate(&candidate_id)),
        )
        .await?;
    say!(
        "   task {} \"{}\" due {}, assigned to {}\n",
        or_dash(task.id.as_ref().map(|id| id.as_str())),
        or_dash(task.content.as_deref()),
        task.due_date
            .map_or_else(|| "-".to_owned(), |d| d.to_rfc3339()),
        or_dash(task.assigned_to.as_ref().and_then(|u| u.name.as_deref())),
    )?;

    say!("5. Create Saleshandy follow-up calls for three prospects (one does not exist)")?;
    let results = saleshandy
        .create_tasks(
            NewTasks::new(
                TaskType::CallFollowUp,
                ["8PvBmrB7P7", "Pr9xQ2Lm", "NOSUCH-42"],
            )
            .priority(Priority::High)
            .due(
                NaiveDate::from_ymd_opt(2026, 12, 2)
                    .ok_or_else(|| Failure::Other("bad demo date".into()))?,
            )
            .note("Follow up on the proposal"),
        )
        .await?;
    say!("   {}", or_dash(results.message.as_deref()))?;
    for outcome in &results.outcomes {
        let prospect = outcome.prospect_id.as_str();
        match &outcome.task {
            TaskOutcome::Created(task) => say!("   {prospect:<12} created task {}", **task)?,
            TaskOutcome::Failed => say!("   {prospect:<12} failed (unknown prospect)")?,
            TaskOutcome::Unconfirmed => say!("   {prospect:<12} unconfirmed (no task id)")?,
        }
    }
    say!()?;
    pipeline(&spott).await?;
    say!(
        "\nDone: {} Saleshandy task(s) created, {} failed. No API key, no network beyond 127.0.0.1.",
        results.successes().count(),
        results.failures().count()
    )?;
    Ok(())
}

/// The hiring pipeline: a new candidate found in the paged list, one
/// application moved to the next stage, another rejected.
async fn pipeline(spott: &spott::Client) -> Result<(), Failure> {
    say!("6. Create a candidate, then find them in the candidate list (two per page)")?;
    let body = json!({"firstName": "Marie", "lastName": "Curie"});
    let created = spott
        .call_json(
            "create_candidate",
            Arguments {
                body: Some(&body),
                ..Arguments::default()
            },
        )
        .await?;
    let id: spott::CandidateId = serde_json::from_value(created)
        .map_err(|_| Failure::Other("create candidate answered no candidate id".into()))?;
    let candidates: Vec<spott::types::Candidate> = spott
        .list::<lists::ListCandidates>(Arguments::default(), Some(2))?
        .try_collect()
        .await?;
    match candidates.iter().position(|candidate| candidate.id == id) {
        Some(index) => say!(
            "   created {}; listed as candidate {} of {} (page {})\n",
            *id,
            index + 1,
            candidates.len(),
            index / 2 + 1
        )?,
        None => {
            return Err(Failure::Other(format!(
                "{} is not in the candidate list",
                *id
            )));
        }
    }

    say!("7. Move the first application to the next stage of the pipeline")?;
    let applications: Vec<Value> = spott
        .list_json("list_applications", Arguments::default(), None)?
        .try_collect()
        .await?;
    let stages = spott
        .call_json("list_pipeline_stages", Arguments::default())
        .await?;
    let stages = stages["stages"].as_array().cloned().unwrap_or_default();
    let (Some(first), Some(second)) = (applications.first(), applications.get(1)) else {
        return Err(Failure::Other(
            "the mock has fewer than two applications".into(),
        ));
    };
    let application = first["id"].as_str().unwrap_or_default();
    let current = &first["stage"]["id"];
    let next = stages
        .iter()
        .skip_while(|stage| &stage["id"] != current)
        .nth(1)
        .ok_or_else(|| Failure::Other("no stage after the application's".into()))?;
    let target = json!({"stageId": next["id"]});
    let path = [("id", application)];
    spott
        .call_json(
            "move_application",
            Arguments {
                path: &path,
                body: Some(&target),
                ..Arguments::default()
            },
        )
        .await?;
    let moved = spott
        .call_json(
            "get_application",
            Arguments {
                path: &path,
                ..Arguments::default()
            },
        )
        .await?;
    say!(
        "   {application}: {} -> {}\n",
        first["stage"]["name"].as_str().unwrap_or("-"),
        moved["stage"]["name"].as_str().unwrap_or("-")
    )?;

    say!("8. Reject the second application")?;
    let application = second["id"].as_str().unwrap_or_default();
    let path = [("id", application)];
    let reason = json!({"reason": "Chose another candidate"});
    spott
        .call_json(
            "reject_application",
            Arguments {
                path: &path,
                body: Some(&reason),
                ..Arguments::default()
            },
        )
        .await?;
    let rejected = spott
        .call_json(
            "get_application",
            Arguments {
                path: &path,
                ..Arguments::default()
            },
        )
        .await?;
    say!(
        "   {application}: rejected, reason \"{}\"",
        rejected["rejection"]["reason"].as_str().unwrap_or("-")
    )?;
    Ok(())
}
