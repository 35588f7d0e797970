//! The operations themselves: validated input in, state changed, response body out.

mod saleshandy;
mod spott;

use serde_json::{Map, Value};

use crate::operation::Operation;
use crate::state::Store;

/// What an operation produced.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Done: `status`, the body, and the ids of what was created.
    Success {
        status: u16,
        body: Value,
        created: Vec<String>,
    },
    /// The addressed resource does not exist (404).
    NotFound { message: String },
}

/// Runs `op` on the store. `id` is the path parameter (empty for operations without one) and
/// `body` the request body, both already validated against the spec.
pub(crate) fn dispatch(store: &mut Store, op: Operation, id: &str, body: &Value) -> Outcome {
    let empty = Map::new();
    let fields = body.as_object().unwrap_or(&empty);
    match op {
        Operation::CreateTask => spott::create_task(store, fields),
        Operation::GetContactOverview => spott::get_contact_overview(store, id),
        Operation::CreateClientContact => spott::create_client_contact(store, id, fields),
        Operation::UpdateCandidate => spott::update_candidate(store, id, fields),
        Operation::CreateTasks => saleshandy::create_tasks(store, fields),
    }
}

/// Reads `key` as a string.
fn string(fields: &Map<String, Value>, key: &str) -> Option<String> {
    fields.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Reads `key` as an array (missing or not an array: empty).
fn array(fields: &Map<String, Value>, key: &str) -> Vec<Value> {
    fields
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Reads `key` as an array of strings.
fn strings(fields: &Map<String, Value>, key: &str) -> Vec<String> {
    array(fields, key)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}
