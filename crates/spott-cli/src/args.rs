//! The command line, as clap reads it: global options and the command tree.
//! Every flag's help text is here; what a command does with its flags is in
//! `commands/`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// Exit codes and key handling, shown by `-h` and `--help` alike.
const AFTER_HELP: &str = "\
API keys: SPOTT_API_KEY / SALESHANDY_API_KEY, or --api-key-file PATH. Keys are
never printed. --mock needs none.

Exit codes:
  0    success
  1    other failure (a file could not be written, …)
  2    bad usage: unknown flag, missing argument (clap's own)
  3    invalid input or configuration; nothing was sent
  4    the API answered with an error (4xx/5xx); bulk: a row failed or is uncertain
  5    network trouble, timeout, or still rate limited after retries
  130  bulk run stopped by Ctrl-C; run the same command again to finish it";

/// Spott and Saleshandy from the shell: every operation, bulk creation
/// from CSV, an embedded mock server and a demo.
#[derive(Parser, Debug)]
#[command(name = "spott", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Read the API key from this file instead of SPOTT_API_KEY /
    /// SALESHANDY_API_KEY.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// Send requests here instead of the API's URL (or SPOTT_BASE_URL /
    /// SALESHANDY_BASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds one attempt may take, body included (decimals allowed).
    #[arg(long, global = true, value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub timeout: Duration,
    /// Retries after the first attempt (default 2); a create is retried
    /// only when provably not processed (429, connection refused).
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,
    /// Send each request once, whatever happens.
    #[arg(long, global = true, conflicts_with = "retries")]
    pub no_retry: bool,
    /// How to print results.
    #[arg(long, global = true, value_enum, default_value_t = Output::Json)]
    pub output: Output,
    /// Run against the embedded mock server on 127.0.0.1 (no key needed).
    #[arg(long, global = true)]
    pub mock: bool,
}

/// A positive number of seconds, decimals allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if secs.is_nan() || secs <= 0.0 {
        return Err("must be more than 0".into());
    }
    Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON: pretty on a terminal, one line when piped.
    Json,
    /// A short table of the top-level fields.
    Table,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Spott tasks.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Spott contacts: show an overview, create a client contact.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Spott candidates.
    #[command(subcommand)]
    Candidate(CandidateCommand),
    /// Spott applications: list, show, move to a stage, reject.
    #[command(subcommand)]
    Application(ApplicationCommand),
    /// Spott vacancies (jobs): list, show.
    #[command(subcommand)]
    Vacancy(VacancyCommand),
    /// Spott pipeline stages.
    #[command(subcommand)]
    Stage(StageCommand),
    /// Spott users (for assignees).
    #[command(subcommand)]
    User(UserCommand),
    /// Saleshandy tasks.
    #[command(subcommand)]
    Saleshandy(SaleshandyCommand),
    /// Create many tasks, or many of any create operation, from a CSV file,
    /// resumably.
    #[command(subcommand)]
    Bulk(BulkCommand),
    /// Any operation of either API by its operationId, JSON in and out
    /// (`spott api spott --list` shows them).
    Api(ApiArgs),
    /// Walk through every operation against the embedded mock server.
    Demo,
    /// Run the mock server in the foreground on 127.0.0.1 until Ctrl-C.
    Mock(MockArgs),
}

/// `spott api`
#[derive(Args, Debug)]
pub struct ApiArgs {
    /// Which API.
    #[arg(value_enum)]
    pub api: ApiName,
    /// The operationId, as in the spec (`get_contact_overview`).
    #[arg(required_unless_present = "list")]
    pub operation: Option<String>,
    /// A path parameter, NAME=VALUE (`-p id=cand_1`); repeatable.
    #[arg(short = 'p', long = "path", value_name = "NAME=VALUE")]
    pub path: Vec<String>,
    /// A query parameter, NAME=VALUE; repeatable, in order.
    #[arg(short = 'q', long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// The JSON request body: a file, or - for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<String>,
    /// Every item of every page of a paged list operation, one JSON line
    /// per item, as each page arrives (each page with the retry policy).
    #[arg(long)]
    pub all: bool,
    /// Items per page with --all (the server's default without it).
    #[arg(long, value_name = "N", requires = "all")]
    pub page_size: Option<u32>,
    /// List the API's operations (method, path, retry safety) instead.
    #[arg(long, conflicts_with_all = ["operation", "path", "query", "body", "all"])]
    pub list: bool,
}

