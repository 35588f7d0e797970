//! The one error type both wrappers return.
//!
//! Two rules shape it:
//! - **No personal data in text.** Response bodies hold names, emails and
//!   phone numbers, so neither `Display` nor `Debug` prints a body or the
//!   server's free-text `message`: only the status, error codes, the field
//!   paths the server named and its request id. The raw body is kept in a
//!   [`ResponseBody`], readable through an explicit accessor
//!   ([`Error::body`]), whose `Debug` shows its length only.
//! - **One answer to "may it exist?"** [`Error::may_exist_on_server`] says
//!   whether the request may have been processed, from what the retry loop
//!   saw of every attempt ([`crate::Outcome::may_have_been_processed`]).
//!   Callers deciding whether to send a create again ask it and nothing
//!   else.
//! - **Room to grow.** The enum and every one of its variants are
//!   `#[non_exhaustive]`, as is [`FieldError`], and no HTTP library's type
//!   is part of the error (the transport's cause is a boxed
//!   `std::error::Error`). A program branches on the methods
//!   ([`Error::status`], [`Error::field_errors`], [`Error::is_connect`],
//!   [`Error::may_exist_on_server`], …) or matches with `..`, and builds
//!   one (in a test, or for its own layer) with the constructors
//!   ([`Error::invalid`], [`Error::config`], [`Error::status_only`],
//!   [`Error::rate_limited`], [`Error::redirect`], [`Error::timeout`],
//!   [`Error::decode`], [`Error::response_too_large`]):
//!
//! ```
//! use spott_saleshandy_core::Error;
//!
//! fn advice(error: &Error) -> String {
//!     match error {
//!         Error::Api { status: 422, .. } => error
//!             .field_errors()
//!             .iter()
//!             .map(|problem| format!("fix {}", problem.path))
//!             .collect::<Vec<_>>()
//!             .join(", "),
//!         Error::Transport { .. } if error.is_connect() => "nothing was sent: retry".into(),
//!         _ if error.may_exist_on_server() => "look before sending again".into(),
//!         _ => error.to_string(),
//!     }
//! }
//! assert_eq!(advice(&Error::status_only("create_task", 404)), "create_task: HTTP 404");
//! ```
//!
//! Outside this crate no variant can be built with its fields or matched
//! without `..`, so a field added later breaks nobody:
//!
//! ```compile_fail
//! let _ = spott_saleshandy_core::Error::Api {
//!     operation: "create_task",
//!     status: 422,
//!     field_errors: Vec::new(),
//!     request_id: None,
//!     body: spott_saleshandy_core::error::ResponseBody::default(),
//! };
//! ```
//!
//! ```compile_fail
//! fn status(error: &spott_saleshandy_core::Error) -> u16 {
//!     match error {
//!         spott_saleshandy_core::Error::Api { operation: _, status, field_errors: _, request_id: _, body: _ } => *status,
//!         _ => 0,
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! let _ = spott_saleshandy_core::Error::Timeout {
//!     operation: "create_task",
//!     attempts: 1,
//!     sent: true,
//! };
//! ```
//!
//! ```compile_fail
//! fn field(error: &spott_saleshandy_core::Error) -> &str {
//!     match error {
//!         spott_saleshandy_core::Error::InvalidInput { field, reason: _ } => field,
//!         _ => "",
//!     }
//! }
//! ```
//!
//! The same with the constructor and `..` compiles:
//!
//! ```
//! use spott_saleshandy_core::Error;
//!
//! let error = Error::timeout("create_task", 1, true);
//! assert!(matches!(error, Error::Timeout { attempts: 1, sent: true, .. }));
//! match Error::invalid("content", "must not be empty") {
//!     Error::InvalidInput { field, .. } => assert_eq!(field, "content"),
//!     other => panic!("{other}"),
//! }
//! ```

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Everything that can go wrong in a call, by what the caller can do
/// about it. `Display` is one short line with no secret and no personal
/// data in it: the API key never reaches an error, and response bodies are
/// kept in a field that prints its length only.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    ///
    /// `#[non_exhaustive]`: match it with `Error::Api { status, .. }`, or
    /// better through [`Error::status`], [`Error::field_errors`] and
    /// [`Error::request_id`]; fields may be added.
    #[non_exhaustive]
    Api {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body's problems (`errors[]`), one per field it blames; see
        /// [`Error::field_errors`].
        field_errors: Vec<FieldError>,
        /// The server's request id, to quote to support: its
        /// `x-request-id` (or `request-id`) header, else the body's
        /// `requestId`, as in the logs and in [`ResponseMeta`](crate::ResponseMeta).
        request_id: Option<String>,
        /// The raw body, at most [`MAX_KEPT_BODY`] bytes; see
        /// [`Error::body`] and [`ResponseBody::message`].
        body: ResponseBody,
    },
    /// The server kept answering 429 and the retry policy gave up. The
    /// server did not process the request.
    #[non_exhaustive]
    RateLimited {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The wait the last 429 asked for, if it said.
        retry_after: Option<Duration>,
        /// Attempts made.
        attempts: u32,
    },
    /// The server answered with a redirect (3xx). It is never followed for
    /// a request that may not be repeated (a create, an update): the server
    /// may have processed it before redirecting.
    #[non_exhaustive]
    Redirect {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307, 308).
        status: u16,
        /// The `Location` header, as sent.
        location: Option<String>,
    },
    /// No complete response in time, or the call's whole deadline
    /// ([`crate::RetryPolicy::with_max_elapsed`]) ran out. Unless
    /// [`Error::may_exist_on_server`] says otherwise (a connect timeout),
    /// the request may have been processed: check before sending it again.
    #[non_exhaustive]
    Timeout {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// Whether any attempt may have reached the server and been
        /// processed (false only when no attempt ever got a connection, or
        /// every one that did was refused with 429).
        sent: bool,
    },
    /// The connection failed or broke. [`Error::is_connect`] says whether
    /// it was never made (nothing sent); [`Error::may_exist_on_server`]
    /// whether any attempt may have been processed. The transport's own
    /// error is reachable, opaque, through `std::error::Error::source`.
    ///
    /// `#[non_exhaustive]`: match it with `Error::Transport { .. }`.
    #[non_exhaustive]
    Transport {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Whether any attempt may have reached the server and been
        /// processed (see [`Error::Timeout`]).
        sent: bool,
        /// Whether the last attempt failed while connecting (DNS, refused,
        /// TLS handshake, proxy): that attempt sent nothing. Otherwise the
        /// connection broke after the request was written, or mid-response.
        connect: bool,
        /// What the transport reported, without the request's URL; a
        /// boxed error so that no HTTP library's type is part of this one.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The response did not match the documented shape. The server
    /// answered with a success status, so the request was processed.
    #[non_exhaustive]
    Decode {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Where in the body decoding failed (`links.candidates[0].id`), or
        /// `.` for the whole body.
        path: String,
        /// What was wrong there, with the offending text value left out
        /// (`invalid type: string "…", expected a boolean`).
        message: String,
        /// The start of the body, at most [`SNIPPET_CHARS`] characters.
        snippet: ResponseBody,
    },
    /// The response body was larger than the configured limit. The server
    /// answered, so the request may have been processed.
    #[non_exhaustive]
    ResponseTooLarge {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The limit in bytes.
        limit: u64,
    },
    /// A list's pages do not fit together: a cursor came back that was
    /// already used (following it would loop), or a page claimed more
    /// items but gave no way to reach them. The pages before were
    /// delivered; the listing may be incomplete.
    #[non_exhaustive]
    Paging {
        /// The operation (`operationId`).
        operation: &'static str,
        /// What was wrong with the page.
        problem: &'static str,
    },
    /// The input breaks a documented rule; nothing was sent.
    #[non_exhaustive]
    InvalidInput {
        /// The field, as the API names it (`content`, `prospectIds[1]`).
        field: String,
        /// The rule it breaks.
        reason: String,
    },
    /// The client is configured wrongly (key, base URL, timeouts); nothing
    /// was sent.
    #[non_exhaustive]
    Config {
        /// The setting (`SPOTT_API_KEY`, `base_url`).
        setting: String,
        /// The rule it breaks.
        reason: String,
    },
}

