//! The report of one `cargo xtask diff` run, and its JSON form.
//!
//! # JSON schema (version 1)
//!
//! `--format json` prints one object. Keys are always present (`null` where
//! a value does not apply); new keys may be added within version 1, existing
//! ones keep their meaning, and a change that breaks readers bumps
//! `version`.
//!
//! ```text
//! {
//!   "version": 1,
//!   "verdict": { "wire": "breaking", "rust": "major" },     // the worst over all diffs
//!   "summary": { "breaking": 0, "warning": 0, "info": 0 },  // all diffs
//!   "diffs": [
//!     {
//!       "api": "spott" | null,          // the API, when the new side is one of its specs
//!       "old": "HEAD:spec/spott.yaml",  // what was compared: a file, or <rev>:<path>
//!       "new": "spec/spott.yaml",
//!       "old_absent": false,            // the old file did not exist at <rev>
//!       "verdict": {                    // the two verdicts, kept apart
//!         "wire": "breaking" | "warning" | "info" | "none",  // the highest finding severity
//!         "rust": "major" | "minor" | "patch" | "none" | null  // = rust.semver.bump
//!       },
//!       "summary": { "breaking": 0, "warning": 0, "info": 0 },
//!       "findings": [
//!         {
//!           "severity": "breaking" | "warning" | "info",
//!           "rule": "response.property.removed",   // stable id, see xtask/README.md
//!           "operation": { "id": "create_task" | null, "method": "post", "path": "/tasks/_raw" }
//!                        | null,                    // null: document-wide (servers, schemes)
//!           "pointer": "/paths/~1tasks~1_raw/post/responses/200/content/application~1json/schema/properties/content",
//!           "origin": "/components/schemas/Task/properties/content" | null,
//!           "message": "response field `content` removed: readers that use it no longer get it",
//!           "rust": {                  // this finding's Rust verdict
//!             "level": "major" | "minor" | "patch" | "none" | null,  // null: not assessed
//!             "changes": [0]           // indices into rust.changes
//!           }
//!         }
//!       ],
//!       "rust": {                       // the generated Rust API, both sides generated
//!         "errors": [ { "side": "old" | "new", "message": "…" } ],  // sides that did not generate
//!         "summary": { "major": 1, "minor": 0, "patch": 0 },
//!         "changes": [
//!           {
//!             "level": "major" | "minor" | "patch",
//!             "kind": "field.removed",            // stable id, see xtask/README.md
//!             "item": "types::Task.content",
//!             "detail": "field `content: Option<String>` is gone: code that reads or sets it stops compiling",
//!             "findings": [0]          // indices into findings: where it comes from, if known
//!           }
//!         ],
//!         "semver": {
//!           "generated_crate": "spott-openapi" | null,  // null: not one of APIS' specs
//!           "wrapper_crate": "spott" | null,
//!           "bump": "major" | "minor" | "patch" | "none" | null,  // null: a side did not generate
//!           "bump_0x": "minor" | "patch" | "none" | null          // the same under Cargo's 0.x rule
//!         }
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! - `pointer` is a JSON pointer (RFC 6901) along the operation, reading
//!   every `$ref` as if its target were written inline: it says where in
//!   *this operation* the change is. It points into the new document, or the
//!   old one for what exists only there.
//! - `origin` is where that value is actually written when a `$ref` was
//!   followed to reach it (a shared component changed once is reported at
//!   every operation that uses it, each with its own `pointer` and the same
//!   `origin`); `null` when `pointer` already is that place.
//! - Findings are sorted: document-wide first, then by operation path and
//!   method, then by pointer, rule and message.
//! - `rust` was added within version 1 (a new key). Its changes are sorted:
//!   operations, then types, each by name.
//! - `verdict` was added within version 1: the *wire* verdict (what an
//!   existing client suffers on the wire: the findings' severities, which
//!   follow oasdiff's levels) and the *Rust* verdict (what the generated
//!   crate's API does: the semver bump), which `--fail-on` reads separately.
//!   The top-level `rust` is `null` when any diff's Rust API was not
//!   assessed.
//! - `findings[].rust` and `rust.changes[].findings` were added within
//!   version 1: the two verdicts per finding, linked both ways where the
//!   spec and the generated code name the same thing (see
//!   [`links`](super::links)). `level` is `none` when no change was traced
//!   to the finding.

use serde::Serialize;

use super::finding::{Finding, Severity};
use super::rust_impact::{Bump, RustImpact};

/// The version of the JSON schema above.
pub const JSON_VERSION: u32 = 1;

/// What `--fail-on` reads: a wire severity (the findings) or a Rust semver
/// level (the generated crate's bump).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A wire-breaking finding (oasdiff's `ERR`).
    Breaking,
    /// A wire finding at `warning` or above.
    Warning,
    /// Any wire finding.
    Info,
    /// A major bump of the generated crate (or a side that did not generate).
    Major,
    /// A minor bump or more (or a side that did not generate).
    Minor,
    /// Any change to the generated code (or a side that did not generate).
    Patch,
}

