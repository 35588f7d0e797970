#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The variable that, when set, names the workspace root outright.
pub const ROOT_OVERRIDE: &str = "CARGO_WORKSPACE_DIR";

/// [`find`] for this process: its current directory, `CARGO_WORKSPACE_DIR`
/// and the cargo that runs it (`CARGO`, else `cargo` on the `PATH`).
pub fn find_from_env() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| {
        format!("cannot find the workspace root: reading the current directory: {e}")
    })?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    find(
        &cwd,
        std::env::var_os(ROOT_OVERRIDE).map(PathBuf::from),
        &cargo,
    )
}

/// The workspace root from `cwd`, with `named` the value of
/// `CARGO_WORKSPACE_DIR` and `cargo` the cargo binary to ask; the error
/// says what each step tried.
pub fn find(cwd: &Path, named: Option<PathBuf>, cargo: &OsStr) -> Result<PathBuf, String> {
    if let Some(dir) = named {
        return if is_workspace_manifest(&dir.join("Cargo.toml")) {
            Ok(dir)
        } else {
            Err(format!(
                "{ROOT_OVERRIDE} is set to {}, which has no Cargo.toml with a [workspace] table",
                dir.display()
            ))
        };
    }
    let located = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .current_dir(cwd)
        .output();
    let cargo = Path::new(cargo).display();
    let why_not = match located {
        Ok(output) if output.status.success() => {
            let manifest = String::from_utf8_lossy(&output.stdout);
            match Path::new(manifest.trim()).parent() {
                Some(root) if root.is_absolute() => return Ok(root.to_path_buf()),
                _ => format!("`{cargo} locate-project --workspace` printed {manifest:?}"),
            }
        }
        Ok(output) => format!(
            "`{cargo} locate-project --workspace` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(e) => format!("`{cargo} locate-project --workspace` could not run: {e}"),
    };
    if let Some(root) = cwd
        .ancestors()
        .find(|dir| is_workspace_manifest(&dir.join("Cargo.toml")))
    {
        return Ok(root.to_path_buf());
    }
    Err(format!(
        "cannot find the workspace root: {ROOT_OVERRIDE} is not set; {why_not}; \
         and neither {} nor any directory above it has a Cargo.toml with a [workspace] table",
        cwd.display()
    ))
}

/// Whether `manifest` exists and declares a `[workspace]` table.
fn is_workspace_manifest(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest).is_ok_and(|text| {
        text.lines()
            .any(|line| line.split('#').next().unwrap_or_default().trim() == "[workspace]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own under the system's temporary directory,
    /// removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("workspace-root-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("creating a scratch directory");
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A scratch workspace (a root manifest and one directory below it).
    fn scratch_workspace(name: &str) -> Scratch {
        let scratch = Scratch::new(name);
        std::fs::write(
            scratch.0.join("Cargo.toml"),
            "[workspace] # nothing else\nmembers = []\n",
        )
        .unwrap();
        std::fs::create_dir_all(scratch.0.join("tests")).unwrap();
        scratch
    }

    fn cargo() -> std::ffi::OsString {
        std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
    }

    #[test]
    fn cargo_finds_the_workspace_around_the_current_directory() {
        let scratch = scratch_workspace("located");
        let found = find(&scratch.0.join("tests"), None, &cargo());
        assert_eq!(found, Ok(scratch.0.clone()));
    }

    #[test]
    fn without_cargo_the_nearest_workspace_manifest_above_is_used() {
        let scratch = scratch_workspace("walked");
        let no_cargo = scratch.0.join("no-such-cargo");
        let found = find(&scratch.0.join("tests"), None, no_cargo.as_os_str());
        assert_eq!(found, Ok(scratch.0.clone()));
    }

    #[test]
    fn a_named_workspace_wins_and_must_be_one() {
        let scratch = scratch_workspace("named");
        let elsewhere = Scratch::new("named-elsewhere");
        let found = find(&elsewhere.0, Some(scratch.0.clone()), &cargo());
        assert_eq!(found, Ok(scratch.0.clone()));
        let refused = find(&scratch.0, Some(elsewhere.0.clone()), &cargo())
            .expect_err("a directory without a workspace manifest");
        assert!(
            refused.contains("CARGO_WORKSPACE_DIR is set to")
                && refused.contains("which has no Cargo.toml with a [workspace] table"),
            "{refused}"
        );
    }

    #[test]
    fn outside_any_workspace_the_error_says_what_was_tried() {
        let nowhere = Scratch::new("nowhere");
        let error =
            find(&nowhere.0, None, &cargo()).expect_err("no workspace around a scratch directory");
        for tried in [
            "cannot find the workspace root: CARGO_WORKSPACE_DIR is not set;",
            "locate-project --workspace` failed:",
            "nor any directory above it has a Cargo.toml with a [workspace] table",
        ] {
            assert!(error.contains(tried), "missing {tried:?} in: {error}");
        }
    }
}
