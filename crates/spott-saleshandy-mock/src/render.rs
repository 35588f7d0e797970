//! The response shapes of the spec, rendered from the store.

use serde_json::{Map, Value, json};

use crate::state::{
    Application, Candidate, Client, ContactPosition, Note, PipelineStage, Store, Task, Vacancy,
};

/// Inserts `key: value` when `value` is `Some` (for fields the spec does not allow as null).
fn put_some(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `UserContact`; an unknown user id renders as `{userId}` only.
pub(crate) fn user_contact(store: &Store, user_id: &str) -> Value {
    let mut map = object(json!({ "userId": user_id }));
    if let Some(user) = store.users.get(user_id) {
        map.insert("name".into(), json!(user.name));
        map.insert("email".into(), json!(user.email));
        put_some(&mut map, "avatarUrl", user.avatar_url.as_deref());
        map.insert("deactivatedAt".into(), Value::Null);
    }
    Value::Object(map)
}

/// `UserSummary`; an unknown user id renders as `{id}` only.
pub(crate) fn user_summary(store: &Store, user_id: &str) -> Value {
    let mut map = object(json!({ "id": user_id }));
    if let Some(user) = store.users.get(user_id) {
        map.insert("name".into(), json!(user.name));
        put_some(&mut map, "avatarUrl", user.avatar_url.as_deref());
        map.insert("deactivatedAt".into(), Value::Null);
    }
    Value::Object(map)
}

/// `CompanySummary` of a client.
pub(crate) fn company(store: &Store, client_id: &str) -> Value {
    let mut map = object(json!({ "id": client_id }));
    if let Some(client) = store.clients.get(client_id) {
        map.insert("name".into(), json!(client.name));
        put_some(&mut map, "logoUrl", client.logo_url.as_deref());
    }
    Value::Object(map)
}

/// A stored location as `Location`, with the output-only `rawCityCountry` and
/// `formattedAddress` derived when absent.
pub(crate) fn location(stored: &Value) -> Value {
    let mut map = object(stored.clone());
    let text = |key: &str| {
        map.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let city_country: Vec<String> = ["city", "country"].iter().filter_map(|k| text(k)).collect();
    let address: Vec<String> = [
        "street1",
        "street2",
        "postalCode",
        "city",
        "region",
        "state",
        "country",
    ]
    .iter()
    .filter_map(|k| text(k))
    .collect();
    if !map.contains_key("rawCityCountry") && !city_country.is_empty() {
        map.insert("rawCityCountry".into(), json!(city_country.join(", ")));
    }
    if !map.contains_key("formattedAddress") && !address.is_empty() {
        map.insert("formattedAddress".into(), json!(address.join(", ")));
    }
    Value::Object(map)
}

/// `ClientContact`: one position of `candidate`. Emails and phone numbers are the candidate's
/// (the mock keeps one list per person).
pub(crate) fn client_contact(
    store: &Store,
    candidate: &Candidate,
    position: &ContactPosition,
) -> Value {
    let mut map = object(json!({
        "id": position.id,
        "emailAddresses": candidate.emails,
        "phoneNumbers": candidate.phone_numbers,
        "company": company(store, &position.client_id),
        "startDate": position.start_date,
        "endDate": position.end_date,
        "active": position.end_date.is_none(),
        "customAttributes": position.custom_attributes,
    }));
    put_some(&mut map, "role", position.role.as_deref());
    put_some(&mut map, "department", position.department.as_deref());
    if let Some(stage_id) = &position.stage_id {
        let stage = match store.stages.get(stage_id) {
            Some(s) => {
                json!({"id": s.id, "order": s.order, "name": s.name, "colorHex": s.color_hex})
            }
            None => json!({ "id": stage_id }),
        };
        map.insert("stage".into(), stage);
    }
    Value::Object(map)
}

/// `TaskDue` of the earliest open task with a due date linked to the candidate (directly or
/// as a client contact), or `null`.
pub(crate) fn next_task_due(store: &Store, candidate_id: &str) -> Value {
    next_task_due_linked(store, &["candidate", "client_contact"], candidate_id)
}

/// `TaskDue` of the earliest task with a due date linked to `entity_id` as one of `kinds`,
/// or `null`.
fn next_task_due_linked(store: &Store, kinds: &[&str], entity_id: &str) -> Value {
    store
        .tasks
        .iter()
        .filter(|t| {
            t.links
                .iter()
                .any(|(_, kind, id)| id == entity_id && kinds.contains(&kind.as_str()))
        })
        .filter_map(|t| t.due_date.as_ref().map(|due| (sort_key(due), due, t)))
        .min_by(|a, b| a.0.cmp(&b.0))
        .map_or(
            Value::Null,
            |(_, due, t)| json!({"id": t.id, "content": t.content, "dueDate": due}),
        )
}

/// Timestamps compare as instants when they parse, as text otherwise.
fn sort_key(timestamp: &str) -> (i64, String) {
    match chrono::DateTime::parse_from_rfc3339(timestamp) {
        Ok(t) => (t.timestamp_millis(), String::new()),
        Err(_) => (i64::MAX, timestamp.to_owned()),
    }
}

fn view(view_type: &str, fields: Value) -> Value {
    let mut map = object(fields);
    map.insert("viewType".into(), json!(view_type));
    Value::Object(map)
}

fn user_view(store: &Store, view_type: &str, user_id: Option<&str>) -> Value {
    view(
        view_type,
        json!({ "user": user_id.map(|id| user_contact(store, id)) }),
    )
}

/// `LatestWorkExperience`: the first current work experience sent with the candidate, else the
/// latest current client-contact position, else `{}`.
fn latest_work_experience(store: &Store, c: &Candidate) -> Value {
    let from_experience = c
        .work_experiences
        .iter()
        .find(|w| w.get("endDate").is_none())
        .map(|w| {
            let mut map = Map::new();
            put_some(&mut map, "title", w.get("jobTitle").and_then(Value::as_str));
            if let Some(id) = w.get("companyId").and_then(Value::as_str) {
                map.insert("company".into(), company(store, id));
            }
            Value::Object(map)
        });
    let from_position = || {
        c.positions
            .iter()
            .rev()
            .find(|p| p.end_date.is_none())
            .map(|p| {
                let mut map = object(json!({ "company": company(store, &p.client_id) }));
                put_some(&mut map, "title", p.role.as_deref());
                Value::Object(map)
            })
    };
    from_experience
        .or_else(from_position)
        .unwrap_or_else(|| json!({}))
}

/// `Candidate`, every required field present, values in their `{viewType, …}` wrappers.
pub(crate) fn candidate(store: &Store, c: &Candidate) -> Value {
    let contacts: Vec<Value> = c
        .positions
        .iter()
        .map(|p| client_contact(store, c, p))
        .collect();
    let latest_work = latest_work_experience(store, c);
    json!({
        "id": c.id,
        "name": view("candidateName", json!({
            "avatarUrl": c.avatar_url, "firstName": c.first_name, "lastName": c.last_name,
        })),
        "gender": view("candidateGender", json!({ "gender": c.gender })),
        "nationality": view("candidateNationality", json!({ "nationality": c.nationality })),
        "status": view("candidateStatus", json!({ "status": c.status })),
        "emails": view("candidateEmails", json!({ "emails": c.emails })),
        "phoneNumbers": view("candidatePhoneNumbers", json!({ "phoneNumbers": c.phone_numbers })),
        "locations": view("candidateLocation", json!({
            "locations": c.locations.iter().map(location).collect::<Vec<_>>(),
        })),
        "dateOfBirth": view("candidateDateOfBirth", json!({ "dateOfBirth": c.date_of_birth })),
        "socialMedia": view("candidateSocialMedia", json!({ "socialMedia": c.social_media })),
        "lastInteractionDate": view("candidateLastInteractionDate", json!({
            "lastInteractionDate": c.last_interaction_at,
        })),
        "lastInteractionWith": user_view(store, "candidateLastInteractionWith", c.last_interaction_with.as_deref()),
        "nextInteractionDate": view("candidateNextInteractionDate", json!({ "nextInteractionDate": null })),
        "nextInteractionWith": user_view(store, "candidateNextInteractionWith", None),
        "mainContact": user_view(store, "candidateMainContact", c.main_contact.as_deref()),
        "languages": view("candidateLanguages", json!({ "languages": c.languages })),
        "compensation": view("candidateCompensation", json!({ "compensation": c.compensation })),
        "currentPlacements": view("candidateCurrentPlacements", json!({
            "hasCurrentPlacement": false, "placements": [],
        })),
        "nextTaskDue": view("candidateNextTaskDue", json!({ "nextTaskDue": next_task_due(store, &c.id) })),
        "createdAt": c.created_at,
        "modifiedAt": c.modified_at,
        "lastActivityDate": c.modified_at,
        "acquisitionSource": view("candidateAcquisitionSource", json!({
            "acquisitionSource": c.acquisition_source,
        })),
        "latestWorkExperience": latest_work,
        "lastLinkedinDiffAt": null,
        "isDiffingLinkedin": false,
        "customAttributes": c.custom_attributes,
        "aiSummary": null,
        "clientContacts": view("candidateClientContacts", json!({ "clientContacts": contacts })),
        "isVisibleIfClientContact": c.visible_if_client_contact,
        "hasClientContacts": !c.positions.is_empty(),
        "hasActiveClientContacts": c.positions.iter().any(|p| p.end_date.is_none()),
        "lastAgentChatId": null,
        "cvAttachmentId": null,
        "linkedInProfile": view("candidateLinkedInProfile", json!({
            "headline": null, "about": null, "skills": [],
        })),
    })
}

/// `ContactOverview` of a candidate who is a client contact.
pub(crate) fn contact_overview(store: &Store, c: &Candidate) -> Value {
    let mut map = object(json!({
        "candidateId": c.id,
        "firstName": c.first_name,
        "lastName": c.last_name,
        "clientContacts": c.positions.iter().map(|p| client_contact(store, c, p)).collect::<Vec<_>>(),
        "locations": c.locations.iter().map(location).collect::<Vec<_>>(),
        "lastInteractionDate": c.last_interaction_at,
        "lastInteractionWith": c.last_interaction_with.as_deref().map(|id| user_summary(store, id)),
        "nextInteractionDate": null,
        "nextInteractionWith": null,
        "lastActivityDate": c.modified_at,
        "nextTaskDue": next_task_due(store, &c.id),
        "mainContact": c.main_contact.as_deref().map(|id| user_contact(store, id)),
    }));
    put_some(&mut map, "avatarUrl", c.avatar_url.as_deref());
    Value::Object(map)
}

/// The response group of a link's `entityType`.
fn link_group(entity_type: &str) -> Option<&'static str> {
    Some(match entity_type {
        "candidate" => "candidates",
        "vacancy" => "vacancies",
        "client" => "clients",
        "user" => "users",
        "team" => "teams",
        "client_contact" => "clientContacts",
        "opportunity" => "opportunities",
        _ => return None,
    })
}

/// One link as its group's item, filled from the store where the mock knows the entity.
fn link(store: &Store, link_id: &str, entity_type: &str, entity_id: &str) -> Value {
    let mut map = object(json!({ "taskLinkId": link_id, "isMention": false, "id": entity_id }));
    match entity_type {
        "candidate" | "client_contact" => {
            if let Some(c) = store.candidates.get(entity_id) {
                map.insert("firstName".into(), json!(c.first_name));
                map.insert("lastName".into(), json!(c.last_name));
                put_some(&mut map, "middleName", c.middle_name.as_deref());
                put_some(&mut map, "secondLastName", c.second_last_name.as_deref());
                put_some(&mut map, "avatarUrl", c.avatar_url.as_deref());
                if entity_type == "client_contact" {
                    map.insert("candidateId".into(), json!(c.id));
                    if let Some(p) = c.positions.first() {
                        map.insert("companyId".into(), json!(p.client_id));
                        if let Some(client) = store.clients.get(&p.client_id) {
                            map.insert("companyName".into(), json!(client.name));
                            put_some(&mut map, "companyLogoUrl", client.logo_url.as_deref());
                        }
                    }
                }
            }
        }
        "vacancy" => {
            if let Some(v) = store.vacancies.get(entity_id) {
                map.insert("name".into(), json!(v.name));
                map.insert("companyId".into(), json!(v.client_id));
                if let Some(client) = store.clients.get(&v.client_id) {
                    map.insert("companyName".into(), json!(client.name));
                    put_some(&mut map, "companyLogoUrl", client.logo_url.as_deref());
                }
            }
        }
        "client" => {
            if let Some(client) = store.clients.get(entity_id) {
                map.insert("name".into(), json!(client.name));
                put_some(&mut map, "logoUrl", client.logo_url.as_deref());
            }
        }
        "user" => {
            if let Some(user) = store.users.get(entity_id) {
                map.insert("name".into(), json!(user.name));
                put_some(&mut map, "avatarUrl", user.avatar_url.as_deref());
                map.insert("deactivatedAt".into(), Value::Null);
            }
        }
        _ => {}
    }
    Value::Object(map)
}

/// `Task`, links grouped by entity type (every group present, possibly empty).
pub(crate) fn task(store: &Store, t: &Task) -> Value {
    let mut groups: Map<String, Value> = [
        "candidates",
        "vacancies",
        "clients",
        "users",
        "teams",
        "clientContacts",
        "opportunities",
    ]
    .iter()
    .map(|g| ((*g).to_owned(), json!([])))
    .collect();
    for (link_id, entity_type, entity_id) in &t.links {
        if let Some(Value::Array(items)) = link_group(entity_type).and_then(|g| groups.get_mut(g)) {
            items.push(link(store, link_id, entity_type, entity_id));
        }
    }
    json!({
        "id": t.id,
        "content": t.content,
        "dueDate": t.due_date,
        "createdBy": user_summary(store, crate::state::API_USER_ID),
        "assignedTo": t.assigned_to.as_deref().map(|id| user_summary(store, id)),
        "source": "MANUAL",
        "metadata": { "type": "GENERIC_TASK" },
        "links": groups,
        "isCompleted": false,
        "completedAt": null,
        "createdAt": t.created_at,
        "labels": [],
    })
}

/// `VacancyClient` of a client.
fn vacancy_client(store: &Store, client_id: &str) -> Value {
    let mut map = object(json!({ "id": client_id, "domain": null }));
    if let Some(client) = store.clients.get(client_id) {
        map.insert("name".into(), json!(client.name));
        map.insert("logoUrl".into(), json!(client.logo_url));
    }
    Value::Object(map)
}

/// `VacancyClientTeamMember` of a client contact (a candidate with a position).
fn client_team_member(store: &Store, candidate_id: &str) -> Value {
    let mut map = object(json!({ "id": candidate_id, "candidateId": candidate_id }));
    if let Some(c) = store.candidates.get(candidate_id) {
        map.insert("firstName".into(), json!(c.first_name));
        map.insert("lastName".into(), json!(c.last_name));
        map.insert("middleName".into(), json!(c.middle_name));
        map.insert("secondLastName".into(), json!(c.second_last_name));
        map.insert("avatarUrl".into(), json!(c.avatar_url));
        map.insert("emails".into(), json!(c.emails));
        map.insert("phoneNumbers".into(), json!(c.phone_numbers));
        if let Some(p) = c.positions.first() {
            map.insert("companyId".into(), json!(p.client_id));
            map.insert("jobTitle".into(), json!(p.role));
            map.insert("department".into(), json!(p.department));
            if let Some(client) = store.clients.get(&p.client_id) {
                map.insert("companyName".into(), json!(client.name));
                map.insert("companyLogoUrl".into(), json!(client.logo_url));
            }
        }
    }
    Value::Object(map)
}

/// `Vacancy`, each value in its `{viewType, …}` wrapper; the stage totals count the
/// vacancy's applications per pipeline stage.
pub(crate) fn vacancy(store: &Store, v: &Vacancy) -> Value {
    let totals: Vec<Value> = store
        .pipeline_stages
        .iter()
        .map(|s| {
            let total = store
                .applications
                .values()
                .filter(|a| a.vacancy_id == v.id && a.stage_id == s.id)
                .count();
            json!({"type": "stage", "id": s.id, "name": s.name, "order": s.order, "total": total})
        })
        .collect();
    let mut map = object(json!({
        "id": v.id,
        "client": view("vacancyClient", json!({ "client": vacancy_client(store, &v.client_id) })),
        "name": view("vacancyName", json!({ "name": v.name })),
        "stage": view("vacancyStage", json!({ "stage": null })),
        "status": view("vacancyStatus", json!({ "status": v.status })),
        "createdAt": view("vacancyCreatedAt", json!({ "createdAt": v.created_at })),
        "startAt": view("vacancyStartAt", json!({ "startAt": v.start_at })),
        "endAt": view("vacancyEndAt", json!({ "endAt": v.end_at })),
        "salaryRange": view("vacancySalaryRange", json!({ "salaryRange": v.salary_range })),
        "location": view("vacancyLocation", json!({ "location": v.location.as_ref().map(location) })),
        "team": view("vacancyTeam", json!({
            "team": v.team.iter().map(|id| user_contact(store, id)).collect::<Vec<_>>(),
        })),
        "employmentType": view("vacancyEmploymentType", json!({ "employmentType": v.employment_type })),
        "locationType": view("vacancyLocationType", json!({ "locationType": v.location_type })),
        "clientTeam": view("vacancyClientTeam", json!({
            "clientTeam": v.client_team.iter().map(|id| client_team_member(store, id)).collect::<Vec<_>>(),
        })),
        "stageTotals": view("vacancyStageTotals", json!({ "totals": totals })),
        "customAttributes": [],
        "clientPortalId": null,
        "lastRankedAt": null,
    }));
    if let Some(description) = &v.description {
        // The spec's `VacancyDescriptionView` names only `viewType`; the page's example
        // carries the text beside it.
        map.insert(
            "description".into(),
            view("vacancyDescription", json!({ "description": description })),
        );
    }
    Value::Object(map)
}

/// `PipelineStage`.
pub(crate) fn pipeline_stage(s: &PipelineStage) -> Value {
    json!({
        "type": "stage",
        "templateType": "DEFAULT",
        "templateId": s.template_id,
        "countForAnalytics": true,
        "labels": s.labels.iter().enumerate().map(|(i, (id, name, color))| {
            json!({"id": id, "name": name, "colorHex": color, "order": i + 1})
        }).collect::<Vec<_>>(),
        "id": s.id,
        "order": s.order,
        "name": s.name,
        "colorHex": s.color_hex,
    })
}

/// `ApplicationCandidateSummary`; an unknown candidate renders as `{id}` only.
fn application_candidate(store: &Store, candidate_id: &str) -> Value {
    let mut map = object(json!({ "id": candidate_id }));
    if let Some(c) = store.candidates.get(candidate_id) {
        map.insert("firstName".into(), json!(c.first_name));
        map.insert("lastName".into(), json!(c.last_name));
        map.insert("middleName".into(), json!(c.middle_name));
        map.insert("secondLastName".into(), json!(c.second_last_name));
        map.insert("avatarUrl".into(), json!(c.avatar_url));
        map.insert("emails".into(), json!(c.emails));
        map.insert(
            "lastInteractionWith".into(),
            c.last_interaction_with
                .as_deref()
                .map_or(Value::Null, |id| user_summary(store, id)),
        );
        map.insert("lastInteractionDate".into(), json!(c.last_interaction_at));
    }
    Value::Object(map)
}

/// `ApplicationListItem`: the application with its candidate, vacancy and stage in short.
pub(crate) fn application_list_item(store: &Store, a: &Application) -> Value {
    let mut vacancy = object(json!({ "id": a.vacancy_id, "jobBoards": [] }));
    if let Some(v) = store.vacancies.get(&a.vacancy_id) {
        vacancy.insert("name".into(), json!(v.name));
        vacancy.insert("companyId".into(), json!(v.client_id));
        if let Some(client) = store.clients.get(&v.client_id) {
            vacancy.insert("companyName".into(), json!(client.name));
            vacancy.insert("companyLogoUrl".into(), json!(client.logo_url));
        }
    }
    let stage = match store.pipeline_stages.iter().find(|s| s.id == a.stage_id) {
        Some(s) => json!({"id": s.id, "order": s.order, "name": s.name, "colorHex": s.color_hex}),
        None => json!({ "id": a.stage_id }),
    };
    json!({
        "id": a.id,
        "position": a.position,
        "candidate": application_candidate(store, &a.candidate_id),
        "vacancy": vacancy,
        "stage": stage,
    })
}

/// `Application` in full: stage (with its status label), owner, state, rejection, client.
pub(crate) fn application(store: &Store, a: &Application) -> Value {
    let stage = store.pipeline_stages.iter().find(|s| s.id == a.stage_id);
    let status = stage.and_then(|s| {
        s.labels
            .iter()
            .find(|(id, _, _)| Some(id) == a.status_id.as_ref())
            .map(|(id, name, color)| json!({"id": id, "name": name, "colorHex": color}))
    });
    let mut stage_json = object(json!({
        "type": "stage",
        "templateType": "DEFAULT",
        "viewType": "applicationStage",
        "id": a.stage_id,
        "status": status,
    }));
    if let Some(s) = stage {
        stage_json.insert("name".into(), json!(s.name));
        stage_json.insert("order".into(), json!(s.order));
        stage_json.insert("colorHex".into(), json!(s.color_hex));
        stage_json.insert("templateId".into(), json!(s.template_id));
    }
    let client = store
        .vacancies
        .get(&a.vacancy_id)
        .map_or(Value::Null, |v| vacancy_client(store, &v.client_id));
    let rejection = a.rejection.as_ref().map_or(Value::Null, |r| {
        let by = user_summary(store, crate::state::API_USER_ID);
        json!({
            "id": r.id,
            "applicationId": a.id,
            "createdAt": r.created_at,
            "modifiedAt": r.created_at,
            "reason": r.reason,
            "createdBy": by,
            "rejectedByUser": by,
        })
    });
    let state = if a.rejection.is_some() {
        "rejected"
    } else {
        "active"
    };
    let (activity, at) = &a.latest_activity;
    json!({
        "candidateApplicationType": "standardApplication",
        "id": a.id,
        "position": a.position,
        "stage": Value::Object(stage_json),
        "owner": view("applicationOwner", json!({
            "owner": a.owner.as_deref().map(|id| user_summary(store, id)),
        })),
        "applicationState": view("applicationState", json!({ "state": state })),
        "placements": [],
        "commentCount": 0,
        "latestActivity": {
            "type": activity,
            "isInbound": false,
            "date": at,
            "triggeredByUser": user_summary(store, crate::state::API_USER_ID),
            "triggeredByUserId": crate::state::API_USER_ID,
        },
        "comments": [],
        "interviews": [],
        "candidate": application_candidate(store, &a.candidate_id),
        "rejection": rejection,
        "internalTeam": view("applicationInternalTeam", json!({
            "internalTeam": a.owner.as_deref().map(|id| user_summary(store, id)).into_iter().collect::<Vec<_>>(),
        })),
        "notes": view("applicationNotes", json!({ "notes": [] })),
        "client": view("applicationClient", json!({ "client": client })),
        "clientTeam": view("applicationClientTeam", json!({ "clientTeam": [] })),
    })
}

/// `Stage` of a client-contact stage id (`{id}` only when the mock does not know it).
fn contact_stage(store: &Store, stage_id: &str) -> Value {
    match store.stages.get(stage_id) {
        Some(s) => json!({"id": s.id, "order": s.order, "name": s.name, "colorHex": s.color_hex}),
        None => json!({ "id": stage_id }),
    }
}

/// `ClientContactListItem`: one position of `candidate` at a client.
pub(crate) fn client_contact_item(
    store: &Store,
    c: &Candidate,
    position: &ContactPosition,
) -> Value {
    let mut company = object(json!({ "id": position.client_id }));
    if let Some(client) = store.clients.get(&position.client_id) {
        company.insert("name".into(), json!(client.name));
        put_some(&mut company, "logoUrl", client.logo_url.as_deref());
    }
    let mut map = object(json!({
        "id": position.id,
        "candidateId": c.id,
        "firstName": c.first_name,
        "lastName": c.last_name,
        "locations": c.locations.iter().map(location).collect::<Vec<_>>(),
        "client": { "company": company, "locations": [] },
        "role": position.role,
        "department": position.department,
        "startDate": position.start_date,
        "endDate": position.end_date,
        "active": position.end_date.is_none(),
        "mainContact": c.main_contact.as_deref().map(|id| user_summary(store, id)),
        "createdAt": c.created_at,
        "customAttributes": position.custom_attributes,
    }));
    put_some(&mut map, "avatarUrl", c.avatar_url.as_deref());
    if let Some(stage_id) = &position.stage_id {
        map.insert("stage".into(), contact_stage(store, stage_id));
    }
    Value::Object(map)
}

/// `ClientRecord`: the client with its contacts (the candidates with a position there) and
/// its next task due; what the mock does not know is `null` in its wrapper.
pub(crate) fn client_record(store: &Store, id: &str, client: &Client) -> Value {
    let contacts: Vec<Value> = store
        .candidates
        .values()
        .filter(|c| c.positions.iter().any(|p| p.client_id == id))
        .map(|c| {
            let emails: Vec<Value> = c
                .emails
                .iter()
                .map(|e| {
                    let mut map = Map::new();
                    for (from, to) in [
                        ("purpose", "purpose"),
                        ("email", "emailAddress"),
                        ("isPrimary", "isPrimary"),
                    ] {
                        if let Some(v) = e.get(from).filter(|v| !v.is_null()) {
                            map.insert(to.to_owned(), v.clone());
                        }
                    }
                    Value::Object(map)
                })
                .collect();
            let position = c.positions.iter().find(|p| p.client_id == id);
            let mut map = object(json!({
                "id": position.map_or(c.id.as_str(), |p| p.id.as_str()),
                "candidateId": c.id,
                "firstName": c.first_name,
                "lastName": c.last_name,
                "emailAddresses": emails,
            }));
            put_some(&mut map, "middleName", c.middle_name.as_deref());
            put_some(&mut map, "avatarUrl", c.avatar_url.as_deref());
            Value::Object(map)
        })
        .collect();
    json!({
        "id": id,
        "status": view("clientStatus", json!({ "status": "client" })),
        "name": view("clientName", json!({ "name": client.name, "avatarUrl": client.logo_url })),
        "industry": view("clientIndustry", json!({ "industry": null })),
        "domain": view("clientDomain", json!({ "domain": null })),
        "linkedinUrl": view("clientLinkedinUrl", json!({ "linkedinUrl": null })),
        "size": view("clientSize", json!({ "size": null })),
        "stage": view("clientStage", json!({ "stage": null })),
        "nextTaskDue": view("clientNextTaskDue", json!({
            "nextTaskDue": next_task_due_linked(store, &["client"], id),
        })),
        "locations": view("clientLocations", json!({ "locations": [] })),
        "customAttributes": [],
        "createdAt": client.created_at,
        "modifiedAt": client.created_at,
        "funding": view("clientFunding", json!({ "funding": null })),
        "contacts": view("clientContacts", json!({ "contacts": contacts })),
    })
}

/// `Note`: links to candidates carry the candidate in short; labels are named by id only
/// (the mock keeps no label catalogue).
pub(crate) fn note(store: &Store, n: &Note) -> Value {
    let links: Vec<Value> = n
        .links
        .iter()
        .map(|(link_id, kind, entity_id)| {
            let mut map = object(json!({ "id": link_id, "noteId": n.id, "entityType": kind }));
            if kind == "candidate" {
                let mut candidate = object(json!({ "id": entity_id }));
                if let Some(c) = store.candidates.get(entity_id) {
                    candidate.insert("firstName".into(), json!(c.first_name));
                    candidate.insert("lastName".into(), json!(c.last_name));
                    put_some(&mut candidate, "middleName", c.middle_name.as_deref());
                    put_some(
                        &mut candidate,
                        "secondLastName",
                        c.second_last_name.as_deref(),
                    );
                    put_some(&mut candidate, "avatarUrl", c.avatar_url.as_deref());
                }
                map.insert("candidate".into(), Value::Object(candidate));
            }
            Value::Object(map)
        })
        .collect();
    json!({
        "id": n.id,
        "type": "manual",
        "source": n.source,
        "title": n.title,
        "content": n.content,
        "createdAt": n.created_at,
        "lastEditedAt": null,
        "createdBy": user_summary(store, crate::state::API_USER_ID),
        "editors": [],
        "links": links,
        "meeting": null,
        "call": null,
        "audioRecording": null,
        "pinned": false,
        "shouldPoll": false,
        "labels": n.label_ids.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
        "titleHighlight": null,
        "contentHighlight": null,
    })
}
