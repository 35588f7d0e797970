//! The hiring pipeline: vacancies, the applications pipeline's stages, and applications that
//! link candidates to vacancies and move through the stages or get rejected.

use serde_json::{Map, Value, json};

use super::{Input, Outcome, string, strings};
use crate::paging::{Entry, modified_within, page};
use crate::render;
use crate::state::{Application, Rejection, Store, Vacancy, now};
use crate::violation::{PathSegment, Violation};

/// `GET /vacancies`: every vacancy modified within the bounds, oldest creation first.
pub(super) fn list_vacancies(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .vacancies
        .values()
        .filter(|v| modified_within(input, &v.modified_at))
        .map(|v| Entry::new(&v.created_at, &v.id, render::vacancy(store, v)))
        .collect();
    page(store, input, entries, Map::new())
}

/// `GET /vacancies/{id}`.
pub(super) fn get_vacancy(store: &mut Store, id: &str) -> Outcome {
    match store.vacancies.get(id) {
        Some(v) => ok(render::vacancy(store, v)),
        None => Outcome::NotFound {
            message: format!("no vacancy with id `{id}`"),
        },
    }
}

/// `POST /vacancies?companyId=…`: a new vacancy at a known client (an unknown one is the
/// spec's 404).
pub(super) fn create_vacancy(store: &mut Store, input: &Input<'_>) -> Outcome {
    let client_id = input.query("companyId").unwrap_or_default().to_owned();
    if !store.clients.contains_key(&client_id) {
        let message = format!("no client with id `{client_id}`");
        return Outcome::Error {
            status: 404,
            violation: Violation::new(
                "not_found",
                vec![PathSegment::from("query"), PathSegment::from("companyId")],
                message.clone(),
                Some(Value::String(client_id)),
            ),
            message,
        };
    }
    let fields = input.fields();
    let id = store.next_id("vacancy");
    let created = now();
    let object = |key: &str| fields.get(key).filter(|v| v.is_object()).cloned();
    let vacancy = Vacancy {
        id: id.clone(),
        client_id,
        name: string(fields, "name").unwrap_or_default(),
        // The spec requires `description` without giving it a type: text is kept.
        description: string(fields, "description"),
        status: string(fields, "status").unwrap_or_else(|| "open".to_owned()),
        employment_type: string(fields, "employmentType"),
        location_type: string(fields, "locationType"),
        salary_range: object("salaryRange"),
        location: object("location"),
        start_at: string(fields, "startAt"),
        end_at: string(fields, "endAt"),
        team: strings(fields, "teamUserIds"),
        client_team: strings(fields, "clientTeamUserIds"),
        created_at: created.clone(),
        modified_at: created,
    };
    store.vacancies.insert(id.clone(), vacancy);
    Outcome::Success {
        status: 201,
        body: Some(json!({ "id": id })),
        created: vec![id],
    }
}

/// `GET /pipeline/applications/stages`: the stages, in order; `templateId` keeps one
/// template's (an unknown template has none).
pub(super) fn list_pipeline_stages(store: &mut Store, input: &Input<'_>) -> Outcome {
    let template = input.query("templateId");
    let mut stages: Vec<_> = store
        .pipeline_stages
        .iter()
        .filter(|s| template.is_none_or(|t| t == s.template_id))
        .collect();
    stages.sort_by_key(|s| s.order);
    ok(json!({ "stages": stages.into_iter().map(render::pipeline_stage).collect::<Vec<_>>() }))
}

/// An application as a list entry: oldest creation first (a move changes the modification
/// time, and must not move the application within a list being paged).
fn entry(a: &Application, body: Value) -> Entry {
    Entry::new(&a.created_at, &a.id, body)
}

/// `GET /applications`: every application modified within the bounds, one page.
pub(super) fn list_applications(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .applications
        .values()
        .filter(|a| modified_within(input, &a.modified_at))
        .map(|a| entry(a, render::application_list_item(store, a)))
        .collect();
    page(store, input, entries, Map::new())
}

/// `GET /applications/{id}`.
pub(super) fn get_application(store: &mut Store, id: &str) -> Outcome {
    match store.applications.get(id) {
        Some(a) => ok(render::application(store, a)),
        None => not_found(id),
    }
}

/// The applications matching `keep`, in full, oldest creation first.
fn applications(store: &Store, keep: impl Fn(&Application) -> bool) -> Vec<Value> {
    let mut found: Vec<&Application> = store.applications.values().filter(|a| keep(a)).collect();
    found.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    found
        .into_iter()
        .map(|a| render::application(store, a))
        .collect()
}