/// The two APIs, for `spott api`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApiName {
    /// Spott (`spec/spott.yaml`).
    Spott,
    /// Saleshandy (`spec/saleshandy.yaml`).
    Saleshandy,
}

/// `spott task …`
#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Create a task.
    Create(TaskCreate),
}

/// `spott task create`
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("fields").multiple(true)))]
pub struct TaskCreate {
    /// The task's content.
    #[arg(long, group = "fields", required_unless_present = "body")]
    pub content: Option<String>,
    /// Due: RFC 3339 (2026-04-22T09:00:00Z) or a day (2026-04-22, midnight UTC).
    #[arg(long, group = "fields", value_name = "WHEN")]
    pub due: Option<String>,
    /// The user to assign it to.
    #[arg(long, group = "fields", value_name = "USER_ID")]
    pub assignee: Option<String>,
    /// A link, KIND:ID (repeatable); kinds: candidate, vacancy, client, user,
    /// team, client-contact, opportunity.
    #[arg(long = "link", group = "fields", value_name = "KIND:ID")]
    pub links: Vec<String>,
    /// The JSON request body from a file, or `-` for stdin, instead of flags.
    #[arg(long, value_name = "FILE", conflicts_with = "fields")]
    pub body: Option<String>,
}

/// `spott contact …`
#[derive(Subcommand, Debug)]
pub enum ContactCommand {
    /// Show a client contact's overview.
    Show {
        /// The contact's candidate id.
        candidate_id: String,
    },
    /// Create a client contact at a client.
    Create(Box<ContactCreate>),
}

/// `spott contact create`
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("fields").multiple(true)))]
pub struct ContactCreate {
    /// The client (company) id.
    pub client_id: String,
    /// First name.
    #[arg(long, group = "fields", required_unless_present = "body")]
    pub first_name: Option<String>,
    /// Last name.
    #[arg(long, group = "fields", required_unless_present = "body")]
    pub last_name: Option<String>,
    /// male or female.
    #[arg(long, group = "fields")]
    pub gender: Option<String>,
    /// A nationality as the API spells it (repeatable), e.g. "Cape Verdean".
    #[arg(long, group = "fields")]
    pub nationality: Vec<String>,
    /// A status (repeatable), e.g. actively_looking.
    #[arg(long, group = "fields")]
    pub status: Vec<String>,
    /// How the contact was acquired, e.g. manual.
    #[arg(long, group = "fields")]
    pub source: Option<String>,
    /// Role at the client.
    #[arg(long, group = "fields")]
    pub role: Option<String>,
    /// Department at the client.
    #[arg(long, group = "fields")]
    pub department: Option<String>,
    /// Pipeline stage id.
    #[arg(long, group = "fields", value_name = "STAGE_ID")]
    pub stage: Option<String>,
    /// Date of birth (YYYY-MM-DD or RFC 3339).
    #[arg(long, group = "fields", value_name = "DATE")]
    pub date_of_birth: Option<String>,
    /// An email, PURPOSE:ADDRESS (repeatable; the first is primary).
    #[arg(long = "email", group = "fields", value_name = "PURPOSE:ADDRESS")]
    pub emails: Vec<String>,
    /// A phone number, PURPOSE:NUMBER (repeatable; the first is primary).
    #[arg(long = "phone", group = "fields", value_name = "PURPOSE:NUMBER")]
    pub phones: Vec<String>,
    /// The JSON request body from a file, or `-` for stdin, instead of flags.
    #[arg(long, value_name = "FILE", conflicts_with = "fields")]
    pub body: Option<String>,
}

