//! One create through each wrapper: the program `cargo xtask bench
//! --downstream` builds from clean to measure what a user's crate pays.
//! It is also an example of the workspace-tests crate, so `cargo test`
//! compiles it and an API change cannot leave the benchmark broken.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spott = spott::Client::from_env()?;
    let task = spott.create_task(spott::NewTask::new("Call back")).await?;
    println!(
        "spott task {}",
        task.id.as_ref().map_or("", |id| id.as_str())
    );

    let saleshandy = saleshandy::Client::from_env()?;
    let tasks = saleshandy::NewTasks::new(saleshandy::TaskType::CallIntroduction, ["8PvBmrB7P7"]);
    let results = saleshandy.create_tasks(tasks).await?;
    println!("saleshandy tasks created: {}", results.successes().count());
    Ok(())
}
