//! Media types of a request body or a response: which content types it
//! offers, and the schema of each.

use serde_json::{Map, Value};

use super::Docs;
use super::finding::{Findings, Severity};
use super::pointer::At;
use super::schema::{self, Direction, Subject};

/// Stands in for a media type without a schema: any content.
static ANY: Value = Value::Null;

/// What kind of body is compared.
pub struct Body<'s> {
    /// Which way it flows.
    pub direction: Direction,
    /// The rule id prefix: rules are `<rules>.added`, `.removed`, `.changed`.
    pub rules: &'s str,
    /// What messages call it.
    pub subject: &'s Subject,
}

/// Compares the `content` maps of two bodies (request bodies or
/// responses), whose places are `at`.
pub fn compare(
    findings: &mut Findings,
    docs: Docs<'_>,
    body: &Body,
    old: &Value,
    new: &Value,
    at: &At,
) {
    let Body {
        direction,
        rules,
        subject,
    } = *body;
    let at = at.child("content");
    let old_types = media_types(old);
    let new_types = media_types(new);

    // One type before and one after, but a different one: the body moved
    // to a new encoding; compare what it carries too.
    if let ([(a, old_media)], [(b, new_media)]) = (old_types.as_slice(), new_types.as_slice())
        && a != b
    {
        let (severity, consequence) = match direction {
            Direction::Request => (
                Severity::Breaking,
                format!("callers sending `{a}` get rejected (415)"),
            ),
            // oasdiff: response-media-type-name-specialized is info.
            Direction::Response if specialises(a, b) => (
                Severity::Info,
                format!("a specialisation of `{a}`: readers of `{a}` still decode it"),
            ),
            Direction::Response => (
                Severity::Breaking,
                format!("readers expecting `{a}` cannot decode it"),
            ),
        };
        let message = format!("content type changed from `{a}` to `{b}`: {consequence}");
        let place = at.new.child(b);
        findings.emit(severity, format!("{rules}.changed"), &place, message);
        let child = at.children(a, b).child("schema");
        let (o, n) = (schema_of(old_media), schema_of(new_media));
        schema::compare(findings, docs, direction, subject, o, n, &child);
        return;
    }

    for (name, _) in old_types.iter().filter(|(name, _)| !has(&new_types, name)) {
        let consequence = match direction {
            Direction::Request => "callers sending it get rejected (415)",
            Direction::Response => "readers expecting it cannot decode the new one",
        };
        let message = format!("content type `{name}` removed: {consequence}");
        findings.emit(
            Severity::Breaking,
            format!("{rules}.removed"),
            &at.old.child(name),
            message,
        );
    }
    for (name, new_media) in &new_types {
        let Some((_, old_media)) = old_types.iter().find(|(old, _)| old == name) else {
            let message = format!("new content type `{name}`");
            findings.emit(
                Severity::Info,
                format!("{rules}.added"),
                &at.new.child(name),
                message,
            );
            continue;
        };
        let child = at.child(name).child("schema");
        let (o, n) = (schema_of(old_media), schema_of(new_media));
        schema::compare(findings, docs, direction, subject, o, n, &child);
    }
}

/// Whether media type `new` is a kind of `old`: the same type with a
/// structured-syntax suffix (`application/problem+json` of
/// `application/json`), or one `old`'s wildcard covers (`application/*`,
/// `*/*`). Parameters (`; charset=…`) are ignored.
fn specialises(old: &str, new: &str) -> bool {
    let split = |media: &str| {
        let essence = media.split(';').next().unwrap_or_default().trim();
        let (kind, sub) = essence.split_once('/').unwrap_or((essence, ""));
        (kind.to_ascii_lowercase(), sub.to_ascii_lowercase())
    };
    let ((old_kind, old_sub), (new_kind, new_sub)) = (split(old), split(new));
    if old_kind == "*" {
        return true;
    }
    if old_kind != new_kind {
        return false;
    }
    old_sub == "*"
        || new_sub
            .rsplit_once('+')
            .is_some_and(|(_, suffix)| suffix == old_sub)
}

fn schema_of(media: &Value) -> &Value {
    media.get("schema").unwrap_or(&ANY)
}

fn media_types(body: &Value) -> Vec<(&str, &Value)> {
    body.get("content")
        .and_then(Value::as_object)
        .map(Map::iter)
        .into_iter()
        .flatten()
        .map(|(name, media)| (name.as_str(), media))
        .collect()
}

fn has(types: &[(&str, &Value)], name: &str) -> bool {
    types.iter().any(|(other, _)| *other == name)
}

#[cfg(test)]
mod tests {
    use super::specialises;

    #[test]
    fn specialised_media_types() {
        assert!(specialises("application/json", "application/problem+json"));
        assert!(specialises("application/*", "application/json"));
        assert!(specialises("*/*", "text/plain"));
        assert!(specialises(
            "application/json",
            "application/vnd.x+json; charset=utf-8"
        ));
        assert!(!specialises("application/problem+json", "application/json"));
        assert!(!specialises("application/json", "application/xml"));
        assert!(!specialises("application/json", "text/json"));
    }
}
