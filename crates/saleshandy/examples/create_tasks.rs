//! Create the same task for three prospects; one of them does not exist.
//!
//! `cargo run -p saleshandy --example create_tasks` (embedded mock server).
//! Against the real API, use `saleshandy::Client::from_env()`
//! (SALESHANDY_API_KEY).

use chrono::NaiveDate;
use saleshandy::{Client, NewTasks, Priority, TaskOutcome, TaskType};
use spott_saleshandy_mock::{MockConfig, MockServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::new()).await?;
    let saleshandy = Client::builder()
        .api_key("example-key")
        .base_url(mock.url())
        .build()?;

    let results = saleshandy
        .create_tasks(
            NewTasks::new(
                TaskType::CallFollowUp,
                ["8PvBmrB7P7", "Pr9xQ2Lm", "UNKNOWN1"],
            )
            .priority(Priority::High)
            .due(NaiveDate::from_ymd_opt(2026, 12, 2).ok_or("bad date")?)
            .note("Call to follow up on the proposal"),
        )
        .await?;

    println!("{}", results.message.as_deref().unwrap_or(""));
    for outcome in &results.outcomes {
        let prospect = outcome.prospect_id.as_str();
        match &outcome.task {
            TaskOutcome::Created(task) => println!("  {prospect} -> task {}", task.as_str()),
            TaskOutcome::Failed => println!("  {prospect} -> failed"),
            TaskOutcome::Unconfirmed => {
                println!("  {prospect} -> unconfirmed: look before resending")
            }
        }
    }
    Ok(())
}
