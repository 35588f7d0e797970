//! Which generated types an operation sends and answers with, read from
//! progenitor's own output (its `builder` module), so the operation table
//! can name them without re-implementing progenitor's type naming.
//!
//! - The request body type: a builder struct's `body` field,
//!   `Result<types::builder::X, String>`, means `types::X`.
//! - The success type: the builder's `send` returns
//!   `Result<ResponseValue<T>, Error<E>>`.
//! - Which operation a builder is: the `OperationInfo { operation_id: "…" }`
//!   its `send` builds.

use std::collections::HashMap;

use quote::ToTokens;

/// The generated types of one operation.
#[derive(Debug, Clone)]
pub struct Types {
    /// `types::X` of the JSON request body, if the operation takes one.
    pub request: Option<syn::Type>,
    /// The success type (`types::Task`, or `()` without a body).
    pub success: syn::Type,
}

/// The types of every operation of the generated `file`, by operation id.
pub fn by_operation(file: &syn::File) -> HashMap<String, Types> {
    let Some(builder) = module(&file.items, "builder") else {
        return HashMap::new();
    };
    let mut bodies = HashMap::new();
    for item in builder {
        if let syn::Item::Struct(item) = item
            && let Some(body) = item
                .fields
                .iter()
                .find(|field| field.ident.as_ref().is_some_and(|ident| ident == "body"))
            && let Some(request) = body_type(&body.ty)
        {
            bodies.insert(item.ident.to_string(), request);
        }
    }
    let mut types = HashMap::new();
    for (name, send, id) in sends(builder) {
        if let Some(success) = success_type(&send.sig.output) {
            types.insert(
                id,
                Types {
                    request: bodies.get(&name).cloned(),
                    success,
                },
            );
        }
    }
    types
}

/// The operation id of every operation builder of the generated `file`,
/// by builder struct name (`CreateTask` → `create_task`).
pub fn builder_operations(file: &syn::File) -> HashMap<String, String> {
    sends(module(&file.items, "builder").unwrap_or_default())
        .map(|(name, _, id)| (name, id))
        .collect()
}

/// Every builder's `send` in the `builder` module's `items`: the builder's
/// name, the method, and the operation id its `OperationInfo` names.
fn sends(items: &[syn::Item]) -> impl Iterator<Item = (String, &syn::ImplItemFn, String)> {
    items.iter().flat_map(|item| {
        let syn::Item::Impl(block) = item else {
            return Vec::new();
        };
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else {
            return Vec::new();
        };
        let Some(name) = self_type.path.segments.last().map(|s| s.ident.to_string()) else {
            return Vec::new();
        };
        block
            .items
            .iter()
            .filter_map(|member| match member {
                syn::ImplItem::Fn(send) if send.sig.ident == "send" => {
                    operation_id(&send.block).map(|id| (name.clone(), send, id))
                }
                _ => None,
            })
            .collect()
    })
}

/// The names of the generated types (structs, enums and aliases of the
/// `types` module).
pub fn type_names(file: &syn::File) -> std::collections::HashSet<String> {
    module(&file.items, "types")
        .unwrap_or_default()
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            syn::Item::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

/// `Result<types::builder::X, String>` → `types::X`.
fn body_type(ty: &syn::Type) -> Option<syn::Type> {
    let first = generic_arguments(ty, "Result")?.into_iter().next()?;
    let syn::Type::Path(path) = first else {
        return None;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    match segments.as_slice() {
        [types, builder, name] if types == "types" && builder == "builder" => {
            syn::parse_str(&format!("types::{name}")).ok()
        }
        _ => None,
    }
}

/// `-> Result<ResponseValue<T>, Error<E>>` → `T`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let value = generic_arguments(ty, "Result")?.into_iter().next()?;
    generic_arguments(value, "ResponseValue")?
        .into_iter()
        .next()
        .cloned()
}

/// The type arguments of `ty` when its last path segment is `name`.
pub(crate) fn generic_arguments<'a>(ty: &'a syn::Type, name: &str) -> Option<Vec<&'a syn::Type>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
    )
}

/// The string after `operation_id :` in `block`'s tokens.
fn operation_id(block: &syn::Block) -> Option<String> {
    let mut tokens = block.to_token_stream().into_iter();
    find_operation_id(&mut tokens)
}

fn find_operation_id(tokens: &mut dyn Iterator<Item = proc_macro2::TokenTree>) -> Option<String> {
    use proc_macro2::TokenTree;
    let mut previous: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        if let TokenTree::Group(group) = &tree
            && let Some(id) = find_operation_id(&mut group.stream().into_iter())
        {
            return Some(id);
        }
        if let TokenTree::Literal(literal) = &tree
            && let [.., TokenTree::Ident(ident), TokenTree::Punct(colon)] = previous.as_slice()
            && ident == "operation_id"
            && colon.as_char() == ':'
        {
            let text = literal.to_string();
            return text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .map(str::to_owned);
        }
        previous.push(tree);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_success_types_come_from_the_builders() {
        let file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct CreateTask<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::CreateTaskRequest, String>,
                }
                impl<'a> CreateTask<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Task>, Error<types::ErrorBody>> {
                        let info = OperationInfo { operation_id: "create_task" };
                        answer()
                    }
                }
                pub struct GetThing<'a> { client: &'a super::Client, id: Result<String, String> }
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let info = OperationInfo { operation_id: "get_thing" };
                        answer()
                    }
                }
            }
        };
        let types = by_operation(&file);
        let create = &types["create_task"];
        assert_eq!(
            create.request.to_token_stream().to_string(),
            "types :: CreateTaskRequest"
        );
        assert_eq!(
            create.success.to_token_stream().to_string(),
            "types :: Task"
        );
        let get = &types["get_thing"];
        assert!(get.request.is_none());
        assert_eq!(get.success.to_token_stream().to_string(), "()");
    }
}
