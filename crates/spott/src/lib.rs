#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod candidate;
mod client;
mod contact;
mod exec;
mod task;
mod validate;
mod values;

pub use candidate::CandidateUpdate;
pub use client::{Client, ClientBuilder};
pub use client_core::dynamic::Arguments;
pub use client_core::{Error, RetryPolicy};
pub use contact::NewClientContact;
/// The operation table generated from the spec: every operation, its
/// method, path template, parameters and retry safety (for
/// [`Client::call_json`] and tools that list what the API offers).
pub use spott_openapi::{OPERATIONS, Operation, RetrySafety, lists};
pub use task::{NewTask, TaskLink};
pub use values::{Fluency, Purpose, SocialNetwork, email, language, phone_number, social_media};

/// Every request and response type of the API, generated from
/// `spec/spott.yaml`.
pub use spott_openapi::types;
/// Tolerant types found in responses: enums and unions the server may
/// extend decode unknown values as `Unknown` instead of failing.
pub use spott_openapi::{Nullable, OpenEnum, OpenUnion};
