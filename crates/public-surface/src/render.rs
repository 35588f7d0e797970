//! A crate's public API as sorted lines, one per public path, field,
//! variant, method, trait impl and re-export.
//!
//! What is listed, and why:
//! - every item at the path users reach it by ([`crate::names`]), with its
//!   generics and where clauses, and `#[non_exhaustive]` or
//!   `#[deprecated]` in front when it has them (both change what callers
//!   may write);
//! - public fields (and whether a struct has private ones) and every
//!   variant with its fields;
//! - public methods, associated consts and types of inherent impls;
//! - trait impls, with their associated types (`IntoFuture::Output` is
//!   what an `.await` gives). Blanket impls (`impl<T> From<T> for T`) are
//!   left out: they say nothing about this crate, and so is the unstable
//!   `StructuralPartialEq` that `derive(PartialEq)` adds. Of the auto traits
//!   rustdoc adds, `Send`, `Sync` and `Unpin` are kept (async callers rely
//!   on them); the unwind-safety and compiler-internal ones are not;
//! - `macro_rules!` macros with their matchers.
//!
//! Lines are grouped by the item they belong to (a type's impls and
//! methods follow it), and sorted, so a diff shows exactly what moved.

use std::collections::BTreeMap;

use rustdoc_types::{Attribute, Crate, Id, Item, ItemEnum, StructKind, VariantKind, Visibility};

use crate::names::Names;
use crate::signature::{Writer, header};

/// The auto traits whose impls are listed (see the module docs).
const LISTED_AUTO_TRAITS: [&str; 3] = ["Send", "Sync", "Unpin"];

/// Traits whose impls are not listed: `derive(PartialEq)` adds this
/// unstable marker, which no caller can name.
const UNLISTED_TRAITS: [&str; 1] = ["core::marker::StructuralPartialEq"];

/// The public API of `krate` as text, one line per entry.
pub fn render(krate: &Crate) -> String {
    let names = Names::new(krate);
    let mut lines = Lines::default();
    let lister = Lister {
        krate,
        writer: Writer::new(&names),
    };
    for (item, path) in names.items() {
        lister.item(item, path, &mut lines);
        for alias in names.aliases(&item.id) {
            lines.add(alias, Rank::Item, format!("pub use {alias} = {path}"));
        }
    }
    for (path, target) in names.external() {
        lines.add(path, Rank::Item, format!("pub use {path} = {target}"));
    }
    lines.finish()
}

/// Where a line goes within its owner's group: the item itself first,
/// then its fields and variants, its members, its trait impls.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Item,
    Part,
    Member,
    Impl,
}

/// Lines with the path of what they belong to, for grouping. An impl is
/// reached from its type and from its trait: it is listed once, under the
/// first of the two in order.
#[derive(Default)]
struct Lines(BTreeMap<String, (String, Rank)>);

impl Lines {
    fn add(&mut self, owner: &str, rank: Rank, line: String) {
        let place = (owner.to_owned(), rank);
        let entry = self.0.entry(line).or_insert_with(|| place.clone());
        if place < *entry {
            *entry = place;
        }
    }

    fn finish(self) -> String {
        let mut sorted: Vec<((String, Rank), String)> = self
            .0
            .into_iter()
            .map(|(line, place)| (place, line))
            .collect();
        sorted.sort();
        sorted.into_iter().map(|(_, line)| line + "\n").collect()
    }
}

struct Lister<'n, 'a> {
    krate: &'a Crate,
    writer: Writer<'n, 'a>,
}

