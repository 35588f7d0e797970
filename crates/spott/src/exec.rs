//! The generated client's request hook: every call goes through
//! `client_core::send` with this client's settings.

use std::sync::Arc;

use client_core::CallSettings;
use spott_openapi::{Exec, ExecFuture};

/// Path templates by operation id, for the tracing span (the concrete
/// path holds ids, the template says which operation it was).
pub(crate) const PATH_TEMPLATES: &[(&str, &str)] = &[
    ("create_task", "/tasks/_raw"),
    ("get_contact_overview", "/clients/contacts/{id}"),
    ("create_client_contact", "/clients/contacts/{id}"),
    ("update_candidate", "/candidates/{id}"),
];

fn path_template(operation: &str) -> &'static str {
    PATH_TEMPLATES
        .iter()
        .find(|(id, _)| *id == operation)
        .map_or("unknown", |(_, path)| path)
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
            operation_id,
            path_template(operation_id),
            self.0.clone(),
        ))
    }

    fn check(&self, request: &reqwest::Request, operation_id: &'static str) -> Result<(), String> {
        client_core::check_path(&self.0, request, path_template(operation_id))
    }
}
