//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Spott and Saleshandy from the shell.
///
/// Keys come from SPOTT_API_KEY / SALESHANDY_API_KEY or --api-key-file and
/// are never printed. Exit codes: 0 ok, 1 other failure, 2 bad usage,
/// 3 invalid input or configuration (nothing sent), 4 the API answered with
/// an error, 5 network trouble, timeout or rate limiting.
#[derive(Parser, Debug)]
#[command(name = "spott", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Args, Debug)]
pub struct Global {
    /// Read the API key from this file instead of the environment.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// Send requests here instead of the API's documented URL.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds one attempt may take.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// Attempts per request, first one included (see the retry policy).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Send each request once, whatever happens.
    #[arg(long, global = true)]
    pub no_retry: bool,
    /// How to print results.
    #[arg(long, global = true, value_enum, default_value_t = Output::Json)]
    pub output: Output,
    /// Run against the embedded mock server (no key, no network).
    #[arg(long, global = true)]
    pub mock: bool,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON: pretty on a terminal, one line when piped.
    Json,
    /// A short two-column table.
    Table,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Spott tasks.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Spott client contacts.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Spott candidates.
    #[command(subcommand)]
    Candidate(CandidateCommand),
    /// Saleshandy.
    #[command(subcommand)]
    Saleshandy(SaleshandyCommand),
    /// Create many tasks from a CSV file.
    #[command(subcommand)]
    Bulk(BulkCommand),
    /// Walk through every operation against the embedded mock server.
    Demo,
    /// Run the mock server in the foreground on 127.0.0.1.
    Mock(MockArgs),
}

/// `spott task …`
#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Create a task.
    Create(TaskCreate),
}

/// `spott task create`
#[derive(Args, Debug)]
pub struct TaskCreate {
    /// The task's content.
    #[arg(long, required_unless_present = "body")]
    pub content: Option<String>,
    /// Due date: RFC 3339 (2026-04-22T09:00:00Z) or a day (2026-04-22, midnight UTC).
    #[arg(long)]
    pub due: Option<String>,
    /// The user to assign it to.
    #[arg(long)]
    pub assignee: Option<String>,
    /// A link, `kind:id` (kinds: candidate, vacancy, client, user, team, client-contact, opportunity).
    #[arg(long = "link", value_name = "KIND:ID")]
    pub links: Vec<String>,
    /// The whole JSON body from a file, or `-` for stdin (instead of the flags).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["content", "due", "assignee", "links"])]
    pub body: Option<String>,
}

/// `spott contact …`
#[derive(Subcommand, Debug)]
pub enum ContactCommand {
    /// Show a contact's overview.
    Show {
        /// The contact's candidate id.
        candidate_id: String,
    },
    /// Create a client contact at a client.
    Create(Box<ContactCreate>),
}

/// `spott contact create`
#[derive(Args, Debug)]
pub struct ContactCreate {
    /// The client (company) id.
    pub client_id: String,
    /// First name.
    #[arg(long, required_unless_present = "body")]
    pub first_name: Option<String>,
    /// Last name.
    #[arg(long, required_unless_present = "body")]
    pub last_name: Option<String>,
    /// male or female.
    #[arg(long)]
    pub gender: Option<String>,
    /// A nationality as the API spells it (repeatable), e.g. "Cape Verdean".
    #[arg(long)]
    pub nationality: Vec<String>,
    /// A status (repeatable), e.g. actively_looking.
    #[arg(long)]
    pub status: Vec<String>,
    /// How the contact was acquired, e.g. manual.
    #[arg(long)]
    pub source: Option<String>,
    /// Role at the client.
    #[arg(long)]
    pub role: Option<String>,
    /// Department at the client.
    #[arg(long)]
    pub department: Option<String>,
    /// An email, `purpose:address` (repeatable; the first is primary).
    #[arg(long = "email", value_name = "PURPOSE:ADDRESS")]
    pub emails: Vec<String>,
    /// The whole JSON body from a file, or `-` for stdin.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["first_name", "last_name", "gender", "nationality", "status", "source", "role", "department", "emails"])]
    pub body: Option<String>,
}

