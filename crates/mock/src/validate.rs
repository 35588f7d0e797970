//! Validators compiled from `spec/`: request bodies, path parameters and responses, per
//! operation.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

use crate::operation::{Api, Operation};
use crate::spec::{ApiDocument, SpecError, convert_schema, with_defs};
use crate::violation::{PathSegment, Violation, collect};

/// What request validation does with a body field the spec does not define.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UnknownFields {
    /// Reject it (422, code `unrecognized_keys`). The default: the specs list every field the
    /// APIs read, so an unknown field is almost always a misspelt one, e.g. a response name
    /// (`isVisibleIfClientContact`) sent in a request.
    #[default]
    Reject,
    /// Accept and ignore it, as OpenAPI's default `additionalProperties: true` permits.
    Allow,
}

struct ResponseValidator {
    status_key: String,
    body: Option<Validator>,
    headers: Vec<String>,
}

struct OperationValidators {
    body: Option<Validator>,
    path_params: Vec<(String, Validator)>,
    responses: Vec<ResponseValidator>,
}

/// Every schema of both specs, compiled: validates request bodies, path parameters and
/// response bodies of the five operations.
///
/// ```
/// use api_mock::{Operation, SpecValidator, UnknownFields};
/// use serde_json::json;
///
/// let validator = SpecValidator::load(UnknownFields::Reject).unwrap();
/// let errors = validator
///     .validate_body(Operation::CreateTasks, &json!({"prospectIds": [], "taskType": "1"}))
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

impl SpecValidator {
    /// Parses the embedded specs and compiles every schema the five operations use.
    pub fn load(unknown_fields: UnknownFields) -> Result<Self, SpecError> {
        let mut operations = HashMap::new();
        for api in Api::ALL {
            let doc = ApiDocument::load(api)?;
            let open_defs = doc.defs(false);
            let request_defs = match unknown_fields {
                UnknownFields::Reject => doc.defs(true),
                UnknownFields::Allow => open_defs.clone(),
            };
            let close = unknown_fields == UnknownFields::Reject;
            for op in Operation::ALL.into_iter().filter(|op| op.api() == api) {
                let spec = doc.operation(op)?;
                let body = spec
                    .request_body
                    .as_ref()
                    .map(|s| compile(op, "request body", s, close, &request_defs))
                    .transpose()?;
                let path_params = spec
                    .path_params
                    .iter()
                    .map(|(name, s)| {
                        compile(op, &format!("path parameter {name}"), s, false, &open_defs)
                            .map(|v| (name.clone(), v))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
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
                        path_params,
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
            UnknownFields::Reject => 0,
            UnknownFields::Allow => 1,
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
        match ops.path_params.iter().find(|(n, _)| n == name) {
            Some((_, validator)) => run(
                validator,
                &Value::String(value.to_owned()),
                &[PathSegment::from("params"), PathSegment::from(name)],
            )
            .map_err(|mut violations| {
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
            paths(v.validate_body(Operation::CreateTask, &body)),
            vec![("invalid_enum_value".into(), "links[0].entityType".into())]
        );
    }

    #[test]
    fn nullable_ref_enum_reports_the_enum_not_the_union() {
        let v = validator();
        let body = json!({"firstName": "A", "lastName": "B", "gender": "x"});
        assert_eq!(
            paths(v.validate_body(Operation::CreateClientContact, &body)),
            vec![("invalid_enum_value".into(), "gender".into())]
        );
        let body = json!({"firstName": "A", "lastName": "B", "gender": null});
        assert!(
            v.validate_body(Operation::CreateClientContact, &body)
                .is_ok()
        );
    }

    #[test]
    fn discriminated_union_reports_inside_the_matching_variant() {
        let v = validator();
        let body = json!({"firstName": "A", "lastName": "B",
            "customAttributes": [{"value": {"viewType": "customText", "text": 5}}]});
        assert_eq!(
            paths(v.validate_body(Operation::CreateClientContact, &body)),
            vec![(
                "invalid_type".into(),
                "customAttributes[0].value.text".into()
            )]
        );
        let body = json!({"firstName": "A", "lastName": "B",
            "customAttributes": [{"value": {"viewType": "customVideo"}}]});
        assert_eq!(
            paths(v.validate_body(Operation::CreateClientContact, &body)),
            vec![("invalid_union".into(), "customAttributes[0].value".into())]
        );
    }

    #[test]
    fn unknown_fields_follow_the_setting() {
        let body = json!({"isVisibleIfClientContact": true});
        assert_eq!(
            paths(validator().validate_body(Operation::UpdateCandidate, &body)),
            vec![(
                "unrecognized_keys".into(),
                "isVisibleIfClientContact".into()
            )]
        );
        let lax = SpecValidator::load(UnknownFields::Allow).expect("specs compile");
        assert!(lax.validate_body(Operation::UpdateCandidate, &body).is_ok());
    }

    #[test]
    fn formats_are_checked() {
        let body = json!({"content": "x", "dueDate": "tomorrow"});
        assert_eq!(
            paths(validator().validate_body(Operation::CreateTask, &body)),
            vec![("invalid_string".into(), "dueDate".into())]
        );
    }

    #[test]
    fn empty_path_param_is_located_under_params() {
        let errors = validator()
            .validate_path_param(Operation::UpdateCandidate, "id", "")
            .unwrap_err();
        assert_eq!(errors[0].path_text(), "params.id");
        assert!(errors[0].message.contains("must not be empty"));
    }

    #[test]
    fn response_status_lookup_uses_ranges() {
        let v = validator();
        assert_eq!(v.declared_status(Operation::CreateTask, 503), Some("5XX"));
        assert_eq!(v.declared_status(Operation::GetContactOverview, 422), None);
        assert_eq!(
            v.declared_headers(Operation::CreateTasks, 429),
            ["Retry-After"]
        );
    }
}
