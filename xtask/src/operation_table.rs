//! The operation table: every operation of a spec as data, emitted into
//! the generated crate (`OPERATIONS`, `operation(id)`), so the wrappers'
//! tracing spans, path checks and retry safety read the spec instead of a
//! hand-kept list.
//!
//! Retry safety comes from the method unless the operation says otherwise
//! with `x-retry-safety` (`read`, `idempotent`, `idempotent-write` or
//! `create`): a
//! `POST …/_search` that only reads declares `x-retry-safety: read`.

use std::collections::{HashMap, HashSet};

use anyhow::{Result, bail};
use openapiv3::{OpenAPI, Parameter, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::quote;

use crate::operation_types::Types;
use crate::pagination::{self, Paging};
use crate::tag_features::Gates;

/// The extension that overrides the method's retry safety.
pub const RETRY_SAFETY: &str = "x-retry-safety";

/// One operation, as read from the spec.
#[derive(Debug, PartialEq, Eq)]
pub struct Row {
    /// `operationId`.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as the spec writes it.
    pub path: String,
    /// Path parameter names, in template order.
    pub path_params: Vec<String>,
    /// Query parameter names, in spec order (path-level ones first).
    pub query_params: Vec<String>,
    /// The lowest 2xx status the spec declares.
    pub success_status: u16,
    /// `Read`, `IdempotentWrite` or `Create`.
    pub safety: &'static str,
    /// The operation's tags.
    pub tags: Vec<String>,
    /// How it pages (`x-pagination`), if it does.
    pub paging: Option<Paging>,
}

/// Reads every operation of `openapi`, in the spec's order.
pub fn rows(openapi: &OpenAPI) -> Result<Vec<Row>> {
    // The paging declarations are checked against the plain document.
    let document = serde_json::to_value(openapi)?;
    let mut rows = Vec::new();
    for (path, item) in openapi.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            bail!("{path}: path items by $ref are not supported");
        };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.clone() else {
                bail!("{method} {path}: every operation needs an operationId");
            };
            let mut query_params = Vec::new();
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                if let Parameter::Query { parameter_data, .. } = resolve(openapi, parameter)? {
                    query_params.push(parameter_data.name.clone());
                }
            }
            let path_params = path
                .split('/')
                .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
                .map(str::to_owned)
                .collect();
            let success_status = operation
                .responses
                .responses
                .keys()
                .filter_map(|status| match status {
                    StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
                    _ => None,
                })
                .min();
            let Some(success_status) = success_status else {
                bail!("{id}: no 2xx response declared");
            };
            let method = method.to_ascii_uppercase();
            let paging = pagination::read(&document, &id, path, &method, &query_params)?;
            rows.push(Row {
                safety: safety(&id, &method, operation.extensions.get(RETRY_SAFETY))?,
                id,
                method,
                path: path.clone(),
                path_params,
                query_params,
                success_status,
                tags: operation.tags.clone(),
                paging,
            });
        }
    }
    Ok(rows)
}

fn resolve<'a>(
    openapi: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Ok(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| anyhow::anyhow!("unsupported parameter reference {reference}"))?;
            match openapi
                .components
                .as_ref()
                .and_then(|components| components.parameters.get(name))
            {
                Some(ReferenceOr::Item(parameter)) => Ok(parameter),
                _ => bail!("parameter reference {reference} does not resolve"),
            }
        }
    }
}

/// What repeating the request could do: from the extension when present,
/// else from the method.
fn safety(id: &str, method: &str, extension: Option<&serde_json::Value>) -> Result<&'static str> {
    if let Some(value) = extension {
        return match value.as_str() {
            Some("read") => Ok("Read"),
            Some("idempotent") => Ok("Idempotent"),
            Some("idempotent-write") => Ok("IdempotentWrite"),
            Some("create") => Ok("Create"),
            _ => {
                bail!(
                    "{id}: {RETRY_SAFETY} must be read, idempotent, idempotent-write or create, not {value}"
                )
            }
        };
    }
    Ok(match method {
        "GET" | "HEAD" | "OPTIONS" => "Read",
        "PUT" | "DELETE" => "Idempotent",
        "PATCH" => "IdempotentWrite",
        _ => "Create",
    })
}

