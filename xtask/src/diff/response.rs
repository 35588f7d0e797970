//! What the server sends back: status codes, headers and bodies.

use serde_json::Value;

use super::Docs;
use super::content::{self, Body};
use super::finding::{Findings, Severity};
use super::operations::Op;
use super::pointer::At;
use super::resolve::{self, Unresolved};
use super::schema::{self, Direction, Subject};

/// Stands in for a header without a schema: any value.
static ANY: Value = Value::Null;

/// Compares the responses of an operation pair placed at `at`.
pub fn responses(findings: &mut Findings, docs: Docs<'_>, old: &Op, new: &Op, at: &At) {
    let at = at.child("responses");
    let old_map = old.node.get("responses").and_then(Value::as_object);
    let new_map = new.node.get("responses").and_then(Value::as_object);
    let in_new = |status: &str| new_map.is_some_and(|map| map.contains_key(status));

    for (status, _) in old_map
        .into_iter()
        .flatten()
        .filter(|(status, _)| !in_new(status))
    {
        // oasdiff: a success status removed is an error, another one info
        // (the server no longer documents that error).
        let (severity, consequence) = if is_success_or_redirect(status) {
            (
                Severity::Breaking,
                "clients that expect it no longer get it",
            )
        } else {
            (Severity::Info, "the server no longer documents this error")
        };
        let message = format!("response {status} removed: {consequence}");
        findings.emit(
            severity,
            "response.status.removed",
            &at.old.child(status),
            message,
        );
    }
    for (status, new_response) in new_map.into_iter().flatten() {
        let place = at.new.child(status);
        let Some(old_response) = old_map.and_then(|map| map.get(status)) else {
            // oasdiff: info either way.
            let (severity, message) = if is_success_or_redirect(status) {
                (
                    Severity::Info,
                    format!(
                        "new response {status}: clients generated from the old spec treat it as \
                         an unexpected status"
                    ),
                )
            } else {
                (
                    Severity::Info,
                    format!("new error response {status} documented"),
                )
            };
            findings.emit(severity, "response.status.added", &place, message);
            continue;
        };
        let old_place = at.old.child(status);
        let old_found = resolve::follow(docs.old, old_response, &old_place.origin);
        let new_found = resolve::follow(docs.new, new_response, &place.origin);
        let ((old_response, old_origin), (new_response, new_origin)) = match (old_found, new_found)
        {
            (Ok(old), Ok(new)) => (old, new),
            (Ok(_), Err(Unresolved(why))) => {
                let message = format!("response {status} cannot be compared: {why}");
                findings.emit(
                    Severity::Warning,
                    "response.ref.unresolved",
                    &place,
                    message,
                );
                continue;
            }
            (Err(_), _) => continue,
        };
        let at = At {
            old: old_place.written_at(old_origin),
            new: place.written_at(new_origin),
        };
        headers(findings, docs, status, old_response, new_response, &at);
        let subject = Subject::new(format!("response {status} body"), "response field");
        let body = Body {
            direction: Direction::Response,
            rules: "response.content_type",
            subject: &subject,
        };
        content::compare(findings, docs, &body, old_response, new_response, &at);
    }
}

/// `1XX`, `2XX` and `3XX` codes: ones a client takes as an answer rather
/// than an error.
fn is_success_or_redirect(status: &str) -> bool {
    matches!(status.as_bytes().first(), Some(b'1' | b'2' | b'3'))
}

/// Compares the headers of two responses; names match case-insensitively.
fn headers(
    findings: &mut Findings,
    docs: Docs<'_>,
    status: &str,
    old: &Value,
    new: &Value,
    at: &At,
) {
    let at = at.child("headers");
    let (old_headers, new_headers) = (header_list(old), header_list(new));
    for (key, name, old_header) in &old_headers {
        if new_headers.iter().all(|(other, _, _)| other != key) {
            // oasdiff: a required header removed is an error, an optional
            // one a warning.
            let required = resolve::follow(docs.old, old_header, "").is_ok_and(|(header, _)| {
                header.get("required").and_then(Value::as_bool) == Some(true)
            });
            let (severity, was) = if required {
                (Severity::Breaking, "required")
            } else {
                (Severity::Warning, "optional")
            };
            let message = format!(
                "response {status} header `{name}` removed: it was {was}, readers that use it \
                 no longer get it"
            );
            findings.emit(
                severity,
                "response.header.removed",
                &at.old.child(name),
                message,
            );
        }
    }
    for (key, name, new_header) in &new_headers {
        let place = at.new.child(name);
        let Some((_, old_name, old_header)) = old_headers.iter().find(|(other, _, _)| other == key)
        else {
            let message = format!("new response {status} header `{name}`");
            findings.emit(Severity::Info, "response.header.added", &place, message);
            continue;
        };
        let old_place = at.old.child(old_name);
        let new_found = resolve::follow(docs.new, new_header, &place.origin);
        let old_found = resolve::follow(docs.old, old_header, &old_place.origin);
        let (Ok((old_header, old_origin)), Ok((new_header, new_origin))) = (old_found, new_found)
        else {
            continue;
        };
        let at = At {
            old: old_place.written_at(old_origin).child("schema"),
            new: place.written_at(new_origin).child("schema"),
        };
        let what = format!("response {status} header `{name}`");
        let subject = Subject::new(what.clone(), format!("{what}, field"));
        let (o, n) = (
            old_header.get("schema").unwrap_or(&ANY),
            new_header.get("schema").unwrap_or(&ANY),
        );
        schema::compare(findings, docs, Direction::Response, &subject, o, n, &at);
    }
}

/// The headers of a response: lowercase name, name as written, header.
fn header_list(response: &Value) -> Vec<(String, &str, &Value)> {
    response
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, header)| (name.to_ascii_lowercase(), name.as_str(), header))
        .collect()
}
