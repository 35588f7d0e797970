//! Comparing two schemas in one direction: the same change breaks a request
//! (the server must accept what old clients send) and a response (old
//! clients must read what the server sends) in opposite cases.

use serde_json::{Map, Value};

use super::Docs;
use super::constraints::{CONSTRAINTS, Extra};
use super::finding::{Findings, Severity};
use super::pointer::{At, Place};
use super::resolve::{self, SchemaView, Unresolved};
use super::variants::{Open, match_elements, open_kind, variant_label};
use super::visibility::{self, Switch};

/// Nesting depth past which a walk stops: far beyond any real spec, it only
/// bounds the work on a pathological one.
const MAX_DEPTH: usize = 64;

/// Stands in for a missing schema (`items` absent): accepts anything.
static ANY: Value = Value::Null;

/// Which way data flows through a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sent by clients: request bodies and parameters.
    Request,
    /// Sent by the server: response bodies and headers.
    Response,
}

impl Direction {
    /// The first part of the rule ids of findings in this direction.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Response => "response",
        }
    }
}

/// What messages call the value a walk starts at, and the fields below it.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The value itself, e.g. "request body" or "query parameter `limit`".
    whole: String,
    /// What a field below it is called, e.g. "request field".
    field: String,
    /// The field path below the value, e.g. `status.status[]`.
    path: String,
    /// Whether the value is a parameter (whose default the server applies
    /// to every caller that omits it).
    parameter: bool,
}

impl Subject {
    /// A subject named `whole`, whose fields are called `field` `a.b`.
    pub fn new(whole: impl Into<String>, field: impl Into<String>) -> Self {
        Self {
            whole: whole.into(),
            field: field.into(),
            path: String::new(),
            parameter: false,
        }
    }

    /// The same, for a parameter.
    pub fn parameter(whole: impl Into<String>, field: impl Into<String>) -> Self {
        Self {
            parameter: true,
            ..Self::new(whole, field)
        }
    }

    fn child(&self, name: &str) -> Self {
        let path = if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        };
        Self {
            path,
            ..self.clone()
        }
    }

    fn items(&self) -> Self {
        Self {
            path: format!("{}[]", self.path),
            ..self.clone()
        }
    }

    fn describe(&self) -> String {
        if self.path.is_empty() {
            self.whole.clone()
        } else {
            format!("{} `{}`", self.field, self.path)
        }
    }
}

/// Compares `old` and `new` (schemas, possibly `$ref`s) at `at`, data
/// flowing in `direction`, and records what changed.
pub fn compare<'a>(
    findings: &mut Findings,
    docs: Docs<'a>,
    direction: Direction,
    subject: &Subject,
    old: &'a Value,
    new: &'a Value,
    at: &At,
) {
    let mut walk = Walk {
        docs,
        direction,
        findings,
        stack: Vec::new(),
    };
    walk.schema(old, new, at, subject, None);
}

struct Walk<'a, 'f> {
    docs: Docs<'a>,
    direction: Direction,
    findings: &'f mut Findings,
    /// The `(old, new)` schema origins being compared, outermost first: a
    /// pair met again is a cycle, already being compared further up.
    stack: Vec<(String, String)>,
}

