//! Which wire finding each Rust API change comes from, so that every
//! finding carries its Rust consequence and every Rust change its cause.
//!
//! The generated code names nothing after the spec's pointers, so a link is
//! made where both sides name the same thing, and only then:
//!
//! - an operation finding (`path.*`, `operation.*`) and a change to the
//!   `Client` method of the same `operationId` or the same route;
//! - a parameter finding and the builder input of that parameter's name;
//!   a request body finding (`request.body.*`, or one at the body's schema
//!   itself) and the `body` input;
//! - a response status or content-type finding, or one at a response
//!   body's schema itself, and what `send()` returns;
//! - a finding inside a schema and the struct field (by JSON name), enum
//!   variant (by JSON value) or type it is about, the type named after the
//!   component the change is written in (typify's names, compared without
//!   case and punctuation), or, for a schema written inline, the type
//!   typify names after where it is; a change to an `anyOf`/`oneOf`/`allOf`
//!   part and every change to the type of that composition.
//!
//! A change nothing links to (a new type that a new field refers to, say)
//! lists no finding, and a finding nothing links to has the Rust level
//! `none`: nothing in the generated API was traced to it.

use std::collections::{BTreeMap, BTreeSet};

use api_surface::{Surface, TypeKind};
use serde_json::Value;

use super::Docs;
use super::finding::{Finding, Operation};
use super::rust_impact::{Bump, RustImpact};

/// What the two generated surfaces say about the items a change can name:
/// the facts the generated code has and the spec does not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurfaceFacts {
    /// The JSON names of every field (`types::T.f`) and variant
    /// (`types::T::V`), on either side.
    json_names: BTreeMap<String, BTreeSet<String>>,
    /// The routes (`METHOD`, path with its parameters blanked) of every
    /// `Client` method, on either side.
    routes: BTreeMap<String, BTreeSet<(String, String)>>,
}

impl SurfaceFacts {
    /// The facts of `surfaces` (the old and the new one).
    pub fn of(surfaces: &[&Surface]) -> Self {
        let mut facts = Self::default();
        for surface in surfaces {
            for operation in &surface.operations {
                facts
                    .routes
                    .entry(operation.name.clone())
                    .or_default()
                    .insert((
                        operation.method.to_uppercase(),
                        blank_parameters(&operation.path),
                    ));
            }
            for ty in &surface.types {
                let mut name = |item: String, rust: &str, json: &Option<String>| {
                    let json = json.clone().unwrap_or_else(|| rust.to_string());
                    facts.json_names.entry(item).or_default().insert(json);
                };
                match &ty.kind {
                    TypeKind::Struct(fields) => {
                        for field in fields {
                            let item = format!("types::{}.{}", ty.name, field.name);
                            name(item, &field.name, &field.json_name);
                        }
                    }
                    TypeKind::Enum { variants, .. } => {
                        for variant in variants {
                            let item = format!("types::{}::{}", ty.name, variant.name);
                            name(item, &variant.name, &variant.json_name);
                        }
                    }
                    TypeKind::Newtype(_) => {}
                }
            }
        }
        facts
    }
}

/// Links `findings` and `rust`'s changes both ways: each finding gets its
/// Rust level and the changes it leads to, each change the findings it
/// comes from. When the Rust API was not assessed, findings keep a `null`
/// level.
pub fn link(docs: Docs, findings: &mut [Finding], rust: &mut RustImpact) {
    if rust.semver.bump.is_none() {
        return;
    }
    let components = component_names(docs);
    let items: Vec<Item> = rust.changes.iter().map(|c| Item::parse(&c.item)).collect();
    for (index, finding) in findings.iter_mut().enumerate() {
        let anchors = anchors(docs, finding);
        let mut level = Bump::None;
        for (change_index, (change, item)) in rust.changes.iter_mut().zip(&items).enumerate() {
            let linked = anchors.iter().any(|anchor| {
                matches(
                    anchor,
                    item,
                    finding.operation.as_ref(),
                    &rust.facts,
                    &components,
                )
            });
            if linked {
                change.findings.push(index);
                finding.rust.changes.push(change_index);
                level = level.max(Bump::from(change.level));
            }
        }
        finding.rust.level = Some(level);
    }
}

/// What a Rust change names, read from its item.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// `Client::op`.
    Operation(String),
    /// `Client::op().input`.
    Input(String, String),
    /// `Client::op().send`.
    Returns(String),
    /// `types::T`.
    Type(String),
    /// `types::T.f` (the item, for its JSON names).
    Field(String, String),
    /// `types::T::V` (the item, for its JSON names).
    Variant(String, String),
    /// A generated file (`code.changed`).
    File,
}

