//! Spott's records around the pipeline: tasks, notes, clients, client contacts and users,
//! listed (and, for notes and client contacts, written) from the store.

use serde_json::{Map, Value, json};

use super::{Input, Outcome, array, string, strings};
use crate::paging::{Entry, modified_within, page};
use crate::render;
use crate::state::{Note, Store, now};

/// `GET /tasks`: the seeded tasks and every task `create_task` made, oldest first.
pub(super) fn list_tasks(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .tasks
        .iter()
        .map(|t| Entry::new(&t.created_at, &t.id, render::task(store, t)))
        .collect();
    page(store, input, entries, Map::new())
}

/// `GET /notes`: the seeded notes and every note `create_note` made, oldest first.
pub(super) fn list_notes(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .notes
        .iter()
        .map(|n| Entry::new(&n.created_at, &n.id, render::note(store, n)))
        .collect();
    page(store, input, entries, Map::new())
}

/// `POST /notes`: a new note; `source` defaults to `manual`. Links are kept by id (an
/// entity the mock does not know is echoed, not refused, as for task links).
pub(super) fn create_note(store: &mut Store, fields: &Map<String, Value>) -> Outcome {
    let id = store.next_id("note");
    let mut links = Vec::new();
    for link in array(fields, "links") {
        let (Some(kind), Some(entity)) = (
            link.get("entityType").and_then(Value::as_str),
            link.get("entityId").and_then(Value::as_str),
        ) else {
            continue;
        };
        links.push((store.next_id("nlink"), kind.to_owned(), entity.to_owned()));
    }
    let note = Note {
        id: id.clone(),
        title: string(fields, "title"),
        content: string(fields, "content").unwrap_or_default(),
        source: string(fields, "source").unwrap_or_else(|| "manual".to_owned()),
        links,
        label_ids: strings(fields, "labelIds"),
        created_at: now(),
    };
    let body = render::note(store, &note);
    store.notes.push(note);
    Outcome::Success {
        status: 201,
        body: Some(body),
        created: vec![id],
    }
}

/// `GET /clients`: every client created on or after `modifiedSince`, oldest first.
pub(super) fn list_clients(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .clients
        .iter()
        .filter(|(_, c)| modified_within(input, &c.created_at))
        .map(|(id, c)| Entry::new(&c.created_at, id, render::client_record(store, id, c)))
        .collect();
    page(store, input, entries, Map::new())
}

/// `GET /clients/{id}`.
pub(super) fn get_client(store: &mut Store, id: &str) -> Outcome {
    match store.clients.get(id) {
        Some(c) => Outcome::Success {
            status: 200,
            body: Some(render::client_record(store, id, c)),
            created: Vec::new(),
        },
        None => Outcome::NotFound {
            message: format!("no client with id `{id}`"),
        },
    }
}

/// `GET /users/_list`: every user the mock knows (none is deactivated), by id.
pub(super) fn list_active_users(store: &mut Store) -> Outcome {
    let users: Vec<Value> = store
        .users
        .keys()
        .map(|id| render::user_contact(store, id))
        .collect();
    Outcome::Success {
        status: 200,
        body: Some(json!({ "users": users })),
        created: Vec::new(),
    }
}

/// `GET /clients/contacts`: every client-contact position, oldest candidate first.
pub(super) fn list_client_contacts(store: &mut Store, input: &Input<'_>) -> Outcome {
    let shared: &Store = store;
    let entries = shared
        .candidates
        .values()
        .flat_map(|c| {
            c.positions.iter().map(move |p| {
                Entry::new(
                    &c.created_at,
                    &p.id,
                    render::client_contact_item(shared, c, p),
                )
            })
        })
        .collect();
    page(store, input, entries, Map::new())
}

/// `PATCH /clients/contacts/{id}`: absent fields stay, `null` clears `role`, `department`
/// and `endDate`; names, emails and phone numbers are the person's (kept once per person,
/// see `create_client_contact`). An unknown client contact id is a 404.
pub(super) fn update_client_contact(
    store: &mut Store,
    id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    let Some(c) = store
        .candidates
        .values_mut()
        .find(|c| c.positions.iter().any(|p| p.id == id))
    else {
        return Outcome::NotFound {
            message: format!("no client contact with id `{id}`"),
        };
    };
    let text = |key: &str| fields.get(key).map(|v| v.as_str().map(str::to_owned));
    if let Some(Some(v)) = text("firstName") {
        c.first_name = v;
    }
    if let Some(Some(v)) = text("lastName") {
        c.last_name = v;
    }
    if fields.contains_key("emails") {
        c.emails = array(fields, "emails");
    }
    if fields.contains_key("phoneNumbers") {
        c.phone_numbers = array(fields, "phoneNumbers");
    }
    if let Some(Some(v)) = text("mainContactId") {
        c.main_contact = Some(v);
    }
    if let Some(p) = c.positions.iter_mut().find(|p| p.id == id) {
        if let Some(v) = text("role") {
            p.role = v;
        }
        if let Some(v) = text("department") {
            p.department = v;
        }
        if let Some(v) = text("endDate") {
            p.end_date = v;
        }
        if let Some(Some(v)) = text("startDate") {
            p.start_date = Some(v);
        }
        if let Some(Some(v)) = text("stageId") {
            p.stage_id = Some(v);
        }
    }
    c.modified_at = now();
    // The spec's 200 has no body.
    Outcome::Success {
        status: 200,
        body: None,
        created: Vec::new(),
    }
}
