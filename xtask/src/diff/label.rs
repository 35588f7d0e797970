//! How the text and Markdown reports name findings and Rust changes so
//! that each can point at the other: `W1`, `W2`… for the wire findings and
//! `R1`, `R2`… for the Rust API changes of one diff, in report order (the
//! JSON report uses the 0-based indices instead).

use super::finding::FindingRust;

/// The label of the finding at `index`.
pub fn finding(index: usize) -> String {
    format!("W{}", index + 1)
}

/// The label of the Rust change at `index`.
pub fn change(index: usize) -> String {
    format!("R{}", index + 1)
}

/// A finding's Rust verdict: `major (R1, R3)`, `none traced` or `not
/// assessed`.
pub fn effect(rust: &FindingRust) -> String {
    match rust.level {
        None => "not assessed".into(),
        Some(_) if rust.changes.is_empty() => "no change traced to it".into(),
        Some(level) => {
            let changes: Vec<String> = rust.changes.iter().map(|&i| change(i)).collect();
            format!("{} ({})", level.as_str(), changes.join(", "))
        }
    }
}

/// Where a Rust change comes from: `W1, W4`, or `no finding traced`.
pub fn causes(findings: &[usize]) -> String {
    if findings.is_empty() {
        return "no finding traced".into();
    }
    let labels: Vec<String> = findings.iter().map(|&i| finding(i)).collect();
    labels.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rust_impact::Bump;

    #[test]
    fn labels_point_both_ways() {
        let traced = FindingRust {
            level: Some(Bump::Major),
            changes: vec![0, 2],
        };
        assert_eq!(effect(&traced), "major (R1, R3)");
        let untraced = FindingRust {
            level: Some(Bump::None),
            changes: Vec::new(),
        };
        assert_eq!(effect(&untraced), "no change traced to it");
        assert_eq!(effect(&FindingRust::default()), "not assessed");
        assert_eq!(causes(&[0, 3]), "W1, W4");
        assert_eq!(causes(&[]), "no finding traced");
    }
}
