//! Paging as data: an operation's `x-pagination` extension, checked
//! against the spec and emitted into the operation table, so every list
//! operation can be walked page by page by one generic paginator
//! (`spott_saleshandy_core::pages`) with no code per operation.
//!
//! Two conventions, each described once:
//!
//! ```yaml
//! x-pagination:                 # limit + cursor in, next cursor out
//!   style: cursor
//!   in: query                   # where the paging inputs go: query | body
//!   page-size: limit
//!   cursor: cursor
//!   items: data                 # dotted path of the items in the success body
//!   next-cursor: pageInfo.nextCursor
//!   has-more: pageInfo.hasNextPage   # optional
//! x-pagination:                 # page number + page size in
//!   style: page
//!   in: body
//!   page-size: pageSize
//!   page: page
//!   first-page: 0
//!   items: data
//!   has-more: pagination.hasNextPage # optional
//! ```
//!
//! Every name is checked: the inputs are parameters (or request body
//! properties) of the operation, the paths lead to an array, a string and
//! a boolean of the success schema, and the items are a named component,
//! so a list's items get a type of their own (`List::Item`).

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use serde_json::Value;

use crate::tag_features::Gates;

/// The extension that declares how an operation pages.
pub const EXTENSION: &str = "x-pagination";

/// An operation's paging, as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// Cursor or page number.
    pub style: Style,
    /// Whether the paging inputs are query parameters (else body fields).
    pub in_query: bool,
    /// The page-size input.
    pub page_size: String,
    /// The items' path in the success body.
    pub items: Vec<String>,
    /// The has-more flag's path, if the response has one.
    pub has_more: Option<Vec<String>>,
    /// The component the items are (its generated type's name).
    pub item_type: String,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// Pass the previous page's cursor.
    Cursor {
        /// The cursor input.
        cursor: String,
        /// The next cursor's path in the success body.
        next_cursor: Vec<String>,
    },
    /// Pass the next page number.
    Page {
        /// The page-number input.
        page: String,
        /// The number of the first page.
        first_page: u64,
    },
}

/// The extension as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Declared {
    style: String,
    #[serde(rename = "in")]
    location: String,
    page_size: String,
    items: String,
    has_more: Option<String>,
    cursor: Option<String>,
    next_cursor: Option<String>,
    page: Option<String>,
    first_page: Option<u64>,
}

/// The paging of operation `id` at `method path`, if it declares one.
/// `spec` is the whole document as JSON, for resolving schemas.
pub fn read(
    spec: &Value,
    id: &str,
    path: &str,
    method: &str,
    query_params: &[String],
) -> Result<Option<Paging>> {
    let operation = &spec["paths"][path][method.to_ascii_lowercase()];
    let Some(extension) = operation.get(EXTENSION) else {
        return Ok(None);
    };
    let declared: Declared = serde_json::from_value(extension.clone())
        .with_context(|| format!("{id}: {EXTENSION} has an unknown or missing key"))?;
    let in_query = match declared.location.as_str() {
        "query" => true,
        "body" => false,
        other => bail!("{id}: {EXTENSION}.in must be query or body, not {other}"),
    };
    let input = |key: &str, name: &str| -> Result<()> {
        if in_query {
            if !query_params.iter().any(|param| param == name) {
                bail!("{id}: {EXTENSION}.{key} `{name}` is not a query parameter of the operation");
            }
        } else {
            let body = &operation["requestBody"]["content"]["application/json"]["schema"];
            if at_path(spec, body, &[name.to_owned()]).is_none() {
                bail!("{id}: {EXTENSION}.{key} `{name}` is not a property of the request body");
            }
        }
        Ok(())
    };
    input("page-size", &declared.page_size)?;
    let style = match declared.style.as_str() {
        "cursor" => {
            let (Some(cursor), Some(next_cursor)) = (declared.cursor, declared.next_cursor) else {
                bail!("{id}: {EXTENSION} style cursor needs `cursor` and `next-cursor`");
            };
            if declared.page.is_some() || declared.first_page.is_some() {
                bail!("{id}: {EXTENSION} style cursor takes no `page` or `first-page`");
            }
            input("cursor", &cursor)?;
            Style::Cursor {
                cursor,
                next_cursor: split(&next_cursor),
            }
        }
        "page" => {
            let (Some(page), Some(first_page)) = (declared.page, declared.first_page) else {
                bail!("{id}: {EXTENSION} style page needs `page` and `first-page`");
            };
            if declared.cursor.is_some() || declared.next_cursor.is_some() {
                bail!("{id}: {EXTENSION} style page takes no `cursor` or `next-cursor`");
            }
            input("page", &page)?;
            Style::Page { page, first_page }
        }
        other => bail!("{id}: {EXTENSION}.style must be cursor or page, not {other}"),
    };

    let success = success_schema(operation)
        .with_context(|| format!("{id}: a paged operation needs a JSON 2xx response"))?;
    let items = split(&declared.items);
    let array = at_path(spec, success, &items).with_context(|| {
        format!(
            "{id}: {EXTENSION}.items `{}` is not in the success body",
            declared.items
        )
    })?;
    if array.get("type").and_then(Value::as_str) != Some("array") {
        bail!(
            "{id}: {EXTENSION}.items `{}` is not an array",
            declared.items
        );
    }
    let item_type = array["items"]["$ref"]
        .as_str()
        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
        .with_context(|| {
            format!(
                "{id}: the items at `{}` must be a `$ref` to a component, so they have a named type",
                declared.items
            )
        })?
        .to_owned();
    let typed = |key: &str, dotted: &str, ty: &str| -> Result<Vec<String>> {
        let path = split(dotted);
        let schema = at_path(spec, success, &path).with_context(|| {
            format!("{id}: {EXTENSION}.{key} `{dotted}` is not in the success body")
        })?;
        if schema.get("type").and_then(Value::as_str) != Some(ty) {
            bail!("{id}: {EXTENSION}.{key} `{dotted}` is not a {ty}");
        }
        Ok(path)
    };
    let style = match style {
        Style::Cursor {
            cursor,
            next_cursor,
        } => Style::Cursor {
            cursor,
            next_cursor: typed("next-cursor", &next_cursor.join("."), "string")?,
        },
        page => page,
    };
    let has_more = match &declared.has_more {
        Some(dotted) => Some(typed("has-more", dotted, "boolean")?),
        None => None,
    };
    Ok(Some(Paging {
        style,
        in_query,
        page_size: declared.page_size,
        items,
        has_more,
        item_type,
    }))
}

