//! Binds a generated client crate to this crate: [`bind_operation_table!`](crate::bind_operation_table)
//! writes, inside a wrapper, the two things every wrapper needs from its
//! generated crate's operation table, so neither wrapper lists an
//! operation or repeats this plumbing.
//!
//! - `operation(id)` and `lookup(id)`: the table's row for `id` as a
//!   [`dynamic::Operation`](crate::dynamic::Operation), for `call_json`
//!   and the paginator.
//! - `PolicyExec`: the generated client's `Exec` hook. Every generated
//!   call goes through [`send`](crate::send) with the wrapper's settings
//!   and the route its row gives (path template, retry safety), and
//!   [`check_path`](crate::check_path) refuses a request whose path left
//!   its template before anything is sent.
//!
//! [`list_methods!`](crate::list_methods) writes the wrappers' `list::<L>()` and `list_json`
//! the same way.
//!
//! A generated crate may not depend on this one (a layering rule), so the
//! glue cannot live there; a macro keeps it in one place here while the
//! generated types stay the wrapper's own.

/// Writes `operation(id)`, `lookup(id)` and `PolicyExec` for the
/// generated crate `$api` (e.g. `spott_openapi`), whose spec is `$spec`,
/// into the calling module. The module needs `reqwest` and this crate as
/// dependencies.
#[macro_export]
macro_rules! bind_operation_table {
    ($api:ident, $spec:literal) => {
        /// The table's row for `operation_id`, or an error naming the id
        /// as not an operation of the spec.
        pub(crate) fn lookup(
            operation_id: &str,
        ) -> ::core::result::Result<$crate::dynamic::Operation, $crate::Error> {
            operation(operation_id).ok_or_else(|| {
                $crate::Error::invalid(
                    "operation",
                    ::std::format!("`{operation_id}` is not an operation of {}", $spec),
                )
            })
        }

        /// The table's row for `operation_id`, as spott-saleshandy-core describes an
        /// operation.
        pub(crate) fn operation(
            operation_id: &str,
        ) -> ::core::option::Option<$crate::dynamic::Operation> {
            let row = $api::operation(operation_id)?;
            ::core::option::Option::Some($crate::dynamic::Operation {
                id: row.id,
                method: row.method,
                path: row.path,
                path_params: row.path_params,
                query_params: row.query_params,
                kind: match row.retry_safety {
                    $api::RetrySafety::Read => $crate::RequestKind::Read,
                    $api::RetrySafety::Idempotent => $crate::RequestKind::Idempotent,
                    $api::RetrySafety::IdempotentWrite => $crate::RequestKind::IdempotentWrite,
                    $api::RetrySafety::Create => $crate::RequestKind::Create,
                },
                pagination: row.pagination.map(|paging| $crate::pages::Pagination {
                    style: match paging.style {
                        $api::PageStyle::Cursor {
                            cursor,
                            next_cursor,
                        } => $crate::pages::PageStyle::Cursor {
                            cursor,
                            next_cursor,
                        },
                        $api::PageStyle::Page { page, first_page } => {
                            $crate::pages::PageStyle::Page { page, first_page }
                        }
                    },
                    inputs: match paging.inputs {
                        $api::PageInputs::Query => $crate::pages::PageInputs::Query,
                        $api::PageInputs::Body => $crate::pages::PageInputs::Body,
                    },
                    page_size: paging.page_size,
                    items: paging.items,
                    has_more: paging.has_more,
                }),
                success_body: row.success_type != "()",
            })
        }

        /// Sends with retries, timeouts, the key and the body limit, and
        /// the extra headers of a `with_options` copy.
        pub(crate) struct PolicyExec(
            pub(crate) ::std::sync::Arc<$crate::CallSettings>,
            pub(crate) $crate::CallOptions,
        );

        impl $api::Exec for PolicyExec {
            fn exec(
                &self,
                client: &::reqwest::Client,
                request: ::reqwest::Request,
                operation_id: &'static str,
            ) -> $api::ExecFuture {
                // An id the table lacks (impossible for generated calls)
                // is treated as a create, the kind retried least.
                let route = match operation(operation_id) {
                    ::core::option::Option::Some(operation) => $crate::Route {
                        operation: operation.id,
                        path: operation.path,
                        kind: operation.kind,
                    },
                    ::core::option::Option::None => $crate::Route {
                        operation: operation_id,
                        path: "unknown",
                        kind: $crate::RequestKind::Create,
                    },
                };
                let mut request = request;
                self.1.add_headers(&mut request);
                ::std::boxed::Box::pin($crate::send(client.clone(), request, route, self.0.clone()))
            }

            fn check(
                &self,
                request: &::reqwest::Request,
                operation_id: &'static str,
            ) -> ::core::result::Result<(), ::std::string::String> {
                // A refused option fails the call before anything is sent.
                $crate::check_options(&self.1)?;
                match $api::operation(operation_id) {
                    ::core::option::Option::Some(operation) => {
                        $crate::check_path(&self.0, request, operation.path)
                    }
                    ::core::option::Option::None => ::core::result::Result::Err(::std::format!(
                        "{operation_id} is not in the operation table"
                    )),
                }
            }
        }
    };
}

/// Writes a wrapper client's two list methods, `list::<L>()` and
/// `list_json(id)`, inside its `impl Client { … }`, for the generated crate
/// `$api`. The client needs a `sender: spott_saleshandy_core::dynamic::Sender` field
/// and `$exec`, the module [`bind_operation_table!`](crate::bind_operation_table)
/// wrote into; the wrapper needs `futures-core` and `serde_json`.
#[macro_export]
macro_rules! list_methods {
    ($api:ident, $exec:path) => {
        /// Every item of the paged list operation `L` (a marker type of
        /// the `lists` module), across all its pages, decoded as the
        /// spec's item type; `page_size` items per page, the server's
        /// default when `None`. Each page is sent with the key and the
        /// retry policy like any read; the stream ends after the last
        /// page, or with an error ([`Error::Paging`](crate::Error::Paging)
        /// if the pages do not fit together).
        pub fn list<L: $api::lists::List>(
            &self,
            arguments: $crate::dynamic::Arguments<'_>,
            page_size: ::core::option::Option<u32>,
        ) -> ::core::result::Result<
            impl ::futures_core::Stream<Item = ::core::result::Result<L::Item, $crate::Error>>
            + Send
            + use<L>,
            $crate::Error,
        > {
            let operation = {
                use $exec as exec;
                exec::lookup(L::OPERATION_ID)?
            };
            self.sender
                .items::<L::Item>(&operation, arguments, page_size)
        }

        /// `list` by `operationId`, with every item as JSON: the generic
        /// entry the command line's `--all` uses.
        pub fn list_json(
            &self,
            operation_id: &str,
            arguments: $crate::dynamic::Arguments<'_>,
            page_size: ::core::option::Option<u32>,
        ) -> ::core::result::Result<
            impl ::futures_core::Stream<
                Item = ::core::result::Result<::serde_json::Value, $crate::Error>,
            > + Send
            + use<>,
            $crate::Error,
        > {
            let operation = {
                use $exec as exec;
                exec::lookup(operation_id)?
            };
            self.sender
                .items::<::serde_json::Value>(&operation, arguments, page_size)
        }
    };
}
