//! Turning what a generated-client call returned, plus the [`CallRecord`]
//! of that call, into the caller's [`Error`].

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::server_wait;
use crate::call::{CallRecord, ResponseSnapshot};
use crate::error::{Error, FieldError, MAX_KEPT_BODY, ResponseBody};
use crate::transport::classify_reqwest_error;

/// Runs one generated-client call of `operation` under a [`CallRecord`]
/// and returns its success value, or the failure mapped by [`into_error`].
/// Both wrappers send every operation through this.
///
/// The generated call's future is large (about 2 KiB: the request, the
/// exec future, the decoder), and every `async` layer around it would move
/// it again while it is being set up; boxing it once, here, leaves only a
/// pointer to move (the profile and sizes are in BENCHMARKS.md).
pub fn finish<T, E, F>(
    operation: &'static str,
    call: F,
) -> impl std::future::Future<Output = Result<T, Error>>
where
    T: DeserializeOwned,
    F: std::future::Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
{
    run(Some(operation), call)
}

/// [`finish`] for a call whose operation is not known up front (the
/// wrappers' generic `call`, which takes any generated-client call): the
/// operation is the one [`crate::send`] recorded. A call refused before
/// sending (a bad builder argument, a path that left its template) maps
/// to [`Error::InvalidInput`], which names no operation.
pub fn finish_any<T, E, F>(call: F) -> impl std::future::Future<Output = Result<T, Error>>
where
    T: DeserializeOwned,
    F: std::future::Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
{
    run(None, call)
}

/// Runs `call` under a record and maps its failure for `operation` (or the
/// one recorded).
fn run<T, E, F>(
    operation: Option<&'static str>,
    call: F,
) -> impl std::future::Future<Output = Result<T, Error>>
where
    T: DeserializeOwned,
    F: std::future::Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
{
    let call = Box::pin(call);
    async move {
        let (result, record) = crate::call::recorded(call).await;
        result
            .map(progenitor_client::ResponseValue::into_inner)
            .map_err(|error| {
                let operation = operation.or(record.operation).unwrap_or("(not sent)");
                into_error::<T, E>(operation, error, &record)
            })
    }
}

/// Maps a failed call of `operation`, whose success type is `T`.
pub fn into_error<T: DeserializeOwned, E>(
    operation: &'static str,
    error: progenitor_client::Error<E>,
    record: &CallRecord,
) -> Error {
    use progenitor_client::Error as Raw;

    if let Some((field, reason)) = &record.refused {
        return Error::invalid(field.clone(), reason.clone());
    }
    if let Some(limit) = record.too_large {
        return Error::ResponseTooLarge { operation, limit };
    }
    // A non-success status decides the error whatever progenitor made of
    // the body (an HTML 503 page fails its JSON decoding, for instance).
    if let Some(snapshot) = record
        .last_response
        .as_ref()
        .filter(|snapshot| !(200..300).contains(&snapshot.status))
    {
        return from_status(operation, snapshot, record.attempts);
    }
    match error {
        Raw::InvalidRequest(reason) => Error::invalid("request", reason),
        Raw::CommunicationError(source)
        | Raw::ResponseBodyError(source)
        | Raw::InvalidUpgrade(source) => {
            // The one place "was it sent?" is decided: by every attempt
            // the retry loop classified, and by this last failure.
            let sent =
                record.maybe_processed || classify_reqwest_error(&source).may_have_been_processed();
            if source.is_timeout() {
                Error::Timeout {
                    operation,
                    attempts: record.attempts.max(1),
                    sent,
                }
            } else {
                Error::Transport {
                    operation,
                    sent,
                    connect: source.is_connect(),
                    // The URL holds ids and query values: not for logs.
                    source: Box::new(source.without_url()),
                }
            }
        }
        Raw::InvalidResponsePayload(bytes, _) => decode_error::<T>(operation, &bytes),
        // Only reached without a recorded response (the hook was bypassed):
        // the status is all there is.
        Raw::ErrorResponse(response) => status_only(operation, response.status()),
        Raw::UnexpectedResponse(response) => status_only(operation, response.status()),
        Raw::Custom(reason) => Error::invalid("request", reason),
    }
}

/// An API error that knows its status and nothing else.
fn status_only(operation: &'static str, status: reqwest::StatusCode) -> Error {
    Error::status_only(operation, status.as_u16())
}

