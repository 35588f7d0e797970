#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
mod exec;
mod ids;
// The sugar of the `tasks` tag compiles only with its feature (see
// Cargo.toml); `call_json` and the typed lists reach every operation that is on.
#[cfg(feature = "tasks")]
mod task_type;
#[cfg(feature = "tasks")]
mod tasks;

pub use client::{Client, ClientBuilder};
/// The kinds of id, one type each: a [`ProspectId`] cannot be passed where
/// a [`TaskId`] goes (see [`IntoId`]).
pub use ids::*;
/// The operation table generated from the spec: every operation, its
/// method, path template, parameters and retry safety (for
/// [`Client::call_json`] and tools that list what the API offers).
pub use saleshandy_openapi::{OPERATIONS, Operation, RetrySafety, lists};
pub use spott_saleshandy_core::dynamic::Arguments;
pub use spott_saleshandy_core::{CallOptions, Error, ResponseMeta, RetryPolicy, WithMeta};
#[cfg(feature = "tasks")]
pub use task_type::{Priority, TaskType};
#[cfg(feature = "tasks")]
pub use tasks::{NewTasks, ProspectOutcome, TaskOutcome, TaskResults};

/// Every request and response type of the API, generated from
/// `spec/saleshandy.yaml`.
pub use saleshandy_openapi::types;
