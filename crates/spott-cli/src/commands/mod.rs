//! One module per command; [`run`] picks the one the command line names.

mod api;
mod candidate;
mod contact;
#[cfg(feature = "mock")]
mod mock;
mod pipeline;
pub mod saleshandy;
mod task;

use crate::args::{BulkCommand, Cli, Command, ContactCommand, SaleshandyCommand, TaskCommand};
use crate::bulk;
use crate::context::Context;
#[cfg(feature = "mock")]
use crate::demo;
use crate::exit::Failure;

/// Runs the command `cli` names.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let output = cli.global.output;
    let ctx = match &cli.command {
        // These two bring their own server and need no client options.
        #[cfg(feature = "mock")]
        Command::Demo => return demo::run().await,
        #[cfg(feature = "mock")]
        Command::Mock(args) => return mock::run(args).await,
        #[cfg(not(feature = "mock"))]
        Command::Demo => return Err(crate::context::no_mock("spott demo")),
        #[cfg(not(feature = "mock"))]
        Command::Mock(_) => return Err(crate::context::no_mock("spott mock")),
        _ => Context::new(&cli.global).await?,
    };
    match cli.command {
        Command::Task(TaskCommand::Create(args)) => task::create(&ctx, args, output).await,
        Command::Contact(ContactCommand::Show { candidate_id }) => {
            contact::show(&ctx, &candidate_id, output).await
        }
        Command::Contact(ContactCommand::Create(args)) => {
            contact::create(&ctx, *args, output).await
        }
        Command::Candidate(command) => pipeline::candidates(&ctx, command, output).await,
        Command::Application(command) => pipeline::applications(&ctx, command, output).await,
        Command::Vacancy(command) => pipeline::vacancies(&ctx, command, output).await,
        Command::Stage(command) => pipeline::stages(&ctx, command, output).await,
        Command::User(command) => pipeline::users(&ctx, command, output).await,
        Command::Saleshandy(SaleshandyCommand::CreateTasks(args)) => {
            saleshandy::create_tasks(&ctx, args, output).await
        }
        Command::Bulk(BulkCommand::SpottTasks(args)) => {
            bulk::run(bulk::Target::SpottTasks, &ctx, args).await
        }
        Command::Bulk(BulkCommand::SaleshandyTasks(args)) => {
            bulk::run(bulk::Target::SaleshandyTasks, &ctx, args).await
        }
        Command::Bulk(BulkCommand::Create(args)) => bulk::create(&ctx, args).await,
        Command::Api(args) => api::run(&ctx, args, output).await,
        // Returned from above, before a context was built.
        Command::Demo | Command::Mock(_) => Ok(()),
    }
}
