//! One file per tag: the items of the generated client that compile under
//! exactly one feature (a tag's, or `full` for the types no operation
//! reaches) move out of `generated/mod.rs` into `generated/<tag>.rs`,
//! declared as `#[cfg(feature = "tag")] mod tag;`. rustc does not read a
//! module file whose `cfg` is off, so a user who turns on one tag does not
//! parse the others (a `cfg` on an item only drops it after parsing).
//!
//! Items several tags share (`cfg(any(feature = "a", feature = "b"))`) go
//! to one file per such set of tags, `generated/a_and_b.rs`, under the same
//! `any`: in a spec grown by more tags, a user of one tag reads only the
//! sets that include it, not every type two other tags share.
//!
//! The tag's file mirrors the modules it has items in (`types`,
//! `types::builder`, `builder`, `lists`, the root), so every path
//! progenitor wrote still resolves from where the item now is:
//!
//! - each mirrored module glob-imports its shared counterpart, visible in
//!   the whole tag module (`pub(super) use super::super::types::*;`), and
//!   repeats the shared module's own private `use` items: `super::X`,
//!   `types::X` and `X` find the same item as before;
//! - the shared module re-exports the tag's items
//!   (`#[cfg(feature = "tag")] pub use super::tag::types::*;`), so the public
//!   paths (`types::Task`, `builder::CreateTask`) do not change;
//! - an inherent `impl` whose methods have different gates (`impl Client`)
//!   is split into one `impl` per file.
//!
//! What stays in `mod.rs` is what compiles always: the client's frame, the
//! operation table, the list markers' trait.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;

/// The feature of the types no operation reaches (tag_features'
/// `Gate::Full`).
pub const FULL: &str = "full";

/// One gate's file.
pub struct Part {
    /// Its module name in `generated/` (and file stem).
    pub module: String,
    /// Its items, as a file.
    pub file: syn::File,
}

/// A generated file split by gate.
pub struct Split {
    /// `generated/mod.rs`: what is shared, the `mod` declarations and the
    /// re-exports.
    pub shared: syn::File,
    /// One per gate that has items, ordered by module name.
    pub parts: Vec<Part>,
}

/// A gate: the features any of which compiles an item (one, or several
/// for `cfg(any(...))`).
type Key = BTreeSet<String>;

