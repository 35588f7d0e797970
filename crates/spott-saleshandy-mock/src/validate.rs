//! Validators compiled from `spec/`: request bodies, path parameters and responses, per
//! operation.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

use crate::operation::{Api, Operation, load_table, percent_decode};
use crate::spec::{ApiDocument, ParamLocation, SpecError, convert_schema, with_defs};
use crate::violation::{PathSegment, Violation, collect};

/// What request validation does with a body field the spec does not define.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UnknownFields {
    /// As the spec says (the default): refused (422, code `unrecognized_keys`) only by a
    /// schema that declares `additionalProperties: false`, accepted and ignored everywhere
    /// else, as OpenAPI's default `additionalProperties: true` permits. Neither spec refuses
    /// extras today (see the crate README).
    #[default]
    Spec,
    /// Stricter than the spec: every object schema that lists `properties` refuses any other
    /// field. For a test that wants a misspelt field (a response name such as
    /// `isVisibleIfClientContact` sent in a request) to fail loudly; a client that passes
    /// only here is not wrong by the spec.
    Reject,
}

struct ResponseValidator {
    status_key: String,
    body: Option<Validator>,
    headers: Vec<String>,
}

/// A compiled parameter: its schema's validator and the `type` (and array `items` type) that
/// turn the text of a query or header into the JSON value the schema describes.
struct ParamValidator {
    name: String,
    location: ParamLocation,
    required: bool,
    kind: Option<String>,
    item_kind: Option<String>,
    validator: Validator,
}

struct OperationValidators {
    body: Option<Validator>,
    body_required: bool,
    params: Vec<ParamValidator>,
    responses: Vec<ResponseValidator>,
}

/// Every schema of both specs, compiled: validates request bodies, path and query parameters
/// and response bodies of every operation.
///
/// ```
/// use spott_saleshandy_mock::{Operation, SpecValidator, UnknownFields};
/// use serde_json::json;
///
/// let validator = SpecValidator::load(UnknownFields::Spec).unwrap();
/// let create_tasks = Operation::by_id("create_tasks").unwrap();
/// let errors = validator
///     .validate_body(create_tasks, &json!({"prospectIds": [], "taskType": "1"}))
///     .unwrap_err();
/// let paths: Vec<String> = errors.iter().map(|v| v.path_text()).collect();
/// assert!(paths.contains(&"prospectIds".to_owned()));
/// assert!(paths.contains(&"taskType".to_owned()));
/// ```
pub struct SpecValidator {
    operations: HashMap<Operation, OperationValidators>,
}

impl fmt::Debug for SpecValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpecValidator")
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

