//! Running the built `spott` binary against a mock (or a scripted server)
//! on 127.0.0.1, with a sentinel API key that no output may ever show.

#![allow(dead_code)] // each test binary uses part of it

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;
use spott_saleshandy_mock::{MockConfig, MockServer, Operation};

/// The key every test sends; it must never appear on stdout or stderr.
pub const KEY: &str = "sentinel-key-Zq81";

/// The mock's operation `id` (from the spec).
pub fn op(id: &str) -> Operation {
    Operation::by_id(id).unwrap_or_else(|| panic!("the specs declare no `{id}`"))
}

/// A fresh mock with the seed data, accepting any key.
pub async fn mock() -> MockServer {
    MockServer::start(MockConfig::new()).await.unwrap()
}

/// The binary with both keys in the environment and the mock's URL.
pub fn command(mock: &MockServer, args: &[&str]) -> Command {
    command_at(&mock.url(), args)
}

/// The binary with both keys in the environment, pointed at `url` (a
/// mock, or a scripted server that plays a fault).
pub fn command_at(url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spott"));
    command
        .args(args)
        .args(["--base-url", url])
        .env("SPOTT_API_KEY", KEY)
        .env("SALESHANDY_API_KEY", KEY)
        .env_remove("SPOTT_BASE_URL")
        .env_remove("SALESHANDY_BASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `spott ARGS --base-url MOCK`.
pub fn spott(mock: &MockServer, args: &[&str]) -> Output {
    spott_with_stdin(mock, args, None)
}

/// Runs it with `stdin` piped in.
pub fn spott_with_stdin(mock: &MockServer, args: &[&str], stdin: Option<&str>) -> Output {
    run_at(&mock.url(), args, stdin)
}

/// Runs `spott ARGS --base-url URL`, `stdin` piped in when given, and
/// checks the key stayed secret. It blocks: a server on the test's own
/// runtime needs it run on a blocking thread (see `api_command.rs`).
pub fn run_at(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = command_at(url, args);
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = command.spawn().expect("the spott binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    finished(child)
}

/// Waits for `child` and checks the key stayed secret.
pub fn finished(child: Child) -> Output {
    let output = child.wait_with_output().unwrap();
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(
            !String::from_utf8_lossy(bytes).contains(KEY),
            "the API key leaked to {name}"
        );
    }
    output
}

/// Stdout of a successful run, which must be one line of JSON (piped).
pub fn json_out(output: &Output) -> Value {
    assert!(output.status.success(), "stderr: {}", stderr(output));
    let text = stdout(output);
    assert_eq!(text.lines().count(), 1, "piped JSON is one line: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code and that stderr is exactly one `error: …` line;
/// returns that line.
pub fn failed_with(output: &Output, code: i32) -> String {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 1, "one error line: {text}");
    lines[0].to_owned()
}

/// A Saleshandy CSV of `rows` rows keyed `r0…`, each with note `row N`.
pub fn saleshandy_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("id,prospects,type,priority,due,note\n");
    for row in 0..rows {
        text.push_str(&format!(
            "r{row},8PvBmrB7P7,call-follow-up,high,2026-12-02,row {row}\n"
        ));
    }
    let path = dir.join("tasks.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The results file's lines.
pub fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The last line recorded for `row`.
pub fn result_for(lines: &[Value], row: &str) -> Value {
    lines
        .iter()
        .rev()
        .find(|l| l["row"] == row)
        .cloned()
        .unwrap_or_else(|| panic!("no line for row {row}: {lines:?}"))
}
