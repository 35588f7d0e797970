#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// The generated code is not ours to document or lint.
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_imports)]
mod generated;
pub use generated::*;

/// progenitor's typed `httpmock` helpers for every operation, for tests.
#[cfg(feature = "httpmock")]
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_imports)]
pub mod mock {
    include!("generated_httpmock.rs");
}