/// The error for a non-success response.
pub fn from_status(operation: &'static str, response: &ResponseSnapshot, attempts: u32) -> Error {
    if response.status == 429 {
        return Error::RateLimited {
            operation,
            retry_after: server_wait(429, &response.headers),
            attempts: attempts.max(1),
        };
    }
    if (300..400).contains(&response.status) {
        return Error::Redirect {
            operation,
            status: response.status,
            location: response
                .headers
                .get(reqwest::header::LOCATION)
                .map(|location| String::from_utf8_lossy(location.as_bytes()).into_owned()),
        };
    }
    let kept = response
        .body
        .slice(..response.body.len().min(MAX_KEPT_BODY));
    let parsed: Option<Value> = serde_json::from_slice(&response.body).ok();
    let errors: &[Value] = parsed
        .as_ref()
        .and_then(|body| body.get("errors"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let field_errors = errors.iter().map(field_error).collect();
    // The body is parsed already: handed over, not read again.
    let request_id = crate::call::request_id(&response.headers, move || parsed);
    Error::Api {
        operation,
        status: response.status,
        field_errors,
        request_id,
        body: ResponseBody::new(kept),
    }
}

/// One entry of an error body's `errors` array: its `path` joined with
/// `.` (numbers as digits), its `code` and its `message`.
fn field_error(entry: &Value) -> FieldError {
    let path = entry
        .get("path")
        .and_then(Value::as_array)
        .map(|path| {
            path.iter()
                .map(|segment| match segment {
                    Value::String(name) => name.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default();
    let text = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_owned);
    FieldError::new(path, text("code"), text("message"))
}

/// Decodes `bytes` as `T` again, this time tracking the path, to say where
/// the body breaks the documented shape.
pub fn decode_error<T: DeserializeOwned>(operation: &'static str, bytes: &[u8]) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (error.path().to_string(), error.inner().to_string()),
        // progenitor failed where a second decode succeeds: trailing data
        // after the value is the one case (serde_json's `end` check).
        Ok(_) => match deserializer.end() {
            Err(error) => (".".to_owned(), error.to_string()),
            Ok(()) => (".".to_owned(), "the body could not be decoded".to_owned()),
        },
    };
    // The constructor cuts the snippet and leaves quoted values out.
    Error::decode(operation, path, &message, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Task {
        id: String,
        links: Links,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Links {
        candidates: Vec<Link>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Link {
        #[serde(rename = "isMention")]
        is_mention: bool,
    }

    fn snapshot(status: u16, body: &str) -> ResponseSnapshot {
        ResponseSnapshot {
            status,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn decode_error_names_the_json_path() {
        let body = br#"{"id":"t1","links":{"candidates":[{"isMention":"yes"}]}}"#;
        match decode_error::<Task>("create_task", body) {
            Error::Decode {
                path,
                message,
                snippet,
                ..
            } => {
                assert_eq!(path, "links.candidates[0].isMention");
                assert_eq!(
                    message,
                    r#"invalid type: string "…", expected a boolean at line 1 column 52"#
                );
                assert!(snippet.text().starts_with(r#"{"id":"t1""#));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn spott_error_body_fills_codes_fields_and_request_id() {
        let body = r#"{"status":422,"message":"Validation failed","requestId":"r-9",
            "errors":[{"code":"too_small","path":["content"],"message":"empty"},
                      {"code":"invalid_type","path":["links",0,"entityId"]}]}"#;
        let error = from_status("create_task", &snapshot(422, body), 1);
        assert_eq!(error.status(), Some(422));
        assert_eq!(
            error.field_errors(),
            [
                FieldError::new("content", Some("too_small".into()), Some("empty".into())),
                FieldError::new("links.0.entityId", Some("invalid_type".into()), None),
            ]
        );
        assert_eq!(error.request_id(), Some("r-9"));
        let kept = error.body().unwrap();
        assert_eq!(kept.text(), body);
        assert_eq!(kept.message().as_deref(), Some("Validation failed"));
    }

    #[test]
    fn the_request_id_header_is_the_errors_id_too() {
        // Only a header: the error quotes it.
        let mut response = snapshot(503, r#"{"message":"down"}"#);
        response
            .headers
            .insert("x-request-id", "hdr-7".parse().unwrap());
        assert_eq!(
            from_status("get_candidate", &response, 3).request_id(),
            Some("hdr-7")
        );
        // Both: the header wins, as for a success and in the call's span.
        let mut response = snapshot(422, r#"{"requestId":"body-7"}"#);
        response
            .headers
            .insert("request-id", "hdr-8".parse().unwrap());
        let error = from_status("create_task", &response, 1);
        assert_eq!(error.request_id(), Some("hdr-8"));
        assert_eq!(
            error.to_string(),
            "create_task: HTTP 422 (request id hdr-8)"
        );
    }

    #[test]
    fn html_error_page_is_kept_as_the_body() {
        let page = "<html><body>502 Bad Gateway</body></html>";
        match from_status("create_tasks", &snapshot(502, page), 1) {
            Error::Api { status, body, .. } => {
                assert_eq!(status, 502);
                assert_eq!(body.message(), None);
                assert_eq!(body.text(), page);
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn huge_error_bodies_are_cut() {
        let body = "x".repeat(MAX_KEPT_BODY * 3);
        match from_status("create_tasks", &snapshot(500, &body), 1) {
            Error::Api { body, .. } => assert_eq!(body.len(), MAX_KEPT_BODY),
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn too_many_requests_becomes_rate_limited_with_the_wait() {
        let mut response = snapshot(429, "{}");
        response
            .headers
            .insert(RETRY_AFTER, HeaderValue::from_static("7"));
        match from_status("create_task", &response, 3) {
            Error::RateLimited {
                retry_after,
                attempts,
                ..
            } => {
                assert_eq!(retry_after, Some(std::time::Duration::from_secs(7)));
                assert_eq!(attempts, 3);
            }
            other => panic!("expected rate limited, got {other:?}"),
        }
    }

    #[test]
    fn the_record_outranks_what_progenitor_returned() {
        let record = CallRecord {
            attempts: 2,
            last_response: Some(snapshot(503, "<html>down</html>")),
            ..CallRecord::default()
        };
        let raw: progenitor_client::Error<()> = progenitor_client::Error::InvalidResponsePayload(
            Bytes::new(),
            serde_json::from_str::<()>("x").unwrap_err(),
        );
        assert_eq!(
            into_error::<Task, ()>("create_task", raw, &record).status(),
            Some(503)
        );

        let record = CallRecord {
            too_large: Some(10),
            ..CallRecord::default()
        };
        let raw: progenitor_client::Error<()> =
            progenitor_client::Error::InvalidRequest("x".into());
        assert!(matches!(
            into_error::<Task, ()>("create_task", raw, &record),
            Error::ResponseTooLarge { limit: 10, .. }
        ));
    }

    #[test]
    fn a_redirect_names_its_location() {
        let mut response = snapshot(303, "");
        response
            .headers
            .insert("location", HeaderValue::from_static("/tasks/t-1"));
        match from_status("create_task", &response, 1) {
            Error::Redirect {
                status, location, ..
            } => {
                assert_eq!(status, 303);
                assert_eq!(location.as_deref(), Some("/tasks/t-1"));
            }
            other => panic!("expected a redirect, got {other:?}"),
        }
    }

    #[test]
    fn a_transport_error_after_a_processed_attempt_may_exist() {
        // Attempt 1 may have been processed; the last one never connected.
        let record = CallRecord {
            attempts: 2,
            maybe_processed: true,
            ..CallRecord::default()
        };
        let refused = refused_connection();
        let error = into_error::<Task, ()>(
            "update_candidate",
            progenitor_client::Error::CommunicationError(refused),
            &record,
        );
        assert!(error.may_exist_on_server(), "{error:?}");
        let refused = refused_connection();
        let error = into_error::<Task, ()>(
            "update_candidate",
            progenitor_client::Error::CommunicationError(refused),
            &CallRecord::default(),
        );
        assert!(!error.may_exist_on_server(), "{error:?}");
        assert!(!error.to_string().contains("127.0.0.1"), "{error}");
    }

    /// A real connection-refused error from reqwest.
    fn refused_connection() -> reqwest::Error {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime
            .block_on(
                reqwest::Client::builder()
                    .no_proxy()
                    .build()
                    .unwrap()
                    .get(format!("http://127.0.0.1:{port}/secret-id"))
                    .send(),
            )
            .unwrap_err()
    }
}