impl<'a> Walk<'a, '_> {
    fn emit(&mut self, severity: Severity, rule: &str, place: &Place, message: String) {
        let rule = format!("{}.{rule}", self.direction.prefix());
        self.findings.emit(severity, rule, place, message);
    }

    fn schema(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let old_view = resolve::schema(self.docs.old, old, &at.old.origin);
        let (old_view, new_view) = match (
            old_view,
            resolve::schema(self.docs.new, new, &at.new.origin),
        ) {
            (Ok(old_view), Ok(new_view)) => (old_view, new_view),
            // Newly broken: say so. Broken before as well: not a change.
            (Ok(_), Err(Unresolved(why))) => {
                let message = format!("{} cannot be compared: {why}", subject.describe());
                self.emit(Severity::Warning, "ref.unresolved", &at.new, message);
                return;
            }
            // A broken old spec has nothing to compare against.
            (Err(_), _) => return,
        };
        let key = (old_view.origin.clone(), new_view.origin.clone());
        if self.stack.contains(&key) {
            return;
        }
        self.stack.push(key);
        self.views(&old_view, &new_view, at, subject, open);
        self.stack.pop();
    }

    /// `at` is where the schemas are seen, before their `$ref`s are followed.
    fn views(
        &mut self,
        old: &SchemaView<'a>,
        new: &SchemaView<'a>,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        self.nullable(old, new, at, subject);
        self.default(old, new, at, subject);
        let at = &At {
            old: at.old.written_at(old.origin.clone()),
            new: at.new.written_at(new.origin.clone()),
        };
        let (o, n) = (old.node, new.node);
        let (old_shape, new_shape) = (shape(o), shape(n));
        // Every integer is a number: widening what callers send, or
        // narrowing what readers get, loses nothing (oasdiff's
        // type-generalized and type-specialized, both info).
        let widened = (old_shape, new_shape) == ("integer", "number");
        let narrowed = (old_shape, new_shape) == ("number", "integer");
        match self.direction {
            _ if old_shape == new_shape => {}
            Direction::Request if widened => {
                let message = format!(
                    "{}: type widened from integer to number: what callers send still fits",
                    subject.describe()
                );
                self.emit(Severity::Info, "type.generalized", &at.new, message);
            }
            Direction::Response if narrowed => {
                let message = format!(
                    "{}: type narrowed from number to integer: readers of numbers still read it",
                    subject.describe()
                );
                self.emit(Severity::Info, "type.specialized", &at.new, message);
            }
            _ => {
                let message = format!(
                    "{}: type changed from {old_shape} to {new_shape}",
                    subject.describe()
                );
                self.emit(Severity::Breaking, "type.changed", &at.new, message);
                return;
            }
        }
        self.format(o, n, at, subject);
        self.enumeration(o, n, at, subject, open);
        self.constraints(o, n, at, subject);
        self.object(o, n, at, subject, open);
        if o.get("items").is_some() || n.get("items").is_some() {
            let (oi, ni) = (o.get("items"), n.get("items"));
            let items = at.child("items");
            self.schema(
                oi.unwrap_or(&ANY),
                ni.unwrap_or(&ANY),
                &items,
                &subject.items(),
                open,
            );
        }
        self.variants("anyOf", old, new, at, subject, open);
        self.variants("oneOf", old, new, at, subject, open);
        self.variants("allOf", old, new, at, subject, open);
    }

    fn nullable(&mut self, old: &SchemaView, new: &SchemaView, at: &At, subject: &Subject) {
        let what = subject.describe();
        match (&old.nullable, &new.nullable) {
            (Some(origin), None) => {
                let place = nullable_place(&at.old, origin);
                let (severity, message) = match self.direction {
                    Direction::Request => (
                        Severity::Breaking,
                        format!(
                            "{what} is no longer nullable: callers that send null get rejected"
                        ),
                    ),
                    Direction::Response => (
                        Severity::Info,
                        format!("{what} is no longer nullable: readers never get null"),
                    ),
                };
                self.emit(severity, "nullable.changed", &place, message);
            }
            (None, Some(origin)) => {
                let place = nullable_place(&at.new, origin);
                let (severity, message) = match self.direction {
                    Direction::Request => (
                        Severity::Info,
                        format!("{what} is now nullable: callers may send null"),
                    ),
                    Direction::Response => (
                        Severity::Breaking,
                        format!("{what} is now nullable: readers must handle null"),
                    ),
                };
                self.emit(severity, "nullable.changed", &place, message);
            }
            _ => {}
        }
    }

    fn default(&mut self, old: &SchemaView, new: &SchemaView, at: &At, subject: &Subject) {
        let (a, b) = (old.default.as_ref(), new.default.as_ref());
        if a.map(|d| d.0) == b.map(|d| d.0) {
            return;
        }
        let place = match (b, a) {
            (Some((_, origin)), _) => keyword_place(&at.new, origin, "default"),
            (None, Some((_, origin))) => keyword_place(&at.old, origin, "default"),
            (None, None) => return,
        };
        let change = change(a.map(|d| d.0), b.map(|d| d.0));
        // oasdiff: a request parameter's default is an error (the server
        // treats callers that omit it differently); a body field's is info.
        let (severity, message) = match self.direction {
            Direction::Request if subject.parameter && subject.path.is_empty() => (
                Severity::Breaking,
                format!(
                    "{}: default {change}: the server treats callers that omit it differently",
                    subject.describe()
                ),
            ),
            Direction::Request => (
                Severity::Info,
                format!(
                    "{}: default {change}: what the server assumes when it is omitted",
                    subject.describe()
                ),
            ),
            Direction::Response => (
                Severity::Info,
                format!("{}: default {change}", subject.describe()),
            ),
        };
        self.emit(severity, "default.changed", &place, message);
    }

    fn format(&mut self, o: &Value, n: &Value, at: &At, subject: &Subject) {
        let (a, b) = (o.get("format"), n.get("format"));
        if a == b {
            return;
        }
        let place = if b.is_some() { &at.new } else { &at.old }.child("format");
        let message = format!("{}: format {}", subject.describe(), change(a, b));
        self.emit(Severity::Breaking, "format.changed", &place, message);
    }

    fn enumeration(
        &mut self,
        o: &Value,
        n: &Value,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        let what = subject.describe();
        let (a, b) = (
            o.get("enum").and_then(Value::as_array),
            n.get("enum").and_then(Value::as_array),
        );
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) => (a, b),
            (None, Some(_)) => {
                let message = format!("{what}: enum added, only its values are allowed now");
                let place = at.new.child("enum");
                return self.constraint(true, &place, message);
            }
            (Some(_), None) => {
                let message = format!("{what}: enum removed, any value is allowed now");
                let place = at.old.child("enum");
                return self.constraint(false, &place, message);
            }
            (None, None) => return,
        };
        for (index, value) in a.iter().enumerate() {
            if b.contains(value) {
                continue;
            }
            let place = at.old.child("enum").child(&index.to_string());
            let value = show(value);
            let (severity, message) = match self.direction {
                Direction::Request => (
                    Severity::Breaking,
                    format!(
                        "{what}: enum value `{value}` removed: callers that send it get rejected"
                    ),
                ),
                Direction::Response => (
                    Severity::Info,
                    format!("{what}: enum value `{value}` removed: readers no longer receive it"),
                ),
            };
            self.emit(severity, "enum.value.removed", &place, message);
        }
        for (index, value) in b.iter().enumerate() {
            if a.contains(value) {
                continue;
            }
            let place = at.new.child("enum").child(&index.to_string());
            let value = show(value);
            let (severity, message) = match (self.direction, open) {
                (Direction::Request, _) => (
                    Severity::Info,
                    format!("{what}: enum value `{value}` added: callers may send it"),
                ),
                (Direction::Response, Some(open)) => (
                    Severity::Warning,
                    format!(
                        "{what}: enum value `{value}` added: strict clients reject it; this \
                         project's clients read it as {} (the spec wraps the enum in an open \
                         anyOf, see spec/README.md)",
                        open.unknown()
                    ),
                ),
                (Direction::Response, None) => (
                    Severity::Warning,
                    format!(
                        "{what}: enum value `{value}` added: clients decoding into a closed enum \
                         reject it, as this project's do here (the spec does not wrap this enum \
                         in an open anyOf, see spec/README.md)"
                    ),
                ),
            };
            self.emit(severity, "enum.value.added", &place, message);
        }
    }

    fn constraints(&mut self, o: &Value, n: &Value, at: &At, subject: &Subject) {
        for &(keyword, bound) in CONSTRAINTS {
            let (a, b) = (o.get(keyword), n.get(keyword));
            let Some(tightened) = bound.tightened(a, b) else {
                continue;
            };
            let place = if b.is_some() { &at.new } else { &at.old }.child(keyword);
            let message = format!("{}: {keyword} {}", subject.describe(), change(a, b));
            if keyword == "pattern" && self.pattern(a, b, &place, &message) {
                continue;
            }
            // oasdiff: an upper bound newly set on a request is a warning
            // (request-property-max-set, -max-length-set): a client that
            // sent so large a value was likely wrong already.
            if self.direction == Direction::Request
                && a.is_none()
                && matches!(keyword, "maxLength" | "maximum")
            {
                let message = format!(
                    "{message}: callers sending larger values than the new bound get rejected"
                );
                self.emit(Severity::Warning, "constraint.tightened", &place, message);
                continue;
            }
            // oasdiff: a response bound widened or dropped is an error for
            // the bounds it checks (not maxItems, minProperties,
            // maxProperties).
            if self.direction == Direction::Response
                && !tightened
                && matches!(
                    keyword,
                    "minimum" | "maximum" | "minLength" | "maxLength" | "minItems"
                )
            {
                let message =
                    format!("{message}: readers that check the old bound reject values outside it");
                self.emit(Severity::Breaking, "constraint.loosened", &place, message);
                continue;
            }
            self.constraint(tightened, &place, message);
        }
    }

    /// The pattern rules that are not a plain tightening or loosening
    /// (oasdiff's levels): one pattern replaced by another cannot be
    /// compared, so it is a warning in a request; replaced by one that
    /// matches any value, or removed, it is a loosening; in a response,
    /// every pattern change is info. Returns whether it recorded a finding.
    fn pattern(
        &mut self,
        a: Option<&Value>,
        b: Option<&Value>,
        place: &Place,
        message: &str,
    ) -> bool {
        match (self.direction, a, b) {
            (_, Some(_), Some(b)) if matches_anything(b) => {
                self.constraint(false, place, format!("{message} (any value matches it)"));
                true
            }
            (Direction::Request, Some(_), Some(_)) => {
                let message = format!(
                    "{message}: values valid before may not match the new pattern, check it"
                );
                self.emit(Severity::Warning, "pattern.changed", place, message);
                true
            }
            (Direction::Response, Some(_), Some(_)) => {
                let message = format!("{message}: readers may receive other values");
                self.emit(Severity::Info, "pattern.changed", place, message);
                true
            }
            (Direction::Response, Some(_), None) => {
                let message = format!("{message}: readers may receive any string");
                self.emit(Severity::Info, "constraint.loosened", place, message);
                true
            }
            _ => false,
        }
    }

    /// Records a constraint made stricter (`tightened`) or looser.
    fn constraint(&mut self, tightened: bool, place: &Place, message: String) {
        let (severity, rule, consequence) = match (self.direction, tightened) {
            (Direction::Request, true) => (
                Severity::Breaking,
                "constraint.tightened",
                "callers sending values valid before may be rejected",
            ),
            (Direction::Request, false) => (
                Severity::Info,
                "constraint.loosened",
                "callers may send more",
            ),
            (Direction::Response, true) => (
                Severity::Info,
                "constraint.tightened",
                "readers get less variety",
            ),
            (Direction::Response, false) => (
                Severity::Warning,
                "constraint.loosened",
                "readers may receive values the old spec ruled out",
            ),
        };
        self.emit(severity, rule, place, format!("{message}: {consequence}"));
    }

    fn object(
        &mut self,
        o: &'a Value,
        n: &'a Value,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        let old_props: Option<&'a Map<String, Value>> =
            o.get("properties").and_then(Value::as_object);
        let new_props = n.get("properties").and_then(Value::as_object);
        let in_new = |name: &str| new_props.is_some_and(|props| props.contains_key(name));
        let (old_required, new_required) = (required(o), required(n));
        let (old_extra, new_extra) = (Extra::of(o), Extra::of(n));

        for name in old_props.into_iter().flatten().map(|(name, _)| name) {
            if in_new(name) {
                continue;
            }
            let place = at.old.child("properties").child(name);
            let what = subject.child(name).describe();
            if let Some(marker) = self.other_way(self.docs.old, old_props_of(old_props, name)) {
                let message = format!("{what} removed: it was {marker}, {}", self.unused());
                self.emit(Severity::Info, "property.removed", &place, message);
                continue;
            }
            let message = match self.direction {
                Direction::Request if new_extra == Extra::Forbidden => format!(
                    "{what} removed: callers that send it get the request rejected \
                     (additionalProperties is false)"
                ),
                Direction::Request => format!(
                    "{what} removed: the server no longer reads it, callers that send it have \
                     it silently ignored"
                ),
                Direction::Response if old_required.contains(&name.as_str()) => format!(
                    "{what} removed: it was required, readers that rely on it fail to decode or \
                     lose it"
                ),
                Direction::Response => format!(
                    "{what} removed: it was optional, so readers cope with it missing, but those \
                     that use it no longer get it"
                ),
            };
            // oasdiff: a required response field removed is an error, an
            // optional one a warning.
            // A request field removed is a warning too (it is ignored),
            // unless the object now rejects undeclared fields.
            let severity = match self.direction {
                Direction::Response if !old_required.contains(&name.as_str()) => Severity::Warning,
                Direction::Request if new_extra != Extra::Forbidden => Severity::Warning,
                _ => Severity::Breaking,
            };
            self.emit(severity, "property.removed", &place, message);
        }

        for (name, new_schema) in new_props.into_iter().flatten() {
            let place = at.new.child("properties").child(name);
            let what = subject.child(name).describe();
            let (was, is) = (
                old_required.contains(&name.as_str()),
                new_required.contains(&name.as_str()),
            );
            let hidden = self.other_way(self.docs.new, Some(new_schema));
            let Some(old_schema) = old_props.and_then(|props| props.get(name)) else {
                if let Some(marker) = hidden {
                    let message = format!("new {what}: it is {marker}, {}", self.unused());
                    self.emit(Severity::Info, "property.added", &place, message);
                    continue;
                }
                let (severity, message) = match self.direction {
                    Direction::Request if is => (
                        Severity::Breaking,
                        format!("new required {what}: callers that do not send it get rejected"),
                    ),
                    Direction::Request => (
                        Severity::Info,
                        format!("new optional {what}: callers may send it"),
                    ),
                    Direction::Response if old_extra == Extra::Forbidden => (
                        Severity::Breaking,
                        format!(
                            "new {what}: the old schema forbids undeclared fields, so readers \
                             built from it reject the response"
                        ),
                    ),
                    Direction::Response => {
                        (Severity::Info, format!("new {what}: readers may use it"))
                    }
                };
                self.emit(severity, "property.added", &place, message);
                continue;
            };
            let was_hidden = self.other_way(self.docs.old, Some(old_schema));
            self.other_flag_switch(old_schema, new_schema, &place, &what);
            if was_hidden.is_some() != hidden.is_some() {
                // The field starts or stops travelling this way: that is the
                // finding, whatever `required` did.
                let turned_on = hidden.is_some();
                let switch = Switch {
                    direction: self.direction,
                    turned_on,
                    required: if turned_on { was } else { is },
                };
                let (severity, message) = switch.classify(&what);
                let rule = visibility::rule(visibility::deciding_flag(self.direction));
                self.emit(severity, rule, &place, message);
                if turned_on {
                    // It no longer travels this way: nothing else about it
                    // reaches a client.
                    continue;
                }
            } else if was != is
                && let Some(marker) = hidden
            {
                let now = if is {
                    "now required"
                } else {
                    "no longer required"
                };
                let message = format!("{what} is {now}: it is {marker}, {}", self.unused());
                self.emit(Severity::Info, "property.required.changed", &place, message);
            } else if was != is {
                let (severity, message) = match (self.direction, is) {
                    (Direction::Request, true) => (
                        Severity::Breaking,
                        format!("{what} is now required: callers that omit it get rejected"),
                    ),
                    (Direction::Request, false) => (
                        Severity::Info,
                        format!("{what} is no longer required: callers may omit it"),
                    ),
                    (Direction::Response, false) => (
                        Severity::Breaking,
                        format!("{what} is no longer required: readers must cope with it missing"),
                    ),
                    (Direction::Response, true) => (
                        Severity::Info,
                        format!("{what} is now required: readers always get it"),
                    ),
                };
                self.emit(severity, "property.required.changed", &place, message);
            }
            let child = at.child("properties").child(name);
            self.schema(old_schema, new_schema, &child, &subject.child(name), open);
        }

        self.additional_properties(old_extra, new_extra, at, subject, open);
    }

    /// `readOnly` in a request, `writeOnly` in a response, when `schema`
    /// (or what its `$ref`s lead to in `doc`) is marked so: a field that does
    /// not travel in this direction.
    fn other_way(&self, doc: &Value, schema: Option<&Value>) -> Option<&'static str> {
        let key = visibility::deciding_flag(self.direction);
        marked(doc, schema?, key).then_some(key)
    }

    /// The flag that does not decide whether a field travels this way
    /// (`writeOnly` in a request, `readOnly` in a response) switched: info.
    fn other_flag_switch(&mut self, old: &Value, new: &Value, place: &Place, subject: &str) {
        let flag = visibility::other_flag(self.direction);
        let (was, is) = (
            marked(self.docs.old, old, flag),
            marked(self.docs.new, new, flag),
        );
        if was != is {
            let message = visibility::other_message(self.direction, subject, is);
            self.emit(Severity::Info, visibility::rule(flag), place, message);
        }
    }

    /// Why a field that does not travel in this direction does not matter.
    fn unused(&self) -> &'static str {
        match self.direction {
            Direction::Request => "callers do not send it",
            Direction::Response => "readers do not get it",
        }
    }

    fn additional_properties(
        &mut self,
        old: Extra<'a>,
        new: Extra<'a>,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        let what = subject.describe();
        let (tightened, message) = match (old, new) {
            (Extra::Schema(a), Extra::Schema(b)) => {
                let child = at.child("additionalProperties");
                return self.schema(a, b, &child, &subject.child("*"), open);
            }
            (a, b) if a == b => return,
            (_, Extra::Forbidden) => (
                true,
                format!(
                    "{what}: additionalProperties is now false, undeclared fields are rejected"
                ),
            ),
            (Extra::Forbidden, _) => (
                false,
                format!(
                    "{what}: additionalProperties is no longer false, undeclared fields are allowed"
                ),
            ),
            (Extra::Allowed, _) => (
                true,
                format!("{what}: additionalProperties now has a schema"),
            ),
            (Extra::Schema(_), _) => (
                false,
                format!("{what}: additionalProperties no longer has a schema"),
            ),
        };
        let place = if matches!(new, Extra::Allowed) {
            &at.old
        } else {
            &at.new
        }
        .child("additionalProperties");
        self.constraint(tightened, &place, message);
    }

    /// Compares the `anyOf`, `oneOf` or `allOf` lists of two schemas.
    fn variants(
        &mut self,
        key: &str,
        old: &SchemaView<'a>,
        new: &SchemaView<'a>,
        at: &At,
        subject: &Subject,
        open: Option<Open>,
    ) {
        let old_list = list(old.node, key);
        let new_list = list(new.node, key);
        if old_list.is_empty() && new_list.is_empty() {
            return;
        }
        let what = subject.describe();
        // The known part of an open wrapper in the *old* spec: that is the
        // type deployed clients decode with.
        let wrapper = if key == "anyOf" { open_kind(old) } else { None };
        let at = at.child(key);
        for pair in match_elements(old_list, new_list) {
            match pair {
                (Some(i), Some(j)) => {
                    let open = if i == 0 && wrapper.is_some() {
                        wrapper
                    } else {
                        open
                    };
                    let child = at.children(&i.to_string(), &j.to_string());
                    self.schema(&old_list[i], &new_list[j], &child, subject, open);
                }
                (Some(i), None) => {
                    let place = at.old.child(&i.to_string());
                    let label = variant_label(&old_list[i], i);
                    let (severity, rule, message) = match (key, self.direction) {
                        ("allOf", direction) => (
                            all_of_severity(direction, &old_list[i], false),
                            "composition.changed",
                            format!(
                                "{what}: allOf part {label} removed{}",
                                annotated(&old_list[i])
                            ),
                        ),
                        (_, Direction::Request) => (
                            Severity::Breaking,
                            "variant.removed",
                            format!(
                                "{what}: {key} variant {label} removed: callers that send it get rejected"
                            ),
                        ),
                        (_, Direction::Response) => (
                            Severity::Info,
                            "variant.removed",
                            format!(
                                "{what}: {key} variant {label} removed: readers no longer receive it"
                            ),
                        ),
                    };
                    self.emit(severity, rule, &place, message);
                }
                (None, Some(j)) => {
                    let place = at.new.child(&j.to_string());
                    let label = variant_label(&new_list[j], j);
                    let (severity, rule, message) = match (key, self.direction, open) {
                        ("allOf", direction, _) => (
                            all_of_severity(direction, &new_list[j], true),
                            "composition.changed",
                            format!(
                                "{what}: allOf part {label} added{}",
                                annotated(&new_list[j])
                            ),
                        ),
                        (_, Direction::Request, _) => (
                            Severity::Info,
                            "variant.added",
                            format!("{what}: {key} variant {label} added: callers may send it"),
                        ),
                        // oasdiff: a new anyOf variant is info (a reader
                        // of the old ones still matches one of them).
                        ("anyOf", Direction::Response, _) => (
                            Severity::Info,
                            "variant.added",
                            format!(
                                "{what}: anyOf variant {label} added: readers that match one of \
                                 the old variants still do{}",
                                match open {
                                    Some(open) => format!(
                                        "; this project's clients read it as {}",
                                        open.unknown()
                                    ),
                                    None => String::new(),
                                }
                            ),
                        ),
                        (_, Direction::Response, Some(open)) => (
                            Severity::Warning,
                            "variant.added",
                            format!(
                                "{what}: {key} variant {label} added: strict clients reject it; \
                                 this project's clients read it as {} (the spec wraps the union \
                                 in an open anyOf, see spec/README.md)",
                                open.unknown()
                            ),
                        ),
                        (_, Direction::Response, None) => (
                            Severity::Breaking,
                            "variant.added",
                            format!(
                                "{what}: {key} variant {label} added: clients decoding into the \
                                 documented variants reject it (the spec does not wrap this union \
                                 in an open anyOf, see spec/README.md)"
                            ),
                        ),
                    };
                    self.emit(severity, rule, &place, message);
                }
                (None, None) => {}
            }
        }
    }
}