/// `spott candidate …`
#[derive(Subcommand, Debug)]
pub enum CandidateCommand {
    /// Every candidate, one JSON line each, across all pages.
    List(Paging),
    /// One candidate.
    Get {
        /// The candidate id.
        id: String,
    },
    /// Candidates matching every `--text`, one JSON line each.
    Search {
        /// A text filter (repeatable; all must match).
        #[arg(long, value_name = "TEXT", required = true)]
        text: Vec<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Create a candidate; prints the new candidate's id.
    Create {
        /// First name.
        #[arg(long, required_unless_present = "body")]
        first_name: Option<String>,
        /// Last name.
        #[arg(long, required_unless_present = "body")]
        last_name: Option<String>,
        /// The whole JSON body instead (a file, or - for stdin).
        #[arg(long, value_name = "FILE|-", conflicts_with_all = ["first_name", "last_name"])]
        body: Option<String>,
    },
    /// Update a candidate: only what you pass changes; `--clear-*` empties
    /// a field.
    Update(Box<CandidateUpdateArgs>),
}

/// How a list command pages.
#[derive(Args, Debug, Clone, Copy)]
pub struct Paging {
    /// Items per page (the server's default without it).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

/// `spott application …`
#[derive(Subcommand, Debug)]
pub enum ApplicationCommand {
    /// Applications, one JSON line each: all, or one candidate's or job's.
    List {
        /// Only this candidate's applications.
        #[arg(long, value_name = "ID", conflicts_with = "vacancy")]
        candidate: Option<String>,
        /// Only this job's applications.
        #[arg(long, value_name = "ID")]
        vacancy: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// One application.
    Get {
        /// The application id.
        id: String,
    },
    /// Move an application to another stage (repeatable: a move to the
    /// same stage changes nothing more).
    Move {
        /// The application id.
        id: String,
        /// The target stage id (`spott stage list`).
        #[arg(long, value_name = "ID")]
        stage: String,
    },
    /// Reject an application (sent once: never repeated by a retry).
    Reject {
        /// The application id.
        id: String,
        /// Why; without it the rejection has no reason.
        #[arg(long)]
        reason: Option<String>,
    },
}

/// `spott vacancy …`
#[derive(Subcommand, Debug)]
pub enum VacancyCommand {
    /// Every vacancy, one JSON line each, across all pages.
    List(Paging),
    /// One vacancy.
    Get {
        /// The vacancy id.
        id: String,
    },
}

/// `spott stage …`
#[derive(Subcommand, Debug)]
pub enum StageCommand {
    /// The application pipeline's stages.
    List {
        /// Only the stages of this pipeline template.
        #[arg(long, value_name = "ID")]
        template: Option<String>,
    },
}

/// `spott user …`
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// The active users.
    List,
}

/// `spott candidate update`
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("fields").multiple(true)))]
pub struct CandidateUpdateArgs {
    /// The candidate id.
    pub id: String,
    /// New first name.
    #[arg(long, group = "fields")]
    pub first_name: Option<String>,
    /// New middle name.
    #[arg(long, group = "fields")]
    pub middle_name: Option<String>,
    /// New last name.
    #[arg(long, group = "fields")]
    pub last_name: Option<String>,
    /// New second last name.
    #[arg(long, group = "fields")]
    pub second_last_name: Option<String>,
    /// male, female or x.
    #[arg(long, group = "fields", conflicts_with = "clear_gender")]
    pub gender: Option<String>,
    /// Clear the gender.
    #[arg(long, group = "fields")]
    pub clear_gender: bool,
    /// Date of birth (YYYY-MM-DD or RFC 3339).
    #[arg(
        long,
        group = "fields",
        value_name = "DATE",
        conflicts_with = "clear_date_of_birth"
    )]
    pub date_of_birth: Option<String>,
    /// Clear the date of birth.
    #[arg(long, group = "fields")]
    pub clear_date_of_birth: bool,
    /// Whether the candidate shows when also a client contact.
    #[arg(
        long,
        group = "fields",
        value_name = "BOOL",
        conflicts_with = "clear_visible_if_client_contact"
    )]
    pub visible_if_client_contact: Option<bool>,
    /// Clear visible-if-client-contact.
    #[arg(long, group = "fields")]
    pub clear_visible_if_client_contact: bool,
    /// When the last interaction was (YYYY-MM-DD or RFC 3339).
    #[arg(
        long,
        group = "fields",
        value_name = "WHEN",
        conflicts_with = "clear_last_interaction_at"
    )]
    pub last_interaction_at: Option<String>,
    /// Clear the last interaction time.
    #[arg(long, group = "fields")]
    pub clear_last_interaction_at: bool,
    /// The user who last interacted with the candidate.
    #[arg(
        long,
        group = "fields",
        value_name = "USER_ID",
        conflicts_with = "clear_last_interaction_with"
    )]
    pub last_interaction_with: Option<String>,
    /// Clear the user who last interacted.
    #[arg(long, group = "fields")]
    pub clear_last_interaction_with: bool,
    /// How the candidate was acquired, e.g. manual.
    #[arg(long, group = "fields")]
    pub source: Option<String>,
    /// The main contact (recruiter), by user id.
    #[arg(long, group = "fields", value_name = "USER_ID")]
    pub main_contact: Option<String>,
    /// Replace the nationalities (repeatable).
    #[arg(long, group = "fields")]
    pub nationality: Vec<String>,
    /// Replace the statuses (repeatable).
    #[arg(long, group = "fields")]
    pub status: Vec<String>,
    /// Replace the emails, PURPOSE:ADDRESS (repeatable; the first is primary).
    #[arg(long = "email", group = "fields", value_name = "PURPOSE:ADDRESS")]
    pub emails: Vec<String>,
    /// Replace the phone numbers, PURPOSE:NUMBER (repeatable; the first is primary).
    #[arg(long = "phone", group = "fields", value_name = "PURPOSE:NUMBER")]
    pub phones: Vec<String>,
    /// The JSON request body from a file, or `-` for stdin, instead of flags
    /// (`null` clears a field; for languages, locations, compensation, …).
    #[arg(long, value_name = "FILE", conflicts_with = "fields")]
    pub body: Option<String>,
}

