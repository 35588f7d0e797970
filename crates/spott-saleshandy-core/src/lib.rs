#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod api_key;
pub mod backoff;
pub mod base_url;
pub mod call;
pub mod config;
pub mod dynamic;
pub mod error;
pub mod failure;
pub mod ids;
pub mod json_input;
pub mod meta;
pub mod operation_table;
pub mod options;
pub mod pages;
pub mod path;
pub mod retry;
pub mod retry_after;
pub mod retry_loop;
pub mod transport;
pub mod user_agent;
pub mod wrapper_client;

pub use api_key::{API_KEY_HEADER, ApiKey, ApiKeyProblem, InvalidApiKey};
pub use base_url::{BaseUrl, InvalidBaseUrl};
pub use call::{
    CallRecord, CallSettings, ResponseSnapshot, Route, check_options, check_path, recorded, send,
};
pub use config::{Api, ClientBuilder, Connection};
pub use error::Error;
pub use failure::{finish, finish_any, into_error};
pub use meta::{MetaFuture, ResponseMeta, WithMeta};
pub use options::CallOptions;
pub use retry::{Decision, Outcome, RequestKind, RetryPolicy, StopReason, decide};
pub use retry_after::retry_after_from_headers;
pub use retry_loop::{run_with_retries, run_with_retries_jittered};
pub use transport::classify_reqwest_error;
pub use user_agent::user_agent;
