//! Calling an operation by its `operationId`, with JSON in and out: the
//! generic entry the command line and the table-driven tests use, for
//! every operation of a spec, wrapped or not.
//!
//! It takes the operation's row of the generated operation table (method,
//! path template, parameters, retry safety) and sends through [`send`]
//! like every typed call, so the key, the retry policy, the timeouts, the
//! path check, the span and the error mapping are the same.

use std::sync::Arc;

use serde_json::Value;

use crate::base_url::BaseUrl;
use crate::call::{CallSettings, Route, check_path, recorded, send};
use crate::error::Error;
use crate::failure::into_error;
use crate::pages::Pagination;
use crate::path::check_segment;
use crate::retry::RequestKind;

/// An operation as the generated operation table describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/candidates/{id}`).
    pub path: &'static str,
    /// The path parameters, in template order.
    pub path_params: &'static [&'static str],
    /// The query parameters.
    pub query_params: &'static [&'static str],
    /// What repeating the request could do.
    pub kind: RequestKind,
    /// How it pages, for a list operation ([`Sender::pages`]).
    pub pagination: Option<Pagination>,
    /// Whether the spec documents a success body; without one, whatever
    /// body a success carries is ignored, as the typed call ignores it.
    pub success_body: bool,
}

/// The arguments of one call: path and query parameters by name, and the
/// JSON body, if the operation takes one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Arguments<'a> {
    /// Path parameters (`("id", "cand-1")`); every one the template names
    /// is required.
    pub path: &'a [(&'a str, &'a str)],
    /// Query parameters, in order; a name may repeat.
    pub query: &'a [(&'a str, &'a str)],
    /// The request body.
    pub body: Option<&'a Value>,
}

/// What a wrapper's client holds for sending: the HTTP client, the base
/// URL and the settings every call shares.
#[derive(Clone, Debug)]
pub struct Sender {
    /// The HTTP client.
    pub http: reqwest::Client,
    /// Where requests go.
    pub base_url: BaseUrl,
    /// Key, user agent, retries, timeouts and limits.
    pub settings: Arc<CallSettings>,
    /// How a path parameter becomes one path segment (the generated
    /// crate's `encode_path_segment`, so both paths encode alike).
    pub encode: fn(&str) -> String,
    /// The extra headers (and any refused setting) of a `with_options`
    /// copy; empty for a client as built. Retry and timeout options are
    /// already in `settings`.
    pub options: crate::options::CallOptions,
}

impl Sender {
    /// Calls `operation` with `arguments` and returns the JSON it answered
    /// (`null` for an empty body, or for any body of an operation that
    /// documents none).
    ///
    /// Refused before sending, naming the argument: a path parameter that
    /// is missing, blank, `.` or `..`; a path or query name the operation
    /// does not have.
    pub async fn call_json(
        &self,
        operation: &Operation,
        arguments: Arguments<'_>,
    ) -> Result<Value, Error> {
        self.options.check()?;
        let request = self.build(operation, arguments)?;
        let route = Route {
            operation: operation.id,
            path: operation.path,
            kind: operation.kind,
        };
        let settings = self.settings.clone();
        let http = self.http.clone();
        let (outcome, record) = recorded(async move {
            check_path(&settings, &request, route.path).map_err(|_| None)?;
            let response = send(http, request, route, settings).await.map_err(Some)?;
            let status = response.status();
            let bytes = response.bytes().await.map_err(Some)?;
            Ok((status, bytes))
        })
        .await;
        let raw = match outcome {
            // A success whose body was over the limit kept no body: the
            // record says so, and the mapping returns ResponseTooLarge.
            Ok((status, bytes)) if status.is_success() && record.too_large.is_none() => {
                if !operation.success_body || bytes.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Value::Null);
                }
                match serde_json::from_slice(&bytes) {
                    Ok(value) => return Ok(value),
                    Err(error) => progenitor_client::Error::InvalidResponsePayload(bytes, error),
                }
            }
            // The record holds the status and body; it decides the error.
            Ok(_) => progenitor_client::Error::Custom("error status".to_owned()),
            Err(Some(error)) => progenitor_client::Error::CommunicationError(error),
            Err(None) => progenitor_client::Error::InvalidRequest("path".to_owned()),
        };
        Err(into_error::<Value, ()>(operation.id, raw, &record))
    }

    /// The request `arguments` make for `operation`, or the argument that
    /// breaks a rule.
    fn build(
        &self,
        operation: &Operation,
        arguments: Arguments<'_>,
    ) -> Result<reqwest::Request, Error> {
        for (name, _) in arguments.path {
            if !operation.path_params.contains(name) {
                return Err(Error::invalid(
                    *name,
                    format!("is not a path parameter of {}", operation.id),
                ));
            }
        }
        for (name, _) in arguments.query {
            if !operation.query_params.contains(name) {
                return Err(Error::invalid(
                    *name,
                    format!("is not a query parameter of {}", operation.id),
                ));
            }
        }
        let mut path = operation.path.to_owned();
        for name in operation.path_params {
            let value = arguments
                .path
                .iter()
                .find(|(given, _)| given == name)
                .map(|(_, value)| *value)
                .ok_or_else(|| Error::invalid(*name, "is required"))?;
            check_segment(name, value)?;
            path = path.replace(&format!("{{{name}}}"), &(self.encode)(value));
        }
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base_url.as_str()))
            .map_err(|e| Error::invalid("path", e.to_string()))?;
        if !arguments.query.is_empty() {
            url.query_pairs_mut().extend_pairs(arguments.query);
        }
        let method = reqwest::Method::from_bytes(operation.method.as_bytes())
            .map_err(|e| Error::invalid("method", e.to_string()))?;
        let mut request = self
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = arguments.body {
            let bytes =
                serde_json::to_vec(body).map_err(|e| Error::invalid("body", e.to_string()))?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let mut request = request
            .build()
            .map_err(|e| Error::invalid("request", e.without_url().to_string()))?;
        self.options.add_headers(&mut request);
        Ok(request)
    }
}