impl FailOn {
    /// The name given on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Major => "major",
            Self::Minor => "minor",
            Self::Patch => "patch",
        }
    }
}

/// The wire verdict of a set of findings: their highest severity, or
/// `none`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// No finding.
    None,
    /// At most [`Severity::Info`].
    Info,
    /// At most [`Severity::Warning`].
    Warning,
    /// At least one [`Severity::Breaking`].
    Breaking,
}

impl Wire {
    /// The highest severity among `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        findings
            .into_iter()
            .map(|finding| match finding.severity {
                Severity::Info => Self::Info,
                Severity::Warning => Self::Warning,
                Severity::Breaking => Self::Breaking,
            })
            .max()
            .unwrap_or(Self::None)
    }

    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Breaking => "breaking",
        }
    }
}

/// The two verdicts, kept apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// What an existing client suffers on the wire.
    pub wire: Wire,
    /// What the generated crate's API does: its semver bump; `None` when it
    /// was not assessed (a side did not generate).
    pub rust: Option<Bump>,
}

/// Everything one run compared.
#[derive(Debug, Serialize)]
pub struct Report {
    /// [`JSON_VERSION`].
    pub version: u32,
    /// The worst verdicts over every diff.
    pub verdict: Verdict,
    /// Counts over every diff.
    pub summary: Summary,
    /// One per pair of specs compared.
    pub diffs: Vec<SpecDiff>,
}

impl Report {
    /// A report of `diffs`, with its summary.
    pub fn new(diffs: Vec<SpecDiff>) -> Self {
        let summary = Summary::of(diffs.iter().flat_map(|diff| &diff.findings));
        let wire = Wire::of(diffs.iter().flat_map(|diff| &diff.findings));
        let rust = diffs
            .iter()
            .map(|diff| diff.verdict.rust)
            .try_fold(Bump::None, |worst, bump| bump.map(|bump| worst.max(bump)));
        Self {
            version: JSON_VERSION,
            verdict: Verdict { wire, rust },
            summary,
            diffs,
        }
    }

    /// Whether the verdict `threshold` reads is at or above it: the wire
    /// verdict for `breaking`, `warning` and `info`, the Rust one for
    /// `major`, `minor` and `patch` (a Rust API that was not assessed
    /// cannot be shown to be below it, so it reaches every Rust threshold).
    pub fn reaches(&self, threshold: FailOn) -> bool {
        let Verdict { wire, rust } = self.verdict;
        match threshold {
            FailOn::Breaking => wire >= Wire::Breaking,
            FailOn::Warning => wire >= Wire::Warning,
            FailOn::Info => wire >= Wire::Info,
            FailOn::Major => rust.is_none_or(|bump| bump >= Bump::Major),
            FailOn::Minor => rust.is_none_or(|bump| bump >= Bump::Minor),
            FailOn::Patch => rust.is_none_or(|bump| bump >= Bump::Patch),
        }
    }

    /// Why `reaches(threshold)` holds, for the error message.
    pub fn describe(&self, threshold: FailOn) -> String {
        match threshold {
            FailOn::Breaking | FailOn::Warning | FailOn::Info => format!(
                "wire findings at or above `{}`: {}",
                threshold.as_str(),
                self.summary.describe()
            ),
            FailOn::Major | FailOn::Minor | FailOn::Patch => match self.verdict.rust {
                Some(bump) => format!(
                    "a Rust API bump at or above `{}`: {}",
                    threshold.as_str(),
                    bump.as_str()
                ),
                None => format!(
                    "the Rust API was not assessed (a side did not generate), so it may need \
                     a `{}` bump",
                    threshold.as_str()
                ),
            },
        }
    }

    /// The report as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        Ok(json)
    }
}

/// The comparison of one old spec with one new spec.
#[derive(Debug, Serialize)]
pub struct SpecDiff {
    /// The API, when the new side is one of `APIS`' specs.
    pub api: Option<String>,
    /// The old side: a file, or `<rev>:<path>`.
    pub old: String,
    /// The new side.
    pub new: String,
    /// Whether the old side did not exist at its revision (so it was
    /// compared as an empty document).
    pub old_absent: bool,
    /// The wire and Rust verdicts of this diff.
    pub verdict: Verdict,
    /// Counts of `findings`.
    pub summary: Summary,
    /// What changed, in reporting order.
    pub findings: Vec<Finding>,
    /// What changed in the generated Rust API, and the bump it implies.
    pub rust: RustImpact,
}

/// How many findings there are of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking findings.
    pub breaking: usize,
    /// Warnings.
    pub warning: usize,
    /// Compatible changes.
    pub info: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut summary = Self::default();
        for finding in findings {
            match finding.severity {
                Severity::Breaking => summary.breaking += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        summary
    }

    /// "2 breaking, 1 warning, 3 info", or "no changes".
    pub fn describe(&self) -> String {
        if self.breaking + self.warning + self.info == 0 {
            return "no changes".into();
        }
        let warnings = if self.warning == 1 {
            "warning"
        } else {
            "warnings"
        };
        format!(
            "{} breaking, {} {warnings}, {} info",
            self.breaking, self.warning, self.info
        )
    }
}
