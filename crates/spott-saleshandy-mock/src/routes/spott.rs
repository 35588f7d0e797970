//! The four Spott operations.

use serde_json::{Map, Value, json};

use super::{Outcome, array, string, strings};
use crate::render;
use crate::state::{Candidate, Client, ContactPosition, Store, Task, now};

/// `POST /tasks/_raw`: a new task echoing content, due date and links.
pub(super) fn create_task(store: &mut Store, fields: &Map<String, Value>) -> Outcome {
    let id = store.next_id("task");
    let mut links = Vec::new();
    for link in array(fields, "links") {
        let (Some(kind), Some(entity)) = (
            link.get("entityType").and_then(Value::as_str),
            link.get("entityId").and_then(Value::as_str),
        ) else {
            continue;
        };
        let link_id = store.next_id("tlink");
        links.push((link_id, kind.to_owned(), entity.to_owned()));
    }
    let task = Task {
        id: id.clone(),
        content: string(fields, "content").unwrap_or_default(),
        due_date: string(fields, "dueDate"),
        assigned_to: string(fields, "assignedToUserId"),
        links,
        created_at: now(),
    };
    let body = render::task(store, &task);
    store.tasks.push(task);
    Outcome::Success {
        status: 201,
        body: Some(body),
        created: vec![id],
    }
}

/// `GET /clients/contacts/{candidateId}`: the overview of a candidate who is a client contact.
pub(super) fn get_contact_overview(store: &mut Store, candidate_id: &str) -> Outcome {
    match store.candidates.get(candidate_id) {
        Some(c) if !c.positions.is_empty() => Outcome::Success {
            status: 200,
            body: Some(render::contact_overview(store, c)),
            created: Vec::new(),
        },
        Some(_) => Outcome::NotFound {
            message: format!("candidate `{candidate_id}` is not a client contact"),
        },
        None => Outcome::NotFound {
            message: format!("no contact with candidate id `{candidate_id}`"),
        },
    }
}

/// A `CustomAttributeInput` in the `CustomAttribute` response shape.
pub(super) fn custom_attribute(input: &Value) -> Value {
    let mut out = Map::new();
    for key in ["value", "attributeDefinitionId", "label", "options"] {
        if let Some(v) = input.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    out.insert("aiFillOngoing".into(), json!(false));
    out.insert("aiOverridden".into(), json!(false));
    out.insert(
        "isFilledByAI".into(),
        json!(
            input
                .get("filledByAI")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        ),
    );
    Value::Object(out)
}

/// `POST /clients/contacts/{clientId}`: a new person who is a contact at the client. The new id
/// is both the client contact id and the candidate id (the mock's simplification). A client
/// the mock does not know is registered on the fly.
pub(super) fn create_client_contact(
    store: &mut Store,
    client_id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    if !store.clients.contains_key(client_id) {
        store.clients.insert(
            client_id.to_owned(),
            Client {
                name: format!("Client {client_id}"),
                logo_url: None,
                created_at: now(),
            },
        );
    }
    let id = store.next_id("contact");
    let created = now();
    let position = ContactPosition {
        id: id.clone(),
        client_id: client_id.to_owned(),
        role: string(fields, "role"),
        department: string(fields, "department"),
        start_date: string(fields, "startDate"),
        end_date: string(fields, "endDate"),
        stage_id: string(fields, "stageId"),
        custom_attributes: array(fields, "customAttributes")
            .iter()
            .map(custom_attribute)
            .collect(),
    };
    let candidate = Candidate {
        id: id.clone(),
        first_name: string(fields, "firstName").unwrap_or_default(),
        last_name: string(fields, "lastName").unwrap_or_default(),
        avatar_url: string(fields, "avatarUrl"),
        gender: string(fields, "gender"),
        nationality: strings(fields, "nationality"),
        status: strings(fields, "status"),
        // The spec's default for this operation.
        acquisition_source: Some(
            string(fields, "acquisitionSource").unwrap_or_else(|| "manual".to_owned()),
        ),
        emails: array(fields, "emails"),
        phone_numbers: array(fields, "phoneNumbers"),
        locations: array(fields, "locations"),
        social_media: array(fields, "socialMedia"),
        languages: array(fields, "languages"),
        compensation: fields.get("compensation").cloned(),
        main_contact: fields
            .get("mainContact")
            .and_then(|m| m.get("userId"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        date_of_birth: string(fields, "dateOfBirth"),
        visible_if_client_contact: fields
            .get("keepShowingAsCandidate")
            .and_then(Value::as_bool),
        work_experiences: array(fields, "workExperiences"),
        positions: vec![position],
        created_at: created.clone(),
        modified_at: created,
        ..Candidate::default()
    };
    store.candidates.insert(id.clone(), candidate);
    Outcome::Success {
        status: 201,
        body: Some(json!({ "id": id })),
        created: vec![id],
    }
}

/// A present key: `Some(value)`; absent: `None` (leave the field unchanged).
fn present<'a>(fields: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    fields.get(key)
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// `PATCH /candidates/{id}`: absent fields stay, `null` clears a nullable field, arrays replace.
pub(super) fn update_candidate(
    store: &mut Store,
    candidate_id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    let Some(c) = store.candidates.get_mut(candidate_id) else {
        return Outcome::NotFound {
            message: format!("no candidate with id `{candidate_id}`"),
        };
    };
    if let Some(v) = present(fields, "firstName").and_then(text) {
        c.first_name = v;
    }
    if let Some(v) = present(fields, "lastName").and_then(text) {
        c.last_name = v;
    }
    if let Some(v) = present(fields, "middleName") {
        c.middle_name = text(v);
    }
    if let Some(v) = present(fields, "secondLastName") {
        c.second_last_name = text(v);
    }
    if let Some(v) = present(fields, "compensation") {
        c.compensation = Some(v.clone()).filter(|v| !v.is_null());
    }
    if let Some(v) = present(fields, "mainContact") {
        c.main_contact = v.get("userId").and_then(text);
    }
    if let Some(v) = present(fields, "gender") {
        c.gender = text(v);
    }
    if present(fields, "nationality").is_some() {
        c.nationality = strings(fields, "nationality");
    }
    if present(fields, "status").is_some() {
        c.status = strings(fields, "status");
    }
    if let Some(v) = present(fields, "acquisitionSource") {
        c.acquisition_source = text(v);
    }
    for (key, target) in [
        ("languages", &mut c.languages),
        ("locations", &mut c.locations),
        ("socialMedia", &mut c.social_media),
        ("emails", &mut c.emails),
        ("phoneNumbers", &mut c.phone_numbers),
    ] {
        if present(fields, key).is_some() {
            *target = array(fields, key);
        }
    }
    if let Some(v) = present(fields, "visibleIfClientContact") {
        c.visible_if_client_contact = v.as_bool();
    }
    if let Some(v) = present(fields, "dateOfBirth") {
        c.date_of_birth = text(v);
    }
    if let Some(v) = present(fields, "lastInteractionAt") {
        c.last_interaction_at = text(v);
    }
    if let Some(v) = present(fields, "lastInteractionWithId") {
        c.last_interaction_with = text(v);
    }
    c.modified_at = now();
    let c = c.clone();
    Outcome::Success {
        status: 200,
        body: Some(render::candidate(store, &c)),
        created: Vec::new(),
    }
}