/// The `type` of an OpenAPI schema, following one `$ref` into the document's components.
fn schema_type(doc: &ApiDocument, schema: &Value) -> Option<String> {
    let schema = doc.resolve(schema).ok()?;
    schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

impl SpecValidator {
    /// Parses the embedded specs and compiles every schema their operations use.
    pub fn load(unknown_fields: UnknownFields) -> Result<Self, SpecError> {
        let mut operations = HashMap::new();
        let rows = load_table()?;
        for api in Api::ALL {
            let doc = ApiDocument::load(api)?;
            let open_defs = doc.defs(false);
            let request_defs = match unknown_fields {
                UnknownFields::Reject => doc.defs(true),
                UnknownFields::Spec => open_defs.clone(),
            };
            let close = unknown_fields == UnknownFields::Reject;
            for (index, row) in rows.iter().enumerate().filter(|(_, r)| r.api == api) {
                let op = Operation::from_index(index);
                let spec = &row.spec;
                let body = spec
                    .request_body
                    .as_ref()
                    .and_then(|b| b.schema.as_ref())
                    .map(|s| compile(op, "request body", s, close, &request_defs))
                    .transpose()?;
                let params = spec
                    .parameters
                    .iter()
                    .filter(|p| p.location != ParamLocation::Cookie)
                    .map(|p| {
                        let items = doc
                            .resolve(&p.schema)
                            .ok()
                            .and_then(|s| s.get("items"))
                            .and_then(|items| schema_type(&doc, items));
                        Ok(ParamValidator {
                            name: p.name.clone(),
                            location: p.location,
                            required: p.required,
                            kind: schema_type(&doc, &p.schema),
                            item_kind: items,
                            validator: compile(
                                op,
                                &format!("parameter {}", p.name),
                                &p.schema,
                                false,
                                &open_defs,
                            )?,
                        })
                    })
                    .collect::<Result<Vec<_>, SpecError>>()?;
                let responses = spec
                    .responses
                    .iter()
                    .map(|r| {
                        let body = r
                            .schema
                            .as_ref()
                            .map(|s| {
                                compile(
                                    op,
                                    &format!("response {}", r.status_key),
                                    s,
                                    false,
                                    &open_defs,
                                )
                            })
                            .transpose()?;
                        Ok(ResponseValidator {
                            status_key: r.status_key.clone(),
                            body,
                            headers: r.headers.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, SpecError>>()?;
                operations.insert(
                    op,
                    OperationValidators {
                        body,
                        body_required: spec.request_body.as_ref().is_some_and(|b| b.required),
                        params,
                        responses,
                    },
                );
            }
        }
        Ok(Self { operations })
    }

    /// The validators for `unknown_fields`, compiled once per process and shared (compiling
    /// takes a moment; every mock started in a test binary reuses them).
    pub fn shared(unknown_fields: UnknownFields) -> Result<Arc<Self>, SpecError> {
        static CACHE: Mutex<[Option<Arc<SpecValidator>>; 2]> = Mutex::new([None, None]);
        let slot = match unknown_fields {
            UnknownFields::Spec => 0,
            UnknownFields::Reject => 1,
        };
        let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(validator) = &cache[slot] {
            return Ok(Arc::clone(validator));
        }
        let validator = Arc::new(Self::load(unknown_fields)?);
        cache[slot] = Some(Arc::clone(&validator));
        Ok(validator)
    }

    /// Validates a JSON request body of `op`. An operation without a body accepts anything.
    pub fn validate_body(&self, op: Operation, body: &Value) -> Result<(), Vec<Violation>> {
        match self.operations.get(&op).and_then(|o| o.body.as_ref()) {
            Some(validator) => run(validator, body, &[]),
            None => Ok(()),
        }
    }

    /// Whether `op` requires a request body.
    pub fn body_required(&self, op: Operation) -> bool {
        self.operations.get(&op).is_some_and(|o| o.body_required)
    }

    /// Validates the path parameter `name` of `op`. Violations are located at
    /// `["params", name]`.
    pub fn validate_path_param(
        &self,
        op: Operation,
        name: &str,
        value: &str,
    ) -> Result<(), Vec<Violation>> {
        let Some(ops) = self.operations.get(&op) else {
            return Ok(());
        };
        match ops
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
        {
            Some(param) => check_param(param, &[value], "params").map_err(|mut violations| {
                for v in &mut violations {
                    if v.code == "too_small" && value.is_empty() {
                        v.message = format!("path parameter `{name}` must not be empty");
                    }
                }
                violations
            }),
            None => Err(vec![Violation::new(
                "unknown_parameter",
                vec!["params".into(), name.into()],
                format!("{op} has no path parameter `{name}`"),
                None,
            )]),
        }
    }

    /// Validates the query string of a request to `op` (`None`: no query) against the query
    /// parameters the spec declares: required ones present, each value valid for its schema
    /// (numbers, booleans and arrays read as OpenAPI's `form` style does). Parameters the spec
    /// does not declare are accepted. Violations are located at `["query", name]`.
    pub fn validate_query(&self, op: Operation, query: Option<&str>) -> Result<(), Vec<Violation>> {
        let Some(ops) = self.operations.get(&op) else {
            return Ok(());
        };
        let pairs = parse_query(query.unwrap_or_default());
        let mut violations = Vec::new();
        for param in ops
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
        {
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| *k == param.name)
                .map(|(_, v)| v.as_str())
                .collect();
            if let Err(mut found) = check_param(param, &values, "query") {
                violations.append(&mut found);
            }
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Validates the header parameters `op` declares (`header` looks one up by name).
    /// Violations are located at `["headers", name]`.
    pub fn validate_headers<'a>(
        &self,
        op: Operation,
        header: impl Fn(&str) -> Vec<&'a str>,
    ) -> Result<(), Vec<Violation>> {
        let Some(ops) = self.operations.get(&op) else {
            return Ok(());
        };
        let mut violations = Vec::new();
        for param in ops
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Header)
        {
            // OpenAPI: these three are described elsewhere and ignored as parameters.
            if ["accept", "content-type", "authorization"]
                .iter()
                .any(|h| param.name.eq_ignore_ascii_case(h))
            {
                continue;
            }
            if let Err(mut found) = check_param(param, &header(&param.name), "headers") {
                violations.append(&mut found);
            }
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// The status key (`"201"`, `"5XX"`) the spec uses for `status` on `op`, if it declares it.
    pub fn declared_status(&self, op: Operation, status: u16) -> Option<&str> {
        self.response(op, status).map(|r| r.status_key.as_str())
    }

    /// The headers the spec declares for `status` on `op` (e.g. `Retry-After` for 429).
    pub fn declared_headers(&self, op: Operation, status: u16) -> &[String] {
        self.response(op, status)
            .map(|r| r.headers.as_slice())
            .unwrap_or(&[])
    }

    /// Validates a response body of `op` with `status` against the schema the spec declares
    /// for that status (exact code first, then the `4XX`/`5XX` range, then `default`). An
    /// undeclared status is a violation with code `undeclared_status`.
    pub fn validate_response(
        &self,
        op: Operation,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        match self.response(op, status) {
            Some(ResponseValidator {
                body: Some(validator),
                ..
            }) => run(validator, body, &[]),
            Some(_) => Ok(()),
            None => Err(vec![Violation::new(
                "undeclared_status",
                Vec::new(),
                format!("{op} does not declare status {status}"),
                Some(json!(status)),
            )]),
        }
    }

    /// Validates `body` against the response `status_key` (as written in the spec) of `op`.
    pub(crate) fn validate_response_key(
        &self,
        op: Operation,
        status_key: &str,
        body: &Value,
    ) -> Result<(), Vec<Violation>> {
        let response = self
            .operations
            .get(&op)
            .and_then(|o| o.responses.iter().find(|r| r.status_key == status_key));
        match response.and_then(|r| r.body.as_ref()) {
            Some(validator) => run(validator, body, &[]),
            None => Ok(()),
        }
    }

    fn response(&self, op: Operation, status: u16) -> Option<&ResponseValidator> {
        let responses = &self.operations.get(&op)?.responses;
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        responses
            .iter()
            .find(|r| r.status_key == exact)
            .or_else(|| {
                responses
                    .iter()
                    .find(|r| r.status_key.eq_ignore_ascii_case(&range))
            })
            .or_else(|| responses.iter().find(|r| r.status_key == "default"))
    }
}

/// The `key=value` pairs of a query string, `+` and percent escapes decoded.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| percent_decode(&text.replace('+', " "));
            (decode(key), decode(value))
        })
        .collect()
}

/// The JSON value the text of a parameter stands for, by the schema's `type`; text that does
/// not read as that type stays a string, so the schema reports it.
fn coerce(text: &str, kind: Option<&str>) -> Value {
    match kind {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Value::from)
            .unwrap_or_else(|| Value::String(text.to_owned())),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    }
}

/// Checks the values a request gave one parameter (every occurrence, in order).
fn check_param(
    param: &ParamValidator,
    values: &[&str],
    location: &str,
) -> Result<(), Vec<Violation>> {
    let at = vec![
        PathSegment::from(location),
        PathSegment::from(param.name.as_str()),
    ];
    if values.is_empty() {
        if param.required {
            return Err(vec![Violation::new(
                "missing_parameter",
                at,
                format!("the {location} parameter `{}` is required", param.name),
                None,
            )]);
        }
        return Ok(());
    }
    let value = if param.kind.as_deref() == Some("array") {
        // `form` style: repeated (`a=1&a=2`) or comma-separated (`a=1,2`).
        Value::Array(
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(|v| coerce(v, param.item_kind.as_deref()))
                .collect(),
        )
    } else if values.len() > 1 {
        return Err(vec![Violation::new(
            "invalid_type",
            at,
            format!(
                "the {location} parameter `{}` is given {} times",
                param.name,
                values.len()
            ),
            None,
        )]);
    } else {
        coerce(values[0], param.kind.as_deref())
    };
    run(&param.validator, &value, &at)
}

fn compile(
    op: Operation,
    part: &str,
    schema: &Value,
    close_objects: bool,
    defs: &Map<String, Value>,
) -> Result<Validator, SpecError> {
    let root = with_defs(convert_schema(schema, close_objects), defs);
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| SpecError::Compile {
            what: format!("{op} {part}"),
            message: e.to_string(),
        })
}

fn run(
    validator: &Validator,
    instance: &Value,
    prefix: &[PathSegment],
) -> Result<(), Vec<Violation>> {
    let mut violations = Vec::new();
    for error in validator.iter_errors(instance) {
        collect(instance, &error, &mut violations);
    }
    if violations.is_empty() {
        return Ok(());
    }
    if !prefix.is_empty() {
        for v in &mut violations {
            let mut path = prefix.to_vec();
            path.append(&mut v.path);
            v.path = path;
        }
    }
    Err(violations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::op;

    fn paths(result: Result<(), Vec<Violation>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|v| (v.code.clone(), v.path_text()))
            .collect()
    }

    fn validator() -> SpecValidator {
        SpecValidator::load(UnknownFields::Reject).expect("specs compile")
    }

    #[test]
    fn nested_enum_error_names_the_field() {
        let v = validator();
        let body = json!({"content": "x", "links": [{"entityType": "planet", "entityId": "1"}]});
        assert_eq!(
            paths(v.validate_body(op("create_task"), &body)),
            vec![("invalid_enum_value".into(), "links[0].entityType".into())]
        );
    }

    #[test]
    fn nullable_ref_enum_reports_the_enum_not_the_union() {
        let v = validator();
        let body = json!({"firstName": "A", "lastName": "B", "gender": "x"});
        assert_eq!(
            paths(v.validate_body(op("create_client_contact"), &body)),
            vec![("invalid_enum_value".into(), "gender".into())]
        );
        let body = json!({"firstName": "A", "lastName": "B", "gender": null});
        assert!(v.validate_body(op("create_client_contact"), &body).is_ok());
    }

    #[test]
    fn discriminated_union_reports_inside_the_matching_variant() {
        let v = validator();
        let body = json!({"firstName": "A", "lastName": "B",
            "customAttributes": [{"value": {"viewType": "customText", "text": 5}}]});
        assert_eq!(
            paths(v.validate_body(op("create_client_contact"), &body)),
            vec![(
                "invalid_type".into(),
                "customAttributes[0].value.text".into()
            )]
        );
        let body = json!({"firstName": "A", "lastName": "B",
            "customAttributes": [{"value": {"viewType": "customVideo"}}]});
        assert_eq!(
            paths(v.validate_body(op("create_client_contact"), &body)),
            vec![("invalid_union".into(), "customAttributes[0].value".into())]
        );
    }

    #[test]
    fn unknown_fields_follow_the_setting() {
        let body =
            json!({"isVisibleIfClientContact": true, "emails": [{"email": "a@b.co", "label": 1}]});
        let spec = SpecValidator::load(UnknownFields::Spec).expect("specs compile");
        assert!(spec.validate_body(op("update_candidate"), &body).is_ok());
        assert_eq!(
            paths(validator().validate_body(op("update_candidate"), &body)),
            vec![
                ("unrecognized_keys".into(), "emails[0].label".into()),
                (
                    "unrecognized_keys".into(),
                    "isVisibleIfClientContact".into()
                ),
            ]
        );
    }

    #[test]
    fn a_schema_that_closes_its_object_refuses_extras_by_default() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/components/schemas/Open"}},
            "additionalProperties": false,
        });
        let mut defs = Map::new();
        defs.insert(
            "Open".into(),
            convert_schema(
                &json!({"type": "object", "properties": {"b": {"type": "string"}}}),
                false,
            ),
        );
        let closed = compile(op("create_task"), "body", &schema, false, &defs).unwrap();
        let codes = |body: Value| match run(&closed, &body, &[]) {
            Ok(()) => Vec::new(),
            Err(v) => v
                .into_iter()
                .map(|v| (v.code.clone(), v.path_text()))
                .collect(),
        };
        assert_eq!(codes(json!({"a": {"b": "x", "c": 1}})), vec![]);
        assert_eq!(
            codes(json!({"a": {}, "z": 1})),
            vec![("unrecognized_keys".to_owned(), "z".to_owned())]
        );
    }

    #[test]
    fn formats_are_checked() {
        let body = json!({"content": "x", "dueDate": "tomorrow"});
        assert_eq!(
            paths(validator().validate_body(op("create_task"), &body)),
            vec![("invalid_string".into(), "dueDate".into())]
        );
    }

    #[test]
    fn empty_path_param_is_located_under_params() {
        let errors = validator()
            .validate_path_param(op("update_candidate"), "id", "")
            .unwrap_err();
        assert_eq!(errors[0].path_text(), "params.id");
        assert!(errors[0].message.contains("must not be empty"));
    }

    #[test]
    fn response_status_lookup_uses_ranges() {
        let v = validator();
        assert_eq!(v.declared_status(op("create_task"), 503), Some("5XX"));
        assert_eq!(v.declared_status(op("get_contact_overview"), 422), None);
        assert_eq!(v.declared_headers(op("create_tasks"), 429), ["Retry-After"]);
    }
}

