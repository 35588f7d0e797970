//! The API key: a secret that is validated once and never printed.

use std::fmt;
use std::str::FromStr;

use reqwest::header::{HeaderName, HeaderValue};

/// The header both APIs read the key from (`securitySchemes.apiKey` in `spec/`).
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// What `Debug` and `Display` print instead of the key.
const REDACTED: &str = "ApiKey(***)";

/// An API key for the `x-api-key` header.
///
/// The key is checked when the value is built, so a client holding an
/// `ApiKey` can always send it: it is not empty, has no whitespace around it,
/// and every character is one an HTTP header value may carry.
///
/// `Debug` and `Display` print `ApiKey(***)`, errors never quote the key, and
/// the type deliberately implements neither `Serialize` nor `PartialEq`. The
/// only way to read the key back is [`ApiKey::expose_secret`], named so that
/// every use stands out in review.
///
/// ```
/// use spott_saleshandy_core::ApiKey;
///
/// let key = ApiKey::new("sk_live_123").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiKey(***)");
/// assert_eq!(key.to_string(), "ApiKey(***)");
/// assert!(key.header_value().is_sensitive());
///
/// let err = ApiKey::new("   ").unwrap_err();
/// assert_eq!(err.to_string(), "invalid api_key: it contains only whitespace");
/// ```
#[derive(Clone)]
pub struct ApiKey {
    secret: Box<str>,
    /// Built once at construction, already marked sensitive, so sending the
    /// key can never fail later.
    header: HeaderValue,
}

impl ApiKey {
    /// Validates `value` as an API key; errors name the field `api_key`.
    ///
    /// Use [`ApiKey::for_field`] when the key came from somewhere with a
    /// better name, such as an environment variable.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidApiKey> {
        Self::for_field("api_key", value)
    }

    /// Validates `value` as an API key; errors name `field` (for example
    /// `"SPOTT_API_KEY"`) so the user knows which setting to fix.
    ///
    /// ```
    /// use spott_saleshandy_core::ApiKey;
    ///
    /// let err = ApiKey::for_field("SPOTT_API_KEY", "key\n").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid SPOTT_API_KEY: it has whitespace before or after it"
    /// );
    /// ```
    pub fn for_field(field: &'static str, value: impl Into<String>) -> Result<Self, InvalidApiKey> {
        let value = value.into();
        let problem = |problem| InvalidApiKey { field, problem };
        if value.is_empty() {
            return Err(problem(ApiKeyProblem::Empty));
        }
        if value.trim().is_empty() {
            return Err(problem(ApiKeyProblem::OnlyWhitespace));
        }
        if value.trim() != value {
            return Err(problem(ApiKeyProblem::SurroundingWhitespace));
        }
        if let Some(position) = value.chars().position(|c| !is_header_value_char(c)) {
            return Err(problem(ApiKeyProblem::InvalidCharacter {
                position: position + 1,
            }));
        }
        // Every character is visible ASCII, space or tab, which is exactly
        // what `HeaderValue` accepts; the error arm is defensive only.
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| problem(ApiKeyProblem::InvalidCharacter { position: 1 }))?;
        header.set_sensitive(true);
        Ok(Self {
            secret: value.into_boxed_str(),
            header,
        })
    }

    /// The key as a header value for [`API_KEY_HEADER`], marked sensitive so
    /// that `reqwest`/`hyper` keep it out of their own debug output and HTTP/2
    /// header compression tables.
    pub fn header_value(&self) -> HeaderValue {
        self.header.clone()
    }

    /// The key itself. Every call is a place where the secret leaves this
    /// type; keep them few and never log the result.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }
}

/// Visible ASCII, space and tab: the characters RFC 9110 allows in a field
/// value, minus `obs-text` (bytes above 0x7F), which servers treat
/// inconsistently and no real key contains.
fn is_header_value_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '!'..='~')
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl FromStr for ApiKey {
    type Err = InvalidApiKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for ApiKey {
    type Error = InvalidApiKey;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for ApiKey {
    type Error = InvalidApiKey;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

/// A value that cannot be used as an API key. Names the field, never
/// quotes the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidApiKey {
    field: &'static str,
    problem: ApiKeyProblem,
}

impl InvalidApiKey {
    /// The setting the key came from, e.g. `api_key` or `SPOTT_API_KEY`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// What is wrong with the value.
    pub fn problem(&self) -> ApiKeyProblem {
        self.problem
    }
}

/// Why a value was rejected as an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyProblem {
    /// The value is the empty string.
    Empty,
    /// The value is nothing but spaces, tabs or newlines.
    OnlyWhitespace,
    /// The value starts or ends with whitespace (often a trailing newline
    /// from a file or a copy-paste). HTTP strips it, so the server would see
    /// a different key.
    SurroundingWhitespace,
    /// A character that cannot be sent in an HTTP header value (a control
    /// character or non-ASCII). Only its 1-based position is reported.
    InvalidCharacter {
        /// 1-based position of the first offending character.
        position: usize,
    },
}

// Display by hand, not thiserror: these few messages are not worth two
// more crates (the derive and its runtime) in every user's build.
impl fmt::Display for InvalidApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field, self.problem)
    }
}

