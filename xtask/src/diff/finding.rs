//! What the diff reports: findings, their severity and where they are.

use serde::Serialize;

use super::pointer::Place;
use super::rust_impact::Bump;

/// The wire verdict: how much a change matters to a client written against
/// the old spec, on the wire (oasdiff's levels: `breaking` is its `ERR`,
/// `warning` its `WARN`, `info` its `INFO`).
///
/// Ordered: `Info < Warning < Breaking`, so `--fail-on warning` also fails
/// on breaking findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Compatible: nothing a client did before stops working.
    Info,
    /// Compatible on the wire but likely to surprise: a new response enum value, a
    /// value a strict client would reject, a new server URL.
    Warning,
    /// A client written against the old spec can fail: rejected requests,
    /// responses it cannot read, a missing operation.
    Breaking,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Breaking => "breaking",
        }
    }
}

/// The operation a finding belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Operation {
    /// The `operationId`, when the operation has one.
    pub id: Option<String>,
    /// The HTTP method, lowercase as in the spec.
    pub method: String,
    /// The path template, e.g. `/tasks/_raw`.
    pub path: String,
}

/// One classified change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// A stable rule id such as `response.property.removed`.
    pub rule: String,
    /// The operation, or `None` for document-wide findings (servers,
    /// security schemes).
    pub operation: Option<Operation>,
    /// JSON pointer to the change as seen from the operation (see
    /// [`Place::pointer`]).
    pub pointer: String,
    /// JSON pointer to where the changed value is written, when a `$ref` was
    /// followed to reach it; `None` when `pointer` is already that place.
    pub origin: Option<String>,
    /// One line saying what changed and what it does to a client.
    pub message: String,
    /// What the change does to the generated Rust API, as far as it was
    /// traced (see [`links`](super::links)).
    pub rust: FindingRust,
}

/// A finding's Rust verdict: the generated API's changes it leads to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingRust {
    /// The highest level of `changes`, `none` when no change was traced to
    /// the finding; `None` (`null`) when the Rust API was not assessed.
    pub level: Option<Bump>,
    /// Indices into the diff's `rust.changes`.
    pub changes: Vec<usize>,
}

impl Finding {
    /// The order findings are reported in: document-wide ones first, then by
    /// operation path and method, then by pointer.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.operation.as_ref().map(|op| (&op.path, &op.method)),
            &self.pointer,
            &self.rule,
            &self.message,
            self.severity,
        )
    }
}

/// Collects findings while the documents are walked.
#[derive(Debug, Default)]
pub struct Findings {
    operation: Option<Operation>,
    list: Vec<Finding>,
}

impl Findings {
    /// Findings from now on belong to `operation` (`None`: document-wide).
    pub fn set_operation(&mut self, operation: Option<Operation>) {
        self.operation = operation;
    }

    /// Records one finding at `place`.
    pub fn emit(
        &mut self,
        severity: Severity,
        rule: impl Into<String>,
        place: &Place,
        message: impl Into<String>,
    ) {
        self.list.push(Finding {
            severity,
            rule: rule.into(),
            operation: self.operation.clone(),
            pointer: place.pointer.clone(),
            origin: (place.origin != place.pointer).then(|| place.origin.clone()),
            message: message.into(),
            rust: FindingRust::default(),
        });
    }

    /// The findings in their reporting order, without duplicates.
    pub fn into_sorted(mut self) -> Vec<Finding> {
        self.list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.list.dedup();
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Breaking);
    }

    #[test]
    fn document_findings_come_first_then_by_operation_and_pointer() {
        let mut findings = Findings::default();
        let op = |path: &str| Operation {
            path: path.into(),
            method: "get".into(),
            id: None,
        };
        findings.set_operation(Some(op("/b")));
        findings.emit(Severity::Info, "r", &Place::at("/2".into()), "m");
        findings.set_operation(Some(op("/a")));
        findings.emit(Severity::Info, "r", &Place::at("/9".into()), "m");
        findings.emit(Severity::Info, "r", &Place::at("/1".into()), "m");
        findings.emit(Severity::Info, "r", &Place::at("/1".into()), "m");
        findings.set_operation(None);
        findings.emit(Severity::Warning, "s", &Place::at("/servers".into()), "m");
        let order: Vec<_> = findings
            .into_sorted()
            .into_iter()
            .map(|f| (f.operation.map(|o| o.path), f.pointer))
            .collect();
        assert_eq!(
            order,
            [
                (None, "/servers".to_string()),
                (Some("/a".into()), "/1".into()),
                (Some("/a".into()), "/9".into()),
                (Some("/b".into()), "/2".into()),
            ]
        );
    }

    #[test]
    fn origin_is_omitted_when_it_is_the_pointer() {
        let mut findings = Findings::default();
        let place = Place::at("/x".into());
        findings.emit(Severity::Info, "r", &place, "m");
        findings.emit(
            Severity::Info,
            "r",
            &place.written_at("/components/schemas/X".into()),
            "m",
        );
        let list = findings.into_sorted();
        assert_eq!(list[0].origin, None);
        assert_eq!(list[1].origin.as_deref(), Some("/components/schemas/X"));
    }
}