fn split(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_owned).collect()
}

/// The JSON schema of the lowest 2xx response.
fn success_schema(operation: &Value) -> Option<&Value> {
    let responses = operation.get("responses")?.as_object()?;
    let (_, response) = responses
        .iter()
        .filter(|(status, _)| status.len() == 3 && status.starts_with('2'))
        .min_by_key(|(status, _)| status.as_str())?;
    response
        .get("content")?
        .get("application/json")?
        .get("schema")
}

/// Follows `$ref`s (in components of `spec`) until a schema that is not one.
fn deref<'a>(spec: &'a Value, mut schema: &'a Value) -> Option<&'a Value> {
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Some(schema);
        };
        let name = reference.strip_prefix("#/components/schemas/")?;
        schema = spec.get("components")?.get("schemas")?.get(name)?;
    }
    None
}

/// The schema at the property path `path` under `schema`, looking into
/// `allOf` members.
fn at_path<'a>(spec: &'a Value, schema: &'a Value, path: &[String]) -> Option<&'a Value> {
    let schema = deref(spec, schema)?;
    let Some((first, rest)) = path.split_first() else {
        return Some(schema);
    };
    if let Some(property) = schema.get("properties").and_then(|p| p.get(first)) {
        return at_path(spec, property, rest);
    }
    schema
        .get("allOf")?
        .as_array()?
        .iter()
        .find_map(|member| at_path(spec, member, path))
}

