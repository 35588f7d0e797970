//! The generated client's request hook: every call goes through
//! `client_core::send` with this client's settings, and the operation's
//! entry in the generated operation table (`spott_openapi::OPERATIONS`)
//! says its path template and what repeating it could do.

use std::sync::Arc;

use client_core::{CallSettings, RequestKind, Route};
use spott_openapi::{Exec, ExecFuture, RetrySafety};

/// The table's entry for `operation_id` as a route. An id the table lacks
/// (impossible for generated calls) is treated as a create, the kind
/// retried least, with no template to check the path against.
fn route(operation_id: &'static str) -> Route {
    match spott_openapi::operation(operation_id) {
        Some(operation) => Route {
            operation: operation.id,
            path: operation.path,
            kind: match operation.retry_safety {
                RetrySafety::Read => RequestKind::Read,
                RetrySafety::IdempotentWrite => RequestKind::IdempotentWrite,
                RetrySafety::Create => RequestKind::Create,
            },
        },
        None => Route {
            operation: operation_id,
            path: "unknown",
            kind: RequestKind::Create,
        },
    }
}

/// Sends with retries, timeouts, the key and the body limit.
pub(crate) struct PolicyExec(pub(crate) Arc<CallSettings>);

impl Exec for PolicyExec {
    fn exec(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecFuture {
        Box::pin(client_core::send(
            client.clone(),
            request,
            route(operation_id),
            self.0.clone(),
        ))
    }

    fn check(&self, request: &reqwest::Request, operation_id: &'static str) -> Result<(), String> {
        match spott_openapi::operation(operation_id) {
            Some(operation) => client_core::check_path(&self.0, request, operation.path),
            None => Err(format!("{operation_id} is not in the operation table")),
        }
    }
}
