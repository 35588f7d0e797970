//! Writes a wrapper crate's `Client`: [`wrapper_client!`](crate::wrapper_client!)
//! gives both wrappers the same struct, constructors, `with_options`,
//! `raw`, `call`, `call_json` and the typed lists, so only what differs
//! between the APIs (their names, base URLs, environment variables and
//! examples) is written twice. Each wrapper adds its typed methods in an
//! `impl Client { … }` of its own next to the macro call.
//!
//! The path of one call through what this writes: `Client::new` builds a
//! [`ClientBuilder`](crate::ClientBuilder), whose `build` checks the key
//! and base URL and hands a [`Connection`](crate::Connection) to
//! `Api::from_connection`; that assembles the generated client with the
//! wrapper's `PolicyExec` hook (from [`bind_operation_table!`](crate::bind_operation_table)),
//! so every generated call is sent by [`send`](crate::send) with the key,
//! retry policy and timeouts, and the same connection as a
//! [`dynamic::Sender`](crate::dynamic::Sender) for `call_json` and the
//! paginated lists.

/// Writes `Client`, its `Debug` (base URL only: never the key), its
/// [`Api`](crate::Api) impl, the `ClientBuilder` alias and the methods
/// every wrapper shares, into the calling module.
///
/// - `api`: the generated crate (`spott_openapi`); `exec`: the module the
///   wrapper called [`bind_operation_table!`](crate::bind_operation_table) in.
/// - `name`: the wrapper crate's name as its users write it (`"spott"`),
///   for the examples; `spec`: the spec file, for the docs.
/// - `default_base_url`, `api_key_var`, `base_url_var`: the
///   [`Api`](crate::Api) constants.
/// - `call_example` and `call_json_example`: the bodies of the doc
///   examples of `call` and `call_json`, inside an `async fn` that has a
///   `client` and returns the wrapper's `Result`.
///
/// The wrapper needs `reqwest`, `serde`, `serde_json`, `futures-core` and
/// this crate as dependencies.
#[macro_export]
macro_rules! wrapper_client {
    (
        $(#[$client_doc:meta])*
        api: $api:ident,
        exec: $exec:path,
        name: $name:literal,
        spec: $spec:literal,
        default_base_url: $default_base_url:literal,
        api_key_var: $api_key_var:literal,
        base_url_var: $base_url_var:literal,
        call_example: $call_example:literal,
        call_json_example: $call_json_example:literal $(,)?
    ) => {
        /// Configures a [`Client`]: base URL, timeouts, retries, user agent, HTTP
        /// client, response-size limit. See [`spott_saleshandy_core::ClientBuilder`].
        pub type ClientBuilder = $crate::ClientBuilder<Client>;

        $(#[$client_doc])*
        #[derive(Clone)]
        pub struct Client {
            raw: $api::Client,
            /// The same connection, for calls by operation id.
            sender: $crate::dynamic::Sender,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &$api::ClientInfo::baseurl(&self.raw))
                    .finish_non_exhaustive()
            }
        }

        impl $crate::Api for Client {
            const DEFAULT_BASE_URL: &'static str = $default_base_url;
            const API_KEY_VAR: &'static str = $api_key_var;
            const BASE_URL_VAR: &'static str = $base_url_var;

            fn default_user_agent() -> ::std::string::String {
                $crate::default_user_agent!()
            }

            fn operation_paths() -> ::std::vec::Vec<&'static str> {
                $api::OPERATIONS
                    .iter()
                    .map(|operation| operation.path)
                    .collect()
            }

            fn from_connection(connection: $crate::Connection) -> Self {
                Self::assemble(connection, $crate::CallOptions::new())
            }
        }

        impl Client {
            /// The client over `connection`, every call sent with `options`' extra
            /// headers (their retry and timeout settings are in `connection`).
            fn assemble(connection: $crate::Connection, options: $crate::CallOptions) -> Self {
                let hooks = {
                    use $exec as exec;
                    $api::Hooks::new(exec::PolicyExec(
                        connection.settings.clone(),
                        options.clone(),
                    ))
                };
                Self {
                    raw: $api::Client::new_with_client(
                        connection.base_url.as_str(),
                        connection.http.clone(),
                        hooks,
                    ),
                    sender: $crate::dynamic::Sender {
                        http: connection.http,
                        base_url: connection.base_url,
                        settings: connection.settings,
                        encode: $api::encode_path_segment,
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
            /// call with [`Error::InvalidInput`](crate::Error::InvalidInput) naming
            /// it, nothing sent.
            ///
            /// ```
            /// use std::time::Duration;
            #[doc = concat!("use ", $name, "::{CallOptions, RetryPolicy};")]
            ///
            #[doc = concat!("let client = ", $name, "::Client::new(\"my-key\").unwrap();")]
            /// let patient = client.with_options(
            ///     CallOptions::new()
            ///         .request_timeout(Duration::from_secs(90))
            ///         .retry_policy(RetryPolicy::standard().with_create_retries(true))
            ///         .header("x-correlation-id", "import-42"),
            /// );
            /// # let _ = patient;
            /// ```
            pub fn with_options(&self, options: $crate::CallOptions) -> Self {
                let options = self.sender.options.merged(options);
                let settings = ::std::sync::Arc::new(options.apply(&self.sender.settings));
                Self::assemble(
                    $crate::Connection {
                        http: self.sender.http.clone(),
                        base_url: self.sender.base_url.clone(),
                        settings,
                    },
                    options,
                )
            }

            /// A client for the production API with this key and every default.
            ///
            /// ```
            #[doc = concat!("let client = ", $name, "::Client::new(\"my-key\").unwrap();")]
            /// assert!(!format!("{client:?}").contains("my-key"));
            /// ```
            pub fn new(
                api_key: impl ::core::convert::Into<::std::string::String>,
            ) -> ::core::result::Result<Self, $crate::Error> {
                Self::builder().api_key(api_key).build()
            }

            #[doc = concat!("A client configured from `", $api_key_var, "` and, if set,")]
            #[doc = concat!("`", $base_url_var, "`.")]
            pub fn from_env() -> ::core::result::Result<Self, $crate::Error> {
                ClientBuilder::from_env().build()
            }

            /// A builder for every other setting.
            ///
            /// ```
            /// use std::time::Duration;
            ///
            #[doc = concat!("let client = ", $name, "::Client::builder()")]
            ///     .api_key("my-key")
            ///     .base_url("http://127.0.0.1:8080")
            ///     .request_timeout(Duration::from_secs(10))
            #[doc = concat!("    .retry_policy(", $name, "::RetryPolicy::standard().with_max_attempts(5))")]
            ///     .build()
            ///     .unwrap();
            /// # let _ = client;
            /// ```
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The generated client underneath, for anything this crate does not
            /// wrap. Calls through it still get the key, retries and timeouts.
            pub fn raw(&self) -> &$api::Client {
                &self.raw
            }

            /// Runs one call of the generated client (any operation of the spec,
            /// including those this crate has no method for) and maps its failure
            /// to [`Error`](crate::Error), as the methods of this crate do. The
            /// key, retry policy, timeouts, body limit, path check and tracing
            /// span apply to every generated call already; this adds the error
            /// mapping.
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: ", $name, "::Client) -> Result<(), ", $name, "::Error> {")]
            #[doc = concat!("// Any operation of ", $spec, ", wrapped or not:")]
            #[doc = $call_example]
            /// # Ok(()) }
            /// ```
            pub async fn call<'a, T, E, F, Fut>(
                &'a self,
                call: F,
            ) -> ::core::result::Result<T, $crate::Error>
            where
                F: ::core::ops::FnOnce(&'a $api::Client) -> Fut,
                Fut: ::core::future::Future<
                        Output = ::core::result::Result<$api::ResponseValue<T>, $api::Error<E>>,
                    >,
                T: ::serde::de::DeserializeOwned,
            {
                $crate::finish_any(call(&self.raw)).await
            }

            #[doc = concat!("Calls the operation `operation_id` of `", $spec, "` by name, with JSON")]
            /// in and out: path and query parameters by name, the body as JSON.
            /// The same key, retry policy (by the operation's retry safety in the
            /// generated table), timeouts, path rules and errors as every typed
            /// call; an unknown operation or argument is refused naming it.
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: ", $name, "::Client) -> Result<(), ", $name, "::Error> {")]
            #[doc = concat!("use ", $name, "::Arguments;")]
            #[doc = $call_json_example]
            /// # Ok(()) }
            /// ```
            pub async fn call_json(
                &self,
                operation_id: &str,
                arguments: $crate::dynamic::Arguments<'_>,
            ) -> ::core::result::Result<::serde_json::Value, $crate::Error> {
                let operation = {
                    use $exec as exec;
                    exec::lookup(operation_id)?
                };
                self.sender.call_json(&operation, arguments).await
            }

            $crate::list_methods!($api, $exec);
        }
    };
}
