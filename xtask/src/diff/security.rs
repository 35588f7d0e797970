//! Authentication: the security schemes a document defines, and which of
//! them each operation requires.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::Docs;
use super::finding::{Findings, Severity};
use super::operations::Op;
use super::pointer::{Place, escape};
use super::resolve;

/// The fields of a security scheme compared, and how much a change to each
/// matters.
const FIELDS: &[(&str, &str, Severity)] = &[
    ("type", "type", Severity::Breaking),
    ("in", "location", Severity::Breaking),
    ("name", "parameter name", Severity::Breaking),
    ("scheme", "HTTP scheme", Severity::Breaking),
    ("openIdConnectUrl", "OpenID Connect URL", Severity::Breaking),
    ("flows", "OAuth flows", Severity::Warning),
    ("bearerFormat", "bearer format", Severity::Info),
];

/// The security schemes of a document: name, resolved scheme, place.
fn schemes(doc: &Value) -> Vec<(&str, &Value, Place)> {
    let map = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut list = Vec::new();
    for (name, scheme) in map.into_iter().flatten() {
        let place = Place::at(format!("/components/securitySchemes/{}", escape(name)));
        if let Ok((scheme, origin)) = resolve::follow(doc, scheme, &place.origin) {
            list.push((name.as_str(), scheme, place.written_at(origin)));
        }
    }
    list
}

/// The fields that decide what a client sends, for telling a renamed scheme
/// from a replaced one.
fn identity(scheme: &Value) -> Vec<Option<&Value>> {
    FIELDS
        .iter()
        .map(|(field, _, _)| scheme.get(*field))
        .collect()
}

/// Compares the security schemes. Returns the renamed ones, old name → new
/// name, so the requirements of operations can follow them.
pub fn schemes_changes(findings: &mut Findings, docs: Docs<'_>) -> HashMap<String, String> {
    let (old, new) = (schemes(docs.old), schemes(docs.new));
    let find = |list: &[(&str, &Value, Place)], name: &str| list.iter().position(|s| s.0 == name);
    let mut renamed = HashMap::new();
    let mut rename_targets = Vec::new();
    for (name, scheme, place) in &old {
        if find(&new, name).is_some() {
            continue;
        }
        let target = new.iter().find(|(other, candidate, _)| {
            find(&old, other).is_none()
                && !rename_targets.contains(other)
                && identity(candidate) == identity(scheme)
        });
        if let Some((other, _, other_place)) = target {
            rename_targets.push(*other);
            renamed.insert(name.to_string(), other.to_string());
            let message = format!(
                "security scheme `{name}` renamed to `{other}`: the request is unchanged, code \
                 that looks the scheme up by name (key redaction, wrappers) must follow"
            );
            findings.emit(
                Severity::Breaking,
                "security.scheme.renamed",
                other_place,
                message,
            );
        } else {
            // oasdiff's level: the scheme itself is a definition; an
            // operation that required it reports its own requirement change.
            let message = format!(
                "security scheme `{name}` removed: operations that required it are reported \
                 where their requirement changed"
            );
            findings.emit(Severity::Info, "security.scheme.removed", place, message);
        }
    }
    for (name, new_scheme, place) in &new {
        let Some(i) = find(&old, name) else {
            if !rename_targets.contains(name) {
                let message = format!("new security scheme `{name}`");
                findings.emit(Severity::Info, "security.scheme.added", place, message);
            }
            continue;
        };
        let old_scheme = old[i].1;
        for &(field, label, severity) in FIELDS {
            let (a, b) = (old_scheme.get(field), new_scheme.get(field));
            if a == b {
                continue;
            }
            let severity = if field == "name" && header_name_case_only(old_scheme, new_scheme) {
                Severity::Info
            } else {
                severity
            };
            let show = |value: Option<&Value>| match value {
                Some(Value::String(text)) => format!("`{text}`"),
                Some(other) => format!("`{other}`"),
                None => "none".to_string(),
            };
            let message = format!(
                "security scheme `{name}`: {label} changed from {} to {}{}",
                show(a),
                show(b),
                match severity {
                    Severity::Breaking => {
                        ": callers send credentials where the server no longer looks"
                    }
                    _ if field == "name" => " (header names are case-insensitive)",
                    _ => "",
                }
            );
            let place = if b.is_some() { place } else { &old[i].2 }.child(field);
            findings.emit(severity, "security.scheme.changed", &place, message);
        }
    }
    renamed
}

