//! The operations the mock serves, read from the embedded specs once per process, and the
//! matcher that routes a request to one of them.
//!
//! No operation is named here: every row of the table comes from an `operationId` in
//! `spec/spott.yaml` or `spec/saleshandy.yaml`.

use std::fmt;
use std::sync::OnceLock;

use crate::spec::{ApiDocument, OperationSpec, ParamLocation, SpecError};

/// Which of the two APIs an operation (or a request) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// Spott, the recruitment CRM (`spec/spott.yaml`).
    Spott,
    /// Saleshandy, the sales-outreach platform (`spec/saleshandy.yaml`).
    Saleshandy,
}

impl Api {
    /// Both APIs, in a fixed order.
    pub const ALL: [Api; 2] = [Api::Spott, Api::Saleshandy];

    /// The API a request path belongs to: the one with an operation whose path template starts
    /// with the same segment (Spott when none or both do).
    pub fn for_path(path: &str) -> Api {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        let claims = |api: Api| {
            table().iter().any(|row| {
                row.api == api
                    && matches!(row.segments.first(), Some(Segment::Literal(l)) if l == first)
            })
        };
        if claims(Api::Saleshandy) && !claims(Api::Spott) {
            Api::Saleshandy
        } else {
            Api::Spott
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Api::Spott => "spott",
            Api::Saleshandy => "saleshandy",
        })
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Must equal the request's segment.
    Literal(String),
    /// `{name}`: any one segment (possibly empty, so validation can refuse it by the spec).
    Param(String),
}

/// One row of the operation table: an operation of a spec with everything it declares.
#[derive(Debug, Clone)]
pub(crate) struct OperationRow {
    pub(crate) api: Api,
    pub(crate) segments: Vec<Segment>,
    pub(crate) spec: OperationSpec,
}

impl OperationRow {
    fn new(api: Api, spec: OperationSpec) -> Self {
        let segments = spec
            .path_template
            .trim_start_matches('/')
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        Self {
            api,
            segments,
            spec,
        }
    }

    /// The path parameters of `raw_path` (percent-decoded, by name) if it fits the template.
    fn matches(&self, raw_segments: &[&str]) -> Option<Vec<(String, String)>> {
        if raw_segments.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (segment, raw) in self.segments.iter().zip(raw_segments) {
            match segment {
                Segment::Literal(literal) if literal == raw => {}
                Segment::Literal(_) => return None,
                Segment::Param(name) => params.push((name.clone(), percent_decode(raw))),
            }
        }
        Some(params)
    }

    /// How literal the template is, segment by segment from the left: `/tasks/_raw` beats
    /// `/tasks/{id}` for the path `/tasks/_raw`, as OpenAPI asks.
    fn specificity(&self) -> Vec<bool> {
        self.segments
            .iter()
            .map(|s| matches!(s, Segment::Literal(_)))
            .collect()
    }
}

/// Builds the table from parsed documents, in their order (within one, in path order). Two operations with the same
/// `operationId`, or at the same method and path, are an error.
pub(crate) fn build_table(docs: &[ApiDocument]) -> Result<Vec<OperationRow>, SpecError> {
    let mut rows: Vec<OperationRow> = Vec::new();
    for doc in docs {
        for spec in doc.operations()? {
            let duplicate = rows.iter().find(|r| {
                r.spec.operation_id == spec.operation_id
                    || (r.api == doc.api()
                        && r.spec.method == spec.method
                        && r.spec.path_template == spec.path_template)
            });
            if let Some(other) = duplicate {
                return Err(SpecError::Shape {
                    api: doc.api(),
                    message: format!(
                        "`{}` ({} {}) collides with `{}` ({} {})",
                        spec.operation_id,
                        spec.method,
                        spec.path_template,
                        other.spec.operation_id,
                        other.spec.method,
                        other.spec.path_template
                    ),
                });
            }
            rows.push(OperationRow::new(doc.api(), spec));
        }
    }
    Ok(rows)
}

