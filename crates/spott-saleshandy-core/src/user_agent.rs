//! The default `User-Agent` header value.

/// `<crate_name>/<crate_version>`, the product token (RFC 9110 §10.1.5)
/// a wrapper sends by default.
///
/// Characters a product token may not contain (spaces, `/`, control
/// characters, non-ASCII) become `-`, and an empty part becomes `unknown`,
/// so the result is always a valid header value. [`default_user_agent!`](crate::default_user_agent!)
/// fills in the calling crate's own name and version.
///
/// ```
/// assert_eq!(spott_saleshandy_core::user_agent("spott", "0.1.0"), "spott/0.1.0");
/// assert_eq!(spott_saleshandy_core::user_agent("my crate", "1.0.0+build.5"), "my-crate/1.0.0+build.5");
/// ```
pub fn user_agent(crate_name: &str, crate_version: &str) -> String {
    format!("{}/{}", token(crate_name), token(crate_version))
}

/// `part` with every non-`tchar` replaced by `-`.
fn token(part: &str) -> String {
    if part.is_empty() {
        return "unknown".to_owned();
    }
    part.chars()
        .map(|c| if is_tchar(c) { c } else { '-' })
        .collect()
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// [`user_agent`] for the crate this macro is called from, using its
/// `CARGO_PKG_NAME` and `CARGO_PKG_VERSION`.
///
/// ```
/// // In a doctest of this crate, "the calling crate" is spott-saleshandy-core.
/// let agent = spott_saleshandy_core::default_user_agent!();
/// assert_eq!(agent, concat!("spott-saleshandy-core/", env!("CARGO_PKG_VERSION")));
/// ```
#[macro_export]
macro_rules! default_user_agent {
    () => {
        $crate::user_agent(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn product_tokens() {
        let cases = [
            ("spott", "0.1.0", "spott/0.1.0"),
            (
                "saleshandy",
                "1.2.3-rc.1+sha.abc",
                "saleshandy/1.2.3-rc.1+sha.abc",
            ),
            (
                "spott_saleshandy_core",
                "0.1.0",
                "spott_saleshandy_core/0.1.0",
            ),
            ("a/b", "1", "a-b/1"),
            ("name with spaces", "1 2", "name-with-spaces/1-2"),
            ("ctl\r\nInjected: yes", "1", "ctl--Injected--yes/1"),
            ("ünïcode", "1", "-n-code/1"),
            ("", "", "unknown/unknown"),
        ];
        for (name, version, expected) in cases {
            let agent = user_agent(name, version);
            assert_eq!(agent, expected);
            assert!(HeaderValue::from_str(&agent).is_ok(), "{agent:?}");
        }
    }

    #[test]
    fn macro_uses_the_calling_crate() {
        assert_eq!(
            default_user_agent!(),
            format!("spott-saleshandy-core/{}", env!("CARGO_PKG_VERSION"))
        );
    }
}
