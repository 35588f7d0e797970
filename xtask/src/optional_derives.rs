//! Derives that only some users need move behind a feature of the generated
//! crate: typify writes `#[derive(..., schemars::JsonSchema)]` on every type
//! (the drift tests need the schemas); this turns each into
//! `#[derive(...)]` plus `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`,
//! so a user who does not turn `schemars` on neither compiles the derives
//! nor depends on the crate.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

/// A derive made optional, and the feature that turns it on.
pub struct OptionalDerive {
    /// The derive's path as typify writes it (`schemars::JsonSchema`).
    pub path: &'static str,
    /// The generated crate's feature.
    pub feature: &'static str,
}

/// The derives the generated crates make optional.
pub const OPTIONAL: &[OptionalDerive] = &[OptionalDerive {
    path: "schemars::JsonSchema",
    feature: "schemars",
}];

/// Rewrites every `#[derive]` in `file` that lists one of [`OPTIONAL`].
pub fn apply(file: &mut syn::File) {
    Rewriter.visit_file_mut(file);
}

struct Rewriter;

impl VisitMut for Rewriter {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut added = Vec::new();
        for attr in attrs.iter_mut() {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            let (optional, kept): (Vec<syn::Path>, Vec<syn::Path>) = paths
                .into_iter()
                .partition(|path| find_optional(path).is_some());
            if optional.is_empty() {
                continue;
            }
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
            for path in optional {
                let feature = optional_feature(&path);
                added.push(syn::parse_quote!(#[cfg_attr(feature = #feature, derive(#path))]));
            }
        }
        attrs.extend(added);
    }
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

fn find_optional(path: &syn::Path) -> Option<&'static OptionalDerive> {
    let text = path_text(path);
    OPTIONAL.iter().find(|derive| derive.path == text)
}

fn optional_feature(path: &syn::Path) -> &'static str {
    find_optional(path).map_or("", |derive| derive.feature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_derive_moves_behind_its_feature_and_the_rest_stays() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, schemars::JsonSchema, PartialEq)]
                #[serde(rename_all = "camelCase")]
                pub struct Task { pub id: String }
                #[derive(Clone, Debug)]
                pub enum Plain { A }
            }
        };
        apply(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains(
                "#[derive(Clone, Debug, PartialEq)]\n    #[serde(rename_all = \"camelCase\")]\n    #[cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]\n    pub struct Task"
            ),
            "{text}"
        );
        assert!(
            text.contains("#[derive(Clone, Debug)]\n    pub enum Plain"),
            "{text}"
        );
        assert!(!text.contains(
            "cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]\n    pub enum Plain"
        ));
    }
}
