//! `cargo xtask bench`: runs every measurement of the benchmark issue and
//! writes BENCHMARKS.md.
//!
//! - criterion benches of `crates/bench` (per call, decode, encode), read
//!   back from `target/criterion/**/new/estimates.json`;
//! - generation time of both specs, measured in this process;
//! - build cost: a clean build of the generated crates and the wrappers in a
//!   scratch copy of the workspace, and the rebuild after a one-field spec
//!   edit there (`cargo build --timings` leaves its HTML report beside it).
//!
//! Every number is a ratio against a baseline measured in the same run, or a
//! wall time with the command that produced it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::apis::APIS;
use crate::generate;

/// Options of `cargo xtask bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Criterion's full default sampling (slower, tighter intervals).
    #[arg(long)]
    full: bool,
    /// Skip the clean-build measurement (it takes minutes); BENCHMARKS.md
    /// keeps its last build table (it has markers of its own).
    #[arg(long)]
    skip_build: bool,
    /// Only the clean-build measurement: rewrites the build table and
    /// keeps the rest (a few minutes instead of the better part of an
    /// hour, e.g. when the build ran while the machine was busy).
    #[arg(long, conflicts_with_all = ["skip_build", "scaling", "downstream", "full"])]
    build_only: bool,
    /// Only measure how generation grows with the spec (synthetic specs
    /// 1, 2, 5 and 10 times the size) and, unless `--skip-build`, how the
    /// generated crate's build and a one-tag downstream build grow (1 and
    /// 10 times); the tables go into BENCHMARKS.md's scaling section.
    #[arg(long)]
    scaling: bool,
    /// With `--scaling`: only the one-tag downstream build at 1 and 10
    /// times the spec (no generation timings, no every-tag build), printed
    /// and not written to BENCHMARKS.md (its table would lose the columns
    /// not measured). Minutes instead of the better part of an hour.
    #[arg(long, requires = "scaling")]
    one_tag_only: bool,
    /// Only measure what a user's crate pays for the bindings (a clean
    /// build of one create through each wrapper against the same program
    /// by hand on reqwest + serde + tokio); the table goes into
    /// BENCHMARKS.md's downstream section.
    #[arg(long)]
    downstream: bool,
}

/// One criterion measurement: mean time per iteration.
struct Estimate {
    id: String,
    mean: Duration,
}

/// Runs everything and writes BENCHMARKS.md.
pub fn run(root: &Path, args: Args) -> Result<()> {
    if args.scaling {
        if args.one_tag_only {
            print!(
                "{}",
                crate::build_scaling::measure(root, crate::build_scaling::Builds::OneTagOnly)?
            );
            return Ok(());
        }
        return scaling(root, args.skip_build);
    }
    if args.downstream {
        return downstream(root);
    }
    if args.build_only {
        return write_section(
            root,
            BUILD_BEGIN,
            BUILD_END,
            &render_build(&time_builds(root)?),
        );
    }
    let criterion = run_criterion(root, args.full)?;
    let operations = operations(root)?;
    let interleaved = run_interleaved(root)?;
    let generation = time_generation(root)?;
    let bulk = time_bulk(root)?;
    let build = if args.skip_build {
        None
    } else {
        Some(time_builds(root)?)
    };
    let report = render(
        &Measured {
            criterion: &criterion,
            operations: &operations,
            interleaved: &interleaved,
            generation,
            bulk,
        },
        args.full,
    );
    write_section(root, BEGIN, END, &report)?;
    match build {
        Some(build) => write_section(root, BUILD_BEGIN, BUILD_END, &render_build(&build)),
        None => Ok(()),
    }
}

