//! `cargo xtask bench --downstream`: what a user's crate pays to depend on
//! the bindings, against the same program written by hand on reqwest +
//! serde + tokio.
//!
//! Two small binaries are written into `target/bench-downstream/`, each its
//! own workspace with its own target directory and a copy of this
//! workspace's `Cargo.lock` (so both resolve the versions this workspace
//! builds with):
//!
//! - `bindings`: `spott` and `saleshandy` with only the `tasks` tag, one
//!   create through each;
//! - `by-hand`: the same two requests with hand-written request and
//!   response structs.
//!
//! Each is built from clean (dependencies included, debug) and its crates
//! are counted (`cargo tree -e normal,build`, each package once). A build's
//! cost is given twice: wall time, and the CPU time (user + system) of
//! cargo and every compiler it ran. Wall time doubles when another build
//! shares the two cores; CPU time barely moves, so the CPU ratio is the one
//! that holds on a busy machine.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::bench::{cargo, timed};

/// The goal of the issue: at most this ratio, for build time and crates.
pub const GOAL: f64 = 1.15;

const BINDINGS_MANIFEST: &str = r#"[package]
name = "bindings"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
saleshandy = { path = "ROOT/crates/saleshandy", default-features = false, features = ["tasks"] }
spott = { path = "ROOT/crates/spott", default-features = false, features = ["tasks"] }
tokio = { version = "1", features = ["macros", "rt"] }
"#;

/// The bindings program's source; `tests/Cargo.toml` builds the same
/// file as an example, so it always compiles against today's wrappers.
const BINDINGS_MAIN: &str = include_str!("../downstream/bindings_main.rs");

const BY_HAND_MANIFEST: &str = r#"[package]
name = "by-hand"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
"#;

const BY_HAND_MAIN: &str = r#"//! The same two creates, hand-written.
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct NewTask<'a> {
    content: &'a str,
}

#[derive(Deserialize)]
struct Task {
    id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewTasks<'a> {
    prospect_ids: &'a [&'a str],
    task_type: &'a str,
}

#[derive(Deserialize)]
struct TasksResponse {
    payload: Option<Payload>,
}

#[derive(Deserialize)]
struct Payload {
    results: Vec<ProspectResult>,
}

#[derive(Deserialize)]
struct ProspectResult {
    success: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let http = reqwest::Client::new();
    let spott_key = std::env::var("SPOTT_API_KEY")?;
    let task: Task = http
        .post("https://api.gospott.com/tasks/_raw")
        .header("x-api-key", spott_key)
        .json(&NewTask { content: "Call back" })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("spott task {}", task.id.unwrap_or_default());

    let saleshandy_key = std::env::var("SALESHANDY_API_KEY")?;
    let response: TasksResponse = http
        .post("https://open-api.saleshandy.com/v1/tasks/create")
        .header("x-api-key", saleshandy_key)
        .json(&NewTasks { prospect_ids: &["8PvBmrB7P7"], task_type: "11" })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let created = response.payload.map_or(0, |p| p.results.iter().filter(|r| r.success).count());
    println!("saleshandy tasks created: {created}");
    Ok(())
}
"#;

/// One program's figures.
pub struct Cost {
    /// Clean debug build, dependencies included: wall time.
    pub build: Duration,
    /// The same build's CPU time (user + system, every process), where the
    /// platform tells it.
    pub cpu: Option<Duration>,
    /// Packages in its dependency graph (normal and build), itself included.
    pub crates: usize,
}

/// Builds both programs from clean and returns (bindings, by hand).
pub fn measure(root: &Path) -> Result<(Cost, Cost)> {
    let dir = root.join("target/bench-downstream");
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).context("the workspace's Cargo.lock")?;
    let root_text = root.to_str().context("the workspace path is not UTF-8")?;
    let bindings = program(
        &dir.join("bindings"),
        &BINDINGS_MANIFEST.replace("ROOT", root_text),
        BINDINGS_MAIN,
        &lock,
    )?;
    let by_hand = program(&dir.join("by-hand"), BY_HAND_MANIFEST, BY_HAND_MAIN, &lock)?;
    Ok((bindings, by_hand))
}

fn program(dir: &Path, manifest: &str, main: &str, lock: &str) -> Result<Cost> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    std::fs::write(dir.join("Cargo.lock"), lock)?;
    // Resolve (and download) outside the timing.
    timed(cargo(dir).args(["fetch", "-q"]))?;
    let cpu_before = children_cpu();
    let build = timed(cargo(dir).args(["build", "-q"]))?;
    let cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    let crates = count_crates(dir)?;
    Ok(Cost { build, cpu, crates })
}