// Display by hand, not thiserror: one match is not worth two more crates
// (the derive and its runtime) in every user's build.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                field_errors,
                request_id,
                ..
            } => write!(
                f,
                "{operation}: HTTP {status}{}",
                describe_api(field_errors, request_id.as_deref())
            ),
            Error::RateLimited {
                operation,
                retry_after,
                attempts,
                ..
            } => {
                write!(
                    f,
                    "{operation}: rate limited (HTTP 429) after {attempts} attempt(s)"
                )?;
                if let Some(wait) = retry_after {
                    write!(f, "; server asks to wait {}s", wait.as_secs())?;
                }
                Ok(())
            }
            Error::Redirect {
                operation,
                status,
                location,
                ..
            } => write!(
                f,
                "{operation}: HTTP {status} redirect to {}, not followed",
                location.as_deref().unwrap_or("(no location)")
            ),
            Error::Timeout {
                operation,
                attempts,
                sent,
                ..
            } => write!(
                f,
                "{operation}: timed out after {attempts} attempt(s){}",
                if *sent {
                    ""
                } else {
                    " (while connecting: nothing was sent)"
                }
            ),
            Error::Transport {
                operation,
                sent,
                source,
                ..
            } => write!(
                f,
                "{operation}: transport error{}: {source}",
                if *sent { "" } else { " (nothing was sent)" }
            ),
            Error::Decode {
                operation,
                path,
                message,
                ..
            } => write!(
                f,
                "{operation}: unexpected response body at `{path}`: {message}"
            ),
            Error::ResponseTooLarge {
                operation, limit, ..
            } => write!(
                f,
                "{operation}: response body exceeds the {limit}-byte limit"
            ),
            Error::Paging {
                operation, problem, ..
            } => write!(f, "{operation}: paging stopped: {problem}"),
            Error::InvalidInput { field, reason, .. } => write!(f, "invalid {field}: {reason}"),
            Error::Config {
                setting, reason, ..
            } => write!(f, "invalid configuration {setting}: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// How much of an error body [`Error::Api`] keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// How many characters of a body [`Error::Decode`] keeps.
pub const SNIPPET_CHARS: usize = 200;

/// A response body kept for the caller to inspect on purpose. It may hold
/// personal data, so its `Debug` prints its length and nothing of its
/// content, and it has no `Display`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseBody(Box<[u8]>);

impl ResponseBody {
    /// Keeps a copy of `bytes` (a boxed slice: half the size of `Bytes`
    /// in an error that every `Result` of the wrappers carries).
    pub fn new(bytes: impl AsRef<[u8]>) -> Self {
        Self(bytes.as_ref().into())
    }

    /// The bytes, exactly as received (cut to the kept length).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// The body's `message` field (Spott's and Saleshandy's error bodies
    /// carry one), if it is JSON and has one. It may quote the input.
    pub fn message(&self) -> Option<String> {
        let body: Value = serde_json::from_slice(&self.0).ok()?;
        body.get("message")?.as_str().map(str::to_owned)
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseBody(<{} bytes>)", self.0.len())
    }
}

/// One problem the server found with the request: an entry of the error
/// body's `errors` array (Spott's `ErrorDetail`: `code`, `path`,
/// `message`). Its `Debug` leaves out the message, which may quote the
/// input.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The field the server blames, its `path` joined with `.`
    /// (`links.0.entityId`); empty when the entry named no field.
    pub path: String,
    /// The machine-readable code (`invalid_type`), when it gave one.
    pub code: Option<String>,
    /// The server's text for it. It may quote the input (personal data):
    /// shown on purpose only, never in `Display` or `Debug`.
    pub message: Option<String>,
}

