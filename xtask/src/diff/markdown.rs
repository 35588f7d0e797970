//! The report as Markdown, for a pull-request comment.

use std::fmt::Write;

use super::finding::Finding;
use super::label;
use super::report::Report;
use super::rust_impact::RustImpact;

/// Renders `report` as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::from("## Spec diff\n");
    for diff in &report.diffs {
        let name = match &diff.api {
            Some(api) => api.clone(),
            None => code(&diff.new),
        };
        let absent = if diff.old_absent {
            " (absent there: compared as empty)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\n### {name}\n\n{} → {}{absent}\n\n- Wire: **{}** ({})\n- Rust API: **{}**",
            code(&diff.old),
            code(&diff.new),
            diff.verdict.wire.as_str(),
            diff.summary.describe(),
            diff.rust.verdict()
        );
        if !diff.findings.is_empty() {
            let _ = writeln!(
                out,
                "\n#### Wire (what clients of the old spec suffer)\n\n\
                 | | wire | operation | change | rule | Rust |\n\
                 | --- | --- | --- | --- | --- | --- |"
            );
        }
        for (index, finding) in diff.findings.iter().enumerate() {
            row(&mut out, index, finding);
        }
        rust_items(&mut out, &diff.rust);
    }
    out
}

/// The Rust API section: why a side did not generate, or what changed.
fn rust_items(out: &mut String, rust: &RustImpact) {
    if rust.errors.is_empty() && rust.changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n#### Rust API (generated code)\n");
    for error in &rust.errors {
        let _ = writeln!(
            out,
            "- **error** the {} spec does not generate: {}",
            error.side,
            cell(&code(&error.message))
        );
    }
    if rust.changes.is_empty() {
        return;
    }
    if !rust.errors.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "| | level | item | change | kind | from |\n| --- | --- | --- | --- | --- | --- |"
    );
    for (index, change) in rust.changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} |",
            label::change(index),
            change.level.as_str(),
            cell(&code(&change.item)),
            cell(&change.detail),
            code(change.kind),
            label::causes(&change.findings)
        );
    }
}

fn operation(finding: &Finding) -> String {
    match &finding.operation {
        None => "document".into(),
        Some(op) => {
            let route = code(&format!("{} {}", op.method.to_uppercase(), op.path));
            match &op.id {
                Some(id) => format!("{} {route}", code(id)),
                None => route,
            }
        }
    }
}

fn row(out: &mut String, index: usize, finding: &Finding) {
    let mut place = format!("{} at {}", code(&finding.rule), code(&finding.pointer));
    if let Some(origin) = &finding.origin {
        let _ = write!(place, " (written at {})", code(origin));
    }
    let _ = writeln!(
        out,
        "| {} | **{}** | {} | {} | {} | {} |",
        label::finding(index),
        finding.severity.as_str(),
        cell(&operation(finding)),
        cell(&finding.message),
        cell(&place),
        label::effect(&finding.rust)
    );
}

/// `text` made safe inside a table cell: a `|` would end the cell (GitHub
/// reads `\|` as the character, in code spans too).
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `text` as a code span, fenced with more backticks than it contains.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

#[cfg(test)]
mod tests {
    use super::{cell, code};

    #[test]
    fn table_cells_escape_pipes() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("/a/b"), "`/a/b`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``"), "``` `` ```");
    }
}
