//! The generated client's request hook: every call goes through
//! `client_core::send` with this client's settings.

use std::sync::Arc;

use client_core::CallSettings;
use saleshandy_openapi::{Exec, ExecFuture};

/// The path template of the one operation, for the tracing span.
const CREATE_TASKS_PATH: &str = "/v1/tasks/create";

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
            CREATE_TASKS_PATH,
            self.0.clone(),
        ))
    }

    fn check(&self, request: &reqwest::Request, _operation_id: &'static str) -> Result<(), String> {
        client_core::check_path(&self.0, request, CREATE_TASKS_PATH)
    }
}
