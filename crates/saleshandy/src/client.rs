//! The Saleshandy client.

use std::fmt;

use saleshandy_openapi::{ClientInfo, Hooks};
use spott_saleshandy_core::{Api, CallOptions, Connection, Error};

use crate::exec::PolicyExec;
#[cfg(feature = "tasks")]
use crate::tasks::{NewTasks, TaskResults};

/// Configures a [`Client`]: base URL, timeouts, retries, user agent, HTTP
/// client, response-size limit. See [`spott_saleshandy_core::ClientBuilder`].
pub type ClientBuilder = spott_saleshandy_core::ClientBuilder<Client>;

/// A Saleshandy Open API client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    raw: saleshandy_openapi::Client,
    /// The same connection, for calls by operation id.
    sender: spott_saleshandy_core::dynamic::Sender,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.raw.baseurl())
            .finish_non_exhaustive()
    }
}

impl Api for Client {
    const DEFAULT_BASE_URL: &'static str = "https://open-api.saleshandy.com";
    const API_KEY_VAR: &'static str = "SALESHANDY_API_KEY";
    const BASE_URL_VAR: &'static str = "SALESHANDY_BASE_URL";

    fn default_user_agent() -> String {
        spott_saleshandy_core::user_agent(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    fn operation_paths() -> Vec<&'static str> {
        saleshandy_openapi::OPERATIONS
            .iter()
            .map(|operation| operation.path)
            .collect()
    }

    fn from_connection(connection: Connection) -> Self {
        Self::assemble(connection, CallOptions::new())
    }
}

impl Client {
    /// The client over `connection`, every call sent with `options`' extra
    /// headers (their retry and timeout settings are in `connection`).
    fn assemble(connection: Connection, options: CallOptions) -> Self {
        let hooks = Hooks::new(PolicyExec(connection.settings.clone(), options.clone()));
        Self {
            raw: saleshandy_openapi::Client::new_with_client(
                connection.base_url.as_str(),
                connection.http.clone(),
                hooks,
            ),
            sender: spott_saleshandy_core::dynamic::Sender {
                http: connection.http,
                base_url: connection.base_url,
                settings: connection.settings,
                encode: saleshandy_openapi::encode_path_segment,
                options,
            },
        }
    }

    /// A copy of this client (same connections) whose calls use `options`
    /// over its own settings: a retry policy, a per-attempt timeout, extra
    /// headers. Every call of the copy (the typed methods, [`Client::call`],
    /// [`Client::call_json`], the typed lists) uses them; this client is
    /// unchanged. Options given to a copy's `with_options` add to its own.
    /// A refused option (the `x-api-key` header, a zero timeout) fails each
    /// call with [`Error::InvalidInput`] naming it, nothing sent.
    ///
    /// ```
    /// use std::time::Duration;
    /// use saleshandy::{CallOptions, RetryPolicy};
    ///
    /// let client = saleshandy::Client::new("my-key").unwrap();
    /// let patient = client.with_options(
    ///     CallOptions::new()
    ///         .request_timeout(Duration::from_secs(90))
    ///         .retry_policy(RetryPolicy::standard().with_create_retries(true))
    ///         .header("x-correlation-id", "import-42"),
    /// );
    /// # let _ = patient;
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Self {
        let options = self.sender.options.merged(options);
        let settings = std::sync::Arc::new(options.apply(&self.sender.settings));
        Self::assemble(
            Connection {
                http: self.sender.http.clone(),
                base_url: self.sender.base_url.clone(),
                settings,
            },
            options,
        )
    }
}

impl Client {
    /// A client for the production API with this key and every default.
    ///
    /// ```
    /// let client = saleshandy::Client::new("my-key").unwrap();
    /// assert!(!format!("{client:?}").contains("my-key"));
    /// ```
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from `SALESHANDY_API_KEY` and, if set,
    /// `SALESHANDY_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    /// A builder for every other setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The generated client underneath. Calls through it still get the
    /// key, retries and timeouts.
    pub fn raw(&self) -> &saleshandy_openapi::Client {
        &self.raw
    }

    /// Runs one call of the generated client (any operation of the spec,
    /// including those this crate has no method for) and maps its failure
    /// to [`Error`], as the methods of this crate do. The key, retry
    /// policy, timeouts, body limit, path check and tracing span apply to
    /// every generated call already; this adds the error mapping.
    ///
    /// ```no_run
    /// # async fn run(client: saleshandy::Client) -> Result<(), saleshandy::Error> {
    /// use saleshandy::types::CreateTasksRequest;
    /// // Any operation of spec/saleshandy.yaml, wrapped or not:
    /// let body: CreateTasksRequest = serde_json::from_value(serde_json::json!({
    ///     "prospectIds": ["8PvBmrB7P7"], "taskType": "13"
    /// }))
    /// .unwrap();
    /// let created = client.call(|raw| raw.create_tasks().body(body).send()).await?;
    /// println!("{:?}", created.message);
    /// # Ok(()) }
    /// ```
    pub async fn call<'a, T, E, F, Fut>(&'a self, call: F) -> Result<T, Error>
    where
        F: FnOnce(&'a saleshandy_openapi::Client) -> Fut,
        Fut: std::future::Future<
                Output = Result<saleshandy_openapi::ResponseValue<T>, saleshandy_openapi::Error<E>>,
            >,
        T: serde::de::DeserializeOwned,
    {
        spott_saleshandy_core::finish_any(call(&self.raw)).await
    }

    /// Calls the operation `operation_id` of `spec/saleshandy.yaml` by name, with JSON
    /// in and out: path and query parameters by name, the body as JSON.
    /// The same key, retry policy (by the operation's retry safety in the
    /// generated table), timeouts, path rules and errors as every typed
    /// call; an unknown operation or argument is refused naming it.
    ///
    /// ```no_run
    /// # async fn run(client: saleshandy::Client) -> Result<(), saleshandy::Error> {
    /// use saleshandy::Arguments;
    /// let body = serde_json::json!({"prospectIds": ["8PvBmrB7P7"], "taskType": "13"});
    /// let created = client
    ///     .call_json("create_tasks", Arguments { body: Some(&body), ..Arguments::default() })
    ///     .await?;
    /// println!("{}", created["message"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(
        &self,
        operation_id: &str,
        arguments: spott_saleshandy_core::dynamic::Arguments<'_>,
    ) -> Result<serde_json::Value, Error> {
        let operation = crate::exec::lookup(operation_id)?;
        self.sender.call_json(&operation, arguments).await
    }

    spott_saleshandy_core::list_methods!(saleshandy_openapi, crate::exec);

    #[cfg(feature = "tasks")]
    /// Creates the task for every prospect (`POST /v1/tasks/create`) and
    /// reports the outcome per prospect: one failing does not fail the
    /// others or the call. Sent once unless the server provably did not
    /// process it (429, connection refused).
    pub async fn create_tasks(&self, tasks: NewTasks) -> Result<TaskResults, Error> {
        let body = tasks.into_body()?;
        let sent = body.prospect_ids.clone();
        let response = spott_saleshandy_core::finish(
            "create_tasks",
            self.raw.create_tasks().body(body).send(),
        )
        .await?;
        Ok(TaskResults::new(response, sent))
    }
}