impl std::error::Error for InvalidApiKey {}

impl fmt::Display for ApiKeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::OnlyWhitespace => f.write_str("it contains only whitespace"),
            Self::SurroundingWhitespace => f.write_str("it has whitespace before or after it"),
            Self::InvalidCharacter { position } => write!(
                f,
                "character {position} cannot be sent in an HTTP header (only visible ASCII is allowed)"
            ),
        }
    }
}

impl std::error::Error for ApiKeyProblem {}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "SENTINEL-key-9f8e7d";

    #[test]
    fn accepts_ordinary_keys() {
        for value in [
            "a",
            SENTINEL,
            "sk_live_ABCdef0123456789",
            "key with inner space",
            "key\twith\ttab",
            "!#$%&'*+-.^_`|~",
        ] {
            let key = ApiKey::new(value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
            assert_eq!(key.expose_secret(), value);
            assert_eq!(key.header_value().as_bytes(), value.as_bytes());
        }
    }

    #[test]
    fn rejects_unusable_values() {
        use ApiKeyProblem::*;
        let cases: &[(&str, ApiKeyProblem)] = &[
            ("", Empty),
            (" ", OnlyWhitespace),
            ("\t\n \r", OnlyWhitespace),
            (" key", SurroundingWhitespace),
            ("key\n", SurroundingWhitespace),
            ("key\r\n", SurroundingWhitespace),
            ("ke\ny", InvalidCharacter { position: 3 }),
            ("k\0ey", InvalidCharacter { position: 2 }),
            ("key\u{7f}x", InvalidCharacter { position: 4 }),
            ("clé", InvalidCharacter { position: 3 }),
            ("🔑", InvalidCharacter { position: 1 }),
        ];
        for (value, expected) in cases {
            let err = ApiKey::new(*value).expect_err(value);
            assert_eq!(err.problem(), *expected, "{value:?}");
            assert_eq!(err.field(), "api_key");
        }
    }

    #[test]
    fn errors_name_the_field_and_never_the_value() {
        let cases = [
            (
                format!("{SENTINEL}\n"),
                "invalid SPOTT_API_KEY: it has whitespace before or after it",
            ),
            (
                format!("{SENTINEL}\u{1}"),
                "invalid SPOTT_API_KEY: character 20 cannot be sent in an HTTP header (only visible ASCII is allowed)",
            ),
        ];
        for (value, message) in cases {
            let err = ApiKey::for_field("SPOTT_API_KEY", value).unwrap_err();
            assert_eq!(err.to_string(), message);
            assert!(!format!("{err:?}").contains(SENTINEL));
        }
    }

    #[test]
    fn debug_and_display_redact() {
        let key = ApiKey::new(SENTINEL).unwrap();
        for printed in [
            format!("{key:?}"),
            format!("{key:#?}"),
            format!("{key}"),
            format!("{:?}", Some(key.clone())),
        ] {
            assert!(!printed.contains(SENTINEL), "{printed}");
            assert!(printed.contains("ApiKey(***)"), "{printed}");
        }
    }

    #[test]
    fn header_value_is_sensitive_and_hidden_from_its_debug() {
        let value = ApiKey::new(SENTINEL).unwrap().header_value();
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains(SENTINEL));
        assert_eq!(API_KEY_HEADER.as_str(), "x-api-key");
    }

    #[test]
    fn parses_through_std_traits() {
        let from_str: ApiKey = SENTINEL.parse().unwrap();
        let from_string = ApiKey::try_from(SENTINEL.to_owned()).unwrap();
        let from_ref = ApiKey::try_from(SENTINEL).unwrap();
        for key in [from_str, from_string, from_ref] {
            assert_eq!(key.expose_secret(), SENTINEL);
        }
        assert!("".parse::<ApiKey>().is_err());
    }
}
