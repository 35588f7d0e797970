//! Operations: which exist on each side, how old and new ones pair up (by
//! path and method, then by path template, then by `operationId`), and what
//! changed in each pair.

use std::collections::HashMap;

use serde_json::Value;

use super::finding::{Findings, Operation, Severity};
use super::pointer::{At, Place, escape};
use super::{Docs, request, resolve, response, security};

/// The HTTP methods a path item can hold, in the order the spec lists them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of one document.
pub struct Op<'a> {
    /// The path template, e.g. `/candidates/{id}`.
    pub path: &'a str,
    /// The method, lowercase.
    pub method: &'static str,
    /// The operation object.
    pub node: &'a Value,
    /// The path item holding it (for path-level parameters).
    pub item: &'a Value,
    /// Where the path item is written (not under `/paths` if it is a `$ref`).
    item_origin: String,
}

impl Op<'_> {
    /// The `operationId`, if any.
    pub fn id(&self) -> Option<&str> {
        self.node.get("operationId").and_then(Value::as_str)
    }

    /// The path item's place: `/paths/<path>`.
    pub fn item_place(&self) -> Place {
        Place {
            pointer: format!("/paths/{}", escape(self.path)),
            origin: self.item_origin.clone(),
        }
    }

    /// The operation's place: `/paths/<path>/<method>`.
    pub fn place(&self) -> Place {
        self.item_place().child(self.method)
    }

    /// How findings name this operation.
    pub fn label(&self) -> Operation {
        Operation {
            id: self.id().map(String::from),
            method: self.method.to_string(),
            path: self.path.to_string(),
        }
    }
}

/// Every operation of `doc`, in document order.
pub fn collect(doc: &Value) -> Vec<Op<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut ops = Vec::new();
    for (path, item) in paths {
        let Ok((item, item_origin)) =
            resolve::follow(doc, item, &format!("/paths/{}", escape(path)))
        else {
            continue;
        };
        for &method in METHODS {
            let Some(node) = item.get(method).filter(|node| node.is_object()) else {
                continue;
            };
            ops.push(Op {
                path,
                method,
                node,
                item,
                item_origin: item_origin.clone(),
            });
        }
    }
    ops
}