impl Item {
    fn parse(item: &str) -> Self {
        if let Some(rest) = item.strip_prefix("Client::") {
            return match rest.split_once("().") {
                Some((op, "send")) => Self::Returns(op.into()),
                Some((op, input)) => Self::Input(op.into(), input.into()),
                None => Self::Operation(rest.into()),
            };
        }
        let Some(rest) = item.strip_prefix("types::") else {
            return Self::File;
        };
        if let Some((ty, _)) = rest.split_once("::") {
            return Self::Variant(ty.into(), item.into());
        }
        match rest.split_once('.') {
            Some((ty, _)) => Self::Field(ty.into(), item.into()),
            None => Self::Type(rest.into()),
        }
    }
}

/// The type a schema is generated as, as far as the spec tells.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    /// The component `/components/schemas/<name>` (normalized).
    Component(String),
    /// A schema written inline; typify names its type after where it is
    /// (`{operationId}Body`, `{operationId}Response`, `{Component}`, then
    /// each property name on the way), so the name starts with this
    /// (normalized).
    Inline(String),
}

impl Ty {
    /// The type of the property `name` of this one, if it gets its own.
    fn property(&self, name: &str) -> Self {
        let (Self::Component(parent) | Self::Inline(parent)) = self;
        Self::Inline(format!("{parent}{}", normalize(name)))
    }
}

/// What a finding is about, in terms the generated code has.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Anchor {
    /// The operation as a whole.
    Operation,
    /// A builder input (normalized name).
    Input(String),
    /// What `send()` returns.
    Returns,
    /// A field of a struct, by JSON name.
    Field(Ty, String),
    /// A variant of an enum, by JSON value.
    Variant(Ty, String),
    /// A whole type.
    Type(Ty),
    /// A part of an `anyOf`, `oneOf` or `allOf`: the type, its variants or
    /// its fields.
    Composite(Ty),
}

fn anchors(docs: Docs, finding: &Finding) -> Vec<Anchor> {
    let mut anchors = Vec::new();
    let rule = finding.rule.as_str();
    if rule.starts_with("path.") || rule.starts_with("operation.") {
        anchors.push(Anchor::Operation);
    }
    if rule == "path.parameter.renamed" || rule == "path.parameter.moved" {
        // The path parameters are builder inputs: the old and the new names.
        if let Some(op) = &finding.operation {
            let old_path = docs
                .old
                .get("paths")
                .and_then(Value::as_object)
                .and_then(|paths| {
                    paths
                        .keys()
                        .find(|path| blank_parameters(path) == blank_parameters(&op.path))
                });
            for path in [Some(&op.path), old_path].into_iter().flatten() {
                anchors.extend(path_parameters(path).map(|name| Anchor::Input(normalize(name))));
            }
        }
    }
    let pointer = tokens(&finding.pointer);
    let in_operation = match pointer.as_slice() {
        [paths, _, _, rest @ ..] if paths == "paths" => rest,
        _ => &[],
    };
    match in_operation {
        [parameters, n, ..] if parameters == "parameters" => {
            let at = finding.origin.as_deref().unwrap_or(&finding.pointer);
            // The parameter itself, wherever the finding is inside it.
            let at = match at.find("/schema") {
                Some(end) if !at.ends_with(&format!("/parameters/{n}")) => &at[..end],
                _ => at,
            };
            let name = sides(docs, finding)
                .into_iter()
                .find_map(|doc| lookup(doc, at)?.get("name")?.as_str().map(normalize));
            if let Some(name) = name {
                anchors.push(Anchor::Input(name));
            }
        }
        [body, rest @ ..]
            if body == "requestBody"
                && (rule.starts_with("request.body.") || schema_root(rest)) =>
        {
            anchors.push(Anchor::Input("body".into()));
        }
        [responses, _, rest @ ..]
            if responses == "responses"
                && (rule.starts_with("response.status.")
                    || rule.starts_with("response.content_type.")
                    || schema_root(rest)) =>
        {
            anchors.push(Anchor::Returns);
        }
        _ => {}
    }
    anchors.extend(schema_anchor(docs, finding));
    anchors
}

/// The documents to read a finding's pointer in, in order: the pointer is
/// into the new one, or into the old one for what exists only there.
fn sides<'a>(docs: Docs<'a>, finding: &Finding) -> [&'a Value; 2] {
    if finding.rule.ends_with(".removed") {
        [docs.old, docs.new]
    } else {
        [docs.new, docs.old]
    }
}