/// The schema of property `name`, if `props` has it.
/// Whether `schema`, or what its `$ref`s lead to in `doc`, has `key: true`.
fn marked(doc: &Value, schema: &Value, key: &str) -> bool {
    let flagged = |node: &Value| node.get(key).and_then(Value::as_bool) == Some(true);
    flagged(schema) || resolve::schema(doc, schema, "").is_ok_and(|view| flagged(view.node))
}

fn old_props_of<'v>(props: Option<&'v Map<String, Value>>, name: &str) -> Option<&'v Value> {
    props.and_then(|props| props.get(name))
}

/// Keywords that describe a schema without constraining it.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "$comment",
];

/// Whether an `allOf` part only annotates (a title, a description, …): it
/// accepts every value, so adding or removing it changes nothing.
fn annotation_only(part: &Value) -> bool {
    part.as_object().is_some_and(|object| {
        object
            .keys()
            .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
    })
}

/// How much an `allOf` part added (`added`) or removed matters (oasdiff's
/// levels): an annotation-only part, or any part of a response, is info; in
/// a request, a part added is breaking (values must also match it) and one
/// removed a warning (the server may now accept, or read, less).
fn all_of_severity(direction: Direction, part: &Value, added: bool) -> Severity {
    match direction {
        _ if annotation_only(part) => Severity::Info,
        Direction::Response => Severity::Info,
        Direction::Request if added => Severity::Breaking,
        Direction::Request => Severity::Warning,
    }
}

