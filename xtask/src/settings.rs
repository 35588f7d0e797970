//! Every progenitor setting the workspace uses, in one place, each with the
//! reason it exists.

use std::str::FromStr;

use proc_macro2::TokenStream;
use progenitor::{CrateVers, GenerationSettings, InterfaceStyle, TagStyle};

use crate::apis::Api;

/// The generator settings for one API's crate.
pub fn generation_settings(api: &Api) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        // Builders read well at call sites and make optional fields
        // optional: `client.create_task().body(...).send()`.
        .with_interface(InterfaceStyle::Builder)
        // One `Client` with every operation; the wrappers split by purpose.
        .with_tag(TagStyle::Merged)
        // A JSON Schema for every generated type, so the drift tests can
        // compare the Rust types with `spec/` field by field; behind the
        // crate's `schemars` feature (xtask/src/optional_derives.rs).
        .with_derive("schemars::JsonSchema")
        // Equality makes round-trip and snapshot assertions direct.
        .with_derive("PartialEq")
        // `rust_types::mark` points schemas at tolerant types inside the
        // generated crate itself (`OpenEnum`, `OpenUnion`, `Nullable`);
        // typify only honours `x-rust-type` for crates it is told about.
        .with_crate(api.crate_name, CrateVers::Any, None)
        // Every request goes through `Hooks` (hand-written in the generated
        // crate's `hooks.rs`): the wrappers plug in retries, timeouts, a
        // response-size limit and tracing there, around progenitor's own
        // request building and decoding, without a second HTTP layer.
        .with_inner_type(TokenStream::from_str("crate::Hooks").expect("a Rust path"));
    settings
}
