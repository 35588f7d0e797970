//! Spott candidates: create, get, list (cursor paging) and search (page paging in the body),
//! all over the same store `update_candidate` and `get_contact_overview` use.

use serde_json::{Map, Value, json};

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
    // The name and the email addresses (phone numbers are for search people only).
    haystack(c, false).iter().any(|text| text.contains(&needle))
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

/// The search text of a person, lower case: the full name, the email addresses and, with
/// `phones`, the phone numbers.
fn haystack(c: &Candidate, phones: bool) -> Vec<String> {
    let name = [
        Some(c.first_name.as_str()),
        c.middle_name.as_deref(),
        Some(c.last_name.as_str()),
        c.second_last_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let mut texts = vec![name];
    texts.extend(plain(&c.emails, "email"));
    if phones {
        texts.extend(plain(&c.phone_numbers, "phoneNumber"));
    }
    texts.into_iter().map(|t| t.to_lowercase()).collect()
}

/// The `key` strings of a list of objects (emails, phone numbers).
fn plain(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.get(key).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// `limit` of search people: the parameter has no bounds, so below 1 is no result and a
/// number too large to read is no limit.
fn people_limit(input: &Input<'_>) -> usize {
    match input.query("limit") {
        None => 25,
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) => usize::try_from(n).unwrap_or(0),
            Err(_) if text.trim().starts_with('-') => 0,
            Err(_) => usize::MAX,
        },
    }
}

/// `GET /search/people?query=…`: the candidates, and each of their client-contact positions,
/// whose full name, an email address or a phone number contains the query (case-insensitive),
/// at most `limit` of them. Not paged, as the spec says.
pub(super) fn search_people(store: &mut Store, input: &Input<'_>) -> Outcome {
    let needle = input.query("query").unwrap_or_default().to_lowercase();
    let mut items = Vec::new();
    let mut candidates: Vec<&Candidate> = store.candidates.values().collect();
    candidates.sort_by(|a, b| (&a.modified_at, &a.id).cmp(&(&b.modified_at, &b.id)));
    for c in candidates {
        if !haystack(c, true).iter().any(|text| text.contains(&needle)) {
            continue;
        }
        let ids = std::iter::once(("candidate", c.id.as_str())).chain(
            c.positions
                .iter()
                .map(|p| ("client_contact", p.id.as_str())),
        );
        for (kind, id) in ids {
            let mut map = Map::new();
            map.insert("entityType".into(), json!(kind));
            map.insert("id".into(), json!(id));
            map.insert("firstName".into(), json!(c.first_name));
            map.insert("lastName".into(), json!(c.last_name));
            for (key, value) in [
                ("middleName", &c.middle_name),
                ("secondLastName", &c.second_last_name),
                ("avatarUrl", &c.avatar_url),
            ] {
                if let Some(value) = value {
                    map.insert(key.into(), json!(value));
                }
            }
            map.insert(
                "phoneNumbers".into(),
                json!(plain(&c.phone_numbers, "phoneNumber")),
            );
            map.insert("emailAddresses".into(), json!(plain(&c.emails, "email")));
            let linkedin = c.social_media.iter().find(|s| {
                s.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("linkedin"))
            });
            if let Some(url) = linkedin.and_then(|s| s.get("url")).and_then(Value::as_str) {
                map.insert("linkedInUrl".into(), json!(url));
            }
            items.push(Value::Object(map));
        }
    }
    items.truncate(people_limit(input));
    Outcome::Success {
        status: 200,
        body: Some(json!({ "items": items })),
        created: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
