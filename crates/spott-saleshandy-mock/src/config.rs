//! How a mock starts: address, APIs served, accepted keys, faults, seed data.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};

use crate::faults::FaultConfig;
use crate::operation::Api;
use crate::state::DEFAULT_PROSPECTS;
use crate::validate::UnknownFields;

/// Which APIs a mock serves; requests to the other one get 404.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Apis {
    /// Spott and Saleshandy on one port (their paths do not collide).
    #[default]
    Both,
    /// Spott only.
    Spott,
    /// Saleshandy only.
    Saleshandy,
}

impl Apis {
    /// Whether `api` is served.
    pub fn serves(self, api: Api) -> bool {
        match self {
            Apis::Both => true,
            Apis::Spott => api == Api::Spott,
            Apis::Saleshandy => api == Api::Saleshandy,
        }
    }
}

/// Which `x-api-key` values are accepted. `Debug` never prints a key.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum ApiKeys {
    /// Any non-empty key (the default: the header is still required).
    #[default]
    AnyNonEmpty,
    /// Exactly these keys.
    Only(Vec<String>),
}

impl ApiKeys {
    /// Whether `key` is accepted.
    pub fn accepts(&self, key: &str) -> bool {
        match self {
            ApiKeys::AnyNonEmpty => !key.is_empty(),
            ApiKeys::Only(keys) => !key.is_empty() && keys.iter().any(|k| k == key),
        }
    }
}

impl fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiKeys::AnyNonEmpty => f.write_str("AnyNonEmpty"),
            ApiKeys::Only(keys) => write!(f, "Only(<{} redacted>)", keys.len()),
        }
    }
}

/// Everything [`MockServer::start`](crate::MockServer::start) needs. Build it with the
/// methods; the defaults serve both APIs on `127.0.0.1:0` (a free port), accept any non-empty
/// key, inject no faults, seed the demo data and reject unknown request fields.
///
/// ```
/// use spott_saleshandy_mock::{FaultConfig, MockConfig, RateLimit};
///
/// let config = MockConfig::new()
///     .api_key("test-key")
///     .faults(FaultConfig::none().rate_limit(RateLimit::per_minute(100)).seed(7));
/// assert!(format!("{config:?}").contains("redacted"));
/// assert!(!format!("{config:?}").contains("test-key"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MockConfig {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Which APIs to serve.
    pub apis: Apis,
    /// Which keys to accept.
    pub api_keys: ApiKeys,
    /// Random and standing faults at start (changeable while running).
    pub faults: FaultConfig,
    /// Saleshandy prospect ids that exist.
    pub prospects: Vec<String>,
    /// Whether to seed the demo users, clients, stages and candidates.
    pub seed_data: bool,
    /// What request validation does with fields the spec does not define.
    pub unknown_fields: UnknownFields,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            apis: Apis::Both,
            api_keys: ApiKeys::AnyNonEmpty,
            faults: FaultConfig::none(),
            prospects: DEFAULT_PROSPECTS.iter().map(|p| (*p).to_owned()).collect(),
            seed_data: true,
            unknown_fields: UnknownFields::Spec,
        }
    }
}

impl MockConfig {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Listens on `addr`.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Listens on `port` of the current address (127.0.0.1 unless changed).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Serves only these APIs.
    pub fn apis(mut self, apis: Apis) -> Self {
        self.apis = apis;
        self
    }

    /// Accepts `key` (in addition to keys given before; the first call ends "any key").
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        match &mut self.api_keys {
            ApiKeys::Only(keys) => keys.push(key.into()),
            ApiKeys::AnyNonEmpty => self.api_keys = ApiKeys::Only(vec![key.into()]),
        }
        self
    }

    /// Sets the accepted keys.
    pub fn api_keys(mut self, keys: ApiKeys) -> Self {
        self.api_keys = keys;
        self
    }

    /// Sets the faults at start.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Replaces the known Saleshandy prospect ids.
    pub fn prospects<I, S>(mut self, prospects: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.prospects = prospects.into_iter().map(Into::into).collect();
        self
    }

    /// Starts without the demo data (only the API user exists).
    pub fn without_seed_data(mut self) -> Self {
        self.seed_data = false;
        self
    }

    /// Sets what request validation does with unknown fields.
    pub fn unknown_fields(mut self, unknown_fields: UnknownFields) -> Self {
        self.unknown_fields = unknown_fields;
        self
    }
}
