//! The operations themselves: validated input in, state changed, response body out.

mod candidates;
mod hiring;
mod outreach;
mod records;
mod saleshandy;
mod spott;

use serde_json::{Map, Value};

pub(crate) use saleshandy::bulk_action_status;

use crate::operation::Operation;
use crate::state::Store;
use crate::validate::SpecValidator;
use crate::violation::Violation;

/// What an operation produced.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Done: `status`, the body (`None`: no body), and the ids of what was created.
    Success {
        status: u16,
        body: Option<Value>,
        created: Vec<String>,
    },
    /// The addressed resource does not exist (404).
    NotFound { message: String },
    /// Refused for a reason the schema cannot see (a cursor the mock did not issue, a stage
    /// it does not know): `status` and the one problem, in the API's error body.
    Error {
        status: u16,
        message: String,
        violation: Violation,
    },
}

/// A validated request, as the handlers see it.
#[derive(Debug)]
pub(crate) struct Input<'a> {
    /// The operation called.
    pub(crate) op: Operation,
    /// The path parameters, decoded, in template order.
    pub(crate) params: &'a [(String, String)],
    /// The JSON body (`null` when the operation has none or none was sent).
    pub(crate) body: &'a Value,
    /// The query parameters, decoded, in request order.
    pub(crate) query: &'a [(String, String)],
}

impl Input<'_> {
    /// The value of the template's path parameter (the operations with state have one), or
    /// empty.
    fn id(&self) -> &str {
        self.params.first().map_or("", |(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`, if sent.
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn fields(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.body
            .as_object()
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }
}

/// What a stateful operation does with the store.
pub(crate) type Handler = fn(&mut Store, &Input<'_>) -> Outcome;

/// The operations with state, by `operationId`. Every other operation of the specs answers
/// from its spec (`crate::synth`).
const HANDLERS: &[(&str, Handler)] = &[
    ("create_task", |store, input| {
        spott::create_task(store, input.fields())
    }),
    ("get_contact_overview", |store, input| {
        spott::get_contact_overview(store, input.id())
    }),
    ("create_client_contact", |store, input| {
        spott::create_client_contact(store, input.id(), input.fields())
    }),
    ("update_candidate", |store, input| {
        spott::update_candidate(store, input.id(), input.fields())
    }),
    ("create_candidate", |store, input| {
        candidates::create_candidate(store, input.fields())
    }),
    ("get_candidate", |store, input| {
        candidates::get_candidate(store, input.id())
    }),
    ("list_candidates", candidates::list_candidates),
    ("search_candidates", candidates::search_candidates),
    ("search_people", candidates::search_people),
    ("list_vacancies", hiring::list_vacancies),
    ("get_vacancy", |store, input| {
        hiring::get_vacancy(store, input.id())
    }),
    ("create_vacancy", hiring::create_vacancy),
    ("list_pipeline_stages", hiring::list_pipeline_stages),
    ("list_applications", hiring::list_applications),
    ("get_application", |store, input| {
        hiring::get_application(store, input.id())
    }),
    ("list_candidate_applications", |store, input| {
        hiring::list_candidate_applications(store, input.id())
    }),
    ("list_vacancy_applications", |store, input| {
        hiring::list_vacancy_applications(store, input.id())
    }),
    ("move_application", |store, input| {
        hiring::move_application(store, input.id(), input.fields())
    }),
    ("reject_application", |store, input| {
        hiring::reject_application(store, input.id(), input.fields())
    }),
    ("list_tasks", records::list_tasks),
    ("list_notes", records::list_notes),
    ("create_note", |store, input| {
        records::create_note(store, input.fields())
    }),
    ("list_clients", records::list_clients),
    ("get_client", |store, input| {
        records::get_client(store, input.id())
    }),
    ("list_active_users", |store, _| {
        records::list_active_users(store)
    }),
    ("list_client_contacts", records::list_client_contacts),
    ("update_client_contact", |store, input| {
        records::update_client_contact(store, input.id(), input.fields())
    }),
    ("create_tasks", |store, input| {
        saleshandy::create_tasks(store, input.fields())
    }),
    ("list_prospects", outreach::list_prospects),
    ("list_sequences", outreach::list_sequences),
    ("snooze_task", |store, input| {
        saleshandy::snooze_task(store, input.id(), input.fields())
    }),
    ("bulk_skip_tasks", |store, input| {
        saleshandy::bulk_skip_tasks(store, input.fields())
    }),
    ("get_bulk_action_status", |store, input| {
        saleshandy::get_bulk_action_status(store, input.id())
    }),
];

/// The stateful handler of `op`, if it has one.
pub(crate) fn handler(op: Operation) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(id, _)| *id == op.operation_id())
        .map(|(_, handler)| *handler)
}

/// Runs `op`: its stateful handler on the store, else the answer its spec declares (paged,
/// for a list).
pub(crate) fn dispatch(
    store: &mut Store,
    validator: &SpecValidator,
    op: Operation,
    input: &Input<'_>,
) -> Outcome {
    match handler(op) {
        Some(handler) => handler(store, input),
        None => crate::paging::page_synthesized(store, input, crate::synth::answer(validator, op)),
    }
}

/// The operation ids with a stateful handler.
#[cfg(test)]
pub(crate) fn handled_ids() -> impl Iterator<Item = &'static str> {
    HANDLERS.iter().map(|(id, _)| *id)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handler_belongs_to_an_operation_of_the_specs() {
        let ids: Vec<&str> = handled_ids().collect();
        assert_eq!(
            ids,
            [
                "create_task",
                "get_contact_overview",
                "create_client_contact",
                "update_candidate",
                "create_candidate",
                "get_candidate",
                "list_candidates",
                "search_candidates",
                "search_people",
                "list_vacancies",
                "get_vacancy",
                "create_vacancy",
                "list_pipeline_stages",
                "list_applications",
                "get_application",
                "list_candidate_applications",
                "list_vacancy_applications",
                "move_application",
                "reject_application",
                "list_tasks",
                "list_notes",
                "create_note",
                "list_clients",
                "get_client",
                "list_active_users",
                "list_client_contacts",
                "update_client_contact",
                "create_tasks",
                "list_prospects",
                "list_sequences",
                "snooze_task",
                "bulk_skip_tasks",
                "get_bulk_action_status"
            ]
        );
        for id in ids {
            let op = Operation::by_id(id).unwrap_or_else(|| panic!("no `{id}` in the specs"));
            assert!(handler(op).is_some(), "{id}");
        }
    }
}