/// `spott candidate …`
#[derive(Subcommand, Debug)]
pub enum CandidateCommand {
    /// Update a candidate: only what you pass changes.
    Update(CandidateUpdateArgs),
}

/// `spott candidate update`
#[derive(Args, Debug)]
pub struct CandidateUpdateArgs {
    /// The candidate id.
    pub id: String,
    /// New first name.
    #[arg(long)]
    pub first_name: Option<String>,
    /// New middle name.
    #[arg(long)]
    pub middle_name: Option<String>,
    /// New last name.
    #[arg(long)]
    pub last_name: Option<String>,
    /// male, female or x.
    #[arg(long, conflicts_with = "clear_gender")]
    pub gender: Option<String>,
    /// Clear the gender.
    #[arg(long)]
    pub clear_gender: bool,
    /// Date of birth (RFC 3339 or YYYY-MM-DD).
    #[arg(long, conflicts_with = "clear_date_of_birth")]
    pub date_of_birth: Option<String>,
    /// Clear the date of birth.
    #[arg(long)]
    pub clear_date_of_birth: bool,
    /// Replace the nationalities (repeatable).
    #[arg(long)]
    pub nationality: Vec<String>,
    /// Replace the statuses (repeatable).
    #[arg(long)]
    pub status: Vec<String>,
    /// The whole JSON body from a file, or `-` for stdin (`null` clears).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["first_name", "middle_name", "last_name", "gender", "clear_gender", "date_of_birth", "clear_date_of_birth", "nationality", "status"])]
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
pub struct SaleshandyCreate {
    /// A prospect id (repeatable).
    #[arg(long = "prospect", value_name = "ID", required_unless_present = "body")]
    pub prospects: Vec<String>,
    /// Task type: a code (13) or a name (call-follow-up).
    #[arg(long = "type", value_name = "TYPE", required_unless_present = "body")]
    pub task_type: Option<String>,
    /// urgent, high, medium or low (or 1-4).
    #[arg(long)]
    pub priority: Option<String>,
    /// Due day, YYYY-MM-DD.
    #[arg(long)]
    pub due: Option<String>,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
    /// The whole JSON body from a file, or `-` for stdin.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["prospects", "task_type", "priority", "due", "note"])]
    pub body: Option<String>,
}

/// `spott bulk …`
#[derive(Subcommand, Debug)]
pub enum BulkCommand {
    /// Spott tasks; CSV columns: id, content, due, assignee, links (`kind:id;kind:id`).
    SpottTasks(BulkArgs),
    /// Saleshandy tasks; CSV columns: id, prospects (`a;b`), type, priority, due, note.
    SaleshandyTasks(BulkArgs),
}

/// Options of a bulk run.
#[derive(Args, Debug)]
pub struct BulkArgs {
    /// The CSV file (with a header row).
    #[arg(long)]
    pub csv: PathBuf,
    /// Where per-row results go (JSON lines); read first to skip done rows.
    #[arg(long)]
    pub results: PathBuf,
    /// Rows in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// At most this many rows started per second or minute: `10/s`, `300/min`.
    #[arg(long)]
    pub rate: Option<String>,
    /// Also redo rows whose earlier outcome was uncertain (may exist).
    #[arg(long)]
    pub retry_uncertain: bool,
}

/// `spott mock`
#[derive(Args, Debug)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Requests per window, then 429: `100/min`, `5/s`.
    #[arg(long)]
    pub rate_limit: Option<String>,
    /// Share of requests answered 500/502/503 (0 to 1).
    #[arg(long)]
    pub fail_rate: Option<f64>,
    /// Seed for the random faults.
    #[arg(long)]
    pub seed: Option<u64>,
}
