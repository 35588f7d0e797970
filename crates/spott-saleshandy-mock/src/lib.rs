#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod answer;
mod config;
mod error_body;
mod faults;
mod operation;
mod paging;
mod pipeline;
mod record;
mod render;
mod routes;
mod server;
pub mod spec;
mod state;
mod synth;
mod validate;
mod violation;

pub use config::{ApiKeys, Apis, MockConfig};
pub use faults::{Fault, FaultConfig, RateLimit, RateLimitParseError, RetryAfter};
pub use operation::{Api, Operation};
pub use record::{RecordedHeaders, RecordedRequest};
pub use server::{MockServer, StartError};
pub use spec::SpecError;
pub use state::DEFAULT_PROSPECTS;
pub use validate::{SpecValidator, UnknownFields};
pub use violation::{PathSegment, Violation};
