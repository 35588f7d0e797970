//! Spott candidates: create, get, list (cursor paging) and search (page paging in the body),
//! all over the same store `update_candidate` and `get_contact_overview` use.

use serde_json::{Map, Value};

use super::spott::custom_attribute;
use super::{Input, Outcome, array, string, strings};
use crate::paging::{Entry, modified_within, page};
use crate::render;
use crate::state::{Candidate, Store, now};

/// `POST /candidates`: a new candidate from the body; the answer is the id as a bare string.
pub(super) fn create_candidate(store: &mut Store, fields: &Map<String, Value>) -> Outcome {
    // `candidate_` keeps the counter's ids apart from the seeded `cand_1`, `cand_2`.
    let id = store.next_id("candidate");
    let created = now();
    let candidate = Candidate {
        id: id.clone(),
        first_name: string(fields, "firstName").unwrap_or_default(),
        last_name: string(fields, "lastName").unwrap_or_default(),
        avatar_url: string(fields, "avatarUrl"),
        gender: string(fields, "gender"),
        nationality: strings(fields, "nationality"),
        status: strings(fields, "status"),
        // Made by hand through the API, as the operation's page says.
        acquisition_source: Some("manual".to_owned()),
        emails: array(fields, "emails"),
        phone_numbers: array(fields, "phoneNumbers"),
        locations: array(fields, "locations"),
        social_media: array(fields, "socialMedia"),
        languages: array(fields, "languages"),
        main_contact: fields
            .get("mainContact")
            .and_then(|m| m.get("userId"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        date_of_birth: string(fields, "dateOfBirth"),
        work_experiences: array(fields, "workExperiences"),
        custom_attributes: array(fields, "customAttributes")
            .iter()
            .map(custom_attribute)
            .collect(),
        created_at: created.clone(),
        modified_at: created,
        ..Candidate::default()
    };
    store.candidates.insert(id.clone(), candidate);
    Outcome::Success {
        status: 201,
        body: Some(Value::String(id.clone())),
        created: vec![id],
    }
}

/// `GET /candidates/{id}`.
pub(super) fn get_candidate(store: &mut Store, id: &str) -> Outcome {
    match store.candidates.get(id) {
        Some(c) => Outcome::Success {
            status: 200,
            body: Some(render::candidate(store, c)),
            created: Vec::new(),
        },
        None => Outcome::NotFound {
            message: format!("no candidate with id `{id}`"),
        },
    }
}

/// A candidate as a list entry: oldest modification first, as the list's description says.
fn entry(store: &Store, c: &Candidate) -> Entry {
    Entry::new(&c.modified_at, &c.id, render::candidate(store, c))
}

/// `GET /candidates`: every candidate modified within the requested bounds, one page.
pub(super) fn list_candidates(store: &mut Store, input: &Input<'_>) -> Outcome {
    let entries = store
        .candidates
        .values()
        .filter(|c| modified_within(input, &c.modified_at))
        .map(|c| entry(store, c))
        .collect();
    page(store, input, entries, Map::new())
}

/// Whether `c` matches one search filter. `text` (or no type) matches when the value is a
/// case-insensitive substring of the full name or of an email address; the spec lists no
/// other type, so a filter of another type, or without a value, does not restrict.
fn matches(c: &Candidate, filter: &Value) -> bool {
    let kind = filter.get("type").and_then(Value::as_str).unwrap_or("text");
    let Some(needle) = filter.get("value").and_then(Value::as_str) else {
        return true;
    };
    if kind != "text" {
        return true;
    }
    let needle = needle.to_lowercase();
    let name = [
        Some(c.first_name.as_str()),
        c.middle_name.as_deref(),
        Some(c.last_name.as_str()),
        c.second_last_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    name.contains(&needle)
        || c.emails.iter().any(|e| {
            e.get("email")
                .and_then(Value::as_str)
                .is_some_and(|address| address.to_lowercase().contains(&needle))
        })
}

/// `POST /candidates/_search`: the candidates matching every filter, one page.
pub(super) fn search_candidates(store: &mut Store, input: &Input<'_>) -> Outcome {
    let filters = array(input.fields(), "filters");
    let entries = store
        .candidates
        .values()
        .filter(|c| filters.iter().all(|f| matches(c, f)))
        .map(|c| entry(store, c))
        .collect();
    page(store, input, entries, Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_filters_match_names_and_emails_case_insensitively() {
        let c = Candidate {
            first_name: "Jane".into(),
            last_name: "Smith".into(),
            emails: vec![json!({"email": "JS@Example.com"})],
            ..Candidate::default()
        };
        assert!(matches(&c, &json!({"type": "text", "value": "ne sm"})));
        assert!(matches(&c, &json!({"value": "js@example"})));
        assert!(!matches(&c, &json!({"type": "text", "value": "doe"})));
        assert!(matches(&c, &json!({"type": "tag", "value": "doe"})));
        assert!(matches(&c, &json!({"type": "text"})));
    }
}