/// The scaling tables, printed and written between their own markers:
/// generation and builds each have a pair, so `--skip-build` rewrites the
/// generation table and keeps the last build table.
fn scaling(root: &Path, skip_build: bool) -> Result<()> {
    let header = format!(
        "Written by `cargo xtask bench --scaling` on {}. Machine: {} cores ({}).\n\n",
        today(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
    );
    let generation = format!("{header}#### Generation\n\n{}", generation_scaling(root)?);
    print!("{generation}");
    write_section(root, SCALING_BEGIN, SCALING_END, &generation)?;
    if !skip_build {
        let builds = crate::build_scaling::measure(root, crate::build_scaling::Builds::Both)?;
        let builds = format!(
            "{header}#### Build (debug, `cargo build`, this workspace's crates from clean, dependencies already built)\n\n{builds}"
        );
        print!("{builds}");
        write_section(root, SCALING_BUILD_BEGIN, SCALING_BUILD_END, &builds)?;
    }
    Ok(())
}

/// Writes `report` between `begin` and `end` in BENCHMARKS.md.
fn write_section(root: &Path, begin: &str, end: &str, report: &str) -> Result<()> {
    let path = root.join("BENCHMARKS.md");
    let document = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, splice_between(&document, begin, end, report))
        .with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The downstream table, printed and written between its own markers.
fn downstream(root: &Path) -> Result<()> {
    let (bindings, by_hand) = crate::downstream_cost::measure(root)?;
    let report = format!(
        "Written by `cargo xtask bench --downstream` on {}. Machine: {} cores ({}).\n\n{}",
        today(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
        crate::downstream_cost::table(&bindings, &by_hand)
    );
    print!("{report}");
    write_section(root, DOWNSTREAM_BEGIN, DOWNSTREAM_END, &report)
}

const DOWNSTREAM_BEGIN: &str = "<!-- downstream:begin -->\n";
const DOWNSTREAM_END: &str = "<!-- downstream:end -->";

const SCALING_BEGIN: &str = "<!-- scaling:begin -->\n";
const SCALING_END: &str = "<!-- scaling:end -->";

const SCALING_BUILD_BEGIN: &str = "<!-- scaling-build:begin -->\n";
const SCALING_BUILD_END: &str = "<!-- scaling-build:end -->";

const BEGIN: &str = "<!-- bench:begin -->\n";
const END: &str = "<!-- bench:end -->";
/// The build table's own markers, so `--skip-build` and `--build-only`
/// each leave the other's table as it was.
const BUILD_BEGIN: &str = "<!-- bench-build:begin -->\n";
const BUILD_END: &str = "<!-- bench-build:end -->";

/// Puts `report` between the markers `begin` (ending with a newline) and
/// `end` of `document`, keeping the prose around them; a document without
/// them gets them appended.
pub(crate) fn splice_between(document: &str, begin: &str, end: &str, report: &str) -> String {
    match (document.find(begin), document.find(end)) {
        (Some(start), Some(stop)) if start < stop => format!(
            "{}{report}{}",
            &document[..start + begin.len()],
            &document[stop..]
        ),
        _ => format!("{document}{begin}{report}{end}\n"),
    }
}

pub(crate) fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root);
    command
}

fn run_criterion(root: &Path, full: bool) -> Result<Vec<Estimate>> {
    let mut command = cargo(root);
    command.args(["bench", "-p", "bench", "--benches"]);
    if !full {
        command.args(["--", "--warm-up-time", "1", "--measurement-time", "3"]);
    }
    println!("running {command:?}");
    let status = command.status().context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench failed");
    }
    let mut estimates = Vec::new();
    collect_estimates(&root.join("target/criterion"), &mut estimates)?;
    estimates.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(estimates)
}

/// Rounds of the interleaved per-call run.
const INTERLEAVED_ROUNDS: usize = 20;

/// One operation of the interleaved run: median nanoseconds per call.
#[derive(Debug)]
struct Interleaved {
    operation: String,
    wrapper: f64,
    generated: f64,
    baseline: f64,
}