fn loaded() -> &'static Result<Vec<OperationRow>, SpecError> {
    static TABLE: OnceLock<Result<Vec<OperationRow>, SpecError>> = OnceLock::new();
    TABLE.get_or_init(|| {
        #[allow(unused_mut)] // the crate's own unit tests add a fixture document
        let mut docs = Api::ALL
            .into_iter()
            .map(ApiDocument::load)
            .collect::<Result<Vec<_>, _>>()?;
        #[cfg(test)]
        docs.push(ApiDocument::parse(Api::Spott, FIXTURE_SPEC)?);
        build_table(&docs)
    })
}

/// In the crate's unit tests only: Spott operations no handler knows, served end to end by
/// the tests in `server.rs`. Their schemas may reference the Spott document's component
/// schemas; everything else is inline.
#[cfg(test)]
pub(crate) const FIXTURE_SPEC: &str = r#"
openapi: 3.0.3
info: {title: fixture, version: "1"}
paths:
  /fixture/tasks/{taskId}:
    parameters:
      - {name: taskId, in: path, required: true, schema: {type: string, minLength: 2}}
    get:
      operationId: fixture_get_task
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Candidate'}
        '400': {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ErrorBody'}}}}
        '401': {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ErrorBody'}}}}
    delete:
      operationId: fixture_delete_task
      responses:
        '204': {description: gone}
        '401': {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ErrorBody'}}}}
  /fixture/labels:
    get:
      operationId: fixture_list_labels
      x-pagination: {style: page, in: query, page-size: size, page: page, first-page: 1, items: labels}
      parameters:
        - {name: size, in: query, schema: {type: integer, minimum: 1}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: two labels, paged like a stored list
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {type: integer}
                  labels: {type: array, items: {$ref: '#/components/schemas/TaskLabel'}}
              example:
                total: 2
                labels:
                  - {id: label_1, name: Hot, colorHex: '#ff8800'}
                  - {id: label_2, name: Cold, colorHex: '#0088ff'}
    post:
      operationId: fixture_create_label
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              additionalProperties: false
              properties:
                name: {type: string, minLength: 1}
      responses:
        '200':
          description: the example, not a built value
          content:
            application/json:
              schema: {$ref: '#/components/schemas/TaskLabel'}
              example: {id: label_9, name: Urgent, colorHex: '#ff0000'}
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/TaskLabel'}
              examples:
                page: {value: {id: label_1, name: Hot, colorHex: '#ff8800'}}
        '400': {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ErrorBody'}}}}
        '422': {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ErrorBody'}}}}
"#;

/// The operation table of the embedded specs (empty if they do not load; [`load_table`] says
/// why, and the server does not start then).
pub(crate) fn table() -> &'static [OperationRow] {
    match loaded() {
        Ok(rows) => rows,
        Err(_) => &[],
    }
}

/// The operation table, or why the embedded specs could not be read.
pub(crate) fn load_table() -> Result<&'static [OperationRow], SpecError> {
    loaded().as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route<T> {
    /// An operation, with its path parameters (decoded, by name).
    Found(T, Vec<(String, String)>),
    /// The path is known but not with this method; the methods it has, sorted.
    MethodNotAllowed(Vec<String>),
    /// No operation has this path.
    NotFound,
}

/// The one matcher: the row of `rows` (among those `serve` keeps) for `method` and `raw_path`
/// (percent-encoded, as received).
pub(crate) fn route(
    rows: &[OperationRow],
    serve: impl Fn(Api) -> bool,
    method: &str,
    raw_path: &str,
) -> Route<usize> {
    let raw_segments: Vec<&str> = raw_path.trim_start_matches('/').split('/').collect();
    let mut fitting: Vec<(usize, Vec<(String, String)>)> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| serve(row.api))
        .filter_map(|(i, row)| row.matches(&raw_segments).map(|params| (i, params)))
        .collect();
    if fitting.is_empty() {
        return Route::NotFound;
    }
    // Concrete paths before templated ones, as OpenAPI asks: only the most literal template
    // that fits counts, whatever its methods.
    let best = fitting
        .iter()
        .map(|(i, _)| rows[*i].specificity())
        .max()
        .unwrap_or_default();
    fitting.retain(|(i, _)| rows[*i].specificity() == best);
    if let Some(position) = fitting
        .iter()
        .position(|(i, _)| rows[*i].spec.method.eq_ignore_ascii_case(method))
    {
        let (index, params) = fitting.swap_remove(position);
        return Route::Found(index, params);
    }
    let mut methods: Vec<String> = fitting
        .iter()
        .map(|(i, _)| rows[*i].spec.method.clone())
        .collect();
    methods.sort();
    methods.dedup();
    Route::MethodNotAllowed(methods)
}

/// Percent-decodes a path segment (invalid escapes are kept as written, invalid UTF-8 is
/// replaced).
pub(crate) fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One operation of the specs: a small handle into the table read from them, named by its
/// `operationId`.
///
/// ```
/// use spott_saleshandy_mock::Operation;
///
/// let op = Operation::by_id("create_task").unwrap();
/// assert_eq!((op.method(), op.path_template()), ("POST", "/tasks/_raw"));
/// assert!(op.creates());
/// assert!(Operation::by_id("no_such_operation").is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operation(u16);

impl Operation {
    /// The operation with this `operationId`, if a spec declares it.
    pub fn by_id(operation_id: &str) -> Option<Operation> {
        table()
            .iter()
            .position(|row| row.spec.operation_id == operation_id)
            .map(Operation::at)
    }

    /// Every operation of both specs, in spec order (Spott first).
    pub fn all() -> Vec<Operation> {
        (0..table().len()).map(Operation::at).collect()
    }

    fn at(index: usize) -> Operation {
        // The specs hold a handful of operations; u16 is far beyond any of them.
        Operation(u16::try_from(index).unwrap_or(u16::MAX))
    }

    pub(crate) fn from_index(index: usize) -> Operation {
        Operation::at(index)
    }

    /// The table row. Handles only come from the table, so the row exists.
    pub(crate) fn row(self) -> &'static OperationRow {
        &table()[usize::from(self.0)]
    }

    /// What the spec declares for it.
    pub(crate) fn spec(self) -> &'static OperationSpec {
        &self.row().spec
    }

    /// The API the operation belongs to.
    pub fn api(self) -> Api {
        self.row().api
    }

    /// The `operationId` in the spec.
    pub fn operation_id(self) -> &'static str {
        &self.spec().operation_id
    }

    /// The HTTP method, upper case.
    pub fn method(self) -> &'static str {
        &self.spec().method
    }

    /// The path template as written in the spec.
    pub fn path_template(self) -> &'static str {
        &self.spec().path_template
    }

    /// Whether the operation declares a request body.
    pub fn has_body(self) -> bool {
        self.spec().request_body.is_some()
    }

    /// The required query parameters, each with a value its schema
    /// accepts (built as the mock builds answers): what a valid request
    /// must at least carry.
    pub fn required_query(self) -> Vec<(&'static str, String)> {
        self.spec()
            .parameters
            .iter()
            .filter(|param| param.required && param.location == ParamLocation::Query)
            .map(|param| {
                (
                    param.name.as_str(),
                    crate::synth::query_value(self.api(), &param.schema),
                )
            })
            .collect()
    }

    /// Whether the mock answers the operation from its store (a handler
    /// keyed by its id) rather than from the spec's example or schema.
    pub fn is_stateful(self) -> bool {
        crate::routes::handler(self).is_some()
    }

    /// Whether the operation creates resources (counted by
    /// [`MockServer::created_count`](crate::MockServer::created_count)): a POST the spec does
    /// not declare `x-retry-safety: read`.
    pub fn creates(self) -> bool {
        self.method() == "POST" && self.spec().retry_safety.as_deref() != Some("read")
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Operation")
            .field(&self.operation_id())
            .finish()
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}

