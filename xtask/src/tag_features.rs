//! One cargo feature per tag of the spec: a user who turns on only the tags
//! they call compiles only those operations and the types they reach.
//!
//! Every operation is compiled under its tags' features. A generated type is
//! compiled under the features of every operation that reaches it (through
//! its builder, its response, or another type's fields and impls), so a type
//! shared by two tags is there when either is on. A type no operation reaches
//! (a component only documentation uses) has no tag to hang on: it compiles
//! only with `full`, so a user of some tags does not pay for it.
//!
//! What is read is progenitor's own output, not the spec's schemas: the
//! graph is the identifiers each generated item names, so whatever typify
//! decides to generate (inline types, builders, `From` impls) is gated with
//! the type it belongs to and cannot be missed.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Result, bail};
use openapiv3::OpenAPI;
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::operation_types;

/// Features of the generated crates that are not tags; a tag may not take
/// their names.
pub const RESERVED: &[&str] = &["default", "full", "httpmock", "schemars"];

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always (no operation reaches it, or it is the crate's frame).
    Always,
    /// When any of these tags' features is on.
    Tags(BTreeSet<String>),
    /// Only with `full` (every tag): a type no operation reaches.
    Full,
}

impl Gate {
    /// The `#[cfg(...)]` attribute, or nothing for [`Gate::Always`].
    pub fn attribute(&self) -> TokenStream {
        match self {
            Gate::Always => TokenStream::new(),
            Gate::Tags(tags) if tags.len() == 1 => {
                let tag = tags.iter().next().expect("one tag");
                quote!(#[cfg(feature = #tag)])
            }
            Gate::Tags(tags) => {
                let tags = tags.iter();
                quote!(#[cfg(any(#(feature = #tags),*))])
            }
            Gate::Full => {
                let full = crate::tag_files::FULL;
                quote!(#[cfg(feature = #full)])
            }
        }
    }

    fn as_attribute(&self) -> Option<syn::Attribute> {
        match self {
            Gate::Always => None,
            gate => {
                let tokens = gate.attribute();
                let parsed: syn::File = syn::parse_quote!(#tokens struct Gated;);
                match parsed.items.into_iter().next() {
                    Some(syn::Item::Struct(item)) => item.attrs.into_iter().next(),
                    _ => None,
                }
            }
        }
    }
}

/// The gate of every operation and every generated type of one crate.
#[derive(Debug, Clone)]
pub struct Gates {
    /// Every tag of the spec, each a feature.
    pub tags: BTreeSet<String>,
    /// Operations without a tag (compiled always).
    untagged: Vec<String>,
    operations: HashMap<String, Gate>,
    types: HashMap<String, Gate>,
    /// Builder struct name → operation id.
    builders: HashMap<String, String>,
}

impl Gates {
    /// Reads the tags of every operation of `openapi` and the type graph of
    /// progenitor's output `client` (before anything else is added to it).
    pub fn compute(openapi: &OpenAPI, client: &syn::File) -> Result<Self> {
        let mut operations = HashMap::new();
        let mut tags = BTreeSet::new();
        let mut untagged = Vec::new();
        for (path, method, operation) in openapi.operations() {
            let id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            if operation.tags.is_empty() {
                // Compiled always; the workspace's own specs refuse this
                // (`require_tags`), a spec being diffed need not.
                untagged.push(id);
                continue;
            }
            for tag in &operation.tags {
                check_feature_name(&id, tag)?;
                tags.insert(tag.clone());
            }
            operations.insert(id, Gate::Tags(operation.tags.iter().cloned().collect()));
        }

        let builders = operation_types::builder_operations(client);
        let graph = TypeGraph::read(client, &builders);
        let mut types: HashMap<String, Gate> = HashMap::new();
        // Each operation's tags reach every type it reaches.
        for (id, gate) in &operations {
            let Gate::Tags(op_tags) = gate else { continue };
            for name in graph.reach(graph.by_operation.get(id).into_iter().flatten()) {
                match types
                    .entry(name)
                    .or_insert_with(|| Gate::Tags(BTreeSet::new()))
                {
                    Gate::Tags(set) => set.extend(op_tags.iter().cloned()),
                    Gate::Always | Gate::Full => {}
                }
            }
        }
        // What no operation reaches compiles with `full` only; what it
        // names and an operation reaches keeps that operation's tags
        // (`full` turns every tag on).
        for name in &graph.names {
            types.entry(name.clone()).or_insert(Gate::Full);
        }
        Ok(Gates {
            tags,
            untagged,
            operations,
            types,
            builders,
        })
    }

    /// No gates at all: everything is compiled always (for tests of the
    /// modules that take gates).
    #[cfg(test)]
    pub fn none() -> Self {
        Gates {
            tags: BTreeSet::new(),
            untagged: Vec::new(),
            operations: HashMap::new(),
            types: HashMap::new(),
            builders: HashMap::new(),
        }
    }

    /// Fails unless every operation has a tag (the workspace's own specs:
    /// a user must be able to leave any operation out).
    pub fn require_tags(&self) -> Result<()> {
        match self.untagged.as_slice() {
            [] => Ok(()),
            ids => bail!(
                "{}: every operation needs a tag: its tag is the cargo feature that compiles it",
                ids.join(", ")
            ),
        }
    }

    /// The gate of operation `id`.
    pub fn operation(&self, id: &str) -> &Gate {
        self.operations.get(id).unwrap_or(&Gate::Always)
    }

    /// The gate of generated type `name` (of the `types` module).
    pub fn type_gate(&self, name: &str) -> &Gate {
        self.types.get(name).unwrap_or(&Gate::Always)
    }

    /// Puts the gates on progenitor's client: the `types` module (and its
    /// `builder` module), the `Client` methods and the operation builders.
    pub fn apply_to_client(&self, client: &mut syn::File) {
        for item in &mut client.items {
            match item {
                syn::Item::Mod(module) if module.ident == "types" => {
                    self.gate_types(module_items(module));
                }
                syn::Item::Mod(module) if module.ident == "builder" => {
                    for item in module_items(module) {
                        let gate = owner(item).and_then(|name| self.builders.get(&name));
                        if let Some(id) = gate {
                            push_attribute(item, self.operation(id));
                        }
                    }
                }
                syn::Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(method) = member {
                            let id = method.sig.ident.to_string();
                            if let Some(attribute) = self.operation(&id).as_attribute() {
                                method.attrs.push(attribute);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn gate_types(&self, items: &mut [syn::Item]) {
        for item in items {
            if let syn::Item::Mod(module) = item {
                if module.ident == "builder" {
                    self.gate_types(module_items(module));
                }
                continue;
            }
            if let Some(name) = owner(item) {
                push_attribute(item, self.type_gate(&name));
            }
        }
    }

    /// Puts the gates on progenitor's httpmock helpers: the `When`/`Then`
    /// pair of each operation and its `MockServerExt` method.
    pub fn apply_to_httpmock(&self, mock: &mut syn::File) {
        // `CreateTaskWhen` / `CreateTaskThen` belong to builder `CreateTask`.
        let by_helper: HashMap<String, &String> = self
            .builders
            .iter()
            .flat_map(|(builder, id)| {
                [
                    (format!("{builder}When"), id),
                    (format!("{builder}Then"), id),
                ]
            })
            .collect();
        for item in &mut mock.items {
            match item {
                syn::Item::Mod(module) if module.ident == "operations" => {
                    for item in module_items(module) {
                        if let Some(id) = owner(item).and_then(|name| by_helper.get(&name)) {
                            push_attribute(item, self.operation(id));
                        }
                    }
                }
                syn::Item::Trait(block) => {
                    for member in &mut block.items {
                        if let syn::TraitItem::Fn(method) = member
                            && let Some(attribute) =
                                self.operation(&method.sig.ident.to_string()).as_attribute()
                        {
                            method.attrs.push(attribute);
                        }
                    }
                }
                syn::Item::Impl(block) => {
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(method) = member
                            && let Some(attribute) =
                                self.operation(&method.sig.ident.to_string()).as_attribute()
                        {
                            method.attrs.push(attribute);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The types no operation reaches.
    #[cfg(test)]
    fn unreached(&self) -> BTreeSet<&str> {
        self.types
            .iter()
            .filter(|(_, gate)| **gate == Gate::Full)
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

/// A tag must be usable as a cargo feature name.
fn check_feature_name(id: &str, tag: &str) -> Result<()> {
    let valid = !tag.is_empty()
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid {
        bail!(
            "{id}: tag {tag:?} cannot be a cargo feature name (ASCII letters, digits, `-` and `_`, starting with a letter or digit)"
        );
    }
    if RESERVED.contains(&tag) {
        bail!("{id}: tag {tag:?} is the name of one of the crate's own features");
    }
    Ok(())
}

/// Which generated types each type and each operation names.
struct TypeGraph {
    names: BTreeSet<String>,
    /// Type → the other types its items name.
    edges: HashMap<String, BTreeSet<String>>,
    /// Operation id → the types its method and builder name.
    by_operation: HashMap<String, BTreeSet<String>>,
}

impl TypeGraph {
    fn read(client: &syn::File, builders: &HashMap<String, String>) -> Self {
        let names: BTreeSet<String> = operation_types::type_names(client).into_iter().collect();
        let mut edges: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut by_operation: HashMap<String, BTreeSet<String>> = HashMap::new();
        let named = |item: &dyn ToTokens, into: &mut BTreeSet<String>| {
            idents(item.to_token_stream(), &mut |ident| {
                if names.contains(ident) {
                    into.insert(ident.to_owned());
                }
            });
        };
        for item in &client.items {
            match item {
                syn::Item::Mod(module) if module.ident == "types" => {
                    let mut stack = vec![module];
                    while let Some(module) = stack.pop() {
                        for item in module.content.iter().flat_map(|(_, items)| items) {
                            if let syn::Item::Mod(inner) = item {
                                if inner.ident == "builder" {
                                    stack.push(inner);
                                }
                                continue;
                            }
                            if let Some(name) = owner(item) {
                                named(item, edges.entry(name).or_default());
                            }
                        }
                    }
                }
                syn::Item::Mod(module) if module.ident == "builder" => {
                    for item in module.content.iter().flat_map(|(_, items)| items) {
                        if let Some(id) = owner(item).and_then(|name| builders.get(&name)) {
                            named(item, by_operation.entry(id.clone()).or_default());
                        }
                    }
                }
                syn::Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
                    for member in &block.items {
                        if let syn::ImplItem::Fn(method) = member {
                            let id = method.sig.ident.to_string();
                            named(method, by_operation.entry(id).or_default());
                        }
                    }
                }
                _ => {}
            }
        }
        TypeGraph {
            names,
            edges,
            by_operation,
        }
    }

    /// Every type reachable from `start` (included).
    fn reach<'a>(&self, start: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = start.into_iter().collect();
        while let Some(name) = stack.pop() {
            if seen.insert(name.clone())
                && let Some(next) = self.edges.get(name)
            {
                stack.extend(next.iter());
            }
        }
        seen
    }
}

/// Calls `f` with every identifier in `tokens`, nested groups included.
fn idents(tokens: TokenStream, f: &mut dyn FnMut(&str)) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => f(&ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), f),
            _ => {}
        }
    }
}

/// The type an item belongs to: a struct's, enum's or alias's own name; an
/// impl's self type, or (for `impl From<X> for String`) the first named
/// type of its trait.
fn owner(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Type(item) => Some(item.ident.to_string()),
        syn::Item::Impl(block) => {
            let own = last_ident(&block.self_ty);
            let foreign = own
                .as_deref()
                .is_none_or(|name| ["String", "str", "Value"].contains(&name));
            if foreign && let Some((_, path, _)) = &block.trait_ {
                let mut first = None;
                for segment in &path.segments {
                    if let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments {
                        for argument in &arguments.args {
                            if let syn::GenericArgument::Type(ty) = argument
                                && first.is_none()
                            {
                                first = last_ident(ty);
                            }
                        }
                    }
                }
                return first.or(own);
            }
            own
        }
        _ => None,
    }
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(reference) => last_ident(&reference.elem),
        _ => None,
    }
}

fn is_client(ty: &syn::Type) -> bool {
    last_ident(ty).is_some_and(|name| name == "Client")
}

fn module_items(module: &mut syn::ItemMod) -> &mut [syn::Item] {
    module
        .content
        .as_mut()
        .map_or(&mut [][..], |(_, items)| items.as_mut_slice())
}

fn push_attribute(item: &mut syn::Item, gate: &Gate) {
    let Some(attribute) = gate.as_attribute() else {
        return;
    };
    let attrs = match item {
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        _ => return,
    };
    attrs.push(attribute);
}

/// The `[features]` lines for a generated crate: `default` is every tag
/// (through `full`), and each tag is a feature of its own.
pub fn generated_crate_features(tags: &BTreeSet<String>) -> String {
    feature_lines(tags, |_| String::new())
}

/// The `[features]` lines for a wrapper crate: each tag turns on the
/// generated crate's feature of the same name.
pub fn wrapper_features(tags: &BTreeSet<String>, generated: &str) -> String {
    feature_lines(tags, |tag| format!("\"{generated}/{tag}\""))
}

fn feature_lines(tags: &BTreeSet<String>, forward: impl Fn(&str) -> String) -> String {
    let all: Vec<String> = tags.iter().map(|tag| format!("\"{tag}\"")).collect();
    let mut text = format!("default = [\"full\"]\nfull = [{}]\n", all.join(", "));
    for tag in tags {
        text.push_str(&format!("{tag} = [{}]\n", forward(tag)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_norway::from_str(yaml).unwrap()
    }

    fn client() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub struct Task { pub label: Option<Label> }
                pub struct Label { pub name: String }
                pub struct Candidate { pub label: Option<Label> }
                pub struct Unused { pub note: Note, pub label: Label }
                pub struct Note { pub text: String }
                impl From<&Task> for Task { fn from(value: &Task) -> Self { value.clone() } }
                impl From<Label> for String { fn from(value: Label) -> Self { value.name } }
                pub mod builder {
                    pub struct Task { label: Result<Option<super::Label>, String> }
                    impl TryFrom<Task> for super::Task {}
                }
            }
            impl Client {
                pub fn create_task(&self) -> builder::CreateTask<'_> { builder::CreateTask::new(self) }
                pub fn get_candidate(&self) -> builder::GetCandidate<'_> { builder::GetCandidate::new(self) }
            }
            pub mod builder {
                pub struct CreateTask<'a> { client: &'a super::Client, body: Result<types::builder::Task, String> }
                impl<'a> CreateTask<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Task>, Error<()>> {
                        let info = OperationInfo { operation_id: "create_task" };
                        answer()
                    }
                }
                pub struct GetCandidate<'a> { client: &'a super::Client }
                impl<'a> GetCandidate<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Candidate>, Error<()>> {
                        let info = OperationInfo { operation_id: "get_candidate" };
                        answer()
                    }
                }
            }
        }
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tasks:
    post:
      operationId: create_task
      tags: [tasks]
      responses: {"201": {description: ok}}
  /candidates/{id}:
    get:
      operationId: get_candidate
      tags: [candidates]
      responses: {"200": {description: ok}}
"#;

    fn tags(gate: &Gate) -> Vec<&str> {
        match gate {
            Gate::Always => vec!["always"],
            Gate::Full => vec!["full"],
            Gate::Tags(tags) => tags.iter().map(String::as_str).collect(),
        }
    }

    #[test]
    fn a_type_is_gated_by_every_tag_that_reaches_it() {
        let gates = Gates::compute(&spec(SPEC), &client()).unwrap();
        assert_eq!(tags(gates.type_gate("Task")), ["tasks"]);
        assert_eq!(tags(gates.type_gate("Candidate")), ["candidates"]);
        assert_eq!(tags(gates.type_gate("Label")), ["candidates", "tasks"]);
        assert_eq!(gates.unreached(), BTreeSet::from(["Note", "Unused"]));
        assert_eq!(tags(gates.operation("create_task")), ["tasks"]);
    }

    #[test]
    fn impls_and_builders_carry_their_types_gate() {
        let gates = Gates::compute(&spec(SPEC), &client()).unwrap();
        let mut file = client();
        gates.apply_to_client(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("#[cfg(feature = \"tasks\")]\n    impl From<&Task> for Task"),
            "{text}"
        );
        assert!(
            text.contains(
                "#[cfg(any(feature = \"candidates\", feature = \"tasks\"))]\n    impl From<Label> for String"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "#[cfg(feature = \"tasks\")]\n        impl TryFrom<Task> for super::Task"
            ),
            "{text}"
        );
        assert!(
            text.contains("#[cfg(feature = \"candidates\")]\n    pub fn get_candidate"),
            "{text}"
        );
        assert!(
            text.contains("#[cfg(feature = \"tasks\")]\n    pub struct CreateTask<'a>"),
            "{text}"
        );
        assert!(
            text.contains("#[cfg(feature = \"full\")]\n    pub struct Unused"),
            "{text}"
        );
    }

    #[test]
    fn httpmock_helpers_carry_their_operations_gate() {
        let gates = Gates::compute(&spec(SPEC), &client()).unwrap();
        let mut mock: syn::File = syn::parse_quote! {
            pub mod operations {
                pub struct CreateTaskWhen(When);
                impl CreateTaskWhen { pub fn body(self) -> Self { self } }
                pub struct GetCandidateThen(Then);
            }
            pub trait MockServerExt {
                fn create_task<F>(&self, config_fn: F) -> Mock<'_>;
            }
            impl MockServerExt for MockServer {
                fn create_task<F>(&self, config_fn: F) -> Mock<'_> { self.mock(config_fn) }
            }
        };
        gates.apply_to_httpmock(&mut mock);
        let text = prettyplease::unparse(&mock);
        for expected in [
            "#[cfg(feature = \"tasks\")]\n    pub struct CreateTaskWhen",
            "#[cfg(feature = \"tasks\")]\n    impl CreateTaskWhen",
            "#[cfg(feature = \"candidates\")]\n    pub struct GetCandidateThen",
            "#[cfg(feature = \"tasks\")]\n    fn create_task<F>(&self, config_fn: F) -> Mock<'_>;",
            "#[cfg(feature = \"tasks\")]\n    fn create_task<F>(&self, config_fn: F) -> Mock<'_> {",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn an_untagged_operation_or_a_tag_that_is_no_feature_name_is_an_error() {
        let untagged = SPEC.replace("      tags: [tasks]\n", "");
        let gates = Gates::compute(&spec(&untagged), &client()).unwrap();
        assert_eq!(gates.operation("create_task"), &Gate::Always);
        let error = gates.require_tags().unwrap_err();
        assert!(
            error
                .to_string()
                .contains("create_task: every operation needs a tag"),
            "{error}"
        );
        let spaced = SPEC.replace("tags: [tasks]", "tags: [\"my tasks\"]");
        let error = Gates::compute(&spec(&spaced), &client()).unwrap_err();
        assert!(
            error.to_string().contains("cannot be a cargo feature name"),
            "{error}"
        );
        let reserved = SPEC.replace("tags: [tasks]", "tags: [httpmock]");
        let error = Gates::compute(&spec(&reserved), &client()).unwrap_err();
        assert!(
            error.to_string().contains("the crate's own features"),
            "{error}"
        );
    }

    #[test]
    fn features_list_every_tag_and_forward_them_from_the_wrapper() {
        let tags = BTreeSet::from(["candidates".to_owned(), "tasks".to_owned()]);
        assert_eq!(
            generated_crate_features(&tags),
            "default = [\"full\"]\nfull = [\"candidates\", \"tasks\"]\ncandidates = []\ntasks = []\n"
        );
        assert_eq!(
            wrapper_features(&tags, "spott-openapi"),
            "default = [\"full\"]\nfull = [\"candidates\", \"tasks\"]\ncandidates = [\"spott-openapi/candidates\"]\ntasks = [\"spott-openapi/tasks\"]\n"
        );
    }
}