/// Runs `crates/bench/examples/paired.rs`: wrapper, generated and baseline
/// taking turns, so load that drifts during the run hits all three alike.
fn run_interleaved(root: &Path) -> Result<Vec<Interleaved>> {
    let mut command = cargo(root);
    command.args([
        "run",
        "--release",
        "-q",
        "-p",
        "bench",
        "--example",
        "paired",
        "--",
    ]);
    command.arg(INTERLEAVED_ROUNDS.to_string());
    println!("running {command:?}");
    let output = command
        .output()
        .context("running the interleaved benchmark")?;
    if !output.status.success() {
        bail!(
            "the interleaved benchmark failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_interleaved(&String::from_utf8_lossy(&output.stdout))
}

/// Reads `<operation> <wrapper ns> <generated ns> <baseline ns>` lines.
fn parse_interleaved(text: &str) -> Result<Vec<Interleaved>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let number = |index: usize| -> Result<f64> {
                fields
                    .get(index)
                    .and_then(|field| field.parse().ok())
                    .with_context(|| format!("field {index} of the interleaved line `{line}`"))
            };
            Ok(Interleaved {
                operation: fields.first().copied().unwrap_or_default().to_owned(),
                wrapper: number(1)?,
                generated: number(2)?,
                baseline: number(3)?,
            })
        })
        .collect()
}

/// Walks `target/criterion/<group>/<function>/<parameter>/new/estimates.json`.
fn collect_estimates(dir: &Path, out: &mut Vec<Estimate>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "report") {
            continue;
        }
        let estimates = path.join("new/estimates.json");
        if estimates.is_file() {
            let benchmark = path.join("new/benchmark.json");
            let id = std::fs::read_to_string(&benchmark)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .and_then(|v| v["full_id"].as_str().map(str::to_owned))
                .unwrap_or_else(|| path.display().to_string());
            let json: Value = serde_json::from_str(&std::fs::read_to_string(&estimates)?)?;
            let nanos = json["mean"]["point_estimate"].as_f64().unwrap_or(0.0);
            out.push(Estimate {
                id,
                mean: Duration::from_secs_f64(nanos / 1e9),
            });
        } else if path.is_dir() {
            collect_estimates(&path, out)?;
        }
    }
    Ok(())
}

/// Mean wall time of rendering both specs, over several runs.
fn time_generation(root: &Path) -> Result<Duration> {
    const RUNS: u32 = 10;
    for api in APIS {
        generate::render(root, api)?; // warm the file cache
    }
    let started = Instant::now();
    for _ in 0..RUNS {
        for api in APIS {
            generate::render(root, api)?;
        }
    }
    Ok(started.elapsed() / RUNS)
}

/// The sizes of the synthetic specs, as multiples of the real one.
const SCALES: &[usize] = &[1, 2, 5, 10];

/// Generation time of each API's spec copied N times over
/// ([`crate::scale::scaled`]), as a Markdown table with the ratio to 1x:
/// linear growth is a ratio near N.
fn generation_scaling(root: &Path) -> Result<String> {
    const RUNS: u32 = 3;
    let mut table = String::from(
        "| spec | size | operations | generation (mean of 3) | ratio to 1x |\n|---|---|---|---|---|\n",
    );
    for api in APIS {
        let spec = crate::spec::read_value(&root.join(api.spec))?;
        let mut base = None;
        for &n in SCALES {
            let scaled = crate::scale::scaled(&spec, n);
            let operations =
                crate::operation_table::rows(&crate::spec::to_openapi(scaled.clone())?)?.len();
            generate::render_value(api, scaled.clone())?; // warm up
            let started = Instant::now();
            for _ in 0..RUNS {
                generate::render_value(api, scaled.clone())?;
            }
            let mean = started.elapsed() / RUNS;
            let base = *base.get_or_insert(mean);
            let _ = writeln!(
                table,
                "| {} | {n}x | {operations} | {:.2} s | {:.1}x |",
                api.spec,
                mean.as_secs_f64(),
                mean.as_secs_f64() / base.as_secs_f64()
            );
        }
    }
    Ok(table)
}

/// Rows, concurrency and repetitions of the bulk measurement.
const BULK_ROWS: usize = 10_000;
const BULK_CONCURRENCY: usize = 16;
const BULK_RUNS: usize = 3;

