#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
mod exec;
mod task_type;
mod tasks;

pub use client::{Client, ClientBuilder};
pub use client_core::dynamic::Arguments;
pub use client_core::{Error, RetryPolicy};
pub use task_type::{Priority, TaskType};
pub use tasks::{NewTasks, ProspectOutcome, TaskResults};

/// Every request and response type of the API, generated from
/// `spec/saleshandy.yaml`.
pub use saleshandy_openapi::types;