#[cfg(test)]
mod parameter_tests {
    use super::*;
    use crate::operation::op;

    fn param(schema: Value, required: bool) -> ParamValidator {
        ParamValidator {
            name: "limit".into(),
            location: ParamLocation::Query,
            required,
            kind: schema
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_owned),
            item_kind: schema
                .pointer("/items/type")
                .and_then(Value::as_str)
                .map(str::to_owned),
            validator: compile(op("create_task"), "query", &schema, false, &Map::new()).unwrap(),
        }
    }

    fn codes(result: Result<(), Vec<Violation>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|v| (v.code.clone(), v.path_text()))
            .collect()
    }

    #[test]
    fn query_values_are_read_by_the_schema_type() {
        let limit = param(json!({"type": "integer", "minimum": 1}), true);
        assert!(check_param(&limit, &["5"], "query").is_ok());
        assert_eq!(
            codes(check_param(&limit, &["0"], "query")),
            [("invalid".to_owned(), "query.limit".to_owned())]
        );
        assert_eq!(
            codes(check_param(&limit, &["five"], "query")),
            [("invalid_type".to_owned(), "query.limit".to_owned())]
        );
        assert_eq!(
            codes(check_param(&limit, &[], "query")),
            [("missing_parameter".to_owned(), "query.limit".to_owned())]
        );
        assert_eq!(
            codes(check_param(&limit, &["1", "2"], "query")),
            [("invalid_type".to_owned(), "query.limit".to_owned())]
        );
        let flags = param(
            json!({"type": "array", "items": {"type": "boolean"}}),
            false,
        );
        assert!(check_param(&flags, &[], "query").is_ok());
        assert!(check_param(&flags, &["true", "false"], "query").is_ok());
        assert!(check_param(&flags, &["true,false"], "query").is_ok());
        assert_eq!(
            codes(check_param(&flags, &["yes"], "query")),
            [("invalid_type".to_owned(), "query.limit[0]".to_owned())]
        );
    }

    #[test]
    fn query_strings_are_decoded() {
        let pairs = parse_query("a=1&b=x+y%21&&c");
        assert_eq!(
            pairs,
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "x y!".to_owned()),
                ("c".to_owned(), String::new())
            ]
        );
    }
}
