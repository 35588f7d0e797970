//! The operations of the generated `Client` and their builders.

use std::fmt::Write;

use crate::type_name;

/// One operation of the generated client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `Client` method (the spec's `operationId`).
    pub name: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Builder inputs: `(name, type)` — path parameters, query parameters, body.
    pub inputs: Vec<(String, String)>,
    /// What `send()` returns, rendered.
    pub returns: String,
}

/// Finds `impl Client` methods documented as "Sends a `M` request to `P`"
/// and reads their builders' fields and `send` return types.
pub fn collect(file: &syn::File) -> Vec<Operation> {
    let builders = builder_items(file);
    let mut operations = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        for impl_item in &block.items {
            let syn::ImplItem::Fn(method) = impl_item else {
                continue;
            };
            let Some((http_method, path)) = sends(&method.attrs) else {
                continue;
            };
            let name = method.sig.ident.to_string();
            let builder = builder_name(&method.sig.output);
            let (inputs, returns) = builder
                .and_then(|builder| describe_builder(&builders, &builder))
                .unwrap_or_default();
            operations.push(Operation {
                name,
                method: http_method,
                path,
                inputs,
                returns,
            });
        }
    }
    operations
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

/// `(METHOD, /path)` from a "Sends a `METHOD` request to `/path`" doc line.
fn sends(attrs: &[syn::Attribute]) -> Option<(String, String)> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .find_map(|doc| {
            let line = doc
                .lines()
                .find(|line| line.trim_start().starts_with("Sends a `"))?;
            let mut ticks = line.split('`');
            let method = ticks.nth(1)?.to_owned();
            let path = ticks.nth(1)?.to_owned();
            Some((method, path))
        })
}

/// The builder type a `Client` method returns (`builder::CreateTask<'_>`).
fn builder_name(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    path.path
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
}

fn builder_items(file: &syn::File) -> Vec<syn::Item> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                module.content.as_ref().map(|(_, items)| items.clone())
            }
            _ => None,
        })
        .unwrap_or_default()
}

type Inputs = Vec<(String, String)>;

fn describe_builder(items: &[syn::Item], name: &str) -> Option<(Inputs, String)> {
    let mut inputs = Vec::new();
    let mut returns = String::new();
    for item in items {
        match item {
            syn::Item::Struct(item) if item.ident == name => {
                for field in &item.fields {
                    let field_name = field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    if field_name == "client" {
                        continue;
                    }
                    inputs.push((field_name, builder_field_type(&field.ty)));
                }
            }
            syn::Item::Impl(block) if self_ident(&block.self_ty).as_deref() == Some(name) => {
                for impl_item in &block.items {
                    if let syn::ImplItem::Fn(method) = impl_item
                        && method.sig.ident == "send"
                        && let syn::ReturnType::Type(_, ty) = &method.sig.output
                    {
                        returns = type_name::render(ty);
                    }
                }
            }
            _ => {}
        }
    }
    Some((inputs, returns))
}

fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Builder fields are `Result<T, String>` (set or "not initialized");
/// the input's type is `T`.
fn builder_field_type(ty: &syn::Type) -> String {
    if let syn::Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Result"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return type_name::render(inner);
    }
    type_name::render(ty)
}

impl Operation {
    /// Appends this operation's block to `out`.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "operation {}: {} {}",
            self.name, self.method, self.path
        );
        for (name, ty) in &self.inputs {
            let _ = writeln!(out, "  input {name}: {ty}");
        }
        let _ = writeln!(out, "  returns {}", self.returns);
    }
}