/// The path with its parameter names blanked: `/a/{id}` → `/a/{}`.
fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push('{');
            }
            '}' => {
                in_name = false;
                out.push('}');
            }
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// The parameter names of a path template, in order.
fn path_parameters(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

/// How an old and a new operation were found to be the same one.
#[derive(Clone, Copy)]
enum Pairing {
    /// Same path and method.
    Exact,
    /// Same method and path template, path parameters named differently.
    Template,
    /// Same `operationId`, different path or method.
    Id,
}

impl Pairing {
    fn matches(self, old: &Op, new: &Op) -> bool {
        match self {
            Self::Exact => old.path == new.path && old.method == new.method,
            Self::Template => old.method == new.method && template(old.path) == template(new.path),
            Self::Id => old.id().is_some() && old.id() == new.id(),
        }
    }
}

/// Compares every operation of the two documents.
pub fn compare(findings: &mut Findings, docs: Docs<'_>, renamed_schemes: &HashMap<String, String>) {
    let old_ops = collect(docs.old);
    let new_ops = collect(docs.new);
    let mut old_paired = vec![false; old_ops.len()];
    let mut new_paired = vec![false; new_ops.len()];
    let mut pairs = Vec::new();
    for pairing in [Pairing::Exact, Pairing::Template, Pairing::Id] {
        for (i, old) in old_ops.iter().enumerate() {
            if old_paired[i] {
                continue;
            }
            let found = new_ops
                .iter()
                .enumerate()
                .position(|(j, new)| !new_paired[j] && pairing.matches(old, new));
            if let Some(j) = found {
                old_paired[i] = true;
                new_paired[j] = true;
                pairs.push((i, j));
            }
        }
    }

    let templates =
        |ops: &[Op]| -> Vec<String> { ops.iter().map(|op| template(op.path)).collect() };
    let (old_templates, new_templates) = (templates(&old_ops), templates(&new_ops));
    for (old, _) in old_ops
        .iter()
        .zip(&old_paired)
        .filter(|(_, paired)| !**paired)
    {
        findings.set_operation(Some(old.label()));
        let method = old.method.to_uppercase();
        if new_templates.contains(&template(old.path)) {
            let message = format!(
                "operation removed: callers of `{method} {}` get 404 or 405",
                old.path
            );
            findings.emit(
                Severity::Breaking,
                "operation.removed",
                &old.place(),
                message,
            );
        } else {
            let message = format!("path removed: callers of `{method} {}` get 404", old.path);
            findings.emit(Severity::Breaking, "path.removed", &old.place(), message);
        }
    }
    for (new, _) in new_ops
        .iter()
        .zip(&new_paired)
        .filter(|(_, paired)| !**paired)
    {
        findings.set_operation(Some(new.label()));
        let method = new.method.to_uppercase();
        if old_templates.contains(&template(new.path)) {
            let message = format!("new operation `{method} {}`", new.path);
            findings.emit(Severity::Info, "operation.added", &new.place(), message);
        } else {
            let message = format!("new path `{}` with {method}", new.path);
            findings.emit(Severity::Info, "path.added", &new.place(), message);
        }
    }
    for (i, j) in pairs {
        pair(findings, docs, &old_ops[i], &new_ops[j], renamed_schemes);
    }
    findings.set_operation(None);
}

/// Compares one operation with what it became.
fn pair(
    findings: &mut Findings,
    docs: Docs<'_>,
    old: &Op,
    new: &Op,
    renamed_schemes: &HashMap<String, String>,
) {
    findings.set_operation(Some(new.label()));
    let at = At {
        old: old.place(),
        new: new.place(),
    };
    if old.id() != new.id() {
        let message = format!(
            "operationId changed from `{}` to `{}`: the request on the wire is unchanged, \
             generated clients rename the method",
            old.id().unwrap_or("(none)"),
            new.id().unwrap_or("(none)")
        );
        let place = at.new.child("operationId");
        findings.emit(Severity::Warning, "operation.id.changed", &place, message);
    }
    let renamed = path_changes(findings, old, new);
    if old.method != new.method {
        let (from, to) = (old.method.to_uppercase(), new.method.to_uppercase());
        let message =
            format!("method changed from {from} to {to}: callers using {from} get 404 or 405");
        findings.emit(
            Severity::Breaking,
            "operation.method.changed",
            &at.new,
            message,
        );
    }
    security::requirements(findings, docs, old, new, renamed_schemes);
    request::parameters(findings, docs, old, new, &renamed);
    request::body(findings, docs, old, new, &at);
    response::responses(findings, docs, old, new, &at);
}

/// Reports a changed path. Returns the renamed path parameters, old name →
/// new name, so parameters are compared under their new names.
fn path_changes(findings: &mut Findings, old: &Op, new: &Op) -> HashMap<String, String> {
    let mut renamed = HashMap::new();
    if old.path == new.path {
        return renamed;
    }
    let (old_names, new_names) = (path_parameters(old.path), path_parameters(new.path));
    let place = new.item_place();
    if template(old.path) == template(new.path) {
        for (a, b) in old_names.iter().zip(&new_names).filter(|(a, b)| a != b) {
            renamed.insert(a.to_string(), b.to_string());
            let message = format!(
                "path parameter `{a}` renamed to `{b}`: the URL is unchanged, generated clients \
                 name the argument after it"
            );
            findings.emit(Severity::Info, "path.parameter.renamed", &place, message);
        }
        return renamed;
    }
    let segments = |path: &str| path.split('/').count();
    if !old_names.is_empty()
        && sorted(&old_names) == sorted(&new_names)
        && segments(old.path) == segments(new.path)
    {
        let message = format!(
            "path parameters moved: `{}` is now `{}`, callers of the old URL get 404",
            old.path, new.path
        );
        findings.emit(Severity::Breaking, "path.parameter.moved", &place, message);
    } else {
        let message = format!(
            "path changed from `{}` to `{}` (same operationId): callers of the old URL get 404",
            old.path, new.path
        );
        findings.emit(
            Severity::Breaking,
            "operation.path.changed",
            &place,
            message,
        );
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_blank_parameter_names() {
        assert_eq!(template("/a/{id}/b/{x}"), "/a/{}/b/{}");
        assert_eq!(template("/plain"), "/plain");
        assert_eq!(template("/broken/{id"), "/broken/{");
    }

    #[test]
    fn path_parameters_in_order() {
        assert_eq!(path_parameters("/a/{id}/b/{x}"), ["id", "x"]);
        assert_eq!(path_parameters("/a/{unclosed"), Vec::<&str>::new());
        assert_eq!(path_parameters("/a"), Vec::<&str>::new());
    }
}
