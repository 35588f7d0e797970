//! The base URL a client sends requests to, checked so that the API key is
//! never sent in clear text over the network.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use url::{Host, Url};

/// A validated base URL.
///
/// The rules:
/// - `https://` is allowed for any host;
/// - `http://` only for loopback hosts (`127.0.0.0/8`, `[::1]`, `localhost`),
///   for the mock server and local proxies; anywhere else it would send the
///   API key unencrypted;
/// - no other scheme, no `user:password@`, no `?query`, no `#fragment`
///   (paths are appended to the base URL, which would corrupt them, and
///   credentials belong in the API key).
///
/// A path is kept (`https://proxy.example/spott`). [`BaseUrl::as_str`] has no
/// trailing slash, so it can be handed to a progenitor client, which appends
/// `/path` to it.
///
/// ```
/// use spott_saleshandy_core::BaseUrl;
///
/// let url: BaseUrl = "https://api.gospott.com/".parse().unwrap();
/// assert_eq!(url.as_str(), "https://api.gospott.com");
///
/// assert!("http://127.0.0.1:8080".parse::<BaseUrl>().is_ok());
/// let err = "http://api.gospott.com".parse::<BaseUrl>().unwrap_err();
/// assert!(err.to_string().contains("http:// is only allowed for loopback hosts"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    url: Url,
    /// `url` serialized without a trailing slash.
    prefix: String,
}

impl BaseUrl {
    /// Parses and checks `input` against the rules above.
    pub fn parse(input: &str) -> Result<Self, InvalidBaseUrl> {
        let url = Url::parse(input).map_err(InvalidBaseUrl::NotAUrl)?;
        Self::from_url(url)
    }

    /// Checks an already parsed URL against the rules above.
    pub fn from_url(url: Url) -> Result<Self, InvalidBaseUrl> {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(InvalidBaseUrl::Credentials);
        }
        if url.query().is_some() {
            return Err(InvalidBaseUrl::Query);
        }
        if url.fragment().is_some() {
            return Err(InvalidBaseUrl::Fragment);
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                if !url.host().is_some_and(|host| is_loopback(&host)) {
                    return Err(InvalidBaseUrl::PlainHttp {
                        host: url.host_str().unwrap_or_default().to_owned(),
                    });
                }
            }
            other => {
                return Err(InvalidBaseUrl::Scheme {
                    scheme: other.to_owned(),
                });
            }
        }
        let prefix = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { url, prefix })
    }

    /// The URL without a trailing slash, ready to have `/path` appended.
    pub fn as_str(&self) -> &str {
        &self.prefix
    }

    /// The parsed URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether requests go out over TLS (`false` only for loopback `http://`).
    pub fn is_https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// This URL without `suffix` (`/v1`) at the end of its path, when its
    /// path ends with exactly those segments; otherwise unchanged.
    ///
    /// ```
    /// use spott_saleshandy_core::BaseUrl;
    ///
    /// let url = BaseUrl::parse("https://open-api.saleshandy.com/v1/").unwrap();
    /// assert_eq!(url.without_path_suffix("/v1").as_str(), "https://open-api.saleshandy.com");
    /// let proxy = BaseUrl::parse("https://proxy.example/apiv1").unwrap();
    /// assert_eq!(proxy.without_path_suffix("/v1").as_str(), "https://proxy.example/apiv1");
    /// ```
    pub fn without_path_suffix(self, suffix: &str) -> Self {
        let path = self.url.path().trim_end_matches('/');
        if suffix.is_empty() || !path.ends_with(suffix) {
            return self;
        }
        let kept = &path[..path.len() - suffix.len()];
        if !kept.is_empty() && !kept.ends_with('/') && !suffix.starts_with('/') {
            return self;
        }
        let mut url = self.url.clone();
        url.set_path(if kept.is_empty() { "/" } else { kept });
        Self::from_url(url).unwrap_or(self)
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `[::1]`,
    /// `localhost`): the only hosts plain HTTP may go to, and never through
    /// a proxy.
    pub fn is_loopback(&self) -> bool {
        self.url.host().is_some_and(|host| is_loopback(&host))
    }
}

/// `localhost`, `127.0.0.0/8` or `::1`. Other names that may resolve to a
/// loopback address are not trusted: resolution is not ours to check.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => *name == "localhost",
        Host::Ipv4(ip) => Ipv4Addr::is_loopback(ip),
        Host::Ipv6(ip) => *ip == Ipv6Addr::LOCALHOST,
    }
}

impl FromStr for BaseUrl {
    type Err = InvalidBaseUrl;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for BaseUrl {
    type Error = InvalidBaseUrl;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<Url> for BaseUrl {
    type Error = InvalidBaseUrl;

    fn try_from(value: Url) -> Result<Self, Self::Error> {
        Self::from_url(value)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.prefix)
    }
}

/// Why a base URL was rejected. Messages never repeat the URL itself, which
/// could hold credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidBaseUrl {
    /// The text is not a URL at all.
    NotAUrl(url::ParseError),
    /// A scheme other than `https` or `http`.
    Scheme {
        /// The rejected scheme.
        scheme: String,
    },
    /// `http://` to a host that is not loopback.
    PlainHttp {
        /// The host that would have received the API key unencrypted.
        host: String,
    },
    /// `user:password@` in the URL.
    Credentials,
    /// A `?query`, even an empty one.
    Query,
    /// A `#fragment`, even an empty one.
    Fragment,
}