impl FieldError {
    /// A field error (what a server's body would give).
    pub fn new(path: impl Into<String>, code: Option<String>, message: Option<String>) -> Self {
        Self {
            path: path.into(),
            code,
            message,
        }
    }
}

impl fmt::Debug for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldError")
            .field("path", &self.path)
            .field("code", &self.code)
            .field(
                "message",
                &self
                    .message
                    .as_ref()
                    .map(|m| format!("<{} chars>", m.chars().count())),
            )
            .finish()
    }
}

fn describe_api(field_errors: &[FieldError], request_id: Option<&str>) -> String {
    let mut text = String::new();
    let codes: Vec<&str> = field_errors
        .iter()
        .filter_map(|error| error.code.as_deref())
        .collect();
    if !codes.is_empty() {
        text.push_str(&format!(" [{}]", codes.join(", ")));
    }
    let fields: Vec<&str> = field_errors
        .iter()
        .map(|error| error.path.as_str())
        .filter(|path| !path.is_empty())
        .collect();
    if !fields.is_empty() {
        text.push_str(&format!(" at {}", fields.join(", ")));
    }
    if let Some(id) = request_id {
        text.push_str(&format!(" (request id {id})"));
    }
    text
}

impl Error {
    /// An input error for `field` breaking `reason`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Api`] that knows its status and nothing else (no body,
    /// no field errors, no request id): what a bare status gives.
    pub fn status_only(operation: &'static str, status: u16) -> Self {
        Self::Api {
            operation,
            status,
            field_errors: Vec::new(),
            request_id: None,
            body: ResponseBody::default(),
        }
    }

