//! What a client sends: parameters and the request body.

use std::collections::HashMap;

use serde_json::Value;

use super::Docs;
use super::content::{self, Body};
use super::finding::{Findings, Severity};
use super::operations::Op;
use super::pointer::{At, Place};
use super::resolve::{self, Unresolved};
use super::schema::{self, Direction, Subject};

/// Stands in for a parameter without a schema: any value.
static ANY: Value = Value::Null;

/// One parameter in effect for an operation (path-level ones included,
/// unless the operation overrides them).
struct Param<'a> {
    name: &'a str,
    location: &'a str,
    node: &'a Value,
    place: Place,
}

impl Param<'_> {
    fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    fn required(&self) -> bool {
        self.location == "path" || self.node.get("required").and_then(Value::as_bool) == Some(true)
    }

    /// `style` and `explode`, with the defaults OpenAPI gives them.
    fn serialisation(&self) -> (&str, bool) {
        let default_style = match self.location {
            "query" | "cookie" => "form",
            _ => "simple",
        };
        let style = self
            .node
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(default_style);
        let explode = self
            .node
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        (style, explode)
    }

    /// The schema and its place: `schema`, or the one media type's schema
    /// of a `content` parameter.
    fn schema(&self) -> (&Value, Place) {
        if let Some(schema) = self.node.get("schema") {
            return (schema, self.place.child("schema"));
        }
        let media = self
            .node
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.iter().next());
        match media {
            Some((name, media)) => (
                media.get("schema").unwrap_or(&ANY),
                self.place.child("content").child(name).child("schema"),
            ),
            None => (&ANY, self.place.child("schema")),
        }
    }
}

