#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// Generated too (xtask/src/hooks.rs), and kept byte for byte.
#[rustfmt::skip]
mod hooks;

pub use hooks::{Exec, ExecFuture, Hooks, SendOnce};

// The generated code is not ours to document, lint or reformat: it is
// prettyplease's output, byte for byte, so `generate --check` can compare it.
// It is `src/generated/mod.rs` and one `#[cfg(feature = …)]` module file per
// tag (xtask/src/tag_files.rs), which rustc skips when the tag is off.
// With only some tags on, the table's helpers may have no user (dead
// code, an unused schema generator).
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_imports, unused_variables, dead_code)]
#[rustfmt::skip]
mod generated;
pub use generated::*;

/// progenitor's typed `httpmock` helpers for every operation, for tests.
// Split by tag like the client (`generated_httpmock/mod.rs` and a file per tag).
#[cfg(feature = "httpmock")]
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_imports)]
#[rustfmt::skip]
#[path = "generated_httpmock/mod.rs"]
pub mod mock;
