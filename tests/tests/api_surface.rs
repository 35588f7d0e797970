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
    assert_eq!(
        operations,
        [
            "create_client_contact POST /clients/contacts/{id}",
            "create_task POST /tasks/_raw",
            "get_contact_overview GET /clients/contacts/{id}",
            "update_candidate PATCH /candidates/{id}",
        ]
    );
    insta::assert_snapshot!("spott", surface.render());
}

#[test]
fn saleshandy_api_surface() {
    let surface = surface(include_str!(
        "../../crates/saleshandy-openapi/src/generated.rs"
    ));
    assert_eq!(surface.operations.len(), 1);
    assert_eq!(surface.operations[0].path, "/v1/tasks/create");
    insta::assert_snapshot!("saleshandy", surface.render());
}