impl Lister<'_, '_> {
    fn item(&self, item: &Item, path: &str, lines: &mut Lines) {
        let w = &self.writer;
        let attrs = attributes(item);
        match &item.inner {
            ItemEnum::Module(_) => lines.add(path, Rank::Item, format!("pub mod {path}")),
            ItemEnum::Struct(inner) => {
                let generics = &inner.generics;
                // Private fields keep callers from building the struct
                // with a literal: adding the first one breaks them.
                let fields = match &inner.kind {
                    StructKind::Tuple(fields) => format!("({})", self.tuple(fields)),
                    StructKind::Plain {
                        has_stripped_fields: true,
                        ..
                    } => " { /* private fields */ }".into(),
                    StructKind::Unit | StructKind::Plain { .. } => String::new(),
                };
                lines.add(
                    path,
                    Rank::Item,
                    format!(
                        "{attrs}pub struct {path}{}{fields}{}",
                        w.params(&generics.params),
                        w.where_clause(generics)
                    ),
                );
                if let StructKind::Plain { fields, .. } = &inner.kind {
                    self.fields(fields, path, lines);
                }
                self.impls(&inner.impls, path, lines);
            }
            ItemEnum::Union(inner) => {
                let generics = &inner.generics;
                lines.add(
                    path,
                    Rank::Item,
                    format!(
                        "{attrs}pub union {path}{}{}",
                        w.params(&generics.params),
                        w.where_clause(generics)
                    ),
                );
                self.fields(&inner.fields, path, lines);
                self.impls(&inner.impls, path, lines);
            }
            ItemEnum::Enum(inner) => {
                let generics = &inner.generics;
                lines.add(
                    path,
                    Rank::Item,
                    format!(
                        "{attrs}pub enum {path}{}{}",
                        w.params(&generics.params),
                        w.where_clause(generics)
                    ),
                );
                for variant in inner.variants.iter().filter_map(|id| self.get(id)) {
                    self.variant(variant, path, lines);
                }
                self.impls(&inner.impls, path, lines);
            }
            ItemEnum::Function(function) => lines.add(
                path,
                Rank::Item,
                format!(
                    "{attrs}pub {}fn {path}{}{}{}",
                    header(&function.header),
                    w.params(&function.generics.params),
                    w.signature(&function.sig),
                    w.where_clause(&function.generics)
                ),
            ),
            ItemEnum::Trait(inner) => {
                let bounds = if inner.bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {}", w.bounds(&inner.bounds))
                };
                lines.add(
                    path,
                    Rank::Item,
                    format!(
                        "{attrs}pub {}{}trait {path}{}{bounds}{}",
                        if inner.is_unsafe { "unsafe " } else { "" },
                        if inner.is_auto { "auto " } else { "" },
                        w.params(&inner.generics.params),
                        w.where_clause(&inner.generics)
                    ),
                );
                for member in inner.items.iter().filter_map(|id| self.get(id)) {
                    self.member(member, path, lines);
                }
                self.impls(&inner.implementations, path, lines);
            }
            ItemEnum::TypeAlias(alias) => lines.add(
                path,
                Rank::Item,
                format!(
                    "{attrs}pub type {path}{} = {}{}",
                    w.params(&alias.generics.params),
                    w.ty(&alias.type_),
                    w.where_clause(&alias.generics)
                ),
            ),
            ItemEnum::Constant { type_, .. } => lines.add(
                path,
                Rank::Item,
                format!("{attrs}pub const {path}: {}", w.ty(type_)),
            ),
            ItemEnum::Static(inner) => lines.add(
                path,
                Rank::Item,
                format!(
                    "{attrs}pub {}static {path}: {}",
                    if inner.is_mutable { "mut " } else { "" },
                    w.ty(&inner.type_)
                ),
            ),
            ItemEnum::Macro(text) => lines.add(path, Rank::Item, macro_line(text, path)),
            ItemEnum::ProcMacro(inner) => lines.add(
                path,
                Rank::Item,
                format!("pub proc_macro({:?}) {path}", inner.kind),
            ),
            ItemEnum::TraitAlias(_) => {
                lines.add(path, Rank::Item, format!("{attrs}pub trait alias {path}"))
            }
            ItemEnum::ExternType => lines.add(path, Rank::Item, format!("pub extern type {path}")),
            ItemEnum::Primitive(_) => lines.add(path, Rank::Item, format!("pub primitive {path}")),
            ItemEnum::ExternCrate { name, .. } => lines.add(
                path,
                Rank::Item,
                format!("pub extern crate {path} = {name}"),
            ),
            // Reached only through their owners (listed there) or never
            // public paths of their own.
            ItemEnum::Variant(_)
            | ItemEnum::StructField(_)
            | ItemEnum::AssocConst { .. }
            | ItemEnum::AssocType { .. }
            | ItemEnum::Use(_)
            | ItemEnum::Impl(_) => {}
        }
    }

    fn get(&self, id: &Id) -> Option<&Item> {
        self.krate.index.get(id)
    }

    /// `pub T, _`: a field that is not public is a `_`.
    fn tuple(&self, fields: &[Option<Id>]) -> String {
        fields
            .iter()
            .map(|field| match field.and_then(|id| self.get(&id)) {
                Some(Item {
                    inner: ItemEnum::StructField(ty),
                    visibility,
                    ..
                }) => {
                    let public = if *visibility == Visibility::Public {
                        "pub "
                    } else {
                        ""
                    };
                    format!("{public}{}", self.writer.ty(ty))
                }
                _ => "_".into(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn fields(&self, fields: &[Id], owner: &str, lines: &mut Lines) {
        for field in fields.iter().filter_map(|id| self.get(id)) {
            if let (ItemEnum::StructField(ty), Some(name)) = (&field.inner, &field.name) {
                lines.add(
                    owner,
                    Rank::Part,
                    format!(
                        "{}pub {owner}::{name}: {}",
                        attributes(field),
                        self.writer.ty(ty)
                    ),
                );
            }
        }
    }

    fn variant(&self, variant: &Item, owner: &str, lines: &mut Lines) {
        let ItemEnum::Variant(inner) = &variant.inner else {
            return;
        };
        let name = variant.name.as_deref().unwrap_or_default();
        let path = format!("{owner}::{name}");
        let shape = match &inner.kind {
            VariantKind::Plain => String::new(),
            VariantKind::Tuple(fields) => format!("({})", self.tuple(fields)),
            VariantKind::Struct { .. } => " { .. }".into(),
        };
        let discriminant = inner
            .discriminant
            .as_ref()
            .map(|d| format!(" = {}", d.value))
            .unwrap_or_default();
        lines.add(
            owner,
            Rank::Part,
            format!("{}pub {path}{shape}{discriminant}", attributes(variant)),
        );
        if let VariantKind::Struct { fields, .. } = &inner.kind {
            // Variant fields are public with their enum.
            for field in fields.iter().filter_map(|id| self.get(id)) {
                if let (ItemEnum::StructField(ty), Some(field_name)) = (&field.inner, &field.name) {
                    lines.add(
                        owner,
                        Rank::Part,
                        format!("pub {path}::{field_name}: {}", self.writer.ty(ty)),
                    );
                }
            }
        }
    }

    /// A method, associated const or type of an inherent impl or a trait.
    fn member(&self, member: &Item, owner: &str, lines: &mut Lines) {
        let w = &self.writer;
        let name = member.name.as_deref().unwrap_or_default();
        let attrs = attributes(member);
        let line = match &member.inner {
            ItemEnum::Function(function) => format!(
                "{attrs}pub {}fn {owner}::{name}{}{}{}",
                header(&function.header),
                w.params(&function.generics.params),
                w.signature(&function.sig),
                w.where_clause(&function.generics)
            ),
            ItemEnum::AssocConst { type_, .. } => {
                format!("{attrs}pub const {owner}::{name}: {}", w.ty(type_))
            }
            ItemEnum::AssocType {
                generics,
                bounds,
                type_,
            } => {
                let mut line = format!(
                    "{attrs}pub type {owner}::{name}{}",
                    w.params(&generics.params)
                );
                if !bounds.is_empty() {
                    line.push_str(&format!(": {}", w.bounds(bounds)));
                }
                if let Some(ty) = type_ {
                    line.push_str(&format!(" = {}", w.ty(ty)));
                }
                line
            }
            _ => return,
        };
        lines.add(owner, Rank::Member, line);
    }

    fn impls(&self, impls: &[Id], owner: &str, lines: &mut Lines) {
        let w = &self.writer;
        for item in impls.iter().filter_map(|id| self.get(id)) {
            let ItemEnum::Impl(inner) = &item.inner else {
                continue;
            };
            if inner.blanket_impl.is_some() {
                continue;
            }
            let generics = w.params(&inner.generics.params);
            let where_clause = w.where_clause(&inner.generics);
            let for_ = w.ty(&inner.for_);
            let Some(trait_) = &inner.trait_ else {
                // An inherent impl: its public members, under the type.
                if !generics.is_empty() || !where_clause.is_empty() {
                    lines.add(
                        owner,
                        Rank::Member,
                        format!("impl{generics} {for_}{where_clause}"),
                    );
                }
                for member in inner.items.iter().filter_map(|id| self.get(id)) {
                    if member.visibility == Visibility::Public {
                        self.member(member, owner, lines);
                    }
                }
                continue;
            };
            let trait_name = trait_.path.rsplit("::").next().unwrap_or_default();
            if inner.is_synthetic && !LISTED_AUTO_TRAITS.contains(&trait_name) {
                continue;
            }
            let trait_path = w.path(trait_);
            if UNLISTED_TRAITS.contains(&trait_path.as_str()) {
                continue;
            }
            lines.add(
                owner,
                Rank::Impl,
                format!(
                    "impl{generics} {}{}{trait_path} for {for_}{where_clause}",
                    if inner.is_unsafe { "unsafe " } else { "" },
                    if inner.is_negative { "!" } else { "" },
                ),
            );
            // Associated types and consts say what the impl gives; its
            // methods are the trait's.
            for member in inner.items.iter().filter_map(|id| self.get(id)) {
                let name = member.name.as_deref().unwrap_or_default();
                let qualified = format!("<{for_} as {trait_path}>::{name}");
                match &member.inner {
                    ItemEnum::AssocType {
                        type_: Some(ty), ..
                    } => lines.add(
                        owner,
                        Rank::Impl,
                        format!("type {qualified} = {}", w.ty(ty)),
                    ),
                    ItemEnum::AssocConst { type_, .. } => lines.add(
                        owner,
                        Rank::Impl,
                        format!("const {qualified}: {}", w.ty(type_)),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// `#[non_exhaustive] ` and `#[deprecated] ` as they apply.
fn attributes(item: &Item) -> String {
    let mut text = String::new();
    if item.deprecation.is_some() {
        text.push_str("#[deprecated] ");
    }
    if item
        .attrs
        .iter()
        .any(|attr| matches!(attr, Attribute::NonExhaustive))
    {
        text.push_str("#[non_exhaustive] ");
    }
    text
}

/// `macro_rules! path { (matchers) => { ... }; }` on one line: rustdoc
/// gives the matchers (what callers may write) and hides the bodies.
fn macro_line(text: &str, path: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.split_once('{') {
        Some((_, arms)) => format!("macro_rules! {path} {{{arms}"),
        None => format!("macro_rules! {path}"),
    }
}
