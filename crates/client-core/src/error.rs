//! The one error type both wrappers return.

use std::time::Duration;

/// Everything that can go wrong in a call, by what the caller can do
/// about it. `Display` is one short line with no secret in it: the API key
/// never reaches an error, and response bodies are kept in a field, not
/// printed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error("{operation}: HTTP {status}{}", describe_api(message.as_deref(), codes, request_id.as_deref()))]
    Api {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body's `message`, when it has one.
        message: Option<String>,
        /// The body's error codes (`errors[].code`), when it has any.
        codes: Vec<String>,
        /// The body's request id (`requestId`), to quote to support.
        request_id: Option<String>,
        /// The raw body, lossily decoded, at most [`MAX_KEPT_BODY`] bytes.
        body: String,
    },
    /// The server kept answering 429 and the retry policy gave up.
    #[error("{operation}: rate limited (HTTP 429) after {attempts} attempt(s){}", retry_after.map(|d| format!("; server asks to wait {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The wait the last 429 asked for, if it said.
        retry_after: Option<Duration>,
        /// Attempts made.
        attempts: u32,
    },
    /// No complete response in time. For a create, the request may have
    /// been processed: check before sending it again.
    #[error("{operation}: timed out after {attempts} attempt(s)")]
    Timeout {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
    },
    /// The connection failed or broke.
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// The operation (`operationId`).
        operation: &'static str,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
    },
    /// The response did not match the documented shape.
    #[error("{operation}: unexpected response body at `{path}`: {message}")]
    Decode {
        /// The operation (`operationId`).
        operation: &'static str,
        /// Where in the body decoding failed (`links.candidates[0].id`), or
        /// `.` for the whole body.
        path: String,
        /// What was wrong there.
        message: String,
        /// The start of the body, at most [`SNIPPET_CHARS`] characters.
        snippet: String,
    },
    /// The response body was larger than the configured limit.
    #[error("{operation}: response body exceeds the {limit}-byte limit")]
    ResponseTooLarge {
        /// The operation (`operationId`).
        operation: &'static str,
        /// The limit in bytes.
        limit: u64,
    },
    /// The input breaks a documented rule; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, as the API names it (`content`, `prospectIds[1]`).
        field: String,
        /// The rule it breaks.
        reason: String,
    },
    /// The client is configured wrongly (key, base URL, timeouts).
    #[error("invalid configuration {setting}: {reason}")]
    Config {
        /// The setting (`SPOTT_API_KEY`, `base_url`).
        setting: String,
        /// The rule it breaks.
        reason: String,
    },
}

/// How much of an error body [`Error::Api`] keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// How many characters of a body [`Error::Decode`] keeps.
pub const SNIPPET_CHARS: usize = 200;

fn describe_api(message: Option<&str>, codes: &[String], request_id: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(message) = message {
        text.push_str(": ");
        text.push_str(message);
    }
    if !codes.is_empty() {
        text.push_str(&format!(" [{}]", codes.join(", ")));
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

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_is_one_useful_line_without_the_body() {
        let error = Error::Api {
            operation: "create_task",
            status: 422,
            message: Some("Validation failed".into()),
            codes: vec!["invalid_type".into()],
            request_id: Some("req-1".into()),
            body: "{\"secret-ish\": true}".into(),
        };
        assert_eq!(
            error.to_string(),
            "create_task: HTTP 422: Validation failed [invalid_type] (request id req-1)"
        );
        assert_eq!(error.status(), Some(422));
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
    }

    #[test]
    fn invalid_input_names_field_and_rule() {
        let error = Error::invalid("content", "must not be empty");
        assert_eq!(error.to_string(), "invalid content: must not be empty");
        assert!(error.is_invalid_input());
    }
}
