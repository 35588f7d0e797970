//! Which operation `spott bulk create API OPERATION` runs, from the
//! generated operation tables (`spott::OPERATIONS`,
//! `saleshandy::OPERATIONS`), so a create added to `spec/` can be bulk-run
//! with no edit here.
//!
//! Only creates are accepted: the operations whose row says retry safety
//! `create` (a POST, or any method the spec marks `x-retry-safety:
//! create`), the ones a second send may create twice and the journal
//! exists for. A read (`GET`, or a read POST such as `search_candidates`),
//! a PUT or a PATCH is refused naming the operation and the rule; an
//! unknown id is refused naming the near ones and listing the creates.
//!
//! The body's top-level fields, and which are required, come from the
//! request type's JSON Schema (the one the generated crate registers), so
//! the CSV header can be checked before anything is sent; the request
//! type's round trip checks each row's body against the spec's types.

use schemars::r#gen::SchemaGenerator;
use schemars::schema::Schema;
use serde_json::Value;

use crate::args::ApiName;
use crate::exit::Failure;

/// Decodes a body into the operation's request type and back (the
/// generated tables' `RoundTrip`): `Err` says what does not fit.
pub type RoundTrip = fn(&Value) -> Result<Value, String>;

/// A create operation, as a bulk run needs it.
#[derive(Clone, Debug)]
pub struct Create {
    /// Which API.
    pub api: ApiName,
    /// The `operationId`.
    pub id: &'static str,
    /// Its path parameters, in template order.
    pub path_params: &'static [&'static str],
    /// Its query parameters.
    pub query_params: &'static [&'static str],
    /// Its JSON body, when it takes one.
    pub body: Option<Body>,
}

/// The JSON body of a create: an object of named fields.
#[derive(Clone, Debug)]
pub struct Body {
    /// Its top-level fields, by their JSON names.
    pub fields: Vec<String>,
    /// The fields the spec requires.
    pub required: Vec<String>,
    /// Checks a body against the request type.
    pub check: RoundTrip,
}

/// What repeating an operation could do (the tables' `RetrySafety`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Read,
    Idempotent,
    IdempotentWrite,
    Create,
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Read => "a read",
            Kind::Idempotent => "an idempotent write (PUT, DELETE)",
            Kind::IdempotentWrite => "an idempotent write",
            Kind::Create => "a create",
        }
    }
}

/// One row of either generated table, in one type.
struct Row {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: &'static [&'static str],
    query_params: &'static [&'static str],
    kind: Kind,
    request_type: Option<&'static str>,
    round_trip: Option<RoundTrip>,
    schemas: fn(&mut SchemaGenerator),
}

/// The API's operation table.
fn table(api: ApiName) -> Vec<Row> {
    // The two generated tables have the same fields but distinct types.
    macro_rules! rows {
        ($api:ident) => {
            $api::OPERATIONS
                .iter()
                .map(|op| Row {
                    id: op.id,
                    method: op.method,
                    path: op.path,
                    path_params: op.path_params,
                    query_params: op.query_params,
                    kind: match op.retry_safety {
                        $api::RetrySafety::Read => Kind::Read,
                        $api::RetrySafety::Idempotent => Kind::Idempotent,
                        $api::RetrySafety::IdempotentWrite => Kind::IdempotentWrite,
                        $api::RetrySafety::Create => Kind::Create,
                    },
                    request_type: op.request_type,
                    round_trip: op.request_round_trip,
                    schemas: op.schemas,
                })
                .collect()
        };
    }
    match api {
        ApiName::Spott => rows!(spott),
        ApiName::Saleshandy => rows!(saleshandy),
    }
}

fn spec(api: ApiName) -> &'static str {
    match api {
        ApiName::Spott => "spec/spott.yaml",
        ApiName::Saleshandy => "spec/saleshandy.yaml",
    }
}

/// Whether `id` is a create in either API's operation table: after a
/// failure that may have been processed, sending it again could make a
/// second record.
pub fn is_create(id: &str) -> bool {
    [ApiName::Spott, ApiName::Saleshandy]
        .into_iter()
        .any(|api| {
            table(api)
                .iter()
                .any(|row| row.id == id && row.kind == Kind::Create)
        })
}

/// The create `id` of `api`, or an input error naming the id and why not.
pub fn find(api: ApiName, id: &str) -> Result<Create, Failure> {
    let rows = table(api);
    let spec = spec(api);
    let creates: Vec<&str> = rows
        .iter()
        .filter(|row| row.kind == Kind::Create)
        .map(|row| row.id)
        .collect();
    let creates = creates.join(", ");
    let Some(row) = rows.iter().find(|row| row.id == id) else {
        let near = near(id, rows.iter().map(|row| row.id));
        let near = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        return Err(Failure::Input(format!(
            "bulk create: `{id}` is not an operation of {spec}{near}; its creates: {creates}"
        )));
    };
    if row.kind != Kind::Create {
        return Err(Failure::Input(format!(
            "bulk create: `{id}` ({} {}) is {}, not a create: bulk create runs only operations {spec} marks as creates (retry safety `create`, what a second send may create twice); its creates: {creates}",
            row.method,
            row.path,
            row.kind.described(),
        )));
    }
    Ok(Create {
        api,
        id: row.id,
        path_params: row.path_params,
        query_params: row.query_params,
        body: body(row)?,
    })
}

