//! A CSV row as the request of any create (`spott bulk create`): the one
//! rule from columns to path, query and body.
//!
//! | column named | goes to | its cell |
//! |---|---|---|
//! | a path parameter (`id`) | the path | text, required in every row |
//! | a query parameter (`companyId`) | the query | text; empty: left out |
//! | a body field (`firstName`) | the body's field | sent as a JSON string; empty: left out |
//! | a body field with `:json` (`emails:json`) | the body's field | raw JSON (`[{"email":"a@b.c"}]`, `3`, `true`, `null`); empty: left out |
//! | the `--key` column | the row key only, unless it is also named like one of the above | non-empty, unique |
//!
//! Only top-level body fields have columns; a nested value is one
//! `:json` cell. The header is checked first, before anything is sent: an
//! unknown column is refused (a typo cannot drop a value), and so is a
//! missing path parameter or required body field. Then each row's body is
//! decoded into the operation's request type: a row that does not fit is
//! `failed` before anything is sent, its error naming the field.
//!
//! The row's hash (`body_sha256`) is of the whole request, canonical JSON
//! `{"body": …, "path": {…}, "query": {…}}`, so an edit to a path or
//! query cell counts as an edit too.

use serde_json::{Map, Value, json};

use super::operation::{Create, RoundTrip};

/// A row's request to a create operation. Its `Debug` names the fields,
/// not their values (names, emails: personal data).
pub struct Call {
    /// The `operationId`.
    pub operation: &'static str,
    /// Path parameters by name.
    pub path: Vec<(&'static str, String)>,
    /// Query parameters by name.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, for an operation that takes one.
    pub body: Option<Value>,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        let fields: Option<Vec<&String>> = self.body.as_ref().map(|body| {
            body.as_object()
                .map_or_else(Vec::new, |b| b.keys().collect())
        });
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("path", &names(&self.path))
            .field("query", &names(&self.query))
            .field("body_fields", &fields)
            .finish()
    }
}

/// What a column is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Role {
    /// Only the row key.
    Key,
    Path(&'static str),
    Query(&'static str),
    Field {
        name: String,
        json: bool,
    },
}

/// Where each column of the header goes, for one operation.
#[derive(Debug)]
pub struct Mapping {
    operation: &'static str,
    columns: Vec<(usize, Role)>,
    /// The `--key` column: its name and position.
    key: Option<(String, usize)>,
    /// The body check, for an operation with a body.
    check: Option<RoundTrip>,
}

impl Mapping {
    /// The mapping of `headers` onto `create`, keyed by the column `key`
    /// (the line number without one); `Err` names the column and the rule.
    pub fn new(
        create: &Create,
        key: Option<&str>,
        headers: &::csv::StringRecord,
    ) -> Result<Self, String> {
        let fields: &[String] = create.body.as_ref().map_or(&[], |b| &b.fields);
        let mut columns = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut key_at = None;
        for (position, header) in headers.iter().enumerate() {
            let is_key = key == Some(header);
            if is_key {
                key_at = Some((header.to_owned(), position));
            }
            let (name, json) = match header.strip_suffix(":json") {
                Some(name) => (name, true),
                None => (header, false),
            };
            let parameter = |names: &'static [&'static str]| names.iter().find(|n| **n == name);
            let role = if let Some(name) = parameter(create.path_params) {
                Role::Path(name)
            } else if let Some(name) = parameter(create.query_params) {
                Role::Query(name)
            } else if fields.iter().any(|f| f == name) {
                Role::Field {
                    name: name.to_owned(),
                    json,
                }
            } else if is_key {
                Role::Key
            } else {
                return Err(unknown(create, header));
            };
            if json && matches!(role, Role::Path(_) | Role::Query(_)) {
                return Err(format!(
                    "column `{header}`: `{name}` is a parameter of {}, which takes text (drop `:json`)",
                    create.id
                ));
            }
            if seen.iter().any(|s| s == name) {
                return Err(format!("column `{name}` appears twice"));
            }
            seen.push(name.to_owned());
            columns.push((position, role));
        }
        if let Some(key) = key
            && key_at.is_none()
        {
            return Err(format!("--key `{key}`: no such column in the header row"));
        }
        let required = create.path_params.iter().copied().chain(
            create
                .body
                .iter()
                .flat_map(|b| b.required.iter().map(String::as_str)),
        );
        for name in required {
            if !seen.iter().any(|s| s == name) {
                return Err(format!(
                    "no `{name}` column ({} requires it; the header row must name it)",
                    create.id
                ));
            }
        }
        Ok(Self {
            operation: create.id,
            columns,
            key: key_at,
            check: create.body.as_ref().map(|b| b.check),
        })
    }

    /// The `--key` column's name and position, if any.
    pub fn key(&self) -> Option<(&str, usize)> {
        self.key.as_ref().map(|(name, at)| (name.as_str(), *at))
    }

    /// The request `record` makes and the value its hash is of, or why it
    /// makes none (naming the field).
    pub fn row(&self, record: &::csv::StringRecord) -> Result<(Call, Value), String> {
        let mut path = Vec::new();
        let mut query = Vec::new();
        let mut body = Map::new();
        for (position, role) in &self.columns {
            let cell = record.get(*position).unwrap_or_default();
            match role {
                Role::Key => {}
                Role::Path(name) if cell.is_empty() => {
                    return Err(format!(
                        "{name}: is required (a path parameter of {}); the cell is empty",
                        self.operation
                    ));
                }
                Role::Path(name) => path.push((*name, cell.to_owned())),
                Role::Query(name) => {
                    if !cell.is_empty() {
                        query.push((*name, cell.to_owned()));
                    }
                }
                Role::Field { name, json } => {
                    if cell.is_empty() {
                        continue;
                    }
                    let value = if *json {
                        serde_json::from_str(cell).map_err(|e| {
                            format!("{name}: not JSON (`{name}:json` holds raw JSON: {e})")
                        })?
                    } else {
                        Value::String(cell.to_owned())
                    };
                    body.insert(name.clone(), value);
                }
            }
        }
        let body = match self.check {
            Some(check) => {
                checked(check, &body)?;
                Some(Value::Object(body))
            }
            None => None,
        };
        let pairs = |pairs: &[(&str, String)]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), Value::String(value.clone())))
                .collect()
        };
        let hashed = json!({"body": body, "path": pairs(&path), "query": pairs(&query)});
        Ok((
            Call {
                operation: self.operation,
                path,
                query,
                body,
            },
            hashed,
        ))
    }
}