/// Splits `file` by the features in `features` (the tags and [`FULL`]).
pub fn split(file: syn::File, features: &BTreeSet<String>) -> Result<Split> {
    let splitter = Splitter {
        features,
        modules: module_names(features)?,
    };
    let (mut shared, parts) = splitter.items(file.items, &[]);
    let mut out = Vec::new();
    let mut declarations = Vec::new();
    let mut taken: BTreeMap<String, Key> = BTreeMap::new();
    for (key, items) in parts {
        let module = splitter.module_name(&key);
        if let Some(other) = taken.insert(module.clone(), key.clone()) {
            bail!("the gates {other:?} and {key:?} would share the generated file `{module}.rs`");
        }
        let ident = format_ident!("{module}");
        let cfg = cfg(&key);
        declarations.push(syn::parse_quote!(#[cfg(#cfg)] mod #ident;));
        let doc = describe(&key);
        // Built as syntax, not printed and parsed again: the parts are
        // the whole generated client, and each round trip through tokens
        // costs as much as parsing it.
        let mut file_items: Vec<syn::Item> = vec![syn::parse_quote! {
            #[allow(unused_imports)]
            use super::*;
        }];
        file_items.extend(items);
        let file = syn::File {
            shebang: None,
            attrs: vec![syn::parse_quote!(#![doc = #doc])],
            items: file_items,
        };
        out.push(Part { module, file });
    }
    declarations.append(&mut shared);
    out.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(Split {
        shared: syn::File {
            shebang: file.shebang,
            attrs: file.attrs,
            items: declarations,
        },
        parts: out,
    })
}

/// The `cfg` predicate of a gate.
fn cfg(key: &Key) -> TokenStream {
    let features = key.iter();
    if key.len() == 1 {
        quote!(#(feature = #features)*)
    } else {
        quote!(any(#(feature = #features),*))
    }
}

/// The module doc of a gate's file.
fn describe(key: &Key) -> String {
    let names: Vec<String> = key.iter().map(|feature| format!("`{feature}`")).collect();
    match names.as_slice() {
        [_] if key.contains(FULL) => {
            " The types no operation reaches (feature `full` only).".to_owned()
        }
        [one] => format!(" The operations of tag {one} and the types only they use."),
        many => format!(
            " The types the operations of tags {} share.",
            many.join(", ")
        ),
    }
}

/// The module name of each feature: the tag with `-` as `_`, lower case,
/// prefixed with `tag_` when that is no identifier (a keyword, a digit
/// first). Two tags with the same module name are an error.
fn module_names(features: &BTreeSet<String>) -> Result<BTreeMap<String, String>> {
    let mut names = BTreeMap::new();
    let mut taken: BTreeMap<String, &String> = BTreeMap::new();
    for feature in features {
        let plain = feature.replace('-', "_").to_ascii_lowercase();
        // `mod` is a keyword too, so no tag becomes `mod.rs`.
        let name = if syn::parse_str::<syn::Ident>(&plain).is_ok() {
            plain
        } else {
            format!("tag_{plain}")
        };
        if let Some(other) = taken.insert(name.clone(), feature) {
            bail!("tags {other:?} and {feature:?} would share the generated file `{name}.rs`");
        }
        names.insert(feature.clone(), name);
    }
    Ok(names)
}

/// How many tags a shared file's name lists before it is abbreviated.
const MAX_NAMED_TAGS: usize = 3;

/// FNV-1a, 64 bits: a hash that is the same on every machine and every
/// Rust release (std's hashers promise neither), so generation stays
/// reproducible.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Splitter<'a> {
    features: &'a BTreeSet<String>,
    modules: BTreeMap<String, String>,
}

/// Items that stay, and each gate's items for the same module.
type Items = (Vec<syn::Item>, BTreeMap<Key, Vec<syn::Item>>);

impl Splitter<'_> {
    /// The module of a gate's file: its features' names joined by `_and_`,
    /// up to [`MAX_NAMED_TAGS`] of them. A set of more tags is named by
    /// its first tag, how many others, and a hash of them all: a file
    /// name must stay short (file systems stop at 255 bytes, and a type
    /// shared by twenty tags would pass that), and stable while the set is.
    fn module_name(&self, key: &Key) -> String {
        let names: Vec<&str> = key
            .iter()
            .map(|feature| self.modules[feature].as_str())
            .collect();
        let joined = names.join("_and_");
        if names.len() <= MAX_NAMED_TAGS {
            return joined;
        }
        format!(
            "{}_and_{}_more_{:08x}",
            names[0],
            names.len() - 1,
            fnv1a(joined.as_bytes()) as u32
        )
    }

    /// Splits the items of the module at `path` (empty: the root).
    fn items(&self, items: Vec<syn::Item>, path: &[syn::Ident]) -> Items {
        let mut shared = Vec::new();
        let mut parts: BTreeMap<Key, Vec<syn::Item>> = BTreeMap::new();
        for mut item in items {
            if let Some(key) = item_attrs(&mut item).and_then(|attrs| self.take_gate(attrs)) {
                parts.entry(key).or_default().push(item);
                continue;
            }
            match item {
                syn::Item::Mod(module) if module.content.is_some() => {
                    self.module(module, path, &mut shared, &mut parts);
                }
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    self.inherent_impl(block, &mut shared, &mut parts);
                }
                item => shared.push(item),
            }
        }
        (shared, parts)
    }

    fn module(
        &self,
        mut module: syn::ItemMod,
        path: &[syn::Ident],
        shared: &mut Vec<syn::Item>,
        parts: &mut BTreeMap<Key, Vec<syn::Item>>,
    ) {
        let Some((brace, items)) = module.content.take() else {
            return;
        };
        let mut path = path.to_vec();
        path.push(module.ident.clone());
        // The module's own imports, which its items' paths rely on.
        let imports: Vec<syn::Item> = items
            .iter()
            .filter(|item| {
                matches!(item, syn::Item::Use(import) if matches!(import.vis, syn::Visibility::Inherited))
            })
            .cloned()
            .collect();
        let (mut kept, inner) = self.items(items, &path);
        let depth = path.len();
        let up: Vec<TokenStream> = (0..depth).map(|_| quote!(super)).collect();
        for (key, items) in inner {
            let part = format_ident!("{}", self.module_name(&key));
            if items.iter().any(is_public_non_module) {
                let cfg = cfg(&key);
                kept.push(syn::parse_quote! {
                    #[cfg(#cfg)]
                    pub use #(#up::)* #part #(::#path)* ::*;
                });
            }
            // Visible in the whole part, not re-exported by the glob above
            // (which would make the two globs a cycle).
            let visibility = if depth == 1 {
                quote!(pub(super))
            } else {
                quote!(pub(in #(#up)::*))
            };
            let attrs = module
                .attrs
                .iter()
                .filter(|attr| !attr.path().is_ident("doc"));
            let ident = &module.ident;
            parts.entry(key).or_default().push(syn::parse_quote! {
                #(#attrs)*
                pub mod #ident {
                    #(#imports)*
                    #[allow(unused_imports)]
                    #visibility use super:: #(#up::)* #(#path)::* ::*;
                    #(#items)*
                }
            });
        }
        module.content = Some((brace, kept));
        shared.push(syn::Item::Mod(module));
    }

    /// `impl Client { … }`: each method goes where its gate says.
    fn inherent_impl(
        &self,
        mut block: syn::ItemImpl,
        shared: &mut Vec<syn::Item>,
        parts: &mut BTreeMap<Key, Vec<syn::Item>>,
    ) {
        let members = std::mem::take(&mut block.items);
        let had_members = !members.is_empty();
        let mut by_key: BTreeMap<Key, Vec<syn::ImplItem>> = BTreeMap::new();
        for mut member in members {
            let attrs = match &mut member {
                syn::ImplItem::Fn(member) => Some(&mut member.attrs),
                syn::ImplItem::Const(member) => Some(&mut member.attrs),
                syn::ImplItem::Type(member) => Some(&mut member.attrs),
                _ => None,
            };
            match attrs.and_then(|attrs| self.take_gate(attrs)) {
                Some(key) => by_key.entry(key).or_default().push(member),
                None => block.items.push(member),
            }
        }
        for (key, members) in by_key {
            let mut part = block.clone();
            part.items = members;
            parts.entry(key).or_default().push(syn::Item::Impl(part));
        }
        if !had_members || !block.items.is_empty() {
            shared.push(syn::Item::Impl(block));
        }
    }

    /// Removes and returns the gate of a `#[cfg(feature = "…")]` or
    /// `#[cfg(any(feature = "…", …))]` naming only features split by (its
    /// file's `mod` carries it).
    fn take_gate(&self, attrs: &mut Vec<syn::Attribute>) -> Option<Key> {
        let (index, key) = attrs.iter().enumerate().find_map(|(index, attr)| {
            let key = gate(attr)?;
            key.iter()
                .all(|feature| self.features.contains(feature))
                .then_some((index, key))
        })?;
        attrs.remove(index);
        Some(key)
    }
}

/// The features of `#[cfg(feature = "x")]` or `#[cfg(any(feature = "x", …))]`.
fn gate(attr: &syn::Attribute) -> Option<Key> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let key: Key = match attr.parse_args::<syn::Meta>().ok()? {
        syn::Meta::List(list) if list.path.is_ident("any") => list
            .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
            .ok()?
            .iter()
            .map(feature)
            .collect::<Option<_>>()?,
        meta => BTreeSet::from([feature(&meta)?]),
    };
    (!key.is_empty()).then_some(key)
}

/// `x` of `feature = "x"`.
fn feature(meta: &syn::Meta) -> Option<String> {
    match meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            path,
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(value),
                    ..
                }),
            ..
        }) if path.is_ident("feature") => Some(value.value()),
        _ => None,
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Const(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Mod(item) => Some(&mut item.attrs),
        syn::Item::Static(item) => Some(&mut item.attrs),
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Trait(item) => Some(&mut item.attrs),
        syn::Item::Type(item) => Some(&mut item.attrs),
        syn::Item::Union(item) => Some(&mut item.attrs),
        syn::Item::Use(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// Whether the shared module must re-export `item` for its path to stay
/// (modules need not be: the shared module has its own of that name).
fn is_public_non_module(item: &syn::Item) -> bool {
    let vis = match item {
        syn::Item::Const(item) => &item.vis,
        syn::Item::Enum(item) => &item.vis,
        syn::Item::Fn(item) => &item.vis,
        syn::Item::Static(item) => &item.vis,
        syn::Item::Struct(item) => &item.vis,
        syn::Item::Trait(item) => &item.vis,
        syn::Item::Type(item) => &item.vis,
        syn::Item::Union(item) => &item.vis,
        syn::Item::Use(item) => &item.vis,
        _ => return false,
    };
    matches!(vis, syn::Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    fn client() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[cfg(feature = "tasks")]
                pub struct Task { pub label: Option<Label> }
                #[cfg(any(feature = "candidates", feature = "tasks"))]
                pub struct Label { pub name: String }
                #[cfg(feature = "full")]
                pub struct Unused;
                #[cfg(feature = "schemars")]
                pub struct NotATag;
                pub mod builder {
                    #[cfg(feature = "tasks")]
                    pub struct Task { label: Option<super::Label> }
                }
                pub mod error { pub struct ConversionError; }
            }
            pub struct Client;
            impl Client {
                pub fn new() -> Self { Client }
                #[cfg(feature = "tasks")]
                pub fn create_task(&self) -> builder::CreateTask<'_> { builder::CreateTask::new(self) }
            }
            pub mod builder {
                use super::types;
                #[cfg(feature = "tasks")]
                pub struct CreateTask<'a> { client: &'a super::Client, body: types::builder::Task }
            }
            #[cfg(feature = "candidates")]
            impl types::Label { pub fn clear(&mut self) {} }
        }
    }

    #[test]
    fn a_file_shared_by_many_tags_has_a_short_stable_name() {
        let all = features(&["a", "b", "c", "d", "e"]);
        let splitter = Splitter {
            features: &all,
            modules: module_names(&all).unwrap(),
        };
        let three: Key = features(&["a", "b", "c"]);
        assert_eq!(splitter.module_name(&three), "a_and_b_and_c");
        let five: Key = all.clone();
        let name = splitter.module_name(&five);
        assert_eq!(name, splitter.module_name(&five));
        assert!(
            name.starts_with("a_and_4_more_") && name.len() == 21,
            "{name}"
        );
        let other: Key = features(&["a", "b", "c", "e"]);
        assert_ne!(splitter.module_name(&other), name);
        assert!(syn::parse_str::<syn::Ident>(&name).is_ok());
        // FNV-1a's published test vector: the same hash everywhere.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn each_gate_gets_a_file_that_mirrors_the_modules_it_has_items_in() {
        let split = split(client(), &features(&["candidates", "tasks", FULL])).unwrap();
        let modules: Vec<&str> = split.parts.iter().map(|p| p.module.as_str()).collect();
        assert_eq!(
            modules,
            ["candidates", "candidates_and_tasks", "full", "tasks"]
        );
        let shared = text(&split.shared);
        for expected in [
            "#[cfg(feature = \"tasks\")]\nmod tasks;\n",
            "#[cfg(any(feature = \"candidates\", feature = \"tasks\"))]\nmod candidates_and_tasks;\n",
            // The public paths stay: the shared modules re-export the parts'.
            "    #[cfg(feature = \"tasks\")]\n    pub use super::tasks::types::*;\n",
            "        #[cfg(feature = \"tasks\")]\n        pub use super::super::tasks::types::builder::*;\n",
            "    #[cfg(feature = \"tasks\")]\n    pub use super::tasks::builder::*;\n",
            // What is not a split feature stays, with its gate.
            "    #[cfg(feature = \"schemars\")]\n    pub struct NotATag;\n",
            "    pub fn new() -> Self {",
        ] {
            assert!(shared.contains(expected), "{expected:?} in:\n{shared}");
        }
        for gone in [
            "pub struct Task",
            "create_task",
            "struct Label",
            "Unused",
            "fn clear",
        ] {
            assert!(!shared.contains(gone), "{gone:?} still in:\n{shared}");
        }
        // `candidates` has only an impl at the root: nothing to re-export.
        assert!(!shared.contains("candidates::"), "{shared}");

        let tasks = text(&split.parts[3].file);
        for expected in [
            "//! The operations of tag `tasks` and the types only they use.\n",
            "#[allow(unused_imports)]\nuse super::*;\n",
            // Shared names resolve as they did, from everywhere in the part.
            "pub mod types {\n    #[allow(unused_imports)]\n    pub(super) use super::super::types::*;\n    pub struct Task {",
            "    pub mod builder {\n        #[allow(unused_imports)]\n        pub(in super::super) use super::super::super::types::builder::*;\n        pub struct Task {",
            // The module's own imports come along.
            "pub mod builder {\n    use super::types;\n    #[allow(unused_imports)]\n    pub(super) use super::super::builder::*;\n    pub struct CreateTask<'a>",
            "impl Client {\n    pub fn create_task(&self)",
        ] {
            assert!(tasks.contains(expected), "{expected:?} in:\n{tasks}");
        }
        // The file's `mod` carries the gate; the items lose theirs.
        assert!(!tasks.contains("cfg("), "{tasks}");
        assert!(!tasks.contains("pub fn new"), "{tasks}");
        assert!(!tasks.contains("pub mod error"), "{tasks}");

        let shared_types = text(&split.parts[1].file);
        assert!(
            shared_types
                .contains("//! The types the operations of tags `candidates`, `tasks` share.\n"),
            "{shared_types}"
        );
        assert!(
            shared_types.contains("    pub struct Label {"),
            "{shared_types}"
        );
        let candidates = text(&split.parts[0].file);
        assert!(
            candidates.contains("impl types::Label {\n    pub fn clear"),
            "{candidates}"
        );
        let full = text(&split.parts[2].file);
        assert!(full.contains("//! The types no operation reaches (feature `full` only).\n"));
        assert!(full.contains("    pub struct Unused;"), "{full}");
    }

    #[test]
    fn a_split_client_merges_back_into_the_same_items() {
        let split = split(client(), &features(&["candidates", "tasks", FULL])).unwrap();
        let merged =
            api_surface::merge(split.shared, split.parts.into_iter().map(|part| part.file));
        let surface = |file: &syn::File| api_surface::Surface::parse(&text(file)).unwrap().render();
        assert_eq!(surface(&merged), surface(&client()));
        assert!(surface(&merged).contains("struct Task\n"));
    }

    #[test]
    fn tag_names_become_module_names() {
        let names = module_names(&features(&[
            "client-contacts",
            "Mod",
            "2024",
            "type",
            "full",
        ]))
        .unwrap();
        assert_eq!(names["client-contacts"], "client_contacts");
        // Keywords (`mod` would be `mod.rs`) and leading digits are prefixed.
        assert_eq!(names["Mod"], "tag_mod");
        assert_eq!(names["type"], "tag_type");
        assert_eq!(names["2024"], "tag_2024");
        assert_eq!(names["full"], "full");
        let error = module_names(&features(&["a-b", "a_b"])).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("tags \"a-b\" and \"a_b\" would share the generated file `a_b.rs`"),
            "{error}"
        );
    }

    #[test]
    fn a_gate_is_one_feature_or_any_of_several() {
        let attr = |tokens: TokenStream| -> syn::Attribute { syn::parse_quote!(#[cfg(#tokens)]) };
        assert_eq!(
            gate(&attr(quote!(feature = "tasks"))),
            Some(features(&["tasks"]))
        );
        assert_eq!(
            gate(&attr(quote!(any(feature = "a", feature = "b")))),
            Some(features(&["a", "b"]))
        );
        assert_eq!(gate(&attr(quote!(all(feature = "a", feature = "b")))), None);
        assert_eq!(gate(&attr(quote!(any(feature = "a", test)))), None);
        assert_eq!(gate(&attr(quote!(test))), None);
        let doc: syn::Attribute = syn::parse_quote!(#[doc = "feature"]);
        assert_eq!(gate(&doc), None);
    }
}