/// Whether both schemes send a header and its name changed only in case,
/// which HTTP ignores.
fn header_name_case_only(old: &Value, new: &Value) -> bool {
    let header = |scheme: &Value| scheme.get("in").and_then(Value::as_str) == Some("header");
    let name = |scheme: &Value| {
        scheme
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    header(old) && header(new) && name(old).is_some() && name(old) == name(new)
}

/// One way to authenticate: the schemes used together, each with its
/// scopes. Empty: no credentials needed.
type Alternative = BTreeMap<String, BTreeSet<String>>;

/// Whether every caller that meets `old` also meets `new`: `new` uses only
/// schemes of `old`, each with a subset of its scopes.
fn covers(new: &Alternative, old: &Alternative) -> bool {
    new.iter().all(|(name, scopes)| {
        old.get(name)
            .is_some_and(|old_scopes| scopes.is_subset(old_scopes))
    })
}

/// The ways an operation accepts to be authenticated, and where that is
/// written: its own `security`, else the document's.
fn requirement(
    doc: &Value,
    op: &Op,
    renamed: &HashMap<String, String>,
) -> (BTreeSet<Alternative>, Place) {
    let (list, place) = match op.node.get("security") {
        Some(list) => (Some(list), op.place().child("security")),
        None => (doc.get("security"), Place::at("/security".into())),
    };
    let mut alternatives = BTreeSet::new();
    for alternative in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(schemes) = alternative.as_object() else {
            continue;
        };
        let set = schemes
            .iter()
            .map(|(name, scopes)| {
                let name = renamed.get(name).unwrap_or(name).clone();
                let scopes = scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect();
                (name, scopes)
            })
            .collect();
        alternatives.insert(set);
    }
    if alternatives.is_empty() {
        alternatives.insert(Alternative::new());
    }
    (alternatives, place)
}

fn describe(alternative: &Alternative) -> String {
    if alternative.is_empty() {
        return "no credentials".into();
    }
    alternative
        .iter()
        .map(|(name, scopes)| {
            if scopes.is_empty() {
                format!("`{name}`")
            } else {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                format!("`{name}` ({})", scopes.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Compares what an operation pair requires to be authenticated.
pub fn requirements(
    findings: &mut Findings,
    docs: Docs<'_>,
    old: &Op,
    new: &Op,
    renamed: &HashMap<String, String>,
) {
    let (before, _) = requirement(docs.old, old, renamed);
    let (after, place) = requirement(docs.new, new, &HashMap::new());
    let gained: Vec<&Alternative> = after.difference(&before).collect();
    let mut widening = BTreeSet::new();
    for lost in before.difference(&after) {
        // Loosened (a scope or a scheme no longer needed, or no credentials
        // at all): callers that met the old requirement meet the new one.
        if let Some(wider) = gained.iter().find(|wider| covers(wider, lost)) {
            widening.insert(*wider);
            let message = format!(
                "authentication loosened from {} to {}: callers that met the old requirement \
                 still do",
                describe(lost),
                describe(wider)
            );
            findings.emit(
                Severity::Info,
                "security.requirement.changed",
                &place,
                message,
            );
            continue;
        }
        let message = if lost.is_empty() {
            "the operation now requires authentication: callers without credentials get 401"
                .to_string()
        } else {
            format!(
                "authenticating with {} is no longer accepted: such callers get 401",
                describe(lost)
            )
        };
        findings.emit(
            Severity::Breaking,
            "security.requirement.changed",
            &place,
            message,
        );
    }
    for gained in gained
        .into_iter()
        .filter(|gained| !widening.contains(gained))
    {
        let message = if gained.is_empty() {
            "authentication is now optional".to_string()
        } else {
            format!("callers may now authenticate with {}", describe(gained))
        };
        findings.emit(
            Severity::Info,
            "security.requirement.changed",
            &place,
            message,
        );
    }
}