/// The table as Rust items for the generated crate; `types` are the
/// generated request and success types by operation id
/// ([`crate::operation_types::by_operation`]), `type_names` every name of
/// the generated `types` module.
pub fn tokens(
    openapi: &OpenAPI,
    types: &HashMap<String, Types>,
    type_names: &HashSet<String>,
    gates: &Gates,
) -> Result<TokenStream> {
    let rows = rows(openapi)?;
    let mut entries = Vec::new();
    let mut lists = Vec::new();
    for row in &rows {
        if let Some(paging) = &row.paging {
            if !type_names.contains(&paging.item_type) {
                bail!(
                    "{}: the items' component {} has no generated type of that name",
                    row.id,
                    paging.item_type
                );
            }
            lists.push((row.id.clone(), paging));
        }
        let Some(Types { request, success }) = types.get(&row.id) else {
            bail!("{}: progenitor generated no builder for it", row.id);
        };
        let (request_type, request_round_trip, schemas) = match request {
            Some(ty) => {
                let name = type_name(ty);
                (
                    quote!(Some(#name)),
                    quote!(Some(round_trip::<#ty>)),
                    quote!(schemas::<#ty, #success>),
                )
            }
            None => (quote!(None), quote!(None), quote!(schemas::<(), #success>)),
        };
        let success_type = type_name(success);
        let gate = gates.operation(&row.id).attribute();
        let entry = entry(
            row,
            &request_type,
            &request_round_trip,
            &success_type,
            success,
            &schemas,
        );
        entries.push(quote!(#gate #entry));
    }
    let mut table = items(&entries);
    table.extend(pagination::items(&lists, gates));
    table.extend(component_schemas(openapi, type_names, gates));
    Ok(table)
}

/// A registrar of every component's generated type, for tests that hold
/// the generated JSON Schemas against the spec's components (including
/// those only a parameter or an error uses).
fn component_schemas(
    openapi: &OpenAPI,
    type_names: &HashSet<String>,
    gates: &Gates,
) -> TokenStream {
    let registrations = openapi
        .components
        .iter()
        .flat_map(|components| components.schemas.keys())
        .filter(|name| type_names.contains(*name))
        .map(|name| {
            let gate = gates.type_gate(name).attribute();
            let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
            quote!(#gate generator.subschema_for::<types::#ident>();)
        });
    quote! {
        /// Registers the JSON Schema of every component of the spec that
        /// has a generated type of its name (of the tags turned on).
        #[cfg(feature = "schemars")]
        pub fn register_component_schemas(generator: &mut schemars::r#gen::SchemaGenerator) {
            #(#registrations)*
        }
    }
}

/// `types::Task` → `"Task"`; `()` → `"()"`.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(String::new, |segment| segment.ident.to_string()),
        other => quote!(#other).to_string().replace(' ', ""),
    }
}

fn entry(
    row: &Row,
    request_type: &TokenStream,
    request_round_trip: &TokenStream,
    success_type: &str,
    success: &syn::Type,
    schemas: &TokenStream,
) -> TokenStream {
    let Row {
        id,
        method,
        path,
        path_params,
        query_params,
        success_status,
        safety,
        tags,
        paging,
    } = row;
    let pagination = pagination::entry(paging.as_ref());
    let safety = syn::Ident::new(safety, proc_macro2::Span::call_site());
    quote! {
        Operation {
            id: #id,
            method: #method,
            path: #path,
            path_params: &[#(#path_params),*],
            query_params: &[#(#query_params),*],
            success_status: #success_status,
            retry_safety: RetrySafety::#safety,
            tags: &[#(#tags),*],
            pagination: #pagination,
            request_type: #request_type,
            success_type: #success_type,
            request_round_trip: #request_round_trip,
            success_round_trip: round_trip::<#success>,
            success_decode: decode::<#success>,
            #[cfg(feature = "schemars")]
            schemas: #schemas,
        }
    }
}

/// The table's types, the table and its lookup.
fn items(entries: &[TokenStream]) -> TokenStream {
    quote! {
        /// What repeating an operation's request could do, which decides
        /// when a retry may repeat it (the wrappers map it onto their retry
        /// policy).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RetrySafety {
            /// Only reads: repeating is harmless.
            Read,
            /// PUT or DELETE: applying it twice leaves what applying it once
            /// does, so it is retried like a read.
            Idempotent,
            /// A partial update (PATCH): repeating is harmless only if the
            /// API applies it idempotently, which the retry policy decides.
            IdempotentWrite,
            /// Creates: repeating may create a duplicate.
            Create,
        }

        /// Decodes a JSON value into one of the generated types and encodes
        /// it back: what a client that reads and resends it would see.
        pub type RoundTrip = fn(&serde_json::Value) -> Result<serde_json::Value, String>;

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
            value: &serde_json::Value,
        ) -> Result<serde_json::Value, String> {
            let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
            serde_json::to_value(typed).map_err(|e| e.to_string())
        }

        /// Decodes bytes as one of the generated types; a failure says where
        /// in the body (`links.candidates[0].id`, `.` for the whole) and what.
        pub type Decode = fn(&[u8]) -> Result<(), (String, String)>;

        fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), (String, String)> {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Ok(_) => deserializer
                    .end()
                    .map_err(|error| (".".to_owned(), error.to_string())),
                Err(error) => Err((error.path().to_string(), error.inner().to_string())),
            }
        }

        #[cfg(feature = "schemars")]
        fn schemas<Request: schemars::JsonSchema, Success: schemars::JsonSchema>(
            generator: &mut schemars::r#gen::SchemaGenerator,
        ) {
            generator.subschema_for::<Request>();
            generator.subschema_for::<Success>();
        }

        /// One operation as the spec declares it.
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub struct Operation {
            /// The `operationId`.
            pub id: &'static str,
            /// The HTTP method, upper case.
            pub method: &'static str,
            /// The path template (`/candidates/{id}`).
            pub path: &'static str,
            /// The path parameters, in template order.
            pub path_params: &'static [&'static str],
            /// The query parameters.
            pub query_params: &'static [&'static str],
            /// The success status (the lowest 2xx the spec declares).
            pub success_status: u16,
            /// From the method, or the spec's `x-retry-safety`.
            pub retry_safety: RetrySafety,
            /// The spec's tags.
            pub tags: &'static [&'static str],
            /// How it pages, for a list operation (`x-pagination`).
            pub pagination: Option<Pagination>,
            /// The generated type of the JSON request body (`types::…`).
            pub request_type: Option<&'static str>,
            /// The generated type of the success body (`()` without one).
            pub success_type: &'static str,
            /// A request body through `request_type` and back.
            pub request_round_trip: Option<RoundTrip>,
            /// A success body through `success_type` and back.
            pub success_round_trip: RoundTrip,
            /// Decodes a success body as `success_type`.
            pub success_decode: Decode,
            /// Registers the JSON Schemas of the request and success types
            /// (feature `schemars`; for tools that read a body's fields).
            #[cfg(feature = "schemars")]
            pub schemas: fn(&mut schemars::r#gen::SchemaGenerator),
        }

        /// Every operation of the spec, in the spec's order.
        pub const OPERATIONS: &[Operation] = &[#(#entries),*];

        /// The operation with this `operationId`.
        pub fn operation(id: &str) -> Option<&'static Operation> {
            OPERATIONS.iter().find(|operation| operation.id == id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        crate::spec::to_openapi(crate::spec::parse_value(yaml).unwrap()).unwrap()
    }

    #[test]
    fn rows_carry_method_path_parameters_status_safety_and_tags() {
        let openapi = spec(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
paths:
  /candidates/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: get_candidate
      tags: [candidates]
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses: {"200": {description: ok}, "404": {description: no}}
    patch:
      operationId: update_candidate
      responses: {"200": {description: ok}}
  /candidates/_search:
    post:
      operationId: search_candidates
      x-retry-safety: read
      responses: {"201": {description: ok}, "200": {description: ok}}
"#,
        );
        let row = |id: &str, method: &str, path: &str, params: &[&str], query: &[&str]| Row {
            id: id.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            path_params: params.iter().map(|p| (*p).to_owned()).collect(),
            query_params: query.iter().map(|q| (*q).to_owned()).collect(),
            success_status: 200,
            safety: "Read",
            tags: Vec::new(),
            paging: None,
        };
        let rows = rows(&openapi).unwrap();
        assert_eq!(
            rows,
            [
                Row {
                    tags: vec!["candidates".to_owned()],
                    ..row(
                        "get_candidate",
                        "GET",
                        "/candidates/{id}",
                        &["id"],
                        &["limit"]
                    )
                },
                Row {
                    safety: "IdempotentWrite",
                    ..row(
                        "update_candidate",
                        "PATCH",
                        "/candidates/{id}",
                        &["id"],
                        &[]
                    )
                },
                row("search_candidates", "POST", "/candidates/_search", &[], &[]),
            ]
        );
    }

    #[test]
    fn safety_follows_the_method_unless_the_spec_says_otherwise() {
        let cases = [
            ("GET", None, "Read"),
            ("PUT", None, "Idempotent"),
            ("DELETE", None, "Idempotent"),
            ("PATCH", None, "IdempotentWrite"),
            ("POST", None, "Create"),
            ("POST", Some("read"), "Read"),
            ("PATCH", Some("idempotent"), "Idempotent"),
            ("PUT", Some("create"), "Create"),
        ];
        for (method, extension, expected) in cases {
            let extension = extension.map(serde_json::Value::from);
            assert_eq!(
                safety("op", method, extension.as_ref()).unwrap(),
                expected,
                "{method} {extension:?}"
            );
        }
    }

    #[test]
    fn a_bad_extension_or_a_missing_id_is_an_error() {
        let bad = spec(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    post:
      operationId: x
      x-retry-safety: maybe
      responses: {"200": {description: ok}}
"#,
        );
        let error = rows(&bad).unwrap_err().to_string();
        assert!(error.contains("x-retry-safety must be"), "{error}");
        let anonymous = spec(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses: {"200": {description: ok}}
"#,
        );
        assert!(
            rows(&anonymous)
                .unwrap_err()
                .to_string()
                .contains("operationId")
        );
    }
}
