//! The report for people at a terminal: grouped by operation, coloured
//! when stdout is a terminal (the caller prints through `anstream`, which
//! strips the styles otherwise).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::finding::{Finding, Severity};
use super::label;
use super::report::Report;
use super::rust_impact::RustImpact;
use super::rust_rules::Level;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn severity_style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Breaking => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Green,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// Renders `report` as styled text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (index, diff) in report.diffs.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let absent = if diff.old_absent {
            " (absent there: compared as empty)"
        } else {
            ""
        };
        let sides = format!("{}{absent} → {}", diff.old, diff.new);
        let _ = match &diff.api {
            Some(api) => writeln!(out, "{BOLD}{api}{BOLD:#}: {sides}"),
            None => writeln!(out, "{BOLD}{sides}{BOLD:#}"),
        };
        let _ = writeln!(
            out,
            "  Wire: {} ({})",
            diff.verdict.wire.as_str(),
            diff.summary.describe()
        );
        let _ = writeln!(out, "  Rust API: {}", diff.rust.verdict());
        if !diff.findings.is_empty() {
            let _ = writeln!(
                out,
                "\n  {BOLD}Wire{BOLD:#} (what clients of the old spec suffer)"
            );
        }
        let mut group = None;
        for (index, finding) in diff.findings.iter().enumerate() {
            let heading = heading(finding);
            if group.as_ref() != Some(&heading) {
                let _ = writeln!(out, "\n  {heading}");
                group = Some(heading);
            }
            finding_lines(&mut out, index, finding);
        }
        rust_lines(&mut out, &diff.rust);
    }
    out
}

/// The Rust API group: why a side did not generate, or what changed in it.
fn rust_lines(out: &mut String, rust: &RustImpact) {
    if rust.errors.is_empty() && rust.changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n  {BOLD}Rust API{BOLD:#} (generated code)");
    for error in &rust.errors {
        let style = severity_style(Severity::Breaking);
        let _ = writeln!(
            out,
            "    {:<4} {style}{:<8}{style:#} the {} spec does not generate: {}",
            "", "error", error.side, error.message
        );
    }
    for (index, change) in rust.changes.iter().enumerate() {
        let style = level_style(change.level);
        let _ = writeln!(
            out,
            "    {:<4} {style}{:<8}{style:#} {}: {}",
            label::change(index),
            change.level.as_str(),
            change.item,
            change.detail
        );
        let _ = writeln!(
            out,
            "                  {DIM}{}, from {}{DIM:#}",
            change.kind,
            label::causes(&change.findings)
        );
    }
}

fn level_style(level: Level) -> Style {
    severity_style(match level {
        Level::Major => Severity::Breaking,
        Level::Minor => Severity::Warning,
        Level::Patch => Severity::Info,
    })
}

/// The line a group of findings is listed under.
fn heading(finding: &Finding) -> String {
    match &finding.operation {
        None => format!("{BOLD}document{BOLD:#}"),
        Some(op) => {
            let id = op.id.as_deref().unwrap_or("(no operationId)");
            format!(
                "{BOLD}{id}{BOLD:#} {} {}",
                op.method.to_uppercase(),
                op.path
            )
        }
    }
}

fn finding_lines(out: &mut String, index: usize, finding: &Finding) {
    let style = severity_style(finding.severity);
    let _ = writeln!(
        out,
        "    {:<4} {style}{:<8}{style:#} {}",
        label::finding(index),
        finding.severity.as_str(),
        finding.message
    );
    let _ = writeln!(
        out,
        "                  {DIM}{} at {}{DIM:#}",
        finding.rule, finding.pointer
    );
    if let Some(origin) = &finding.origin {
        let _ = writeln!(out, "                  {DIM}written at {origin}{DIM:#}");
    }
    let _ = writeln!(
        out,
        "                  {DIM}Rust: {}{DIM:#}",
        label::effect(&finding.rust)
    );
}
