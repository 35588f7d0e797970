//! The built xtask binary finds the workspace it runs in at run time: run
//! from a copy of the workspace, `generate --check` reads the copy's spec
//! and generated code, not those of the checkout it was built in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A description in spec/spott.yaml that the generated code repeats.
const DESCRIPTION: &str = "description: A label on a task.\n";
/// What the copy's spec says instead.
const EDITED: &str = "description: A label on a task, edited in the copy.\n";

/// The checkout these tests run in (xtask's parent), as cargo says at run
/// time.
fn checkout() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("cargo sets CARGO_MANIFEST_DIR when it runs the tests");
    manifest_dir
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// A copy of every file of the checkout that git does not ignore.
fn copy() -> tempfile::TempDir {
    let from = checkout();
    let listed = Command::new("git")
        // Untracked files too: a tag's new generated file is one until
        // it is committed (CI's grow-api step runs this suite before).
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&from)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    let copy = tempfile::tempdir().expect("a temporary directory");
    for file in listed.stdout.split(|&byte| byte == 0) {
        let file = Path::new(std::str::from_utf8(file).expect("UTF-8 paths"));
        // Tracked files deleted in the working tree are not part of it.
        if file.as_os_str().is_empty() || !from.join(file).is_file() {
            continue;
        }
        let to = copy.path().join(file);
        std::fs::create_dir_all(to.parent().expect("a file has a directory")).unwrap();
        std::fs::copy(from.join(file), &to).expect("copying a tracked file");
    }
    copy
}

/// A [`copy`] with spec/spott.yaml edited so that the copy's generated code
/// is stale.
fn edited_copy() -> tempfile::TempDir {
    let copy = copy();
    let spec = copy.path().join("spec/spott.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec/spott.yaml");
    assert_eq!(
        text.matches(DESCRIPTION).count(),
        1,
        "the edit applies once"
    );
    std::fs::write(&spec, text.replace(DESCRIPTION, EDITED)).unwrap();
    copy
}

/// Runs `xtask generate --check` in `dir`, with `env` on top of this
/// process's environment (where cargo set `CARGO` and `CARGO_MANIFEST_DIR`
/// to this checkout's).
fn generate_check(dir: &Path, env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["generate", "--check"])
        .current_dir(dir)
        .env_remove("CARGO_WORKSPACE_DIR");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the xtask binary runs")
}

/// Asserts that `output` is the check failing on the copy's edited spec.
fn assert_reports_the_copys_drift(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the copy's generated code is stale, yet the check passed:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "generated code differs from spec/ in: crates/spott-openapi/src/generated/tasks.rs"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("+    ///A label on a task, edited in the copy.\n"),
        "the diff is not the copy's spec against the copy's code:\n{stderr}"
    );
}

#[test]
fn generate_check_reads_the_workspace_it_runs_in() {
    let copy = edited_copy();
    let output = generate_check(&copy.path().join("crates/spott"), &[]);
    assert_reports_the_copys_drift(&output);
}

#[test]
fn without_cargo_the_nearest_workspace_manifest_above_is_used() {
    let copy = edited_copy();
    let no_cargo = copy.path().join("no-such-cargo");
    let output = generate_check(&copy.path().join("crates/spott"), &[("CARGO", &no_cargo)]);
    assert_reports_the_copys_drift(&output);
}

#[test]
fn cargo_workspace_dir_names_the_workspace() {
    let copy = edited_copy();
    let elsewhere = tempfile::tempdir().expect("a temporary directory");
    let output = generate_check(elsewhere.path(), &[("CARGO_WORKSPACE_DIR", copy.path())]);
    assert_reports_the_copys_drift(&output);
}

#[test]
fn a_file_left_from_a_removed_tag_fails_the_check() {
    let copy = copy();
    let client = copy.path().join("crates/spott-openapi/src/generated");
    // No spec has this tag (grow-api's `widgets` is a real one there).
    std::fs::copy(client.join("tasks.rs"), client.join("retired_tag.rs")).unwrap();
    let output = generate_check(copy.path(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "crates/spott-openapi/src/generated/retired_tag.rs is not generated any more: delete it"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "generated code differs from spec/ in: crates/spott-openapi/src/generated/retired_tag.rs\n"
        ),
        "only the stray file is stale:\n{stderr}"
    );
}

#[test]
fn outside_any_workspace_the_error_says_what_was_tried() {
    let nowhere = tempfile::tempdir().expect("a temporary directory");
    let output = generate_check(nowhere.path(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    for tried in [
        "cannot find the workspace root: CARGO_WORKSPACE_DIR is not set;",
        "locate-project --workspace` failed:",
        "nor any directory above it has a Cargo.toml with a [workspace] table",
    ] {
        assert!(stderr.contains(tried), "missing {tried:?} in:\n{stderr}");
    }
}

#[test]
fn a_cargo_workspace_dir_without_a_workspace_is_refused() {
    let nowhere = tempfile::tempdir().expect("a temporary directory");
    let output = generate_check(&checkout(), &[("CARGO_WORKSPACE_DIR", nowhere.path())]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("which has no Cargo.toml with a [workspace] table"),
        "{stderr}"
    );
}
