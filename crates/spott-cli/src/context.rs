//! Building the API clients from the global options: key, base URL,
//! timeout, retries, or the embedded mock.

use std::time::Duration;

use spott_saleshandy_core::RetryPolicy;
#[cfg(feature = "mock")]
use spott_saleshandy_mock::{MockConfig, MockServer};

/// Without the embedded mock (cargo feature `mock`) there is no server to
/// hold: a value of this type cannot exist.
#[cfg(not(feature = "mock"))]
type MockServer = std::convert::Infallible;

use crate::args::Global;
use crate::exit::Failure;

/// The key the embedded mock accepts, and the one the CLI sends it.
pub const MOCK_KEY: &str = "embedded-mock-key";

/// Where the API key comes from.
enum KeySource {
    /// The API's variable (`SPOTT_API_KEY`, `SALESHANDY_API_KEY`).
    Environment,
    /// `--api-key-file`, read once.
    File(String),
    /// The embedded mock's key.
    Mock,
}

/// What commands talk to: clients configured from the global options, and
/// the embedded mock kept alive while they run.
pub struct Context {
    retries: RetryPolicy,
    timeout: Duration,
    base_url: Option<String>,
    key: KeySource,
    mock: Option<MockServer>,
}

impl Context {
    /// Reads the options; starts the embedded mock with `--mock`.
    pub async fn new(global: &Global) -> Result<Self, Failure> {
        let key = match (&global.api_key_file, global.mock) {
            (_, true) => KeySource::Mock,
            (Some(path), false) => {
                let shown = path.display();
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::Input(format!("--api-key-file {shown}: {e}")))?;
                let key = text.trim();
                if key.is_empty() {
                    return Err(Failure::Input(format!(
                        "--api-key-file {shown}: the file holds no key"
                    )));
                }
                KeySource::File(key.to_owned())
            }
            (None, false) => KeySource::Environment,
        };
        let mock = if global.mock {
            Some(start_default_mock().await?)
        } else {
            None
        };
        let retries = match (global.no_retry, global.retries) {
            (true, _) => RetryPolicy::disabled(),
            (false, Some(retries)) => {
                RetryPolicy::standard().with_max_attempts(retries.saturating_add(1))
            }
            (false, None) => RetryPolicy::standard(),
        };
        Ok(Self {
            retries,
            timeout: global.timeout,
            base_url: global.base_url.clone(),
            key,
            mock,
        })
    }

    /// A context on a running mock with the default policy, for the demo.
    #[cfg(feature = "mock")]
    pub fn on_mock(mock: MockServer) -> Self {
        Self {
            retries: RetryPolicy::standard(),
            timeout: Duration::from_secs(30),
            base_url: None,
            key: KeySource::Mock,
            mock: Some(mock),
        }
    }

    fn configure<A: spott_saleshandy_core::Api>(
        &self,
        key_var: &str,
        from_env: spott_saleshandy_core::ClientBuilder<A>,
    ) -> Result<A, Failure> {
        let mut builder = match &self.key {
            KeySource::Environment => {
                if std::env::var_os(key_var).is_none() {
                    return Err(Failure::Input(format!(
                        "no API key: set {key_var} or pass --api-key-file"
                    )));
                }
                from_env
            }
            // Still from the environment for the base URL variable.
            KeySource::File(key) => from_env.api_key(key.clone()),
            KeySource::Mock => spott_saleshandy_core::ClientBuilder::new().api_key(MOCK_KEY),
        };
        builder = builder
            .retry_policy(self.retries.clone())
            .request_timeout(self.timeout);
        if let Some(mock) = &self.mock {
            builder = builder.base_url(mock_url(mock));
        } else if let Some(url) = &self.base_url {
            builder = builder.base_url(url.clone());
        }
        Ok(builder.build()?)
    }

    /// The Spott client.
    pub fn spott(&self) -> Result<spott::Client, Failure> {
        self.configure("SPOTT_API_KEY", spott::ClientBuilder::from_env())
    }

    /// The Saleshandy client.
    pub fn saleshandy(&self) -> Result<saleshandy::Client, Failure> {
        self.configure("SALESHANDY_API_KEY", saleshandy::ClientBuilder::from_env())
    }
}

/// The embedded mock with the key the CLI sends it, for `--mock`.
#[cfg(feature = "mock")]
async fn start_default_mock() -> Result<MockServer, Failure> {
    start_mock(MockConfig::new().api_key(MOCK_KEY)).await
}

#[cfg(not(feature = "mock"))]
async fn start_default_mock() -> Result<MockServer, Failure> {
    Err(no_mock("--mock"))
}

#[cfg(feature = "mock")]
fn mock_url(mock: &MockServer) -> String {
    mock.url()
}

#[cfg(not(feature = "mock"))]
fn mock_url(mock: &MockServer) -> String {
    match *mock {}
}

/// What `what` answers in a build without the embedded mock.
#[cfg(not(feature = "mock"))]
pub fn no_mock(what: &str) -> Failure {
    Failure::Input(format!(
        "{what} needs the embedded mock server, which this build of spott leaves out: \
         install it with its default features (cargo feature `mock`)"
    ))
}

/// Starts the embedded mock on 127.0.0.1.
#[cfg(feature = "mock")]
pub async fn start_mock(config: MockConfig) -> Result<MockServer, Failure> {
    MockServer::start(config)
        .await
        .map_err(|e| Failure::Other(format!("could not start the embedded mock: {e}")))
}