    /// An [`Error::Config`]: `setting` breaks `reason`; nothing was sent.
    pub fn config(setting: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Config {
            setting: setting.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::RateLimited`]: `attempts` attempts were answered with
    /// 429, the last one asking to wait `retry_after` if it said.
    pub fn rate_limited(
        operation: &'static str,
        retry_after: Option<Duration>,
        attempts: u32,
    ) -> Self {
        Self::RateLimited {
            operation,
            retry_after,
            attempts,
        }
    }

    /// An [`Error::Redirect`] with its 3xx `status` and `Location` header.
    pub fn redirect(operation: &'static str, status: u16, location: Option<String>) -> Self {
        Self::Redirect {
            operation,
            status,
            location,
        }
    }

    /// An [`Error::Timeout`] after `attempts` attempts; `sent` says whether
    /// any of them may have reached the server.
    pub fn timeout(operation: &'static str, attempts: u32, sent: bool) -> Self {
        Self::Timeout {
            operation,
            attempts,
            sent,
        }
    }

    /// An [`Error::Decode`]: `body` broke the documented shape at `path`
    /// because of `message`. The text values `message` quotes are replaced
    /// by `…` and only the start of `body` ([`SNIPPET_CHARS`] characters)
    /// is kept, so no more of the body than that reaches the error.
    ///
    /// ```
    /// let error = spott_saleshandy_core::Error::decode(
    ///     "create_task",
    ///     "done",
    ///     r#"invalid type: string "ana@example.com", expected a boolean"#,
    ///     br#"{"done":"ana@example.com"}"#,
    /// );
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"create_task: unexpected response body at `done`: invalid type: string "…", expected a boolean"#
    /// );
    /// ```
    pub fn decode(
        operation: &'static str,
        path: impl Into<String>,
        message: &str,
        body: &[u8],
    ) -> Self {
        let snippet: String = String::from_utf8_lossy(body)
            .chars()
            .take(SNIPPET_CHARS)
            .collect();
        Self::Decode {
            operation,
            path: path.into(),
            message: without_quoted_values(message),
            snippet: ResponseBody::new(snippet),
        }
    }

    /// An [`Error::ResponseTooLarge`]: the body passed `limit` bytes.
    pub fn response_too_large(operation: &'static str, limit: u64) -> Self {
        Self::ResponseTooLarge { operation, limit }
    }

    /// The operation (`operationId`) the error is about, when a call was
    /// made.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Api { operation, .. }
            | Self::RateLimited { operation, .. }
            | Self::Redirect { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Decode { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::Paging { operation, .. } => Some(operation),
            Self::InvalidInput { .. } | Self::Config { .. } => None,
        }
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::Redirect { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The server's request id, to quote to support: its `x-request-id`
    /// (or `request-id`) header, else the error body's `requestId`; the
    /// same id the call's log records carry.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The response body the error kept, if any: the error body of an
    /// [`Error::Api`], the start of the body of an [`Error::Decode`]. It
    /// may hold personal data; it is never part of `Display` or `Debug`.
    pub fn body(&self) -> Option<&ResponseBody> {
        match self {
            Self::Api { body, .. } => Some(body),
            Self::Decode { snippet, .. } => Some(snippet),
            _ => None,
        }
    }

    /// The problems the server found with the request, one per field it
    /// blamed (a 400 or 422 with an `errors` array): empty for every other
    /// error, and for an error body without one.
    ///
    /// ```
    /// # fn show(error: &spott_saleshandy_core::Error) {
    /// for problem in error.field_errors() {
    ///     eprintln!("{}: {}", problem.path, problem.code.as_deref().unwrap_or("invalid"));
    /// }
    /// # }
    /// ```
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Api { field_errors, .. } => field_errors,
            _ => &[],
        }
    }

    /// Whether the connection could not be made (DNS, refused, TLS
    /// handshake, proxy) on the last attempt: that attempt sent nothing.
    /// A transport error that is not a connect error broke after the
    /// request was written or while the response arrived.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Transport { connect: true, .. })
    }

    /// Whether the connection failed or broke ([`Error::Transport`]).
    pub fn is_transport(&self) -> bool {
        matches!(self, Self::Transport { .. })
    }

    /// Whether the server rate-limited the call.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::RateLimited { .. })
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether nothing was sent because the input or configuration is bad.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::InvalidInput { .. } | Self::Config { .. })
    }

    /// Whether the request may have been processed by the server, so that
    /// sending it again could apply it twice (create a second record).
    ///
    /// | error | may exist |
    /// |---|---|
    /// | [`Error::InvalidInput`], [`Error::Config`]: nothing was sent | no |
    /// | [`Error::RateLimited`]: the server refused it with 429 | no |
    /// | [`Error::Api`] with a 4xx: the server refused it | no |
    /// | [`Error::Api`] with a 5xx or another status | yes |
    /// | [`Error::Redirect`]: the server answered after reading it | yes |
    /// | [`Error::Timeout`], [`Error::Transport`] | unless no attempt ever got a connection |
    /// | [`Error::Decode`], [`Error::ResponseTooLarge`]: a success, or an answer | yes |
    /// | [`Error::Paging`]: pages of a read answered | yes |
    pub fn may_exist_on_server(&self) -> bool {
        match self {
            Self::InvalidInput { .. } | Self::Config { .. } | Self::RateLimited { .. } => false,
            Self::Api { status, .. } => !(400..500).contains(status),
            Self::Timeout { sent, .. } | Self::Transport { sent, .. } => *sent,
            Self::Redirect { .. }
            | Self::Decode { .. }
            | Self::ResponseTooLarge { .. }
            | Self::Paging { .. } => true,
        }
    }
}

