//! For every generated type with `Option<Nullable<T>>` fields (the PATCH
//! fields that "clear" with `null`, see `rust_types.rs`), an impl that
//! names them and sets one to `null` by its JSON name. Decoding a JSON body
//! reads `null` as "absent" (serde's `Option`), so a wrapper reading a body
//! from a file puts the clears back with `set_null` instead of a hand-kept
//! list of fields.

use proc_macro2::TokenStream;
use quote::quote;

use crate::tag_features::Gates;

/// The impls for the `types` module of the generated `file`.
pub fn tokens(file: &syn::File, gates: &Gates) -> TokenStream {
    let Some(types) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
        _ => None,
    }) else {
        return TokenStream::new();
    };
    let impls = types.1.iter().filter_map(|item| {
        let syn::Item::Struct(item) = item else {
            return None;
        };
        let fields: Vec<(String, syn::Ident)> = item
            .fields
            .iter()
            .filter(|field| is_optional_nullable(&field.ty))
            .filter_map(|field| {
                let ident = field.ident.clone()?;
                Some((json_name(field).unwrap_or_else(|| ident.to_string()), ident))
            })
            .collect();
        if fields.is_empty() {
            return None;
        }
        let name = &item.ident;
        let gate = gates.type_gate(&name.to_string()).attribute();
        let names = fields.iter().map(|(json, _)| json);
        let arms = fields.iter().map(|(json, ident)| {
            quote! { #json => { self.#ident = Some(crate::Nullable::Null); true } }
        });
        Some(quote! {
            #gate
            impl types::#name {
                /// The JSON names of the fields that `null` clears.
                pub const NULLABLE_FIELDS: &'static [&'static str] = &[#(#names),*];

                /// Sets the field with this JSON name to `null` (clear it);
                /// `false` if no such field is nullable.
                pub fn set_null(&mut self, field: &str) -> bool {
                    match field {
                        #(#arms)*
                        _ => false,
                    }
                }
            }
        })
    });
    quote! { #(#impls)* }
}

/// `Option<…Nullable<…>>`, however the paths are spelled.
fn is_optional_nullable(ty: &syn::Type) -> bool {
    let Some(inner) = single_generic(ty, "Option") else {
        return false;
    };
    single_generic(inner, "Nullable").is_some()
}

/// The first generic argument of `ty` when its last path segment is `name`.
fn single_generic<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::Type> {
    crate::operation_types::generic_arguments(ty, name)?
        .first()
        .copied()
}

/// The field's `#[serde(rename = "…")]`, if it has one.
fn json_name(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Another `key = value` (skip_serializing_if, default…).
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        renamed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_fields_get_a_setter_by_json_name() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Update {
                    #[serde(rename = "dateOfBirth", default, skip_serializing_if = "Option::is_none")]
                    pub date_of_birth: ::std::option::Option<::x::Nullable<String>>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    pub gender: Option<Nullable<Gender>>,
                    pub name: Option<String>,
                }
                pub struct Plain { pub a: Option<String> }
            }
        };
        let text = tokens(&file, &Gates::none()).to_string();
        assert!(text.contains("impl types :: Update"), "{text}");
        assert!(
            text.contains(
                r#"NULLABLE_FIELDS : & 'static [& 'static str] = & ["dateOfBirth" , "gender"]"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#""dateOfBirth" => { self . date_of_birth = Some"#),
            "{text}"
        );
        assert!(!text.contains("Plain"), "{text}");
        assert!(!text.contains("\"name\""), "{text}");
    }
}