// Display by hand, not thiserror: see `InvalidApiKey`.
impl fmt::Display for InvalidBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAUrl(error) => write!(f, "base URL is not a valid absolute URL: {error}"),
            Self::Scheme { scheme } => write!(
                f,
                "base URL scheme must be https:// (or http:// for loopback hosts), not {scheme}://"
            ),
            Self::PlainHttp { host } => write!(
                f,
                "base URL uses plain http:// for {host}; http:// is only allowed for loopback hosts \
                 (127.0.0.0/8, [::1], localhost), use https://"
            ),
            Self::Credentials => f.write_str(
                "base URL must not contain a user name or password; the API key is sent separately",
            ),
            Self::Query => f.write_str(
                "base URL must not contain a query (?...): request paths are appended to it",
            ),
            Self::Fragment => f.write_str(
                "base URL must not contain a fragment (#...): request paths are appended to it",
            ),
        }
    }
}

impl std::error::Error for InvalidBaseUrl {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::NotAUrl(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_urls_and_their_prefix() {
        let cases = [
            ("https://api.gospott.com", "https://api.gospott.com"),
            ("https://api.gospott.com/", "https://api.gospott.com"),
            (
                "https://open-api.saleshandy.com/v1/",
                "https://open-api.saleshandy.com/v1",
            ),
            ("HTTPS://API.Example.COM", "https://api.example.com"),
            (
                "https://example.com:8443/proxy/spott",
                "https://example.com:8443/proxy/spott",
            ),
            ("https://10.0.0.1", "https://10.0.0.1"),
            ("  https://example.com  ", "https://example.com"),
            ("http://localhost", "http://localhost"),
            ("http://LOCALHOST:3000/", "http://localhost:3000"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.255.0.9/mock", "http://127.255.0.9/mock"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("http://[0:0:0:0:0:0:0:1]", "http://[::1]"),
        ];
        for (input, prefix) in cases {
            let url = BaseUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(url.as_str(), prefix, "{input}");
            assert_eq!(url.to_string(), prefix, "{input}");
            assert_eq!(url.is_https(), prefix.starts_with("https"), "{input}");
        }
    }

    #[test]
    fn rejected_urls_name_the_rule() {
        let plain = |host: &str| InvalidBaseUrl::PlainHttp { host: host.into() };
        let scheme = |s: &str| InvalidBaseUrl::Scheme { scheme: s.into() };
        let cases = [
            ("http://api.gospott.com", plain("api.gospott.com")),
            ("http://10.0.0.1", plain("10.0.0.1")),
            ("http://128.0.0.1", plain("128.0.0.1")),
            ("http://0.0.0.0", plain("0.0.0.0")),
            ("http://[::ffff:127.0.0.1]", plain("[::ffff:7f00:1]")),
            ("http://[::2]", plain("[::2]")),
            ("http://localhost.", plain("localhost.")),
            ("http://localhost.evil.com", plain("localhost.evil.com")),
            ("http://app.localhost", plain("app.localhost")),
            ("ftp://example.com", scheme("ftp")),
            ("ws://localhost", scheme("ws")),
            ("file:///etc/passwd", scheme("file")),
            ("mailto:someone@example.com", scheme("mailto")),
            (
                "https://user:secret@example.com",
                InvalidBaseUrl::Credentials,
            ),
            ("https://user@example.com", InvalidBaseUrl::Credentials),
            ("http://:secret@localhost", InvalidBaseUrl::Credentials),
            ("https://example.com/?key=1", InvalidBaseUrl::Query),
            ("https://example.com?", InvalidBaseUrl::Query),
            ("https://example.com/#top", InvalidBaseUrl::Fragment),
            ("https://example.com#", InvalidBaseUrl::Fragment),
        ];
        for (input, expected) in cases {
            assert_eq!(BaseUrl::parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn unparseable_text_is_not_a_url() {
        for input in [
            "",
            "api.gospott.com",
            "/v1",
            "https://",
            "https://exa mple.com",
            "http://[::1",
        ] {
            let err = BaseUrl::parse(input).unwrap_err();
            assert!(
                matches!(err, InvalidBaseUrl::NotAUrl(_)),
                "{input}: {err:?}"
            );
            assert!(
                err.to_string()
                    .starts_with("base URL is not a valid absolute URL")
            );
        }
    }

    #[test]
    fn errors_do_not_repeat_credentials() {
        let err = BaseUrl::parse("http://user:hunter2@example.com").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{err:?}").contains("hunter2"));
        let err = BaseUrl::parse("https://example.com/?api_key=hunter2").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn messages_say_what_to_do() {
        let cases = [
            (
                "http://api.gospott.com",
                "base URL uses plain http:// for api.gospott.com; http:// is only allowed for \
                 loopback hosts (127.0.0.0/8, [::1], localhost), use https://",
            ),
            (
                "ftp://example.com",
                "base URL scheme must be https:// (or http:// for loopback hosts), not ftp://",
            ),
        ];
        for (input, message) in cases {
            assert_eq!(BaseUrl::parse(input).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn parses_through_std_traits() {
        let url = Url::parse("https://example.com/v1").unwrap();
        let from_url = BaseUrl::try_from(url.clone()).unwrap();
        assert_eq!(from_url.url(), &url);
        assert_eq!(
            BaseUrl::try_from("https://example.com/v1").unwrap(),
            from_url
        );
        assert_eq!(
            "https://example.com/v1".parse::<BaseUrl>().unwrap(),
            from_url
        );
    }
}
