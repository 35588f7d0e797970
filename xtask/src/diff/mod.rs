//! `cargo xtask diff [OLD] [NEW]`: what changed between two versions of a
//! spec, and what each change does to clients written against the old one.
//!
//! Every change is classified by the direction data flows (a field removed
//! from a request is not the same change as one removed from a response),
//! reported at every operation it reaches through `$ref`s, and given a
//! severity: `breaking`, `warning` or `info`. The rules are listed in
//! xtask/README.md; the JSON output is described in [`report`].
//!
//! One module per part of a spec: [`operations`] pairs old and new
//! operations, [`request`] and [`response`] compare what they send and
//! receive, [`content`] their media types, [`schema`] the schemas
//! themselves (with [`constraints`] and [`variants`] for validation keywords
//! and unions), [`security`] and [`servers`] the document-wide parts.
//! [`source`] reads the specs (files or git revisions); [`text`],
//! [`markdown`] and [`report`] write the result.
//!
//! Beyond the spec, [`rust_impact`] generates both sides and says what
//! changes in the generated Rust API ([`surface_changes`] compares the two
//! surfaces, [`rust_rules`] gives each change its semver level) and which
//! bump the generated and wrapper crates need.

mod constraints;
mod content;
mod finding;
mod label;
mod links;
mod markdown;
mod operations;
mod pointer;
mod report;
mod request;
mod resolve;
mod response;
mod rust_impact;
mod rust_rules;
mod schema;
mod security;
mod servers;
mod source;
mod surface_changes;
mod text;
mod variants;
mod visibility;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::apis::APIS;

use finding::Finding;
use report::{FailOn, Report, SpecDiff, Verdict, Wire};

/// The two documents being compared.
#[derive(Clone, Copy)]
pub struct Docs<'a> {
    /// The old spec.
    pub old: &'a Value,
    /// The new spec.
    pub new: &'a Value,
}

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal: grouped by operation, coloured when stdout is one.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For programs: the schema documented in xtask/README.md.
    Json,
}

/// Arguments of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old spec file (read at --base, if given).
    ///
    /// Given alone, OLD as committed at --base (default HEAD) is compared
    /// with OLD in the working tree. With no file at all, every API's spec
    /// is compared that way.
    pub old: Option<PathBuf>,
    /// The new spec file (the working-tree version of OLD if omitted).
    pub new: Option<PathBuf>,
    /// Read the old side as committed at this git revision.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit non-zero if the wire verdict (breaking, warning, info) or the
    /// Rust API's semver bump (major, minor, patch) is at or above this.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
}

/// Runs `cargo xtask diff` from the workspace at `root`.
pub fn run(root: &Path, args: Args) -> Result<()> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let plan = source::plan(
        root,
        &cwd,
        args.old.as_deref(),
        args.new.as_deref(),
        args.base.as_deref(),
    )?;
    let mut diffs = Vec::new();
    for comparison in plan {
        let old = comparison.old.load()?;
        let new = comparison.new.load()?;
        let mut findings = compare(&old.value, &new.value);
        let api = comparison
            .api
            .and_then(|name| APIS.iter().find(|api| api.name == name));
        let mut rust = rust_impact::assess(api, (!old.absent).then_some(&old.value), &new.value);
        let docs = Docs {
            old: &old.value,
            new: &new.value,
        };
        links::link(docs, &mut findings, &mut rust);
        diffs.push(SpecDiff {
            api: comparison.api.map(String::from),
            old: comparison.old.label(),
            new: comparison.new.label(),
            old_absent: old.absent,
            verdict: Verdict {
                wire: Wire::of(&findings),
                rust: rust.semver.bump,
            },
            summary: report::Summary::of(&findings),
            findings,
            rust,
        });
    }
    let report = Report::new(diffs);
    match args.format {
        Format::Text => {
            let mut stdout = anstream::stdout();
            stdout.write_all(text::render(&report).as_bytes())?;
            stdout.flush()?;
        }
        Format::Markdown => print!("{}", markdown::render(&report)),
        Format::Json => print!("{}", report.to_json()?),
    }
    if let Some(threshold) = args.fail_on
        && report.reaches(threshold)
    {
        bail!("{}", report.describe(threshold));
    }
    Ok(())
}

/// The Rust verdict alone: the semver bump (`major`, `minor`, `patch` or
/// `none`) of the crate generated from `old` to the one generated from
/// `new`, with neutral settings; `None` when a side does not generate.
pub fn rust_verdict(old: &Value, new: &Value) -> Option<&'static str> {
    rust_impact::assess(None, Some(old), new)
        .semver
        .bump
        .map(|bump| bump.as_str())
}

/// Compares two OpenAPI 3.0 documents: every finding, in reporting order.
pub fn compare(old: &Value, new: &Value) -> Vec<Finding> {
    let docs = Docs { old, new };
    let mut findings = finding::Findings::default();
    servers::compare(&mut findings, docs);
    let renamed = security::schemes_changes(&mut findings, docs);
    operations::compare(&mut findings, docs, &renamed);
    findings.into_sorted()
}

#[cfg(test)]
mod tests;
