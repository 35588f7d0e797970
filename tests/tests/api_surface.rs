//! Snapshots of what the generated crates expose. A spec edit that changes
//! an operation, a type, a field or an enum value changes these snapshots.

use std::path::Path;

use api_surface::Surface;

/// The surface of a generated crate's client: `src/generated/mod.rs` and
/// every tag's file beside it (`cargo xtask generate` splits it by tag).
fn surface(crate_dir: &str) -> Surface {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src/generated");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("listing {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "mod.rs"))
        .collect();
    paths.sort();
    paths.insert(0, dir.join("mod.rs"));
    let sources: Vec<String> = paths
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
        })
        .collect();
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    Surface::parse_files(&sources).expect("generated code parses")
}

#[test]
fn spott_api_surface() {
    let surface = surface("crates/spott-openapi");
    let operations: Vec<_> = surface
        .operations
        .iter()
        .map(|op| format!("{} {} {}", op.name, op.method, op.path))
        .collect();
    // The surface parser and the generated operation table agree.
    let mut table: Vec<_> = spott_openapi::OPERATIONS
        .iter()
        .map(|op| format!("{} {} {}", op.id, op.method, op.path))
        .collect();
    table.sort();
    assert_eq!(operations, table);
    insta::assert_snapshot!("spott", surface.render());
}

#[test]
fn saleshandy_api_surface() {
    let surface = surface("crates/saleshandy-openapi");
    let paths: Vec<_> = surface
        .operations
        .iter()
        .map(|op| op.path.as_str())
        .collect();
    let mut table: Vec<_> = saleshandy_openapi::OPERATIONS
        .iter()
        .map(|op| op.path)
        .collect();
    table.sort();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(sorted, table);
    insta::assert_snapshot!("saleshandy", surface.render());
}
