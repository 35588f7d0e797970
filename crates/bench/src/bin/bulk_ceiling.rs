//! The mock server's own ceiling for bulk creation: the saleshandy client
//! creating N single-prospect tasks against the in-process mock with a
//! given concurrency, no CLI around it. Prints the rows per second.
//!
//! `bulk_ceiling ROWS CONCURRENCY`

use std::sync::Arc;
use std::time::Instant;

use saleshandy::{NewTasks, TaskType};
use spott_saleshandy_mock::{MockConfig, MockServer};
use tokio::sync::Semaphore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .ok_or("usage: bulk_ceiling ROWS CONCURRENCY")?
        .parse()?;
    let concurrency: usize = args
        .next()
        .ok_or("usage: bulk_ceiling ROWS CONCURRENCY")?
        .parse()?;
    let mock = MockServer::start(MockConfig::new().api_key("ceiling-key")).await?;
    let client = saleshandy::Client::builder()
        .api_key("ceiling-key")
        .base_url(mock.url())
        .build()?;
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let started = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    for row in 0..rows {
        let permit = permits.clone().acquire_owned().await?;
        let client = client.clone();
        running.spawn(async move {
            let tasks =
                NewTasks::new(TaskType::CallFollowUp, ["8PvBmrB7P7"]).note(format!("row {row}"));
            let result = client.create_tasks(tasks).await;
            drop(permit);
            result.map(|r| r.all_succeeded())
        });
    }
    let mut created = 0;
    while let Some(result) = running.join_next().await {
        if matches!(result, Ok(Ok(true))) {
            created += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if created != rows {
        return Err(format!("only {created} of {rows} rows were created").into());
    }
    println!("{:.1}", rows as f64 / elapsed);
    Ok(())
}
