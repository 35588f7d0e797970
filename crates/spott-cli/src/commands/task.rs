//! `spott task create`

use spott::NewTask;

use crate::args::{Output, TaskCreate};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{instant, link, read_body};
use crate::output::print;

/// Creates the task and prints it as the API returned it.
pub async fn create(ctx: &Context, args: TaskCreate, output: Output) -> Result<(), Failure> {
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
                task = task.link(link("--link", text)?);
            }
            task
        }
    };
    let created = ctx.spott()?.create_task(task).await?;
    print(output, &created)
}