/// Whether `rest` (below a request body or a response) is a media type or
/// its schema itself: a change there changes the Rust type taken or
/// returned.
fn schema_root(rest: &[String]) -> bool {
    match rest {
        [content, _] => content == "content",
        [content, _, schema] => content == "content" && schema == "schema",
        _ => false,
    }
}

/// The field, variant or type a finding inside a schema is about.
fn schema_anchor(docs: Docs, finding: &Finding) -> Option<Anchor> {
    let location = finding.origin.as_deref().unwrap_or(&finding.pointer);
    let tokens = tokens(location);
    let operation = finding.operation.as_ref();
    if let [prefix @ .., key, _] = tokens.as_slice()
        && key == "enum"
    {
        let value = sides(docs, finding)
            .into_iter()
            .find_map(|doc| lookup(doc, location))?;
        let json = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        return Some(Anchor::Variant(ty_of(prefix, operation)?, json));
    }
    if let [prefix @ .., key, _] = tokens.as_slice()
        && ["anyOf", "oneOf", "allOf"].contains(&key.as_str())
    {
        return Some(Anchor::Composite(ty_of(prefix, operation)?));
    }
    if let Some(k) = tokens.iter().rposition(|token| token == "properties")
        && let Some(name) = tokens.get(k + 1)
    {
        return Some(Anchor::Field(ty_of(&tokens[..k], operation)?, name.clone()));
    }
    // A change to a component as a whole (its type, kind or a keyword of
    // it): only components name a type for certain.
    match tokens.as_slice() {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            (tokens.len() <= 4).then(|| Anchor::Type(Ty::Component(normalize(name))))
        }
        _ => None,
    }
}

