//! Saleshandy's lists: prospects and sequences, filtered and sorted by the query parameters
//! the spec declares, paged by their `x-pagination` (page numbers, no paging metadata).

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::{Input, Outcome};
use crate::paging::{Entry, page};
use crate::state::{PROSPECT_FIELDS, Prospect, SEQUENCE_OWNER, Sequence, Store};

/// `GET /v1/prospects`: the prospects whose first name, last name or e-mail contains
/// `search` (case-insensitive), by `createdAt` (`sortBy=owner` too: every prospect has the
/// one owner, the account's user), `sort` `ASC` (the default) or `DESC`.
pub(super) fn list_prospects(store: &mut Store, input: &Input<'_>) -> Outcome {
    let needle = input.query("search").map(str::to_lowercase);
    let mut found: Vec<&Prospect> = store
        .prospects
        .values()
        .filter(|p| {
            needle.as_deref().is_none_or(|needle| {
                ["First Name", "Last Name", "Email"]
                    .iter()
                    .any(|name| p.field(name).to_lowercase().contains(needle))
            })
        })
        .collect();
    found.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    let entries = in_order(input, found, |p| (p.id.clone(), prospect(p)));
    page(store, input, entries, Map::new())
}

/// `Prospect`: every field of the page's list as an attribute (empty when not set, as the
/// API shows it); `email` and `verificationStatus` only when the mock knows an address.
fn prospect(p: &Prospect) -> Value {
    let attributes: Vec<Value> = PROSPECT_FIELDS
        .iter()
        .map(|(id, key)| json!({"id": id, "key": key, "value": p.field(key)}))
        .collect();
    let mut body = json!({"id": p.id, "createdAt": p.created_at, "attributes": attributes});
    let email = p.field("Email");
    if !email.is_empty() {
        body["email"] = json!(email);
    }
    if let Some(status) = &p.verification_status {
        body["verificationStatus"] = json!(status);
    }
    body
}

/// `GET /v1/sequences`: the sequences whose title contains `sequenceName`
/// (case-insensitive) and, with `clientIds`, whose client is one of those ids (the page
/// documents no separator; the mock splits on commas), by `sortBy` (`sequence.createdAt`
/// when absent, or `sequence.title`), `sort` `ASC` (the default) or `DESC`.
pub(super) fn list_sequences(store: &mut Store, input: &Input<'_>) -> Outcome {
    let title = input.query("sequenceName").map(str::to_lowercase);
    let clients: Option<Vec<&str>> = input
        .query("clientIds")
        .map(|ids| ids.split(',').map(str::trim).collect());
    let mut found: Vec<&Sequence> = store
        .sequences
        .iter()
        .filter(|s| {
            title
                .as_deref()
                .is_none_or(|t| s.title.to_lowercase().contains(t))
        })
        .filter(|s| {
            clients.as_ref().is_none_or(|ids| {
                s.client
                    .as_ref()
                    .is_some_and(|c| ids.contains(&c.id.as_str()))
            })
        })
        .collect();
    let by_title = input.query("sortBy") == Some("sequence.title");
    found.sort_by(|a, b| {
        let primary = if by_title {
            a.title.cmp(&b.title)
        } else {
            Ordering::Equal
        };
        primary.then_with(|| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)))
    });
    let entries = in_order(input, found, |s| (s.id.clone(), sequence(s)));
    let mut extra = Map::new();
    extra.insert(
        "message".to_owned(),
        json!("Successfully fetched all sequences and their associated steps"),
    );
    page(store, input, entries, extra)
}

/// `Sequence`, owned by the account's user.
fn sequence(s: &Sequence) -> Value {
    let (user_id, first_name, last_name, email) = SEQUENCE_OWNER;
    let steps: Vec<Value> = s
        .steps
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    json!({
        "id": s.id,
        "title": s.title,
        "active": s.active,
        "steps": steps,
        "client": s.client.as_ref().map(|c| json!({
            "id": c.id,
            "companyName": c.company_name,
            "firstName": c.first_name,
            "lastName": c.last_name,
        })),
        "user": {"id": user_id, "firstName": first_name, "lastName": last_name, "email": email},
    })
}

/// `items` (sorted ascending) as pager entries in the requested direction: keyed by their
/// place, since the pager orders by key and these lists sort by more than one field.
fn in_order<T>(
    input: &Input<'_>,
    mut items: Vec<T>,
    render: impl Fn(&T) -> (String, Value),
) -> Vec<Entry> {
    if input.query("sort") == Some("DESC") {
        items.reverse();
    }
    items
        .iter()
        .enumerate()
        .map(|(place, item)| {
            let (id, body) = render(item);
            Entry::new(&format!("{place:08}"), &id, body)
        })
        .collect()
}
