//! What a user who turns on one tag gets: `spott` and `spott-openapi`
//! with `--no-default-features --features tasks`, read from rustdoc JSON
//! (`public-surface`). The task operations, their request types and the
//! types they reach are there (a task's links reach `Vacancy`, so it is
//! compiled too); the other tags' methods, request types and their own
//! generated types are not (CI's per-tag clippy shows each tag compiles
//! alone; this shows what it leaves out).

use std::path::PathBuf;

use workspace_tests::workspace_root;

/// The rendered public API of `package` with only `features` on.
fn surface(package: &str, features: &[&str]) -> String {
    // Under this build's target directory (not the workspace's, whose lock
    // the running `cargo test` holds), kept between runs; one directory
    // per feature set, as the JSON file is named after the crate alone and
    // cargo would not rewrite it for a feature set it thinks is fresh.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("one-tag-surface-{}", features.join("-")));
    let file =
        public_surface::rustdoc_json_with_features(&workspace_root(), package, features, &target)
            .unwrap_or_else(|error| panic!("rustdoc JSON of {package}: {error}"));
    let krate = public_surface::load(&file).unwrap_or_else(|error| panic!("{error}"));
    public_surface::render(&krate)
}

/// [`surface`] with the default features (`full`: every tag).
fn surface_of_every_tag(package: &str) -> String {
    surface(package, &["full"])
}

/// Whether `surface` lists `item`: a function by its signature's start
/// (`…(`), anything else by its whole line.
fn lists(surface: &str, item: &str) -> bool {
    surface.lines().any(|line| {
        if item.ends_with('(') {
            line.starts_with(item)
        } else {
            line == item
        }
    })
}

#[test]
fn the_wrapper_with_one_tag_has_that_tags_methods_only() {
    let surface = surface("spott", &["tasks"]);
    let full = surface_of_every_tag("spott");
    for present in [
        "pub async fn spott::Client::create_task(",
        "pub struct spott::NewTask { /* private fields */ }",
        "pub async fn spott::Client::call_json(",
    ] {
        assert!(
            lists(&surface, present),
            "missing {present:?} in:\n{surface}"
        );
    }
    for absent in [
        "pub async fn spott::Client::get_candidate(",
        "pub async fn spott::Client::update_candidate(",
        "pub async fn spott::Client::contact_overview(",
        "pub async fn spott::Client::create_client_contact(",
        "pub struct spott::CandidateUpdate { /* private fields */ }",
        "pub struct spott::NewClientContact { /* private fields */ }",
    ] {
        // Listed with every tag on: the line is spelled as the renderer
        // writes it, so its absence below means something.
        assert!(lists(&full, absent), "{absent:?} not in the full surface");
        assert!(
            !lists(&surface, absent),
            "{absent:?} is compiled in:\n{surface}"
        );
    }
}

#[test]
fn the_generated_crate_with_one_tag_has_that_tags_operations_and_types_only() {
    let surface = surface("spott-openapi", &["tasks"]);
    let full = surface_of_every_tag("spott-openapi");
    for present in [
        "pub fn spott_openapi::Client::create_task(",
        "pub fn spott_openapi::Client::list_tasks(",
        "pub struct spott_openapi::types::Task",
    ] {
        assert!(
            lists(&surface, present),
            "missing {present:?} in:\n{surface}"
        );
    }
    for absent in [
        "pub fn spott_openapi::Client::create_candidate(",
        "pub fn spott_openapi::Client::list_vacancies(",
        "pub fn spott_openapi::Client::move_application(",
        "pub struct spott_openapi::types::Application",
        "pub struct spott_openapi::types::CreateVacancyRequest",
        "pub struct spott_openapi::types::CreateCandidateRequest",
    ] {
        // Listed with every tag on: the line is spelled as the renderer
        // writes it, so its absence below means something.
        assert!(lists(&full, absent), "{absent:?} not in the full surface");
        assert!(
            !lists(&surface, absent),
            "{absent:?} is compiled in:\n{surface}"
        );
    }
}