/// The type generated for the schema at `tokens`, named the way typify
/// names it.
fn ty_of(tokens: &[String], operation: Option<&Operation>) -> Option<Ty> {
    let (mut chain, rest) = match tokens {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            if rest.is_empty() {
                return Some(Ty::Component(normalize(name)));
            }
            (normalize(name), rest)
        }
        [paths, _, _, rest @ ..] if paths == "paths" => {
            let id = normalize(operation?.id.as_deref()?);
            match rest {
                [body, content, _, schema, rest @ ..]
                    if body == "requestBody" && content == "content" && schema == "schema" =>
                {
                    (format!("{id}body"), rest)
                }
                [responses, _, content, _, schema, rest @ ..]
                    if responses == "responses" && content == "content" && schema == "schema" =>
                {
                    (format!("{id}response"), rest)
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let mut rest = rest.iter();
    while let Some(token) = rest.next() {
        if token == "properties"
            && let Some(name) = rest.next()
        {
            chain.push_str(&normalize(name));
        }
    }
    Some(Ty::Inline(chain))
}

/// The parameter names of a path template.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

fn matches(
    anchor: &Anchor,
    item: &Item,
    operation: Option<&Operation>,
    facts: &SurfaceFacts,
    components: &BTreeSet<String>,
) -> bool {
    let same_op = |name: &str| {
        operation.is_some_and(|op| {
            op.id.as_deref().map(normalize) == Some(normalize(name))
                || facts.routes.get(name).is_some_and(|routes| {
                    routes.contains(&(op.method.to_uppercase(), blank_parameters(&op.path)))
                })
        })
    };
    let same_ty = |ty: &Ty, name: &str| match ty {
        Ty::Component(component) => normalize(name) == *component,
        Ty::Inline(prefix) => {
            let name = normalize(name);
            name.starts_with(prefix.as_str()) && !components.contains(&name)
        }
    };
    let json_name = |item: &str, json: &str| {
        facts
            .json_names
            .get(item)
            .is_some_and(|names| names.contains(json))
    };
    match (anchor, item) {
        (Anchor::Operation, Item::Operation(name)) => same_op(name),
        (Anchor::Input(input), Item::Input(name, rust)) => {
            same_op(name) && normalize(rust) == *input
        }
        (Anchor::Returns, Item::Returns(name)) => same_op(name),
        (Anchor::Field(ty, json), Item::Field(name, item)) => {
            same_ty(ty, name) && json_name(item, json)
        }
        // The field's own type (an inline enum, a constrained string).
        (Anchor::Field(ty, json), Item::Type(name)) => same_ty(&ty.property(json), name),
        (
            Anchor::Composite(ty),
            Item::Type(name) | Item::Variant(name, _) | Item::Field(name, _),
        ) => same_ty(ty, name),
        (Anchor::Variant(ty, json), Item::Variant(name, item)) => {
            same_ty(ty, name) && json_name(item, json)
        }
        (Anchor::Type(ty), Item::Type(name)) => same_ty(ty, name),
        _ => false,
    }
}

/// Every `/components/schemas` name of both documents, normalized.
fn component_names(docs: Docs) -> BTreeSet<String> {
    [docs.old, docs.new]
        .into_iter()
        .filter_map(|doc| doc.pointer("/components/schemas")?.as_object())
        .flat_map(|schemas| schemas.keys().map(|name| normalize(name)))
        .collect()
}

/// Lowercase letters and digits only: typify's `UserSummary`, progenitor's
/// `create_task` and the spec's `createTask` or `user-summary` compare
/// equal.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `/items/{id}` and `/items/{item_id}` are the same route.
fn blank_parameters(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The reference tokens of a JSON pointer, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The value at `pointer` read the way findings' pointers are written:
/// every `$ref` on the way followed, and a single-`allOf` wrapper looked
/// through when the next token is not in it.
fn lookup<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut node = doc;
    for token in tokens(pointer) {
        node = step(doc, node, &token)?;
    }
    super::resolve::follow(doc, node, "")
        .ok()
        .map(|(value, _)| value)
}

fn step<'a>(doc: &'a Value, node: &'a Value, token: &str) -> Option<&'a Value> {
    let mut node = super::resolve::follow(doc, node, "").ok()?.0;
    // Bounded: each round goes one `allOf` deeper into a finite document.
    for _ in 0..32 {
        let found = match node {
            Value::Object(map) => map.get(token),
            Value::Array(list) => token.parse::<usize>().ok().and_then(|i| list.get(i)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        let [inner] = node.get("allOf")?.as_array()?.as_slice() else {
            return None;
        };
        node = super::resolve::follow(doc, inner, "").ok()?.0;
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn items_are_read_from_their_rendering() {
        assert_eq!(
            Item::parse("Client::create_task"),
            Item::Operation("create_task".into())
        );
        assert_eq!(
            Item::parse("Client::create_task().body"),
            Item::Input("create_task".into(), "body".into())
        );
        assert_eq!(
            Item::parse("Client::create_task().send"),
            Item::Returns("create_task".into())
        );
        assert_eq!(Item::parse("types::Task"), Item::Type("Task".into()));
        assert_eq!(
            Item::parse("types::Task.content"),
            Item::Field("Task".into(), "types::Task.content".into())
        );
        assert_eq!(
            Item::parse("types::TaskSource::Manual"),
            Item::Variant("TaskSource".into(), "types::TaskSource::Manual".into())
        );
        assert_eq!(Item::parse("src/generated.rs"), Item::File);
    }

    #[test]
    fn inline_types_are_named_along_their_properties() {
        let op = Operation {
            id: Some("createTag".into()),
            method: "post".into(),
            path: "/tags".into(),
        };
        let at = |pointer: &str| ty_of(&tokens(pointer), Some(&op));
        assert_eq!(
            at("/paths/~1tags/post/requestBody/content/application~1json/schema/properties/owner"),
            Some(Ty::Inline("createtagbodyowner".into()))
        );
        assert_eq!(
            at("/paths/~1tags/post/responses/200/content/application~1json/schema"),
            Some(Ty::Inline("createtagresponse".into()))
        );
        assert_eq!(
            at("/components/schemas/User"),
            Some(Ty::Component("user".into()))
        );
        assert_eq!(
            at("/components/schemas/User/properties/home"),
            Some(Ty::Inline("userhome".into()))
        );
        assert_eq!(at("/paths/~1tags/post/parameters/0/schema"), None);
        let names: Vec<_> = path_parameters("/a/{id}/b/{itemId}").collect();
        assert_eq!(names, ["id", "itemId"]);
    }

    #[test]
    fn names_compare_without_case_and_punctuation() {
        assert_eq!(normalize("user-summary"), normalize("UserSummary"));
        assert_eq!(normalize("createTask"), normalize("create_task"));
        assert_eq!(blank_parameters("/a/{id}/b/{x_y}"), "/a/{}/b/{}");
    }

    #[test]
    fn lookup_reads_pointers_as_if_refs_were_inline() {
        let doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
            "components": {
                "parameters": {"P": {"name": "page", "in": "query"}},
                "schemas": {
                    "User": {"type": "object", "properties": {"name": {"type": "string"}}},
                    "Wrapped": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/User"}]},
                }
            }
        });
        assert_eq!(
            lookup(&doc, "/paths/~1a/get/parameters/0/name"),
            Some(&json!("page"))
        );
        assert_eq!(
            lookup(&doc, "/components/schemas/Wrapped/properties/name/type"),
            Some(&json!("string"))
        );
        assert_eq!(lookup(&doc, "/paths/~1a/post"), None);
    }
}