/// The body's fields from the request type's JSON Schema.
fn body(row: &Row) -> Result<Option<Body>, Failure> {
    let (Some(name), Some(check)) = (row.request_type, row.round_trip) else {
        return Ok(None);
    };
    let mut generator = SchemaGenerator::default();
    (row.schemas)(&mut generator);
    let object = generator
        .definitions()
        .get(name)
        .and_then(|schema| match schema {
            Schema::Object(schema) => schema.object.as_deref(),
            Schema::Bool(_) => None,
        })
        .filter(|object| !object.properties.is_empty());
    let Some(object) = object else {
        return Err(Failure::Input(format!(
            "bulk create: the body of `{}` ({name}) is not an object of named fields, so CSV columns cannot make it; send each with `spott api … --body`",
            row.id
        )));
    };
    Ok(Some(Body {
        fields: object.properties.keys().cloned().collect(),
        required: object.required.iter().cloned().collect(),
        check,
    }))
}

/// The ids among `ids` a typo of `id` could be: one holding the other, or
/// within three edits; the closest first.
fn near<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let id = id.to_ascii_lowercase();
    let mut near: Vec<(usize, &str)> = ids
        .map(|candidate| (edits(&id, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= 3
                || candidate.contains(id.as_str())
                || (id.len() > 3 && id.contains(candidate))
        })
        .collect();
    near.sort_by_key(|(distance, _)| *distance);
    near.into_iter()
        .take(5)
        .map(|(_, candidate)| candidate)
        .collect()
}

/// The Levenshtein distance between `a` and `b`.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, right) in b.iter().enumerate() {
            let replace = previous[j] + usize::from(left != *right);
            current.push(replace.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(api: ApiName, id: &str) -> String {
        find(api, id).unwrap_err().to_string()
    }

    #[test]
    fn every_create_of_both_tables_is_accepted_with_its_fields() {
        for api in [ApiName::Spott, ApiName::Saleshandy] {
            for row in table(api).into_iter().filter(|r| r.kind == Kind::Create) {
                let create = find(api, row.id).unwrap();
                let body = create
                    .body
                    .unwrap_or_else(|| panic!("{} has a body", row.id));
                assert!(!body.fields.is_empty(), "{}", row.id);
                for required in &body.required {
                    assert!(body.fields.contains(required), "{}: {required}", row.id);
                }
            }
        }
        let candidate = find(ApiName::Spott, "create_candidate").unwrap();
        let body = candidate.body.unwrap();
        assert_eq!(body.required, ["firstName", "lastName"]);
        assert!(
            body.fields.iter().any(|f| f == "emails"),
            "{:?}",
            body.fields
        );
        let vacancy = find(ApiName::Spott, "create_vacancy").unwrap();
        assert_eq!(vacancy.query_params, ["companyId"]);
        let contact = find(ApiName::Spott, "create_client_contact").unwrap();
        assert_eq!(contact.path_params, ["id"]);
    }

    #[test]
    fn reads_and_writes_that_are_not_creates_are_refused_by_name() {
        let search = error(ApiName::Spott, "search_candidates");
        assert!(
            search.starts_with(
                "bulk create: `search_candidates` (POST /candidates/_search) is a read, not a create: bulk create runs only operations spec/spott.yaml marks as creates (retry safety `create`"
            ),
            "{search}"
        );
        assert!(search.contains("create_candidate"), "{search}");
        let get = error(ApiName::Spott, "get_candidate");
        assert!(
            get.starts_with("bulk create: `get_candidate` (GET /candidates/{id}) is a read"),
            "{get}"
        );
        let patch = error(ApiName::Spott, "update_candidate");
        assert!(
            patch.contains("(PATCH /candidates/{id}) is an idempotent write, not a create"),
            "{patch}"
        );
        let snooze = error(ApiName::Saleshandy, "snooze_task");
        assert!(snooze.contains("spec/saleshandy.yaml"), "{snooze}");
    }

    #[test]
    fn an_unknown_id_names_the_near_ones() {
        assert_eq!(
            error(ApiName::Spott, "create_candidat"),
            format!(
                "bulk create: `create_candidat` is not an operation of spec/spott.yaml (did you mean create_candidate?); its creates: {}",
                table(ApiName::Spott)
                    .iter()
                    .filter(|r| r.kind == Kind::Create)
                    .map(|r| r.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
        let far = error(ApiName::Saleshandy, "zzz");
        assert!(
            far.starts_with("bulk create: `zzz` is not an operation of spec/saleshandy.yaml; its creates: create_tasks, bulk_skip_tasks"),
            "{far}"
        );
        assert_eq!(edits("kitten", "sitting"), 3);
        assert_eq!(edits("", "ab"), 2);
    }
}
