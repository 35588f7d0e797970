//! The types of the generated `types` module.

use std::fmt::Write;

use crate::type_name;

/// One generated type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// What it is, with its fields or variants.
    pub kind: TypeKind,
}

/// The shape of a generated type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// A tuple struct wrapping one type (typify's constrained strings).
    Newtype(String),
    /// An enum.
    Enum {
        /// `untagged`, `tag = "…"` or empty for externally tagged / unit enums.
        representation: String,
        /// Its variants.
        variants: Vec<Variant>,
    },
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The Rust name.
    pub name: String,
    /// The Rust type, rendered.
    pub ty: String,
    /// The JSON name when it differs from the Rust name.
    pub json_name: Option<String>,
}

/// An enum variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The Rust name.
    pub name: String,
    /// The JSON value when it differs from the Rust name.
    pub json_name: Option<String>,
    /// The wrapped types of a tuple variant, rendered.
    pub payload: Vec<String>,
}

/// Collects the items of `pub mod types` (not its `builder`/`error` helpers).
pub fn collect(file: &syn::File) -> Vec<TypeDef> {
    let Some(items) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            module.content.as_ref().map(|(_, items)| items)
        }
        _ => None,
    }) else {
        return Vec::new();
    };
    items.iter().filter_map(type_def).collect()
}

fn type_def(item: &syn::Item) -> Option<TypeDef> {
    match item {
        syn::Item::Struct(item) if is_public(&item.vis) => {
            let kind = match &item.fields {
                syn::Fields::Named(fields) => TypeKind::Struct(
                    fields
                        .named
                        .iter()
                        .map(|field| Field {
                            name: field
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                            ty: type_name::render(&field.ty),
                            json_name: serde_rename(&field.attrs),
                        })
                        .collect(),
                ),
                syn::Fields::Unnamed(fields) => TypeKind::Newtype(
                    fields
                        .unnamed
                        .iter()
                        .map(|field| type_name::render(&field.ty))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                syn::Fields::Unit => TypeKind::Struct(Vec::new()),
            };
            Some(TypeDef {
                name: item.ident.to_string(),
                kind,
            })
        }
        syn::Item::Enum(item) if is_public(&item.vis) => Some(TypeDef {
            name: item.ident.to_string(),
            kind: TypeKind::Enum {
                representation: serde_representation(&item.attrs),
                variants: item
                    .variants
                    .iter()
                    .map(|variant| Variant {
                        name: variant.ident.to_string(),
                        json_name: serde_rename(&variant.attrs),
                        payload: variant
                            .fields
                            .iter()
                            .map(|field| type_name::render(&field.ty))
                            .collect(),
                    })
                    .collect(),
            },
        }),
        _ => None,
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The serde key/value pairs of `#[serde(...)]` attributes, as strings.
fn serde_args(attrs: &[syn::Attribute]) -> Vec<(String, Option<String>)> {
    let mut args = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        // Attributes we cannot read are skipped, not fatal: the listing
        // then shows the Rust name, which is still a faithful surface.
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let value = match meta.value() {
                Ok(stream) => match stream.parse::<syn::Lit>() {
                    Ok(syn::Lit::Str(lit)) => Some(lit.value()),
                    _ => None,
                },
                Err(_) => None,
            };
            args.push((key, value));
            Ok(())
        });
    }
    args
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_args(attrs)
        .into_iter()
        .find(|(key, _)| key == "rename")
        .and_then(|(_, value)| value)
}

fn serde_representation(attrs: &[syn::Attribute]) -> String {
    let args = serde_args(attrs);
    let mut parts = Vec::new();
    for (key, value) in args {
        match (key.as_str(), value) {
            ("untagged", _) => parts.push("untagged".to_owned()),
            ("tag", Some(tag)) => parts.push(format!("tag = {tag:?}")),
            ("content", Some(content)) => parts.push(format!("content = {content:?}")),
            _ => {}
        }
    }
    parts.join(", ")
}

impl TypeDef {
    /// Appends this type's block to `out`.
    pub fn render(&self, out: &mut String) {
        match &self.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(out, "struct {}", self.name);
                for field in fields {
                    let _ = write!(out, "  {}: {}", field.name, field.ty);
                    if let Some(json) = &field.json_name {
                        let _ = write!(out, "  json {json:?}");
                    }
                    out.push('\n');
                }
            }
            TypeKind::Newtype(inner) => {
                let _ = writeln!(out, "newtype {}({inner})", self.name);
            }
            TypeKind::Enum {
                representation,
                variants,
            } => {
                let _ = write!(out, "enum {}", self.name);
                if !representation.is_empty() {
                    let _ = write!(out, "  serde({representation})");
                }
                out.push('\n');
                for variant in variants {
                    let _ = write!(out, "  {}", variant.name);
                    if !variant.payload.is_empty() {
                        let _ = write!(out, "({})", variant.payload.join(", "));
                    }
                    if let Some(json) = &variant.json_name {
                        let _ = write!(out, "  json {json:?}");
                    }
                    out.push('\n');
                }
            }
        }
    }
}