/// The table field's value for `paging`.
pub fn entry(paging: Option<&Paging>) -> TokenStream {
    let Some(Paging {
        style,
        in_query,
        page_size,
        items,
        has_more,
        item_type,
    }) = paging
    else {
        return quote!(None);
    };
    let style = match style {
        Style::Cursor {
            cursor,
            next_cursor,
        } => quote!(PageStyle::Cursor { cursor: #cursor, next_cursor: &[#(#next_cursor),*] }),
        Style::Page { page, first_page } => {
            quote!(PageStyle::Page { page: #page, first_page: #first_page })
        }
    };
    let inputs = if *in_query {
        quote!(PageInputs::Query)
    } else {
        quote!(PageInputs::Body)
    };
    let has_more = match has_more {
        Some(path) => quote!(Some(&[#(#path),*])),
        None => quote!(None),
    };
    quote! {
        Some(Pagination {
            style: #style,
            inputs: #inputs,
            page_size: #page_size,
            items: &[#(#items),*],
            has_more: #has_more,
            item_type: #item_type,
        })
    }
}

/// The paging types, and the `lists` module: one marker type per paged
/// operation naming its items' type, for typed streams.
pub fn items(lists: &[(String, &Paging)], gates: &Gates) -> TokenStream {
    let markers = lists.iter().map(|(id, paging)| {
        let gate = gates.operation(id).attribute();
        let marker = syn::Ident::new(&pascal(id), proc_macro2::Span::call_site());
        let item = syn::Ident::new(&paging.item_type, proc_macro2::Span::call_site());
        let doc = format!(
            " `{id}`: its pages' items are [`types::{0}`](super::types::{0}).",
            paging.item_type
        );
        quote! {
            #[doc = #doc]
            #gate
            #[derive(Clone, Copy, Debug)]
            pub struct #marker;
            #gate
            impl List for #marker {
                const OPERATION_ID: &'static str = #id;
                type Item = super::types::#item;
            }
        }
    });
    quote! {
        /// Where a paged operation takes its paging inputs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum PageInputs {
            /// Query parameters.
            Query,
            /// Fields of the JSON request body.
            Body,
        }

        /// How a paged operation asks for the next page.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum PageStyle {
            /// Pass the cursor the previous page answered.
            Cursor {
                /// The cursor input.
                cursor: &'static str,
                /// The path of the next cursor in the success body.
                next_cursor: &'static [&'static str],
            },
            /// Pass the next page number.
            Page {
                /// The page-number input.
                page: &'static str,
                /// The number of the first page.
                first_page: u64,
            },
        }

        /// How an operation pages (the spec's `x-pagination`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Pagination {
            /// Cursor or page number.
            pub style: PageStyle,
            /// Where the paging inputs go.
            pub inputs: PageInputs,
            /// The page-size input.
            pub page_size: &'static str,
            /// The path of the items in the success body.
            pub items: &'static [&'static str],
            /// The path of the has-more flag, if the response has one.
            pub has_more: Option<&'static [&'static str]>,
            /// The generated type of one item (`types::…`).
            pub item_type: &'static str,
        }

        /// One marker type per paged operation, for typed streams of its
        /// items (`client.list::<lists::ListCandidates>(…)` in the wrappers).
        pub mod lists {
            /// A paged operation and the type of its items.
            pub trait List {
                /// The operation's `operationId`.
                const OPERATION_ID: &'static str;
                /// The type of one item of its pages.
                type Item: serde::de::DeserializeOwned + Send + 'static;
            }
            #(#markers)*
        }
    }
}

/// `list_candidates` → `ListCandidates`.
fn pascal(id: &str) -> String {
    id.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extension: &str) -> Value {
        let yaml = format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /widgets:
    get:
      operationId: list_widgets
      parameters:
        - {{name: limit, in: query, schema: {{type: integer}}}}
        - {{name: cursor, in: query, schema: {{type: string}}}}
      x-pagination: {extension}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/WidgetPage'}}
components:
  schemas:
    Widget: {{type: object, properties: {{id: {{type: string}}}}}}
    PageInfo:
      type: object
      properties:
        nextCursor: {{type: string, nullable: true}}
        hasNextPage: {{type: boolean}}
    WidgetPage:
      type: object
      properties:
        data: {{type: array, items: {{$ref: '#/components/schemas/Widget'}}}}
        inline: {{type: array, items: {{type: object}}}}
        pageInfo: {{allOf: [{{$ref: '#/components/schemas/PageInfo'}}]}}
"#
        );
        crate::spec::parse_value(&yaml).unwrap()
    }

    fn read_widgets(extension: &str) -> Result<Option<Paging>> {
        let query = ["limit".to_owned(), "cursor".to_owned()];
        read(&spec(extension), "list_widgets", "/widgets", "GET", &query)
    }

    const CURSOR: &str = "{style: cursor, in: query, page-size: limit, cursor: cursor, items: data, next-cursor: pageInfo.nextCursor, has-more: pageInfo.hasNextPage}";

    #[test]
    fn a_cursor_declaration_resolves_through_refs_and_all_of() {
        assert_eq!(
            read_widgets(CURSOR).unwrap(),
            Some(Paging {
                style: Style::Cursor {
                    cursor: "cursor".into(),
                    next_cursor: vec!["pageInfo".into(), "nextCursor".into()],
                },
                in_query: true,
                page_size: "limit".into(),
                items: vec!["data".into()],
                has_more: Some(vec!["pageInfo".into(), "hasNextPage".into()]),
                item_type: "Widget".into(),
            })
        );
    }

    #[test]
    fn every_name_is_checked_against_the_spec() {
        let cases = [
            (
                CURSOR.replace("page-size: limit", "page-size: size"),
                "`size` is not a query parameter",
            ),
            (
                CURSOR.replace("items: data", "items: rows"),
                "`rows` is not in the success body",
            ),
            (
                CURSOR.replace("items: data", "items: pageInfo"),
                "`pageInfo` is not an array",
            ),
            (
                CURSOR.replace("items: data", "items: inline"),
                "must be a `$ref` to a component",
            ),
            (
                CURSOR.replace("pageInfo.hasNextPage", "pageInfo.nextCursor"),
                "`pageInfo.nextCursor` is not a boolean",
            ),
            (
                CURSOR.replace("style: cursor", "style: offset"),
                "must be cursor or page",
            ),
            (
                CURSOR.replace("in: query", "in: header"),
                "must be query or body",
            ),
            (
                CURSOR.replace("cursor: cursor,", ""),
                "needs `cursor` and `next-cursor`",
            ),
            (CURSOR.replace("}", ", limit: 3}"), "unknown or missing key"),
        ];
        for (extension, expected) in cases {
            let error = format!("{:#}", read_widgets(&extension).unwrap_err());
            assert!(error.contains(expected), "{extension}: {error}");
        }
    }

    #[test]
    fn marker_names_are_the_operation_id_in_pascal_case() {
        assert_eq!(pascal("list_candidates"), "ListCandidates");
        assert_eq!(pascal("list_pipeline_stages"), "ListPipelineStages");
    }
}