fn unknown(create: &Create, header: &str) -> String {
    let mut takes: Vec<String> = Vec::new();
    if !create.path_params.is_empty() {
        takes.push(format!("path {}", create.path_params.join(", ")));
    }
    if !create.query_params.is_empty() {
        takes.push(format!("query {}", create.query_params.join(", ")));
    }
    if let Some(body) = &create.body {
        takes.push(format!("body {}", body.fields.join(", ")));
    }
    format!(
        "unknown column `{header}` ({} takes: {}; a body field's column may end in `:json` for a JSON value; a row key column is named with --key)",
        create.id,
        takes.join("; ")
    )
}

/// Checks `body` against the request type; the error names the field that
/// does not fit when one can be found.
fn checked(check: RoundTrip, body: &Map<String, Value>) -> Result<(), String> {
    let whole = Value::Object(body.clone());
    let Err(error) = check(&whole) else {
        return Ok(());
    };
    if let Some(field) = error
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field)
    {
        return Err(format!("{field}: is required"));
    }
    // serde stops at the first field that does not decode: without it the
    // error changes (or goes), without any other field it stays the same.
    let field = body.keys().find(|field| {
        let mut without = body.clone();
        without.remove(*field);
        check(&Value::Object(without)).err().as_deref() != Some(error.as_str())
    });
    Err(match field {
        Some(field) => format!("{field}: {error}"),
        None => format!("body: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::ApiName;
    use crate::bulk::operation::find;

    fn record(cells: &[&str]) -> ::csv::StringRecord {
        ::csv::StringRecord::from(cells.to_vec())
    }

    fn mapping(id: &str, key: Option<&str>, headers: &[&str]) -> Result<Mapping, String> {
        let api = if id == "create_tasks" {
            ApiName::Saleshandy
        } else {
            ApiName::Spott
        };
        Mapping::new(&find(api, id).unwrap(), key, &record(headers))
    }

    #[test]
    fn columns_fill_the_path_the_query_and_the_body() {
        // An operation of every kind of column; the body check lets all through.
        let made_up = Create {
            api: ApiName::Spott,
            id: "create_thing",
            path_params: &["ownerId"],
            query_params: &["companyId"],
            body: Some(crate::bulk::operation::Body {
                fields: vec!["name".into(), "size".into()],
                required: vec!["name".into()],
                check: |body| Ok(body.clone()),
            }),
        };
        let headers = record(&["row", "companyId", "name", "ownerId", "size:json"]);
        let thing = Mapping::new(&made_up, Some("row"), &headers).unwrap();
        assert_eq!(thing.key(), Some(("row", 0)));
        let (call, hashed) = thing
            .row(&record(&["v1", "client_1", "Welder", "u 1", "[3, 4]"]))
            .unwrap();
        assert_eq!(call.operation, "create_thing");
        assert_eq!(call.path, [("ownerId", "u 1".to_owned())]);
        assert_eq!(call.query, [("companyId", "client_1".to_owned())]);
        assert_eq!(call.body, Some(json!({"name": "Welder", "size": [3, 4]})));
        assert_eq!(
            hashed,
            json!({
                "body": {"name": "Welder", "size": [3, 4]},
                "path": {"ownerId": "u 1"},
                "query": {"companyId": "client_1"}
            })
        );
        // Empty query and body cells are left out.
        let (call, hashed) = thing.row(&record(&["v2", "", "Welder", "u", ""])).unwrap();
        assert!(call.query.is_empty());
        assert_eq!(call.body, Some(json!({"name": "Welder"})));
        assert_eq!(hashed["query"], json!({}));

        let contact = mapping(
            "create_client_contact",
            None,
            &["id", "firstName", "lastName", "emails:json"],
        )
        .unwrap();
        let (call, _) = contact
            .row(&record(&[
                "client_1",
                "Ana",
                "Diaz",
                r#"[{"email":"ana@example.com","purpose":"work"}]"#,
            ]))
            .unwrap();
        assert_eq!(call.path, [("id", "client_1".to_owned())]);
        assert_eq!(
            call.body,
            Some(json!({
                "firstName": "Ana",
                "lastName": "Diaz",
                "emails": [{"email": "ana@example.com", "purpose": "work"}]
            }))
        );
    }

    #[test]
    fn debug_names_fields_not_their_values() {
        let candidates = mapping("create_candidate", None, &["firstName", "lastName"]).unwrap();
        let (call, _) = candidates.row(&record(&["Ana", "Diaz"])).unwrap();
        assert_eq!(
            format!("{call:?}"),
            r#"Call { operation: "create_candidate", path: [], query: [], body_fields: Some(["firstName", "lastName"]) }"#
        );
    }

    #[test]
    fn the_key_column_is_sent_only_when_it_names_a_field() {
        let keyed = mapping(
            "create_candidate",
            Some("lastName"),
            &["firstName", "lastName"],
        )
        .unwrap();
        let (call, _) = keyed.row(&record(&["Ana", "Diaz"])).unwrap();
        assert_eq!(
            call.body,
            Some(json!({"firstName": "Ana", "lastName": "Diaz"}))
        );
        let apart = mapping(
            "create_candidate",
            Some("ref"),
            &["ref", "firstName", "lastName"],
        )
        .unwrap();
        let (call, _) = apart.row(&record(&["c9", "Ana", "Diaz"])).unwrap();
        assert_eq!(
            call.body,
            Some(json!({"firstName": "Ana", "lastName": "Diaz"}))
        );
    }

    #[test]
    fn bad_headers_are_refused_naming_the_column_and_the_rule() {
        let unknown = mapping("create_candidate", None, &["id", "firstName", "lastName"]);
        let unknown = unknown.unwrap_err();
        assert!(
            unknown.starts_with("unknown column `id` (create_candidate takes: body "),
            "{unknown}"
        );
        assert!(
            unknown.ends_with("a row key column is named with --key)"),
            "{unknown}"
        );
        for (headers, key, error) in [
            (
                &["firstName"][..],
                None,
                "no `lastName` column (create_candidate requires it; the header row must name it)",
            ),
            (
                &["firstName", "lastName", "lastName:json"][..],
                None,
                "column `lastName` appears twice",
            ),
            (
                &["firstName", "lastName"][..],
                Some("ref"),
                "--key `ref`: no such column in the header row",
            ),
            (
                &["ref", "firstName", "lastName", "ref"][..],
                Some("ref"),
                "column `ref` appears twice",
            ),
        ] {
            assert_eq!(
                mapping("create_candidate", key, headers).unwrap_err(),
                error
            );
        }
        assert_eq!(
            mapping(
                "create_client_contact",
                None,
                &["id:json", "firstName", "lastName"]
            )
            .unwrap_err(),
            "column `id:json`: `id` is a parameter of create_client_contact, which takes text (drop `:json`)"
        );
        assert_eq!(
            mapping("create_client_contact", None, &["firstName", "lastName"]).unwrap_err(),
            "no `id` column (create_client_contact requires it; the header row must name it)"
        );
    }

    #[test]
    fn a_bad_cell_fails_its_row_naming_the_field() {
        let candidates = mapping(
            "create_candidate",
            None,
            &["firstName", "lastName", "gender", "emails:json"],
        )
        .unwrap();
        let error = |cells: &[&str]| candidates.row(&record(cells)).unwrap_err();
        assert!(
            error(&["Ana", "Diaz", "", "[{"])
                .starts_with("emails: not JSON (`emails:json` holds raw JSON: "),
        );
        let gender = error(&["Ana", "Diaz", "robot", ""]);
        assert!(
            gender.starts_with("gender: unknown variant `robot`"),
            "{gender}"
        );
        let emails = error(&["Ana", "Diaz", "", r#""ana@example.com""#]);
        assert!(
            emails.starts_with("emails: invalid type: string"),
            "{emails}"
        );
        // An empty cell leaves its field out, so a required one is missing.
        assert_eq!(error(&["Ana", "", "", ""]), "lastName: is required");
        let contact = mapping(
            "create_client_contact",
            None,
            &["id", "firstName", "lastName"],
        );
        assert_eq!(
            contact
                .unwrap()
                .row(&record(&["", "Ana", "Diaz"]))
                .unwrap_err(),
            "id: is required (a path parameter of create_client_contact); the cell is empty"
        );
    }
}