/// The parameters in effect for `op`, and the references among them that
/// lead nowhere.
fn effective<'a>(doc: &'a Value, op: &Op<'a>) -> (Vec<Param<'a>>, Vec<(Place, Unresolved)>) {
    let mut params: Vec<Param> = Vec::new();
    let mut broken = Vec::new();
    for (holder, place) in [(op.item, op.item_place()), (op.node, op.place())] {
        let list = holder.get("parameters").and_then(Value::as_array);
        for (index, param) in list.into_iter().flatten().enumerate() {
            let place = place.child("parameters").child(&index.to_string());
            let (node, origin) = match resolve::follow(doc, param, &place.origin) {
                Ok(found) => found,
                Err(unresolved) => {
                    broken.push((place, unresolved));
                    continue;
                }
            };
            let (Some(name), Some(location)) = (
                node.get("name").and_then(Value::as_str),
                node.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let param = Param {
                name,
                location,
                node,
                place: place.written_at(origin),
            };
            match params
                .iter_mut()
                .find(|known| known.name == name && known.location == location)
            {
                Some(known) => *known = param,
                None => params.push(param),
            }
        }
    }
    (params, broken)
}

/// Compares the parameters of an operation pair. `renamed` maps renamed
/// path parameters, old name → new name.
pub fn parameters(
    findings: &mut Findings,
    docs: Docs<'_>,
    old: &Op,
    new: &Op,
    renamed: &HashMap<String, String>,
) {
    let (old_params, old_broken) = effective(docs.old, old);
    let (new_params, new_broken) = effective(docs.new, new);
    for (place, Unresolved(why)) in new_broken {
        if old_broken
            .iter()
            .any(|(old, _)| old.pointer == place.pointer)
        {
            continue;
        }
        let message = format!("a parameter cannot be compared: {why}");
        findings.emit(Severity::Warning, "request.ref.unresolved", &place, message);
    }
    let new_name = |param: &Param| -> String {
        match renamed.get(param.name) {
            Some(name) if param.location == "path" => name.clone(),
            _ => param.name.to_string(),
        }
    };
    let mut new_paired = vec![false; new_params.len()];
    let mut old_unpaired = Vec::new();
    for param in &old_params {
        let name = new_name(param);
        let found = new_params
            .iter()
            .position(|other| other.name == name && other.location == param.location);
        match found {
            Some(j) => {
                new_paired[j] = true;
                parameter(findings, docs, param, &new_params[j]);
            }
            None => old_unpaired.push((param, name)),
        }
    }
    for (param, name) in old_unpaired {
        let moved = new_params
            .iter()
            .enumerate()
            .find(|(j, other)| !new_paired[*j] && other.name == name);
        if let Some((j, other)) = moved {
            new_paired[j] = true;
            let message = format!(
                "{} moved to {}: callers send it where the server no longer reads it",
                param.describe(),
                other.location
            );
            findings.emit(
                Severity::Breaking,
                "request.parameter.location.changed",
                &other.place,
                message,
            );
            continue;
        }
        let message = format!(
            "{} removed: the server no longer reads it, a value callers send is ignored \
             (or rejected by a strict server)",
            param.describe()
        );
        // oasdiff: a warning; the request still succeeds unless the server
        // is strict.
        findings.emit(
            Severity::Warning,
            "request.parameter.removed",
            &param.place,
            message,
        );
    }
    for (param, _) in new_params
        .iter()
        .zip(&new_paired)
        .filter(|(_, paired)| !**paired)
    {
        let (severity, message) = if param.required() {
            (
                Severity::Breaking,
                format!(
                    "new required {}: callers that do not send it get rejected",
                    param.describe()
                ),
            )
        } else {
            (
                Severity::Info,
                format!("new optional {}: callers may send it", param.describe()),
            )
        };
        findings.emit(severity, "request.parameter.added", &param.place, message);
    }
}

/// Compares one parameter with what it became.
fn parameter(findings: &mut Findings, docs: Docs<'_>, old: &Param, new: &Param) {
    let what = new.describe();
    match (old.required(), new.required()) {
        (false, true) => {
            let message = format!("{what} is now required: callers that omit it get rejected");
            findings.emit(
                Severity::Breaking,
                "request.parameter.required.changed",
                &new.place,
                message,
            );
        }
        (true, false) => {
            let message = format!("{what} is no longer required: callers may omit it");
            findings.emit(
                Severity::Info,
                "request.parameter.required.changed",
                &new.place,
                message,
            );
        }
        _ => {}
    }
    let (a, b) = (old.serialisation(), new.serialisation());
    if a != b {
        let message = format!(
            "{what}: serialisation changed from style={}, explode={} to style={}, explode={}: \
             callers encode it the old way",
            a.0, a.1, b.0, b.1
        );
        findings.emit(
            Severity::Breaking,
            "request.parameter.style.changed",
            &new.place,
            message,
        );
    }
    let ((old_schema, old_place), (new_schema, new_place)) = (old.schema(), new.schema());
    let subject = Subject::parameter(what.clone(), format!("{what}, field"));
    let at = At {
        old: old_place,
        new: new_place,
    };
    schema::compare(
        findings,
        docs,
        Direction::Request,
        &subject,
        old_schema,
        new_schema,
        &at,
    );
}

/// Compares the request bodies of an operation pair placed at `at`.
pub fn body(findings: &mut Findings, docs: Docs<'_>, old: &Op, new: &Op, at: &At) {
    let at = at.child("requestBody");
    let old_body = old
        .node
        .get("requestBody")
        .map(|body| resolve::follow(docs.old, body, &at.old.origin));
    let new_body = new
        .node
        .get("requestBody")
        .map(|body| resolve::follow(docs.new, body, &at.new.origin));
    let (old_body, new_body) = match (old_body, new_body) {
        // Broken before: nothing to compare against.
        (Some(Err(_)), _) => return,
        (_, Some(Err(Unresolved(why)))) => {
            let message = format!("request body cannot be compared: {why}");
            findings.emit(
                Severity::Warning,
                "request.ref.unresolved",
                &at.new,
                message,
            );
            return;
        }
        (old_body, new_body) => (old_body.and_then(Result::ok), new_body.and_then(Result::ok)),
    };
    let required = |body: &Value| body.get("required").and_then(Value::as_bool) == Some(true);
    match (old_body, new_body) {
        (None, None) => {}
        (None, Some((body, origin))) => {
            let place = at.new.written_at(origin);
            let (severity, message) = if required(body) {
                (
                    Severity::Breaking,
                    "new required request body: callers that send none get rejected",
                )
            } else {
                (
                    Severity::Info,
                    "new optional request body: callers may send one",
                )
            };
            findings.emit(severity, "request.body.added", &place, message);
        }
        (Some((_, origin)), None) => {
            let place = at.old.written_at(origin);
            let message = "request body removed: the server no longer reads it, callers that \
                           send one have it ignored or rejected";
            findings.emit(Severity::Breaking, "request.body.removed", &place, message);
        }
        (Some((old_body, old_origin)), Some((new_body, new_origin))) => {
            let at = At {
                old: at.old.written_at(old_origin),
                new: at.new.written_at(new_origin),
            };
            match (required(old_body), required(new_body)) {
                (false, true) => findings.emit(
                    Severity::Breaking,
                    "request.body.required.changed",
                    &at.new.child("required"),
                    "request body is now required: callers that send none get rejected",
                ),
                (true, false) => findings.emit(
                    Severity::Info,
                    "request.body.required.changed",
                    &at.new,
                    "request body is no longer required: callers may omit it",
                ),
                _ => {}
            }
            let subject = Subject::new("request body", "request field");
            let body = Body {
                direction: Direction::Request,
                rules: "request.body.content_type",
                subject: &subject,
            };
            content::compare(findings, docs, &body, old_body, new_body, &at);
        }
    }
}