/// `spott saleshandy …`
#[derive(Subcommand, Debug)]
pub enum SaleshandyCommand {
    /// Create the same task for one or more prospects.
    CreateTasks(SaleshandyCreate),
}

/// `spott saleshandy create-tasks`
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("fields").multiple(true)))]
pub struct SaleshandyCreate {
    /// A prospect id (repeatable).
    #[arg(
        long = "prospect",
        group = "fields",
        value_name = "ID",
        required_unless_present = "body"
    )]
    pub prospects: Vec<String>,
    /// Task type: a name (call-follow-up) or the API's code (13).
    #[arg(
        long = "type",
        group = "fields",
        value_name = "TYPE",
        required_unless_present = "body"
    )]
    pub task_type: Option<String>,
    /// urgent, high, medium or low (or the API's code, 1-4).
    #[arg(long, group = "fields")]
    pub priority: Option<String>,
    /// Due day, YYYY-MM-DD.
    #[arg(long, group = "fields", value_name = "DATE")]
    pub due: Option<String>,
    /// A note.
    #[arg(long, group = "fields")]
    pub note: Option<String>,
    /// The JSON request body from a file, or `-` for stdin, instead of flags.
    #[arg(long, value_name = "FILE", conflicts_with = "fields")]
    pub body: Option<String>,
}

