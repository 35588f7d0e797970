//! `spott demo`: the embedded mock server and a realistic flow through the
//! wrapper crates, printed for a person to read.

use api_mock::MockConfig;
use chrono::NaiveDate;
use saleshandy::{NewTasks, Priority, TaskType};
use spott::types::{CandidateGender, CandidateStatus, ClientContactStatus};
use spott::{CandidateUpdate, NewClientContact, NewTask, OpenEnum, Purpose, TaskLink};

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
    say!("   created client contact {contact_id}\n")?;

    say!("2. Read the contact overview")?;
    let overview = spott.contact_overview(&contact_id).await?;
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
    say!("   PATCH body: {}", update.to_json())?;
    let candidate = spott.update_candidate(&contact_id, update).await?;
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
                .link(TaskLink::candidate(&contact_id)),
        )
        .await?;
    say!(
        "   task {} \"{}\" due {}, assigned to {}\n",
        or_dash(task.id.as_deref()),
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
        match (&outcome.task_id, outcome.success) {
            (Some(task), true) => say!("   {:<12} created task {task}", outcome.prospect_id)?,
            _ => say!("   {:<12} failed (unknown prospect)", outcome.prospect_id)?,
        }
    }
    say!(
        "\nDone: {} Saleshandy task(s) created, {} failed. No API key, no network beyond 127.0.0.1.",
        results.successes().count(),
        results.failures().count()
    )?;
    Ok(())
}