/// The operation `id` of the embedded specs, for tests.
#[cfg(test)]
pub(crate) fn op(id: &str) -> Operation {
    Operation::by_id(id).unwrap_or_else(|| panic!("the specs declare no `{id}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTRA: &str = r#"
openapi: 3.0.3
info: {title: extra, version: "1"}
paths:
  /tasks/{id}:
    get:
      operationId: get_task
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
    delete:
      operationId: delete_task
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
  /tasks/_search:
    post:
      operationId: search_tasks
      x-retry-safety: read
      responses:
        '200': {description: ok}
"#;

    fn extra_table() -> Vec<OperationRow> {
        let mut docs = vec![ApiDocument::load(Api::Spott).unwrap()];
        docs.push(ApiDocument::parse(Api::Spott, EXTRA).unwrap());
        build_table(&docs).unwrap()
    }

    fn found(
        rows: &[OperationRow],
        method: &str,
        path: &str,
    ) -> Option<(String, Vec<(String, String)>)> {
        match route(rows, |_| true, method, path) {
            Route::Found(i, params) => Some((rows[i].spec.operation_id.clone(), params)),
            _ => None,
        }
    }

    #[test]
    fn operations_without_a_handler_are_routed() {
        let rows = extra_table();
        assert_eq!(
            found(&rows, "GET", "/tasks/t%201"),
            Some(("get_task".into(), vec![("id".into(), "t 1".into())]))
        );
        assert_eq!(
            found(&rows, "DELETE", "/tasks/t1").map(|f| f.0),
            Some("delete_task".into())
        );
        // The literal template wins over `{id}`, whatever the method.
        assert_eq!(
            found(&rows, "POST", "/tasks/_raw").map(|f| f.0),
            Some("create_task".into())
        );
        assert_eq!(
            route(&rows, |_| true, "GET", "/tasks/_raw"),
            Route::MethodNotAllowed(vec!["POST".into()])
        );
        assert_eq!(
            route(&rows, |_| true, "PUT", "/tasks/t1"),
            Route::MethodNotAllowed(vec!["DELETE".into(), "GET".into()])
        );
        assert_eq!(
            route(&rows, |_| true, "GET", "/tasks/t1/x"),
            Route::NotFound
        );
        assert_eq!(route(&rows, |_| true, "GET", "/nope"), Route::NotFound);
    }

    #[test]
    fn retry_safety_read_is_no_create() {
        let rows = extra_table();
        let search = rows
            .iter()
            .find(|r| r.spec.operation_id == "search_tasks")
            .unwrap();
        assert_eq!(search.spec.retry_safety.as_deref(), Some("read"));
    }

    #[test]
    fn duplicate_operation_ids_are_refused() {
        let docs = vec![
            ApiDocument::parse(Api::Spott, EXTRA).unwrap(),
            ApiDocument::parse(Api::Saleshandy, EXTRA).unwrap(),
        ];
        let error = build_table(&docs).unwrap_err().to_string();
        assert!(
            error.starts_with("the saleshandy spec: `") && error.contains("collides with"),
            "{error}"
        );
    }

    #[test]
    fn every_operation_of_the_embedded_specs_is_routable() {
        load_table().expect("the table loads");
        let rows = table();
        assert!(!rows.is_empty());
        for (i, row) in rows.iter().enumerate() {
            let path = row
                .segments
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => l.clone(),
                    Segment::Param(_) => "x1".to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let path = format!("/{path}");
            match route(rows, |_| true, &row.spec.method, &path) {
                Route::Found(j, _) => assert_eq!(j, i, "{path}"),
                other => panic!("{} {path}: {other:?}", row.spec.method),
            }
            assert_eq!(Api::for_path(&path), row.api, "{path}");
            let op = Operation::from_index(i);
            assert_eq!(Operation::by_id(op.operation_id()), Some(op));
            assert_eq!(op.method(), row.spec.method);
        }
    }

    #[test]
    fn only_served_apis_are_routed() {
        let rows = table();
        assert_eq!(
            route(rows, |api| api == Api::Spott, "POST", "/v1/tasks/create"),
            Route::NotFound
        );
        assert!(matches!(
            route(
                rows,
                |api| api == Api::Saleshandy,
                "POST",
                "/v1/tasks/create"
            ),
            Route::Found(..)
        ));
    }

    #[test]
    fn path_segments_are_decoded() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%E2%82"), "\u{fffd}");
        assert_eq!(percent_decode("a%2Fb"), "a/b");
    }
}