/// Rows per second: the CLI's bulk command against its embedded mock, and
/// the same client with the same concurrency and no CLI (the ceiling).
/// Medians of a few runs, release builds.
fn time_bulk(root: &Path) -> Result<(f64, f64)> {
    let mut build = cargo(root);
    build.args([
        "build",
        "--release",
        "-p",
        "spott-cli",
        "-p",
        "bench",
        "--bin",
        "spott",
        "--bin",
        "bulk_ceiling",
    ]);
    timed(&mut build)?;
    let dir = root.join("target/bench-bulk");
    std::fs::create_dir_all(&dir)?;
    let csv = dir.join("tasks.csv");
    let mut text = String::from("id,prospects,type,priority,due,note\n");
    for row in 0..BULK_ROWS {
        let _ = writeln!(
            text,
            "r{row},8PvBmrB7P7,call-follow-up,high,2026-12-02,row {row}"
        );
    }
    std::fs::write(&csv, text)?;
    let results = dir.join("results.jsonl");
    let mut cli = Vec::new();
    let mut ceiling = Vec::new();
    for _ in 0..BULK_RUNS {
        let _ = std::fs::remove_file(&results);
        let output = Command::new(root.join("target/release/spott"))
            .args(["--mock", "bulk", "saleshandy-tasks", "--csv"])
            .arg(&csv)
            .arg("--results")
            .arg(&results)
            .args(["--concurrency", &BULK_CONCURRENCY.to_string()])
            .output()
            .context("running the CLI's bulk command")?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let rate = stderr
            .rsplit_once('(')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok())
            .with_context(|| format!("no rows/s in the CLI's output: {stderr}"))?;
        cli.push(rate);
        let output = Command::new(root.join("target/release/bulk_ceiling"))
            .args([BULK_ROWS.to_string(), BULK_CONCURRENCY.to_string()])
            .output()
            .context("running bulk_ceiling")?;
        let text = String::from_utf8_lossy(&output.stdout);
        ceiling.push(
            text.trim()
                .parse::<f64>()
                .with_context(|| format!("bulk_ceiling printed {text}"))?,
        );
    }
    Ok((median(&mut cli), median(&mut ceiling)))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Build costs measured in a scratch copy of the workspace.
struct BuildCost {
    clean_dependencies: Duration,
    clean_ours: Duration,
    incremental_after_spec_edit: Duration,
    /// Where the `--timings` reports were kept (relative to the root).
    timings: PathBuf,
}

fn time_builds(root: &Path) -> Result<BuildCost> {
    let scratch = Scratch::new(root, "bench-build")?;
    let result = measure_builds(&scratch.path);
    // Keep the timing reports; the worktree goes.
    let timings = root.join("target/bench-build/cargo-timings");
    let _ = std::fs::remove_dir_all(&timings);
    let _ = std::fs::rename(scratch.path.join("target/cargo-timings"), &timings);
    result.map(|mut cost| {
        cost.timings = timings.strip_prefix(root).unwrap_or(&timings).to_path_buf();
        cost
    })
}

/// A clean copy of the committed tree (a detached `git worktree` under
/// `target/<name>/workspace`, with its own target directory), so builds
/// there are really clean and nothing touches the real tree. Removed when
/// dropped.
pub(crate) struct Scratch {
    root: PathBuf,
    /// The copy's root.
    pub path: PathBuf,
}

