//! The APIs this workspace binds: which spec feeds which generated crate.

/// One API: its spec and the crate generated from it.
pub struct Api {
    /// Short name used in messages and on the command line.
    pub name: &'static str,
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The generated crate's directory, relative to the workspace root.
    pub crate_dir: &'static str,
    /// The generated crate's package name (its Rust name uses `_`).
    pub crate_name: &'static str,
    /// The hand-written wrapper crate that re-exports the generated `types`
    /// (so a change to them is a change to it too).
    pub wrapper_crate: &'static str,
}

/// Every API, in the order they are generated.
pub const APIS: &[Api] = &[
    Api {
        name: "spott",
        spec: "spec/spott.yaml",
        crate_dir: "crates/spott-openapi",
        crate_name: "spott-openapi",
        wrapper_crate: "spott",
    },
    Api {
        name: "saleshandy",
        spec: "spec/saleshandy.yaml",
        crate_dir: "crates/saleshandy-openapi",
        crate_name: "saleshandy-openapi",
        wrapper_crate: "saleshandy",
    },
];