/// `spott bulk …`
#[derive(Subcommand, Debug)]
pub enum BulkCommand {
    /// Spott tasks. CSV columns: content (required), id, due, assignee,
    /// links (`kind:id;kind:id`).
    SpottTasks(BulkArgs),
    /// Saleshandy tasks. CSV columns: prospects (`a;b`, required), type
    /// (required), id, priority, due, note.
    SaleshandyTasks(BulkArgs),
    /// Any create operation of either API by its operationId, one call per
    /// row (`spott api spott --list` shows the operations).
    Create(BulkCreate),
}

/// `spott bulk create`
#[derive(Args, Debug)]
#[command(after_help = "\
Only creates (retry safety `create` in `spott api API --list`) are taken;
reads and updates are refused. A column named like a path parameter fills
the path, one named like a query parameter the query, any other names a
top-level body field: its cell is sent as a JSON string, or as raw JSON
when the column's name ends in `:json` (`emails:json` holding
[{\"email\":\"a@b.c\"}]). Empty cells are left out. Unknown columns are
refused. Rows are keyed by the --key column (also sent when it names a
field), or by line number without one (keep rows in place between runs
then). The results file, re-runs, --retry-uncertain and --allow-edited work
as for the task commands; body_sha256 is of {\"body\", \"path\", \"query\"}.")]
pub struct BulkCreate {
    /// Which API.
    #[arg(value_enum)]
    pub api: ApiName,
    /// The create's operationId, as in the spec (`create_candidate`).
    pub operation: String,
    /// The column that keys rows in the results file (non-empty, unique in
    /// the file); without it, the row's line number.
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
    /// The run's options.
    #[command(flatten)]
    pub run: BulkArgs,
}

/// Options of a bulk run.
#[derive(Args, Debug)]
#[command(after_help = "\
The `id` column is the row key; without one, the row's line number is (keep
rows in place between runs then). Results are JSON lines, synced to disk: a
`started` line before each create is sent, then its outcome
{\"row\", \"status\": created|failed|uncertain, \"ids\", \"error\", \"body_sha256\"}.
A re-run skips rows already created, and uncertain ones (a timeout or broken
connection after sending, or in flight when a run was killed: they may
exist) unless --retry-uncertain; it refuses rows edited since they were
recorded unless --allow-edited. Ctrl-C, SIGTERM or SIGHUP stops starting
rows and records the ones in flight; a second one abandons those and
records them as uncertain.")]
pub struct BulkArgs {
    /// The CSV file, with a header row.
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// Where per-row results go (JSON lines), appended; read first to skip
    /// rows already done.
    #[arg(long, value_name = "FILE")]
    pub results: PathBuf,
    /// Rows in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// At most this many rows started per second or minute: 10/s, 300/min.
    #[arg(long, value_name = "N/s|N/min")]
    pub rate: Option<String>,
    /// Also send rows whose earlier outcome was uncertain (they may exist:
    /// check first).
    #[arg(long)]
    pub retry_uncertain: bool,
    /// Send rows edited since they were recorded created or uncertain as
    /// new rows, instead of refusing to run.
    #[arg(long)]
    pub allow_edited: bool,
}

/// `spott mock`
#[derive(Args, Debug)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Requests per window, then 429: 100/min, 5/s.
    #[arg(long, value_name = "N/s|N/min")]
    pub rate_limit: Option<String>,
    /// Share of requests answered 500/502/503 before processing (0 to 1).
    #[arg(long, value_name = "P")]
    pub fail_rate: Option<f64>,
    /// Milliseconds added before every answer (at most 600000).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(..=600_000))]
    pub latency_ms: Option<u64>,
    /// Seed for the random faults.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The only API key accepted (default: any non-empty key).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(seconds("30"), Ok(Duration::from_secs(30)));
        assert!(seconds("0").is_err());
        assert!(seconds("-1").is_err());
        assert!(seconds("NaN").is_err());
        assert!(seconds("soon").is_err());
    }
}
