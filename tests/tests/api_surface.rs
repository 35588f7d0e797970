//! Snapshots of what the generated crates expose. A spec edit that changes
//! an operation, a type, a field or an enum value changes these snapshots.

use api_surface::Surface;

fn surface(source: &str) -> Surface {
    Surface::parse(source).expect("generated code parses")
}

#[test]
fn spott_api_surface() {
    let surface = surface(include_str!("../../crates/spott-openapi/src/generated.rs"));
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
    let surface = surface(include_str!(
        "../../crates/saleshandy-openapi/src/generated.rs"
    ));
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
