//! Puts a client split by tag back together: `cargo xtask generate` writes
//! `generated/mod.rs` and one `generated/<tag>.rs` per tag, whose modules
//! mirror the shared file's (`types`, `types::builder`, `builder`, …) and
//! which the shared file re-exports, so each item's public path is that of
//! the mirrored module.

/// Adds the items of every file of `parts` to the same-named modules of
/// `shared` (a module only a part has is added as it is). The parts' `use`
/// items are left out: they are how a part sees the shared items, not API.
pub fn merge(mut shared: syn::File, parts: impl IntoIterator<Item = syn::File>) -> syn::File {
    for part in parts {
        merge_items(&mut shared.items, part.items);
    }
    shared
}

fn merge_items(into: &mut Vec<syn::Item>, items: Vec<syn::Item>) {
    for item in items {
        match item {
            syn::Item::Use(_) => {}
            syn::Item::Mod(module) if module.content.is_some() => {
                let target = into.iter_mut().find_map(|item| match item {
                    syn::Item::Mod(existing)
                        if existing.ident == module.ident && existing.content.is_some() =>
                    {
                        existing.content.as_mut().map(|(_, items)| items)
                    }
                    _ => None,
                });
                match (target, module.content) {
                    (Some(target), Some((_, items))) => merge_items(target, items),
                    (None, content) => into.push(syn::Item::Mod(syn::ItemMod {
                        content: content.map(|(brace, items)| {
                            let mut kept = Vec::new();
                            merge_items(&mut kept, items);
                            (brace, kept)
                        }),
                        ..module
                    })),
                    (Some(_), None) => {}
                }
            }
            item => into.push(item),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parts_modules_join_the_shared_ones_of_the_same_name() {
        let shared: syn::File = syn::parse_quote! {
            mod tasks;
            pub mod types {
                pub struct Shared;
                pub mod builder { pub struct Shared; }
                pub use super::tasks::types::*;
            }
            impl Client { pub fn new() -> Self { Client } }
        };
        let part: syn::File = syn::parse_quote! {
            use super::*;
            pub mod types {
                pub(super) use super::super::types::*;
                pub struct Task;
                pub mod builder { pub struct Task; }
            }
            pub mod lists { pub struct ListTasks; }
            impl Client { pub fn create_task(&self) {} }
        };
        let merged = merge(shared, [part]);
        let expected: syn::File = syn::parse_quote! {
            mod tasks;
            pub mod types {
                pub struct Shared;
                pub mod builder { pub struct Shared; pub struct Task; }
                pub use super::tasks::types::*;
                pub struct Task;
            }
            impl Client { pub fn new() -> Self { Client } }
            pub mod lists { pub struct ListTasks; }
            impl Client { pub fn create_task(&self) {} }
        };
        assert_eq!(tokens(&merged), tokens(&expected));
    }

    /// Token text, to compare files without a formatter.
    fn tokens(file: &syn::File) -> String {
        quote::quote!(#file).to_string()
    }
}