/// What a message adds about an annotation-only part.
fn annotated(part: &Value) -> &'static str {
    if annotation_only(part) {
        ": it only annotates, every value matches it"
    } else {
        ""
    }
}

/// Whether a pattern matches any string a client would send: `.*` or `.+`
/// (anchored or not). `.+` rejects only the empty string, which a pattern
/// it replaces rejected too unless it was as loose.
fn matches_anything(pattern: &Value) -> bool {
    let Some(text) = pattern.as_str() else {
        return false;
    };
    let inner = text.strip_prefix('^').unwrap_or(text);
    let inner = inner.strip_suffix('$').unwrap_or(inner);
    matches!(inner, ".*" | ".+")
}

/// Where `nullable` is, for a schema seen at `seen` whose `nullable: true`
/// is written on the object at `origin`.
fn nullable_place(seen: &Place, origin: &str) -> Place {
    keyword_place(seen, origin, "nullable")
}

fn keyword_place(seen: &Place, origin: &str, keyword: &str) -> Place {
    Place {
        pointer: format!("{}/{keyword}", seen.pointer),
        origin: format!("{origin}/{keyword}"),
    }
}

/// What kind of value a schema describes: its `type`, or failing that its
/// composition keyword, or what its keywords imply.
pub fn shape(node: &Value) -> &str {
    if let Some(ty) = node.get("type").and_then(Value::as_str) {
        return ty;
    }
    if let Some(key) = ["anyOf", "oneOf", "allOf"]
        .into_iter()
        .find(|key| node.get(key).is_some())
    {
        return key;
    }
    if node.get("properties").is_some() || node.get("additionalProperties").is_some() {
        "object"
    } else if node.get("items").is_some() {
        "array"
    } else {
        "any"
    }
}

fn required(node: &Value) -> Vec<&str> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn list<'v>(node: &'v Value, key: &str) -> &'v [Value] {
    node.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A JSON value as it reads in a message: strings bare, the rest as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// "changed from `a` to `b`", "added (`b`)" or "removed (was `a`)".
fn change(old: Option<&Value>, new: Option<&Value>) -> String {
    match (old, new) {
        (Some(a), Some(b)) => format!("changed from `{}` to `{}`", show(a), show(b)),
        (None, Some(b)) => format!("added (`{}`)", show(b)),
        (Some(a), None) => format!("removed (was `{}`)", show(a)),
        (None, None) => "unchanged".into(),
    }
}