impl Scratch {
    pub(crate) fn new(root: &Path, name: &str) -> Result<Self> {
        let parent = root.join("target").join(name);
        let path = parent.join("workspace");
        if path.exists() {
            let _ = Command::new("git")
                .args(["worktree", "remove", "--force"])
                .arg(&path)
                .current_dir(root)
                .status();
            if path.exists() {
                std::fs::remove_dir_all(&path)?;
            }
        }
        std::fs::create_dir_all(&parent)?;
        let status = Command::new("git")
            .args(["worktree", "add", "--detach", "--force"])
            .arg(&path)
            .current_dir(root)
            .status()
            .context("git worktree add")?;
        if !status.success() {
            bail!("git worktree add failed");
        }
        Ok(Scratch {
            root: root.to_path_buf(),
            path,
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new("git")
            .args(["worktree", "remove", "--force"])
            .arg(&self.path)
            .current_dir(&self.root)
            .status();
    }
}

pub(crate) fn timed(command: &mut Command) -> Result<Duration> {
    println!("running {command:?}");
    let started = Instant::now();
    let status = command.status().context("running a build")?;
    if !status.success() {
        bail!("{command:?} failed");
    }
    Ok(started.elapsed())
}

fn measure_builds(workspace: &Path) -> Result<BuildCost> {
    let ours = [
        "-p",
        "spott-openapi",
        "-p",
        "saleshandy-openapi",
        "-p",
        "spott",
        "-p",
        "saleshandy",
    ];
    let build = |extra: &[&str]| {
        let mut command = cargo(workspace);
        command.arg("build").args(ours).args(extra);
        command
    };
    // Everything once, then only our crates from clean: the difference is
    // what the generated code and the wrappers cost to compile.
    let clean_dependencies = timed(&mut build(&[]))?;
    let mut clean = cargo(workspace);
    clean
        .arg("clean")
        .args(ours)
        .args(["-p", "spott-saleshandy-core"]);
    timed(&mut clean)?;
    let clean_ours = timed(&mut build(&["--timings"]))?;

    // One new optional field in a response schema, regenerated, rebuilt.
    let spec = workspace.join("spec/spott.yaml");
    let text = std::fs::read_to_string(&spec)?;
    let edited = text.replacen(
        "    TaskLabel:\n      type: object\n      description: A label on a task.\n      properties:\n",
        "    TaskLabel:\n      type: object\n      description: A label on a task.\n      properties:\n        icon: {type: string, description: Benchmark edit.}\n",
        1,
    );
    if edited == text {
        bail!("the benchmark's spec edit no longer applies: update xtask/src/bench.rs");
    }
    std::fs::write(&spec, edited)?;
    let mut regenerate = cargo(workspace);
    regenerate.args(["run", "-q", "-p", "xtask", "--", "generate"]);
    timed(&mut regenerate)?;
    let incremental_after_spec_edit = timed(&mut build(&["--timings"]))?;
    Ok(BuildCost {
        clean_dependencies,
        clean_ours,
        incremental_after_spec_edit,
        timings: PathBuf::new(),
    })
}

fn find<'a>(estimates: &'a [Estimate], id: &str) -> Option<&'a Estimate> {
    estimates.iter().find(|e| e.id == id)
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn ratio(a: Duration, b: Duration) -> String {
    if b.is_zero() {
        "n/a".into()
    } else {
        format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
    }
}

/// Everything one run measured.
struct Measured<'a> {
    criterion: &'a [Estimate],
    /// Every operation of both tables, for the by-operation table.
    operations: &'a [Operation],
    interleaved: &'a [Interleaved],
    generation: Duration,
    bulk: (f64, f64),
}

