//! Create a task linked to a candidate.
//!
//! Runs against the embedded mock server: `cargo run -p spott --example
//! create_task`. Against the real API, build the client with
//! `spott::Client::from_env()` (SPOTT_API_KEY) instead.

use spott::{Client, NewTask, TaskLink};
use spott_saleshandy_mock::{MockConfig, MockServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::new()).await?;
    let spott = Client::builder()
        .api_key("example-key")
        .base_url(mock.url())
        .build()?;

    let task = spott
        .create_task(
            NewTask::new("Follow up with Jane about interview availability")
                .due("2026-12-01T09:00:00Z".parse()?)
                .assign_to("user_1")
                .link(TaskLink::candidate("cand_1")),
        )
        .await?;

    println!(
        "created task {}",
        task.id.as_deref().map(String::as_str).unwrap_or("?")
    );
    println!("  content: {}", task.content.as_deref().unwrap_or(""));
    if let Some(due) = task.due_date {
        println!("  due:     {due}");
    }
    Ok(())
}