/// What serde writes just before a value it took from the data and put
/// between backticks (``integer `447700900123` ``, ``unknown variant `x` ``).
/// What follows `missing field`, `duplicate field` or `expected one of`
/// comes from the types, not the body, and stays; a boolean cannot hold
/// personal data.
const DATA_BEFORE_BACKTICK: [&str; 5] = [
    "integer ",
    "floating point ",
    "character ",
    "unknown variant ",
    "unknown field ",
];

/// `message` with the values it quotes from the data replaced by `…`:
/// serde's messages quote the offending value, a string between double
/// quotes (`invalid type: string "ana@…"`) and a number, character,
/// variant or field name between backticks, and those are data from the
/// body.
pub(crate) fn without_quoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        let from_data = c == '`'
            && DATA_BEFORE_BACKTICK
                .iter()
                .any(|before| out.ends_with(before));
        out.push(c);
        if c == '"' {
            // Skip to the closing quote, honouring backslash escapes.
            let mut escaped = false;
            for inner in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if inner == '\\' {
                    escaped = true;
                } else if inner == '"' {
                    break;
                }
            }
            out.push_str("…\"");
        } else if from_data {
            // serde does not escape inside backticks: the value ends at
            // the next one.
            chars.by_ref().find(|&inner| inner == '`');
            out.push_str("…`");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str) -> Error {
        Error::Api {
            operation: "create_task",
            status,
            field_errors: vec![FieldError::new(
                "links.0.entityId",
                Some("invalid_type".into()),
                Some("Ana Doe <ana@example.com> is not an id".into()),
            )],
            request_id: Some("req-1".into()),
            body: ResponseBody::new(body),
        }
    }

    #[test]
    fn api_error_display_is_one_useful_line_without_the_body() {
        let error = api(
            422,
            r#"{"message":"Ana Doe <ana@example.com> exists","requestId":"req-1"}"#,
        );
        assert_eq!(
            error.to_string(),
            "create_task: HTTP 422 [invalid_type] at links.0.entityId (request id req-1)"
        );
        assert_eq!(error.status(), Some(422));
        assert_eq!(error.request_id(), Some("req-1"));
    }

    #[test]
    fn neither_display_nor_debug_shows_the_body_or_its_message() {
        let body = r#"{"message":"Ana Doe <ana@example.com> exists"}"#;
        let error = api(409, body);
        for text in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(!text.contains("ana@example.com"), "{text}");
            assert!(!text.contains("Ana Doe"), "{text}");
        }
        assert!(format!("{error:?}").contains(&format!("<{} bytes>", body.len())));
        // The field error's message quotes the input: not in Debug either,
        // but its path and code are.
        let debug = format!("{error:?}");
        assert!(
            debug.contains("links.0.entityId") && debug.contains("invalid_type"),
            "{debug}"
        );
        assert!(!debug.contains("is not an id"), "{debug}");
        assert_eq!(
            error.field_errors()[0].message.as_deref(),
            Some("Ana Doe <ana@example.com> is not an id")
        );
        // Only on purpose:
        let kept = error.body().unwrap();
        assert_eq!(kept.text(), body);
        assert_eq!(
            kept.message().as_deref(),
            Some("Ana Doe <ana@example.com> exists")
        );
    }

    #[test]
    fn decode_snippets_stay_out_of_debug() {
        let error = Error::Decode {
            operation: "create_task",
            path: "email".into(),
            message: "invalid type".into(),
            snippet: ResponseBody::new("{\"email\":\"ana@example.com\"}"),
        };
        assert!(!format!("{error:?}").contains("ana@example.com"));
        assert!(error.body().unwrap().text().contains("ana@example.com"));
    }

    #[test]
    fn the_decode_constructor_keeps_only_the_start_of_the_body() {
        let body = format!("{{\"notes\":\"{}\"}}", "x".repeat(500));
        let error = Error::decode("get_candidate", "notes", "too long", body.as_bytes());
        let kept = error.body().expect("a snippet is kept");
        assert_eq!(kept.text().chars().count(), SNIPPET_CHARS);
        assert!(body.starts_with(&*kept.text()));
        assert_eq!(error.operation(), Some("get_candidate"));
    }

    #[test]
    fn quoted_values_are_left_out_of_messages() {
        assert_eq!(
            without_quoted_values(r#"invalid type: string "ana@example.com", expected a boolean"#),
            r#"invalid type: string "…", expected a boolean"#
        );
        assert_eq!(
            without_quoted_values(r#"invalid value: string "a\"b", expected x"#),
            r#"invalid value: string "…", expected x"#
        );
        assert_eq!(
            without_quoted_values("missing field `id`"),
            "missing field `id`"
        );
        // Values from the data between backticks go too.
        for (message, cleaned) in [
            (
                "invalid type: integer `447700900123`, expected a string",
                "invalid type: integer `…`, expected a string",
            ),
            (
                "invalid value: floating point `-51.5074`, expected a string",
                "invalid value: floating point `…`, expected a string",
            ),
            (
                "invalid type: character `A`, expected a string",
                "invalid type: character `…`, expected a string",
            ),
            (
                "unknown variant `ana@example.com`, expected one of `male`, `female`",
                "unknown variant `…`, expected one of `male`, `female`",
            ),
            (
                "unknown field `Ana Doe`, expected `id` or `name`",
                "unknown field `…`, expected `id` or `name`",
            ),
            // What the types say stays, and so does a boolean.
            ("duplicate field `id`", "duplicate field `id`"),
            (
                "invalid type: boolean `true`, expected a string",
                "invalid type: boolean `true`, expected a string",
            ),
            // An unclosed backtick ends the message.
            ("invalid type: integer `44770", "invalid type: integer `…`"),
        ] {
            assert_eq!(without_quoted_values(message), cleaned, "{message}");
        }
    }

    #[test]
    fn rate_limited_display_names_the_wait() {
        let error = Error::RateLimited {
            operation: "create_tasks",
            retry_after: Some(Duration::from_secs(30)),
            attempts: 3,
        };
        assert_eq!(
            error.to_string(),
            "create_tasks: rate limited (HTTP 429) after 3 attempt(s); server asks to wait 30s"
        );
        assert!(error.is_rate_limited());
        assert!(!error.may_exist_on_server());
    }

    #[test]
    fn may_exist_on_server_follows_what_the_server_saw() {
        let timeout = |sent| Error::Timeout {
            operation: "create_task",
            attempts: 1,
            sent,
        };
        let redirect = Error::Redirect {
            operation: "create_task",
            status: 303,
            location: Some("/tasks/t-1".into()),
        };
        let cases = [
            (Error::invalid("content", "must not be empty"), false),
            (api(400, ""), false),
            (api(422, ""), false),
            (api(404, ""), false),
            (api(500, ""), true),
            (api(503, ""), true),
            (api(302, ""), true),
            (redirect, true),
            (timeout(true), true),
            (timeout(false), false),
            (
                Error::ResponseTooLarge {
                    operation: "create_task",
                    limit: 1,
                },
                true,
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(error.may_exist_on_server(), expected, "{error}");
        }
    }

    #[test]
    fn redirect_display_names_the_location() {
        let error = Error::Redirect {
            operation: "create_task",
            status: 303,
            location: Some("/tasks/t-1".into()),
        };
        assert_eq!(
            error.to_string(),
            "create_task: HTTP 303 redirect to /tasks/t-1, not followed"
        );
        assert_eq!(error.status(), Some(303));
    }

    #[test]
    fn a_transport_error_keeps_its_cause_opaque_and_says_where_it_broke() {
        use std::error::Error as _;
        let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = Error::Transport {
            operation: "create_task",
            sent: false,
            connect: true,
            source: Box::new(cause),
        };
        assert!(error.is_connect() && error.is_transport());
        assert!(!error.may_exist_on_server());
        assert_eq!(
            error.to_string(),
            "create_task: transport error (nothing was sent): refused"
        );
        let source = error.source().expect("the cause is kept");
        assert_eq!(
            source
                .downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
        assert!(!api(500, "").is_connect());
        assert!(api(422, "").field_errors().len() == 1);
        assert!(Error::invalid("content", "x").field_errors().is_empty());
    }

    #[test]
    fn invalid_input_names_field_and_rule() {
        let error = Error::invalid("content", "must not be empty");
        assert_eq!(error.to_string(), "invalid content: must not be empty");
        assert!(error.is_invalid_input());
        assert!(!error.may_exist_on_server());
    }
}