fn render(measured: &Measured<'_>, full: bool) -> String {
    let Measured {
        criterion: estimates,
        operations,
        interleaved,
        generation,
        bulk,
    } = *measured;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench{}` on {}. Machine: {} cores ({}). Criterion {}.\n",
        if full { " --full" } else { "" },
        today(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
        if full {
            "defaults"
        } else {
            "with 1 s warm-up and 3 s measurement per benchmark"
        },
    );
    out.push_str("### Per call (loopback, canned documented response)\n\n");
    out.push_str(
        "Criterion means; the baseline sends the same headers as the bindings, \
         `bare` is the baseline with reqwest's default headers.\n\n",
    );
    out.push_str("| operation | wrapper | generated | baseline (reqwest + serde) | bare | wrapper / baseline | generated / baseline |\n|---|---|---|---|---|---|---|\n");
    for op in [
        "create_task",
        "get_contact_overview",
        "create_client_contact",
        "update_candidate",
        "create_tasks",
    ] {
        let get =
            |variant: &str| find(estimates, &format!("per_call/{op}/{variant}")).map(|e| e.mean);
        if let (Some(w), Some(g), Some(b)) = (get("wrapper"), get("generated"), get("baseline")) {
            let _ = writeln!(
                out,
                "| `{op}` | {} | {} | {} | {} | {} | {} |",
                micros(w),
                micros(g),
                micros(b),
                get("baseline_bare").map_or_else(|| "–".to_owned(), micros),
                ratio(w, b),
                ratio(g, b)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nThe same calls interleaved (`cargo run --release -p bench --example paired -- {INTERLEAVED_ROUNDS}`: \
         the three take turns in rounds of 300 calls; median round):\n\n\
         | operation | wrapper | generated | baseline | wrapper / baseline | generated / baseline |\n|---|---|---|---|---|---|"
    );
    for row in interleaved {
        let nanos = |n: f64| Duration::from_secs_f64(n / 1e9);
        let (w, g, b) = (
            nanos(row.wrapper),
            nanos(row.generated),
            nanos(row.baseline),
        );
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            row.operation,
            micros(w),
            micros(g),
            micros(b),
            ratio(w, b),
            ratio(g, b)
        );
    }
    out.push_str("\nTarget: wrapper / baseline ≤ 1.05×.\n\n");
    out.push_str(&by_operation(estimates, operations));
    out.push_str("\n### Decoding and encoding\n\n");
    out.push_str("| body | generated | hand-written serde | `serde_json::Value` | generated / hand-written |\n|---|---|---|---|---|\n");
    for body in ["update_candidate_004", "create_task_000"] {
        let get =
            |variant: &str| find(estimates, &format!("decode/{body}/{variant}")).map(|e| e.mean);
        if let (Some(g), Some(h), Some(v)) = (get("generated"), get("hand_written"), get("value")) {
            let _ = writeln!(
                out,
                "| decode {body} | {} | {} | {} | {} |",
                micros(g),
                micros(h),
                micros(v),
                ratio(g, h)
            );
        }
    }
    if let (Some(g), Some(v)) = (
        find(estimates, "encode/create_client_contact_002/generated"),
        find(estimates, "encode/create_client_contact_002/value"),
    ) {
        let _ = writeln!(
            out,
            "| encode create_client_contact_002 | {} | – | {} | – |",
            micros(g.mean),
            micros(v.mean)
        );
    }
    out.push_str("\nTarget: generated ≤ 1.1× hand-written.\n\n### Where the wrapper's time goes\n\n| step | time |\n|---|---|\n");
    for id in [
        "exec/reqwest_execute",
        "exec/core_send",
        "exec/core_send_no_retries",
        "exec/core_send_recorded",
    ] {
        if let Some(e) = find(estimates, id) {
            let _ = writeln!(out, "| `{id}` | {} |", micros(e.mean));
        }
    }
    let _ = writeln!(
        out,
        "\n### Generation\n\n`generate::render` of both specs, mean of 10 runs in the xtask process ({} build): **{:.1} ms**. Target: < 1 s.\n",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        generation.as_secs_f64() * 1e3
    );
    let _ = writeln!(
        out,
        "### Bulk\n\n{BULK_ROWS} Saleshandy tasks, concurrency {BULK_CONCURRENCY}, in-process mock, release builds, median of {BULK_RUNS} runs:\n\n| run | rows/s |\n|---|---|\n| `spott --mock bulk saleshandy-tasks` (CSV, results file, progress) | {:.0} |\n| same client, no CLI (`bulk_ceiling`) | {:.0} |\n| CLI / ceiling | {:.0} % |\n\nTarget: ≥ 90 %.\n",
        bulk.0,
        bulk.1,
        if bulk.1 > 0.0 {
            bulk.0 / bulk.1 * 100.0
        } else {
            0.0
        }
    );
    out
}

/// The build table, with its own header line: it may be written by a run
/// of its own (`--build-only`).
fn render_build(build: &BuildCost) -> String {
    format!(
        "Written by `cargo xtask bench` on {}. Machine: {} cores ({}).\n\n### Build cost (scratch worktree, `cargo build -p spott-openapi -p saleshandy-openapi -p spott -p saleshandy`)\n\n| build | wall time |\n|---|---|\n| clean, dependencies included | {:.1} s |\n| clean, only the generated crates, spott-saleshandy-core and the wrappers | {:.1} s |\n| after a one-field spec edit and `cargo xtask generate` | {:.1} s |\n\nThe `--timings` HTML reports are in `{}`.\n",
        today(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
        build.clean_dependencies.as_secs_f64(),
        build.clean_ours.as_secs_f64(),
        build.incremental_after_spec_edit.as_secs_f64(),
        build.timings.display(),
    )
}

/// One operation of the generated tables: its API and `operationId`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Operation {
    api: &'static str,
    id: String,
}

/// Every operation of both specs, in the tables' order: what
/// `crates/bench/benches/by_operation.rs` measures (it iterates the same
/// generated tables).
fn operations(root: &Path) -> Result<Vec<Operation>> {
    let mut operations = Vec::new();
    for api in APIS {
        let openapi = crate::spec::to_openapi(crate::spec::read_value(&root.join(api.spec))?)?;
        for row in crate::operation_table::rows(&openapi)? {
            operations.push(Operation {
                api: api.name,
                id: row.id,
            });
        }
    }
    Ok(operations)
}

/// The by-operation section: `call_json` through the wrapper against
/// plain reqwest + `serde_json::Value` for every operation of the tables
/// (criterion ids `by_operation/<operationId>/wrapper|baseline`). An
/// operation without both estimates shows dashes, so a bench that stopped
/// measuring one is visible, and the median ratio sums the table up.
fn by_operation(estimates: &[Estimate], operations: &[Operation]) -> String {
    let mut out = String::from(
        "### Every operation (`call_json`, loopback, canned documented response)\n\n\
         `crates/bench/benches/by_operation.rs`: each operation of both generated tables \
         through the wrapper's `call_json` (key, retry policy, path check, span, error \
         mapping, JSON out), against the same request sent with plain reqwest and decoded \
         into `serde_json::Value`. Criterion means.\n\n\
         | API | operation | wrapper | baseline (reqwest + serde) | wrapper / baseline |\n|---|---|---|---|---|\n",
    );
    let mut ratios = Vec::new();
    for operation in operations {
        let get = |variant: &str| {
            find(
                estimates,
                &format!("by_operation/{}/{variant}", operation.id),
            )
            .map(|e| e.mean)
        };
        let (wrapper, baseline) = (get("wrapper"), get("baseline"));
        let shown = |d: Option<Duration>| d.map_or_else(|| "–".to_owned(), micros);
        let quotient = match (wrapper, baseline) {
            (Some(w), Some(b)) if !b.is_zero() => {
                ratios.push(w.as_secs_f64() / b.as_secs_f64());
                ratio(w, b)
            }
            _ => "–".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {quotient} |",
            operation.api,
            operation.id,
            shown(wrapper),
            shown(baseline),
        );
    }
    let _ = writeln!(
        out,
        "\nMedian wrapper / baseline over the {} of {} operations measured: {}.",
        ratios.len(),
        operations.len(),
        if ratios.is_empty() {
            "n/a".to_owned()
        } else {
            format!("{:.2}×", median(&mut ratios))
        }
    );
    out
}

/// Today's date (UTC).
fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_times_render() {
        assert_eq!(
            ratio(Duration::from_micros(21), Duration::from_micros(20)),
            "1.05×"
        );
        assert_eq!(micros(Duration::from_nanos(12_346)), "12.35 µs");
        assert_eq!(today().len(), 10);
    }

    #[test]
    fn the_build_table_stands_alone_with_its_own_header() {
        let table = render_build(&BuildCost {
            clean_dependencies: Duration::from_millis(45_240),
            clean_ours: Duration::from_millis(5_800),
            incremental_after_spec_edit: Duration::from_millis(3_460),
            timings: PathBuf::from("target/bench-build/cargo-timings"),
        });
        assert!(
            table.starts_with("Written by `cargo xtask bench` on "),
            "{table}"
        );
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(
            rows,
            [
                "| build | wall time |",
                "| clean, dependencies included | 45.2 s |",
                "| clean, only the generated crates, spott-saleshandy-core and the wrappers | 5.8 s |",
                "| after a one-field spec edit and `cargo xtask generate` | 3.5 s |",
            ]
        );
        // Its markers are not the main table's: writing one keeps the other.
        let document = format!("{BEGIN}main\n{END}\n{BUILD_BEGIN}old\n{BUILD_END}\n");
        assert_eq!(
            splice_between(&document, BUILD_BEGIN, BUILD_END, &table),
            format!("{BEGIN}main\n{END}\n{BUILD_BEGIN}{table}{BUILD_END}\n")
        );
    }

    #[test]
    fn interleaved_lines_parse_and_bad_ones_name_the_field() {
        let rows = parse_interleaved("create_task 27000 25000 24500\n\n").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].operation, "create_task");
        assert_eq!(
            (rows[0].wrapper, rows[0].generated, rows[0].baseline),
            (27000.0, 25000.0, 24500.0)
        );
        let error = parse_interleaved("create_task 27000 fast").unwrap_err();
        assert!(format!("{error:#}").contains("field 2"), "{error:#}");
    }

    #[test]
    fn splice_keeps_the_prose_around_the_markers() {
        let document = "# B\n\nintro\n<!-- bench:begin -->\nold\n<!-- bench:end -->\nnotes\n";
        assert_eq!(
            splice_between(document, BEGIN, END, "new\n"),
            "# B\n\nintro\n<!-- bench:begin -->\nnew\n<!-- bench:end -->\nnotes\n"
        );
        assert_eq!(
            splice_between("", BEGIN, END, "r\n"),
            "<!-- bench:begin -->\nr\n<!-- bench:end -->\n"
        );
    }

    #[test]
    fn the_by_operation_table_lists_every_operation_with_its_ratio() {
        let estimate = |id: &str, nanos: u64| Estimate {
            id: id.to_owned(),
            mean: Duration::from_nanos(nanos),
        };
        let estimates = [
            estimate("by_operation/create_task/wrapper", 30_000),
            estimate("by_operation/create_task/baseline", 25_000),
            estimate("by_operation/get_client/wrapper", 22_000),
            estimate("by_operation/get_client/baseline", 20_000),
            estimate("by_operation/create_tasks/wrapper", 40_000),
            // A stale operation no longer in the tables is not listed.
            estimate("by_operation/gone/wrapper", 1_000),
            estimate("per_call/create_task/wrapper", 99_000),
        ];
        let operation = |api, id: &str| Operation {
            api,
            id: id.to_owned(),
        };
        let operations = [
            operation("spott", "create_task"),
            operation("spott", "get_client"),
            operation("saleshandy", "create_tasks"),
        ];
        let table = by_operation(&estimates, &operations);
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(
            rows,
            [
                "| API | operation | wrapper | baseline (reqwest + serde) | wrapper / baseline |",
                "| spott | `create_task` | 30.00 µs | 25.00 µs | 1.20× |",
                "| spott | `get_client` | 22.00 µs | 20.00 µs | 1.10× |",
                "| saleshandy | `create_tasks` | 40.00 µs | – | – |",
            ]
        );
        assert!(!table.contains("gone"), "{table}");
        // The median of 1.20 and 1.10, over the two measured.
        assert!(
            table.contains("Median wrapper / baseline over the 2 of 3 operations measured: 1.20×."),
            "{table}"
        );
    }

    #[test]
    fn the_by_operation_operations_are_the_tables() {
        let root = crate::workspace_root().expect("the workspace root");
        let operations = operations(root).unwrap();
        assert!(operations.contains(&Operation {
            api: "saleshandy",
            id: "create_tasks".to_owned()
        }));
        assert!(operations.contains(&Operation {
            api: "spott",
            id: "create_task".to_owned()
        }));
        // Spott's, then Saleshandy's, in each spec's order (a grown spec
        // may put its new operations anywhere in its own part).
        let apis: Vec<&str> = operations.iter().map(|o| o.api).collect();
        let first_saleshandy = apis.iter().position(|api| *api == "saleshandy").unwrap();
        assert!(apis[..first_saleshandy].iter().all(|api| *api == "spott"));
        assert!(
            apis[first_saleshandy..]
                .iter()
                .all(|api| *api == "saleshandy")
        );
    }

    #[test]
    fn the_spec_edit_still_applies() {
        let root = crate::workspace_root().expect("the workspace root");
        let text = std::fs::read_to_string(root.join("spec/spott.yaml")).unwrap();
        assert!(text.contains(
            "    TaskLabel:\n      type: object\n      description: A label on a task.\n      properties:\n"
        ));
    }
}
