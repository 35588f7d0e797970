//! Snapshots of what the hand-written crates expose: `spott`, `saleshandy`
//! and `spott-saleshandy-core`, with their default features, from rustdoc
//! (`public-surface`). A change to a public path, field, variant, method
//! signature or trait impl changes these snapshots; review and accept it
//! on purpose (`cargo insta review`).

use std::path::PathBuf;
use std::time::Instant;

use workspace_tests::workspace_root;

/// The crates, as cargo names them, with the snapshot each is kept in.
const CRATES: [(&str, &str); 3] = [
    ("spott-saleshandy-core", "core"),
    ("spott", "spott"),
    ("saleshandy", "saleshandy"),
];

#[test]
fn wrapper_public_apis() {
    // Under this build's target directory (not the workspace's, whose lock
    // the running `cargo test` holds), kept between runs.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("public-surface");
    let packages: Vec<&str> = CRATES.iter().map(|(package, _)| *package).collect();
    let started = Instant::now();
    let files = public_surface::rustdoc_json(&workspace_root(), &packages, &target)
        .unwrap_or_else(|error| panic!("rustdoc JSON: {error}"));
    eprintln!("rustdoc JSON of {packages:?} in {:?}", started.elapsed());
    for ((package, snapshot), file) in CRATES.iter().zip(files) {
        let krate = public_surface::load(&file).unwrap_or_else(|error| panic!("{error}"));
        let surface = public_surface::render(&krate);
        // The walk reached the crate's items through its re-exports: an
        // empty or root-only list would pass as a snapshot of nothing.
        assert!(surface.lines().count() > 20, "{package}: only {surface:?}");
        insta::assert_snapshot!(*snapshot, surface);
    }
}
