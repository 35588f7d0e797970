//! The Spott client: one method per operation.

use std::fmt;

#[cfg(feature = "candidates")]
use spott_openapi::types::Candidate;
#[cfg(feature = "client-contacts")]
use spott_openapi::types::ContactOverview;
#[cfg(feature = "tasks")]
use spott_openapi::types::Task;
use spott_openapi::{ClientInfo, Hooks};
use spott_saleshandy_core::{Api, CallOptions, Connection, Error};

#[cfg(feature = "candidates")]
use crate::candidate::CandidateUpdate;
#[cfg(feature = "client-contacts")]
use crate::contact::NewClientContact;
use crate::exec::PolicyExec;
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
use crate::ids::CandidateId;
#[cfg(feature = "client-contacts")]
use crate::ids::{ClientContactId, ClientId};
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
use crate::ids::{IntoId, parse};
#[cfg(feature = "tasks")]
use crate::task::NewTask;

/// Configures a [`Client`]: base URL, timeouts, retries, user agent, HTTP
/// client, response-size limit. See [`spott_saleshandy_core::ClientBuilder`].
pub type ClientBuilder = spott_saleshandy_core::ClientBuilder<Client>;

/// A Spott API client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    raw: spott_openapi::Client,
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
    const DEFAULT_BASE_URL: &'static str = "https://api.gospott.com";
    const API_KEY_VAR: &'static str = "SPOTT_API_KEY";
    const BASE_URL_VAR: &'static str = "SPOTT_BASE_URL";

    fn default_user_agent() -> String {
        spott_saleshandy_core::user_agent(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    fn operation_paths() -> Vec<&'static str> {
        spott_openapi::OPERATIONS
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
            raw: spott_openapi::Client::new_with_client(
                connection.base_url.as_str(),
                connection.http.clone(),
                hooks,
            ),
            sender: spott_saleshandy_core::dynamic::Sender {
                http: connection.http,
                base_url: connection.base_url,
                settings: connection.settings,
                encode: spott_openapi::encode_path_segment,
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
    /// use spott::{CallOptions, RetryPolicy};
    ///
    /// let client = spott::Client::new("my-key").unwrap();
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
    /// let client = spott::Client::new("my-key").unwrap();
    /// assert!(!format!("{client:?}").contains("my-key"));
    /// ```
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from `SPOTT_API_KEY` and, if set,
    /// `SPOTT_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    /// A builder for every other setting.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = spott::Client::builder()
    ///     .api_key("my-key")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .request_timeout(Duration::from_secs(10))
    ///     .retry_policy(spott::RetryPolicy::standard().with_max_attempts(5))
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The generated client underneath, for anything this crate does not
    /// wrap. Calls through it still get the key, retries and timeouts.
    pub fn raw(&self) -> &spott_openapi::Client {
        &self.raw
    }

    /// Runs one call of the generated client (any operation of the spec,
    /// including those this crate has no method for) and maps its failure
    /// to [`Error`], as the methods of this crate do. The key, retry
    /// policy, timeouts, body limit, path check and tracing span apply to
    /// every generated call already; this adds the error mapping.
    ///
    /// ```no_run
    /// # async fn run(client: spott::Client) -> Result<(), spott::Error> {
    /// // Any operation of spec/spott.yaml, wrapped or not:
    /// let overview = client
    ///     .call(|raw| raw.get_contact_overview().id("cand-1").send())
    ///     .await?;
    /// println!("{:?}", overview.candidate_id);
    /// # Ok(()) }
    /// ```
    pub async fn call<'a, T, E, F, Fut>(&'a self, call: F) -> Result<T, Error>
    where
        F: FnOnce(&'a spott_openapi::Client) -> Fut,
        Fut: std::future::Future<
                Output = Result<spott_openapi::ResponseValue<T>, spott_openapi::Error<E>>,
            >,
        T: serde::de::DeserializeOwned,
    {
        spott_saleshandy_core::finish_any(call(&self.raw)).await
    }

    /// Calls the operation `operation_id` of `spec/spott.yaml` by name, with JSON
    /// in and out: path and query parameters by name, the body as JSON.
    /// The same key, retry policy (by the operation's retry safety in the
    /// generated table), timeouts, path rules and errors as every typed
    /// call; an unknown operation or argument is refused naming it.
    ///
    /// ```no_run
    /// # async fn run(client: spott::Client) -> Result<(), spott::Error> {
    /// use spott::Arguments;
    /// let overview = client
    ///     .call_json("get_contact_overview", Arguments { path: &[("id", "cand-1")], ..Arguments::default() })
    ///     .await?;
    /// println!("{}", overview["candidateId"]);
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

    spott_saleshandy_core::list_methods!(spott_openapi, crate::exec);

    #[cfg(feature = "tasks")]
    /// Creates a task (`POST /tasks/_raw`). Sent once unless the server
    /// provably did not process it (429, connection refused): a task is
    /// never created twice by a retry.
    pub async fn create_task(&self, task: NewTask) -> Result<Task, Error> {
        let body = task.into_body()?;
        spott_saleshandy_core::finish("create_task", self.raw.create_task().body(body).send()).await
    }

    #[cfg(feature = "client-contacts")]
    /// Reads a contact's overview (`GET /clients/contacts/{candidateId}`):
    /// the contact is read by the id of the candidate behind it.
    pub async fn contact_overview(
        &self,
        candidate_id: impl IntoId<CandidateId>,
    ) -> Result<ContactOverview, Error> {
        let id: CandidateId = parse("candidateId", candidate_id)?;
        spott_saleshandy_core::finish(
            "get_contact_overview",
            self.raw.get_contact_overview().id(id).send(),
        )
        .await
    }

    #[cfg(feature = "client-contacts")]
    /// Creates a client contact at the client `client_id`
    /// (`POST /clients/contacts/{clientId}`) and returns the new contact's
    /// id. Never repeated by a retry unless provably not processed.
    pub async fn create_client_contact(
        &self,
        client_id: impl IntoId<ClientId>,
        contact: NewClientContact,
    ) -> Result<ClientContactId, Error> {
        let id: ClientId = parse("clientId", client_id)?;
        let body = contact.into_body()?;
        let created = spott_saleshandy_core::finish(
            "create_client_contact",
            self.raw.create_client_contact().id(id).body(body).send(),
        )
        .await?;
        Ok(created.id)
    }

    #[cfg(feature = "candidates")]
    /// Reads a candidate (`GET /candidates/{id}`).
    pub async fn get_candidate(&self, id: impl IntoId<CandidateId>) -> Result<Candidate, Error> {
        let id: CandidateId = parse("id", id)?;
        spott_saleshandy_core::finish("get_candidate", self.raw.get_candidate().id(id).send()).await
    }

    #[cfg(feature = "candidates")]
    /// Updates a candidate (`PATCH /candidates/{id}`): only the fields the
    /// update touches are sent. Retried after a timeout or 5xx only if the
    /// retry policy allows idempotent writes.
    pub async fn update_candidate(
        &self,
        id: impl IntoId<CandidateId>,
        update: CandidateUpdate,
    ) -> Result<Candidate, Error> {
        let id: CandidateId = parse("id", id)?;
        let body = update.into_body()?;
        spott_saleshandy_core::finish(
            "update_candidate",
            self.raw.update_candidate().id(id).body(body).send(),
        )
        .await
    }
}
