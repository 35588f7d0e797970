//! The generated crates' `hooks.rs`: the `Exec` slot every generated call
//! is sent through. It is the same for every API but the wrapper's name,
//! so it is generated here once instead of being copied into each crate.

use proc_macro2::TokenStream;
use quote::quote;

/// `hooks.rs` for a generated crate whose wrapper crate is `wrapper`.
pub fn tokens(wrapper: &str) -> TokenStream {
    let module_doc = [
        " How the generated client sends a request: once by default, or through an".to_owned(),
        format!(" [`Exec`] the caller plugs in (the `{wrapper}` wrapper adds retries, timeouts,"),
        " a response-size limit, the path check and tracing this way).".to_owned(),
    ];
    quote! {
        #(#![doc = #module_doc])*

        use std::fmt;
        use std::future::Future;
        use std::pin::Pin;
        use std::sync::Arc;

        use progenitor_client::{ClientHooks, OperationInfo};

        /// The future an [`Exec`] returns.
        pub type ExecFuture =
            Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send>>;

        /// Sends one fully built request and returns the response progenitor
        /// will decode.
        pub trait Exec: Send + Sync + 'static {
            /// Sends `request` for the operation `operation_id` with `client`.
            fn exec(
                &self,
                client: &reqwest::Client,
                request: reqwest::Request,
                operation_id: &'static str,
            ) -> ExecFuture;

            /// Checks `request` before it is sent; an `Err` refuses it with
            /// that reason (progenitor's `Error::InvalidRequest`) and nothing
            /// is sent. The wrapper checks here that the URL path still has
            /// the shape of the operation's path template, whatever the path
            /// parameters were.
            fn check(
                &self,
                request: &reqwest::Request,
                operation_id: &'static str,
            ) -> Result<(), String> {
                let _ = (request, operation_id);
                Ok(())
            }
        }

        /// Sends each request exactly once, as progenitor does by default.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct SendOnce;

        impl Exec for SendOnce {
            fn exec(
                &self,
                client: &reqwest::Client,
                request: reqwest::Request,
                _operation_id: &'static str,
            ) -> ExecFuture {
                Box::pin(client.execute(request))
            }
        }

        /// The client's hook slot: which [`Exec`] sends requests.
        #[derive(Clone)]
        pub struct Hooks {
            exec: Arc<dyn Exec>,
        }

        impl Hooks {
            /// Sends requests through `exec`.
            pub fn new(exec: impl Exec) -> Self {
                Self { exec: Arc::new(exec) }
            }
        }

        impl Default for Hooks {
            fn default() -> Self {
                Self::new(SendOnce)
            }
        }

        impl fmt::Debug for Hooks {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("Hooks")
            }
        }

        /// Takes precedence over the generated `impl ClientHooks for &Client`
        /// (progenitor's auto-ref specialisation), so every operation goes
        /// through the [`Exec`].
        impl ClientHooks<Hooks> for crate::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo;
                self.inner()
                    .exec
                    .check(request, info.operation_id)
                    .map_err(progenitor_client::Error::InvalidRequest)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                self.inner()
                    .exec
                    .exec(self.client(), request, info.operation_id)
                    .await
            }
        }
    }
}
