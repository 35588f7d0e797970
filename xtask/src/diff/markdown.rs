//! The report as Markdown, for a pull-request comment.

use std::fmt::Write;

use super::finding::Finding;
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
        let mut group = None;
        for finding in &diff.findings {
            let heading = heading(finding);
            if group.as_ref() != Some(&heading) {
                let _ = writeln!(out, "\n#### {heading}\n");
                group = Some(heading);
            }
            item(&mut out, finding);
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
            code(&error.message)
        );
    }
    for change in &rust.changes {
        let _ = writeln!(
            out,
            "- **{}** {}: {}  \n  {}",
            change.level.as_str(),
            code(&change.item),
            change.detail,
            code(change.kind)
        );
    }
}

fn heading(finding: &Finding) -> String {
    match &finding.operation {
        None => "Document".into(),
        Some(op) => {
            let route = code(&format!("{} {}", op.method.to_uppercase(), op.path));
            match &op.id {
                Some(id) => format!("{} {route}", code(id)),
                None => route,
            }
        }
    }
}

fn item(out: &mut String, finding: &Finding) {
    let _ = writeln!(
        out,
        "- **{}** {}  \n  {} at {}",
        finding.severity.as_str(),
        finding.message,
        code(&finding.rule),
        code(&finding.pointer)
    );
    if let Some(origin) = &finding.origin {
        let _ = writeln!(out, "  (written at {})", code(origin));
    }
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
    use super::code;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("/a/b"), "`/a/b`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``"), "``` `` ```");
    }
}