/// `GET /applications/candidate/{candidateId}`: an unknown candidate is a 404.
pub(super) fn list_candidate_applications(store: &mut Store, candidate_id: &str) -> Outcome {
    if !store.candidates.contains_key(candidate_id) {
        return Outcome::NotFound {
            message: format!("no candidate with id `{candidate_id}`"),
        };
    }
    let items = applications(store, |a| a.candidate_id == candidate_id);
    ok(json!({ "items": items }))
}

/// `GET /applications/vacancy/{vacancyId}`: the vacancy and its applications.
pub(super) fn list_vacancy_applications(store: &mut Store, vacancy_id: &str) -> Outcome {
    let Some(v) = store.vacancies.get(vacancy_id) else {
        return Outcome::NotFound {
            message: format!("no vacancy with id `{vacancy_id}`"),
        };
    };
    let items = applications(store, |a| a.vacancy_id == vacancy_id);
    ok(json!({ "vacancy": render::vacancy(store, v), "items": items }))
}

/// A 404 for something named in the body (a stage, a status): the spec's `NotFound`, at the
/// field. 404 rather than 422: the request is well-formed, the thing it names does not exist.
fn unknown(field: &str, value: &str, what: &str) -> Outcome {
    let message = format!("no {what} with id `{value}`");
    Outcome::Error {
        status: 404,
        violation: Violation::new(
            "not_found",
            vec![PathSegment::from(field)],
            message.clone(),
            Some(Value::String(value.to_owned())),
        ),
        message,
    }
}

/// `PUT /applications/{id}/move`: the application goes to `stageId` (and `statusId`, a label
/// of that stage, or none), placed between `position.previousId` and `position.nextId` when
/// they are applications in that stage, else at the end of the stage.
pub(super) fn move_application(
    store: &mut Store,
    id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    let Some(vacancy_id) = store.applications.get(id).map(|a| a.vacancy_id.clone()) else {
        return not_found(id);
    };
    let stage_id = string(fields, "stageId").unwrap_or_default();
    let Some(stage) = store.pipeline_stages.iter().find(|s| s.id == stage_id) else {
        return unknown("stageId", &stage_id, "pipeline stage");
    };
    let status_id = string(fields, "statusId");
    if let Some(status) = &status_id
        && !stage.labels.iter().any(|(label, _, _)| label == status)
    {
        return unknown("statusId", status, &format!("status in stage `{stage_id}`"));
    }
    // Neighbours: other applications of the same vacancy, in the target stage.
    let neighbour = |key: &str| {
        fields
            .get("position")
            .and_then(|p| p.get(key))
            .and_then(Value::as_str)
            .and_then(|other| store.applications.get(other))
            .filter(|o| o.id != id && o.vacancy_id == vacancy_id && o.stage_id == stage_id)
            .map(|o| o.position)
    };
    let position = match (neighbour("previousId"), neighbour("nextId")) {
        (Some(previous), Some(next)) => (previous + next) / 2.0,
        (Some(previous), None) => previous + 1.0,
        (None, Some(next)) => next - 1.0,
        (None, None) => {
            store
                .applications
                .values()
                .filter(|o| o.id != id && o.vacancy_id == vacancy_id && o.stage_id == stage_id)
                .map(|o| o.position)
                .fold(0.0, f64::max)
                + 1.0
        }
    };
    let at = now();
    if let Some(a) = store.applications.get_mut(id) {
        a.stage_id = stage_id;
        a.status_id = status_id;
        a.position = position;
        a.latest_activity = ("stageChanged".to_owned(), at.clone());
        a.modified_at = at;
    }
    // The spec's 200 has no body.
    Outcome::Success {
        status: 200,
        body: None,
        created: Vec::new(),
    }
}

/// `POST /applications/{id}/rejections`: records the rejection (a new one replaces the
/// last); `get_application` shows it and the state `rejected`.
pub(super) fn reject_application(
    store: &mut Store,
    id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    if !store.applications.contains_key(id) {
        return not_found(id);
    }
    let rejection_id = store.next_id("rejection");
    let at = now();
    if let Some(a) = store.applications.get_mut(id) {
        a.rejection = Some(Rejection {
            id: rejection_id.clone(),
            reason: string(fields, "reason"),
            created_at: at.clone(),
        });
        a.latest_activity = ("rejected".to_owned(), at.clone());
        a.modified_at = at;
    }
    Outcome::Success {
        status: 201,
        body: Some(json!({ "id": rejection_id })),
        created: vec![rejection_id],
    }
}

fn not_found(id: &str) -> Outcome {
    Outcome::NotFound {
        message: format!("no application with id `{id}`"),
    }
}

fn ok(body: Value) -> Outcome {
    Outcome::Success {
        status: 200,
        body: Some(body),
        created: Vec::new(),
    }
}
