//! Building the API clients from the global options: key, base URL,
//! timeout, retries, or the embedded mock.

use std::time::Duration;

use api_mock::{MockConfig, MockServer};
use client_core::RetryPolicy;

use crate::args::Global;
use crate::exit::Failure;

/// The key the embedded mock accepts.
const MOCK_KEY: &str = "embedded-mock-key";

/// What commands talk to: clients, and the embedded mock kept alive while
/// they run.
pub struct Context {
    global_retries: RetryPolicy,
    timeout: Duration,
    base_url: Option<String>,
    key_file: Option<String>,
    /// The embedded mock, with `--mock`.
    pub mock: Option<MockServer>,
}

impl Context {
    /// Reads the options; starts the embedded mock with `--mock`.
    pub async fn new(global: &Global) -> Result<Self, Failure> {
        let key_file = match &global.api_key_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| Failure::Input(format!("--api-key-file {}: {e}", path.display())))?
                    .trim()
                    .to_owned(),
            ),
            None => None,
        };
        let mock = if global.mock {
            Some(start_mock(MockConfig::new().api_key(MOCK_KEY)).await?)
        } else {
            None
        };
        let retries = if global.no_retry {
            RetryPolicy::disabled()
        } else {
            RetryPolicy::standard().with_max_attempts(global.retries)
        };
        Ok(Self {
            global_retries: retries,
            timeout: Duration::from_secs(global.timeout.max(1)),
            base_url: global.base_url.clone(),
            key_file,
            mock,
        })
    }

    /// A context on the embedded mock, for the demo.
    pub fn on_mock(mock: MockServer) -> Self {
        Self {
            global_retries: RetryPolicy::standard(),
            timeout: Duration::from_secs(30),
            base_url: None,
            key_file: None,
            mock: Some(mock),
        }
    }

    fn configure<A: client_core::Api>(
        &self,
        key_var: &str,
        builder: client_core::ClientBuilder<A>,
    ) -> Result<A, Failure> {
        let mut builder = builder
            .retry_policy(self.global_retries.clone())
            .request_timeout(self.timeout);
        if let Some(mock) = &self.mock {
            builder = builder.api_key(MOCK_KEY).base_url(mock.url());
        } else {
            if let Some(key) = &self.key_file {
                builder = builder.api_key(key.clone());
            } else if std::env::var_os(key_var).is_none() {
                return Err(Failure::Input(format!(
                    "no API key: set {key_var} or pass --api-key-file"
                )));
            }
            if let Some(url) = &self.base_url {
                builder = builder.base_url(url.clone());
            }
        }
        Ok(builder.build()?)
    }

    /// The Spott client.
    pub fn spott(&self) -> Result<spott::Client, Failure> {
        let builder = if self.mock.is_some() || self.key_file.is_some() {
            spott::ClientBuilder::new()
        } else {
            spott::ClientBuilder::from_env()
        };
        self.configure("SPOTT_API_KEY", builder)
    }

    /// The Saleshandy client.
    pub fn saleshandy(&self) -> Result<saleshandy::Client, Failure> {
        let builder = if self.mock.is_some() || self.key_file.is_some() {
            saleshandy::ClientBuilder::new()
        } else {
            saleshandy::ClientBuilder::from_env()
        };
        self.configure("SALESHANDY_API_KEY", builder)
    }
}

/// Starts the embedded mock on 127.0.0.1.
pub async fn start_mock(config: MockConfig) -> Result<MockServer, Failure> {
    MockServer::start(config)
        .await
        .map_err(|e| Failure::Other(format!("could not start the embedded mock: {e}")))
}
