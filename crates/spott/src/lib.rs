#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// The sugar of each tag compiles only with its feature (see Cargo.toml);
// `call_json` and the typed lists reach every operation that is on.
#[cfg(feature = "candidates")]
mod candidate;
mod client;
#[cfg(feature = "client-contacts")]
mod contact;
mod exec;
mod ids;
#[cfg(feature = "tasks")]
mod task;
// Shared by the sugar of three tags; a build without some of them leaves
// some checks unused.
#[cfg_attr(
    not(all(feature = "candidates", feature = "client-contacts", feature = "tasks")),
    allow(dead_code)
)]
mod validate;
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
mod values;

#[cfg(feature = "candidates")]
pub use candidate::CandidateUpdate;
pub use client::{Client, ClientBuilder};
#[cfg(feature = "client-contacts")]
pub use contact::NewClientContact;
/// The kinds of id, one type each: a [`CandidateId`] cannot be passed
/// where a [`ClientId`] goes (see [`IntoId`]).
pub use ids::*;
/// The operation table generated from the spec: every operation, its
/// method, path template, parameters and retry safety (for
/// [`Client::call_json`] and tools that list what the API offers).
pub use spott_openapi::{OPERATIONS, Operation, RetrySafety, lists};
pub use spott_saleshandy_core::dynamic::Arguments;
pub use spott_saleshandy_core::{CallOptions, Error, ResponseMeta, RetryPolicy, WithMeta};
#[cfg(feature = "tasks")]
pub use task::{NewTask, TaskLink};
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
pub use values::{Fluency, Purpose, SocialNetwork, email, language, phone_number, social_media};

/// Every request and response type of the API, generated from
/// `spec/spott.yaml`.
pub use spott_openapi::types;
/// Tolerant types found in responses: enums and unions the server may
/// extend decode unknown values as `Unknown` instead of failing.
pub use spott_openapi::{Nullable, OpenEnum, OpenUnion};
