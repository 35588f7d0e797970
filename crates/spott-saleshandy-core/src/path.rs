//! Path parameters are one path segment, always.
//!
//! An id goes into a URL path (`/candidates/{id}`). If it could contain a
//! `/`, a `\` (which URL parsing turns into `/` for `http(s)`), or be `.`
//! or `..` (which URL parsing resolves), a hostile or mistaken id would
//! send the request to another resource: `..\tasks\_raw` as a candidate id
//! would `PATCH /tasks/_raw`. Three layers keep that from happening:
//!
//! 1. [`check_segment`]: the wrappers refuse a blank id, `.` and `..`
//!    before building anything, naming the field;
//! 2. the generated clients percent-encode every byte outside RFC 3986's
//!    unreserved set (`A-Z a-z 0-9 - . _ ~`), `\`, `/`, `%` and `?`
//!    included, so what is left is one literal segment (their
//!    `encode_path_segment`, emitted by `cargo xtask generate`);
//! 3. [`check_request_path`]: right before sending, the request's path must
//!    still have the operation's path template's shape (the literal
//!    segments, one non-empty segment per parameter), whatever built it.

use crate::error::Error;

/// The rule [`check_segment`] enforces, as error text.
pub const ONE_SEGMENT: &str = "must be one path segment, not `.` or `..`";

/// Refuses a path parameter value that cannot be one path segment: blank
/// (only whitespace), `.` or `..`. Every other value is fine; it is
/// percent-encoded on the way out.
///
/// ```
/// use spott_saleshandy_core::path::check_segment;
///
/// assert!(check_segment("candidateId", "cand-1").is_ok());
/// assert!(check_segment("candidateId", r"..\tasks\_raw").is_ok()); // encoded later
/// let error = check_segment("candidateId", "..").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "invalid candidateId: must be one path segment, not `.` or `..`"
/// );
/// assert_eq!(
///     check_segment("candidateId", " ").unwrap_err().to_string(),
///     "invalid candidateId: must not be empty"
/// );
/// ```
pub fn check_segment(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::invalid(field, "must not be empty"))
    } else if value == "." || value == ".." {
        Err(Error::invalid(field, ONE_SEGMENT))
    } else {
        Ok(())
    }
}

/// Checks that `path` (a request URL's path, already parsed, so `.` and
/// `..` are resolved) is `base_path` followed by `template`'s shape: each
/// literal segment as written, each `{parameter}` one non-empty segment.
///
/// On a mismatch, returns the [`Error::InvalidInput`] naming the
/// template's parameters.
///
/// ```
/// use spott_saleshandy_core::path::check_request_path;
///
/// assert!(check_request_path("", "/candidates/{id}", "/candidates/c%2F1").is_ok());
/// assert!(check_request_path("/spott", "/candidates/{id}", "/spott/candidates/c1").is_ok());
/// // `..\tasks\_raw` unencoded: parsed into another resource.
/// let error = check_request_path("", "/candidates/{id}", "/tasks/_raw").unwrap_err();
/// assert!(error.to_string().starts_with("invalid id: must be one path segment"));
/// // `.`: parsed into an empty segment.
/// assert!(check_request_path("", "/candidates/{id}", "/candidates/").is_err());
/// ```
pub fn check_request_path(base_path: &str, template: &str, path: &str) -> Result<(), Error> {
    let mismatch = || {
        let names: Vec<&str> = template
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let field = if names.is_empty() {
            "path".to_owned()
        } else {
            names.join(", ")
        };
        Error::invalid(field, ONE_SEGMENT)
    };
    let rest = path
        .strip_prefix(base_path.trim_end_matches('/'))
        .ok_or_else(mismatch)?;
    let mut actual = rest.split('/');
    let mut expected = template.split('/');
    loop {
        match (expected.next(), actual.next()) {
            (None, None) => return Ok(()),
            (Some(want), Some(got)) => {
                let is_parameter = want.starts_with('{') && want.ends_with('}');
                let fits = if is_parameter {
                    !got.is_empty() && got != "." && got != ".."
                } else {
                    want == got
                };
                if !fits {
                    return Err(mismatch());
                }
            }
            _ => return Err(mismatch()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_dot_and_dot_dot_are_refused_with_the_field() {
        for (value, rule) in [
            ("", "must not be empty"),
            (" ", "must not be empty"),
            ("\t", "must not be empty"),
            (".", ONE_SEGMENT),
            ("..", ONE_SEGMENT),
        ] {
            match check_segment("clientId", value) {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "clientId");
                    assert_eq!(reason, rule);
                }
                other => panic!("{value:?}: {other:?}"),
            }
        }
        for value in ["...", ".a", "a.", "a..b", " . ", "%2e", "%2E%2E"] {
            assert!(check_segment("clientId", value).is_ok(), "{value:?}");
        }
    }

    #[test]
    fn escapes_of_the_template_are_caught() {
        let cases = [
            ("/tasks/_raw", "/candidates/{id}"),
            ("/", "/candidates/{id}"),
            ("/candidates/", "/candidates/{id}"),
            ("/candidates/a/b", "/candidates/{id}"),
            ("/clients/tasks/_raw", "/clients/contacts/{id}"),
            ("/other/tasks/_raw", "/tasks/_raw"),
        ];
        for (path, template) in cases {
            assert!(
                check_request_path("", template, path).is_err(),
                "{path} fits {template}"
            );
        }
        let error = check_request_path("/base", "/a/{x}/b/{y}", "/a/1/b").unwrap_err();
        assert_eq!(error.to_string(), format!("invalid x, y: {ONE_SEGMENT}"));
    }
}
