//! The generated client's request hook: every call goes through
//! `client_core::send` with this client's settings, and the operation's
//! entry in the generated operation table (`spott_openapi::OPERATIONS`)
//! says its path template and what repeating it could do.

use std::sync::Arc;

use client_core::dynamic::Operation;
use client_core::{CallSettings, RequestKind, Route};
use spott_openapi::{Exec, ExecFuture, RetrySafety};

/// The table's row for `operation_id`, as client-core describes an
/// operation.
pub(crate) fn operation(operation_id: &str) -> Option<Operation> {
    let row = spott_openapi::operation(operation_id)?;
    Some(Operation {
        id: row.id,
        method: row.method,
        path: row.path,
        path_params: row.path_params,
        query_params: row.query_params,
        kind: match row.retry_safety {
            RetrySafety::Read => RequestKind::Read,
            RetrySafety::Idempotent => RequestKind::Idempotent,
            RetrySafety::IdempotentWrite => RequestKind::IdempotentWrite,
            RetrySafety::Create => RequestKind::Create,
        },
    })
}

/// The route of `operation_id`. An id the table lacks (impossible for
/// generated calls) is treated as a create, the kind retried least.
fn route(operation_id: &'static str) -> Route {
    match operation(operation_id) {
        Some(operation) => Route {
            operation: operation.id,
            path: operation.path,
            kind: operation.kind,
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