/// CPU time of every child this process has waited for, and of their
/// waited-for descendants (cargo waits for each rustc): fields 16 and 17,
/// `cutime` and `cstime`, of `/proc/self/stat`. Linux only; `None`
/// elsewhere.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    children_cpu_from_stat(&stat)
}

/// Ticks are USER_HZ, which Linux fixes at 100 for every program.
fn children_cpu_from_stat(stat: &str) -> Option<Duration> {
    // The command name (field 2) is in parentheses and may hold spaces:
    // count fields from the last `)`, which is followed by field 3.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<u64>().ok();
    let total = ticks(16)?.checked_add(ticks(17)?)?;
    Some(Duration::from_millis(total.checked_mul(10)?))
}

fn count_crates(dir: &Path) -> Result<usize> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["tree", "-q", "-e", "normal,build", "--prefix", "none"])
        .current_dir(dir)
        .output()
        .context("cargo tree")?;
    if !output.status.success() {
        bail!("cargo tree failed in {}", dir.display());
    }
    Ok(unique_packages(&String::from_utf8_lossy(&output.stdout)))
}

/// `name v1.2.3 (…) (*)` lines → how many distinct name and version pairs.
fn unique_packages(tree: &str) -> usize {
    tree.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect::<BTreeSet<_>>()
        .len()
}

/// The Markdown table.
pub fn table(bindings: &Cost, by_hand: &Cost) -> String {
    let ratio = |ours: f64, theirs: f64| {
        let ratio = ours / theirs;
        let verdict = if ratio <= GOAL { "met" } else { "missed" };
        format!("{ratio:.2}× ({verdict})")
    };
    let cpu = |cost: &Cost| {
        cost.cpu.map_or("n/a".to_owned(), |cpu| {
            format!("{:.1} s", cpu.as_secs_f64())
        })
    };
    let mut out = String::from(
        "| program | clean build, wall (debug, dependencies included) | the same build, CPU (user + system) | crates |\n|---|---|---|---|\n",
    );
    let _ = writeln!(
        out,
        "| one create through each wrapper (`tasks` only) | {:.1} s | {} | {} |",
        bindings.build.as_secs_f64(),
        cpu(bindings),
        bindings.crates
    );
    let _ = writeln!(
        out,
        "| the same on reqwest + serde + tokio, by hand | {:.1} s | {} | {} |",
        by_hand.build.as_secs_f64(),
        cpu(by_hand),
        by_hand.crates
    );
    let cpu_ratio = match (bindings.cpu, by_hand.cpu) {
        (Some(ours), Some(theirs)) => ratio(ours.as_secs_f64(), theirs.as_secs_f64()),
        _ => "n/a".to_owned(),
    };
    let _ = writeln!(
        out,
        "| ratio (goal ≤ {GOAL}×) | {} | {cpu_ratio} | {} |",
        ratio(bindings.build.as_secs_f64(), by_hand.build.as_secs_f64()),
        ratio(bindings.crates as f64, by_hand.crates as f64),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_counted_once_each() {
        let tree =
            "bindings v0.0.0 (/x)\nserde v1.0.1\nserde v1.0.1 (*)\nsyn v1.0.0\nsyn v2.0.0\n\n";
        assert_eq!(unique_packages(tree), 4);
    }

    #[test]
    fn the_table_gives_the_ratios_and_the_verdict() {
        let text = table(
            &Cost {
                build: Duration::from_secs(110),
                cpu: Some(Duration::from_secs(240)),
                crates: 130,
            },
            &Cost {
                build: Duration::from_secs(100),
                cpu: Some(Duration::from_secs(200)),
                crates: 100,
            },
        );
        assert!(text.contains("| 110.0 s | 240.0 s | 130 |"), "{text}");
        assert!(
            text.contains(
                "| ratio (goal ≤ 1.15×) | 1.10× (met) | 1.20× (missed) | 1.30× (missed) |"
            ),
            "{text}"
        );
    }

    #[test]
    fn children_cpu_is_read_after_the_command_name() {
        // A command name with spaces and a `)` in it; utime/stime (fields
        // 14, 15) must not be taken for cutime/cstime (16, 17).
        let stat = "4242 (cargo) xtask) S 1 2 3 4 5 6 7 8 9 10 700 800 250 125 20 0 1";
        assert_eq!(
            children_cpu_from_stat(stat),
            Some(Duration::from_millis(3750))
        );
        assert_eq!(children_cpu_from_stat("4242 (cargo) S 1 2"), None);
    }

    #[test]
    fn this_process_can_read_its_children_cpu() {
        if cfg!(target_os = "linux") {
            assert!(children_cpu().is_some());
        }
    }
}
