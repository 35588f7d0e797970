//! The `spott` command. See `spott --help` and the crate README.

#![forbid(unsafe_code)]

mod args;
mod bulk;
mod commands;
mod context;
mod demo;
mod exit;
mod input;
mod interrupt;
mod mock_command;
mod output;

use std::process::ExitCode;

use clap::Parser;

use args::{
    BulkCommand, CandidateCommand, Cli, Command, ContactCommand, SaleshandyCommand, TaskCommand,
};
use context::Context;
use exit::Failure;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let output = cli.global.output;
    match cli.command {
        Command::Demo => return demo::run().await,
        Command::Mock(args) => return mock_command::run(args).await,
        _ => {}
    }
    let ctx = Context::new(&cli.global).await?;
    match cli.command {
        Command::Task(TaskCommand::Create(args)) => commands::task_create(&ctx, args, output).await,
        Command::Contact(ContactCommand::Show { candidate_id }) => {
            commands::contact_show(&ctx, &candidate_id, output).await
        }
        Command::Contact(ContactCommand::Create(args)) => {
            commands::contact_create(&ctx, *args, output).await
        }
        Command::Candidate(CandidateCommand::Update(args)) => {
            commands::candidate_update(&ctx, args, output).await
        }
        Command::Saleshandy(SaleshandyCommand::CreateTasks(args)) => {
            commands::saleshandy_create(&ctx, args, output).await
        }
        Command::Bulk(command) => {
            let (target, args) = match command {
                BulkCommand::SpottTasks(args) => (bulk::Target::Spott, args),
                BulkCommand::SaleshandyTasks(args) => (bulk::Target::Saleshandy, args),
            };
            let summary = bulk::run(target, &ctx, args).await?;
            println!(
                "created {}, failed {}, uncertain {}, skipped (done earlier) {}, not started {}",
                summary.created,
                summary.failed,
                summary.uncertain,
                summary.skipped,
                summary.not_started
            );
            let finished = summary.created + summary.failed + summary.uncertain;
            eprintln!(
                "{finished} row(s) in {:.2}s ({:.0} rows/s)",
                summary.elapsed.as_secs_f64(),
                finished as f64 / summary.elapsed.as_secs_f64().max(1e-9)
            );
            if summary.failed > 0 || summary.uncertain > 0 {
                Err(Failure::Api(format!(
                    "{} row(s) failed and {} are uncertain; see the results file",
                    summary.failed, summary.uncertain
                )))
            } else {
                Ok(())
            }
        }
        Command::Demo | Command::Mock(_) => Ok(()),
    }
}
