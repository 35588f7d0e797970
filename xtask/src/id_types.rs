//! The spec's kinds of id, as a macro the wrappers expand.
//!
//! A kind of id is a component schema whose name ends in `Id` and whose
//! type is a plain string (`CandidateId`, `ProspectId`; spec/README.md,
//! "Ids are typed"). Each generated crate gets
//!
//! ```text
//! spott_openapi::for_each_id_type!(path::to::callback { ARGS });
//! // expands to
//! path::to::callback! { ARGS krate = spott_openapi; ids = [#[cfg(…)] ApplicationId, …] }
//! ```
//!
//! with each type's own `cfg` (the tags whose operations reach it). The
//! wrappers pass `spott_saleshandy_core::id_conversions`, which writes
//! their `IntoId` trait, its conversions and the re-exports from that list,
//! so a new kind of id, or a tag that starts using one, is a spec edit and
//! nothing else. The features named in the `cfg`s are the wrapper's own:
//! each wrapper has every tag feature of its generated crate, forwarded.
//!
//! [`add_display`] gives each kind `Display` (the id's text, as sent), which
//! typify does not write for a constrained string: `format!("{id}")` and
//! `id.to_string()` work without a detour through `Deref`. It has to be in
//! the generated crate: the orphan rule keeps a wrapper from writing it.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The component schemas that are kinds of id, by name.
pub fn kinds(openapi: &OpenAPI) -> BTreeSet<String> {
    let Some(components) = &openapi.components else {
        return BTreeSet::new();
    };
    components
        .schemas
        .iter()
        .filter(|(name, schema)| {
            name.ends_with("Id")
                && matches!(
                    schema,
                    ReferenceOr::Item(schema)
                        if matches!(schema.schema_kind, SchemaKind::Type(Type::String(_)))
                )
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The kinds generated in `client`'s `types` module, each with the `cfg`
/// attributes it was given there.
fn generated_kinds<'a>(
    openapi: &OpenAPI,
    client: &'a syn::File,
) -> Vec<(&'a syn::Ident, Vec<&'a syn::Attribute>)> {
    let kinds = kinds(openapi);
    let types = client.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    });
    types
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let syn::Item::Struct(item) = item else {
                return None;
            };
            if !kinds.contains(&item.ident.to_string()) {
                return None;
            }
            let cfgs = item.attrs.iter().filter(|attr| attr.path().is_ident("cfg"));
            Some((&item.ident, cfgs.collect()))
        })
        .collect()
}

/// Appends `impl Display` for each kind to `client`'s `types` module, under
/// the kind's own `cfg` (so `tag_files` puts it in the kind's file).
pub fn add_display(openapi: &OpenAPI, client: &mut syn::File) {
    let impls: Vec<syn::Item> = generated_kinds(openapi, client)
        .into_iter()
        .map(|(name, cfgs)| {
            syn::parse_quote! {
                #(#cfgs)*
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        })
        .collect();
    let types = client.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    });
    if let Some((_, items)) = types {
        items.extend(impls);
    }
}

/// The `for_each_id_type!` macro, for the kinds generated in `client`'s
/// `types` module, each with the `cfg` attributes it was given there.
pub fn tokens(openapi: &OpenAPI, client: &syn::File) -> TokenStream {
    let entries = generated_kinds(openapi, client)
        .into_iter()
        .map(|(name, cfgs)| {
            let name = format_ident!("{}", name);
            quote!(#(#cfgs)* #name)
        });
    quote! {
        /// Calls `callback! { ARGS krate = this_crate; ids = [#[cfg(…)] IdType, …] }`
        /// with every kind of id of the spec (a string component named
        /// `…Id`) and the features under which it is compiled: for the
        /// wrapper's id conversions, so that list is never written by hand.
        #[doc(hidden)]
        #[macro_export]
        macro_rules! for_each_id_type {
            ($($callback:ident)::+ { $($args:tt)* }) => {
                $($callback)::+! { $($args)* krate = $crate; ids = [#(#entries),*] }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "CandidateId": {"type": "string", "minLength": 1},
                "ClientId": {"type": "string"},
                "CreatedId": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Candidate": {"type": "string"},
                "CountId": {"type": "integer"}
            }}
        }))
        .unwrap()
    }

    #[test]
    fn string_components_named_id_are_the_kinds() {
        assert_eq!(
            kinds(&spec()).into_iter().collect::<Vec<_>>(),
            ["CandidateId", "ClientId"]
        );
    }

    #[test]
    fn the_macro_lists_each_generated_kind_with_its_cfg() {
        let client: syn::File = syn::parse_quote! {
            pub mod types {
                #[cfg(any(feature = "candidates", feature = "tasks"))]
                #[derive(Clone)]
                pub struct CandidateId(String);
                pub struct Candidate(String);
            }
        };
        let text = tokens(&spec(), &client).to_string();
        assert!(
            text.contains(
                "ids = [# [cfg (any (feature = \"candidates\" , feature = \"tasks\"))] CandidateId]"
            ),
            "{text}"
        );
        // ClientId is a kind but was not generated: it is not listed.
        assert!(!text.contains("ClientId"), "{text}");
    }

    #[test]
    fn each_generated_kind_gets_display_under_its_cfg() {
        let mut client: syn::File = syn::parse_quote! {
            pub mod types {
                #[cfg(feature = "tasks")]
                pub struct CandidateId(String);
                pub struct Candidate(String);
            }
        };
        add_display(&spec(), &mut client);
        let syn::Item::Mod(types) = &client.items[0] else {
            panic!("no types module")
        };
        let items = &types.content.as_ref().unwrap().1;
        assert_eq!(items.len(), 3, "one impl, for the one kind");
        let text = quote!(#(#items)*).to_string();
        assert!(
            text.contains(
                "# [cfg (feature = \"tasks\")] impl :: std :: fmt :: Display for CandidateId"
            ),
            "{text}"
        );
        assert!(!text.contains("Display for Candidate "), "{text}");
    }
}
