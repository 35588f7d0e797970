//! What a spec change does to the generated Rust API, and the semver bump
//! that follows.
//!
//! Both sides are generated in memory by the generator `cargo xtask
//! generate` uses, with the current settings (so only the spec differs), the
//! generated client is read with `api_surface`, and the two surfaces are
//! compared by [`surface_changes`]. Nothing is
//! inferred from the spec: what the report lists is what the generated code
//! shows.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use api_surface::Surface;
use serde::Serialize;
use serde_json::Value;

use super::links::SurfaceFacts;
use super::rust_rules::{Kind, Level, RustChange};
use super::surface_changes;
use crate::apis::Api;
use crate::generate;

/// The settings a spec that is none of `APIS`' is generated with: it gets
/// no crate of its own, so the tolerant types are named after this one.
const UNNAMED: Api = Api {
    name: "spec",
    spec: "the spec",
    crate_dir: "",
    crate_name: "generated",
    wrapper_crate: "",
};

/// The Rust side of one comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RustImpact {
    /// The sides that could not be generated; when not empty, nothing else
    /// was compared.
    pub errors: Vec<SideError>,
    /// Counts of `changes` per level.
    pub summary: LevelSummary,
    /// What changed in the generated crate's public API, in reporting order.
    pub changes: Vec<RustChange>,
    /// The crates affected and the bump they need.
    pub semver: Semver,
    /// What the surfaces say about the changed items, for
    /// [`links`](super::links); not reported.
    #[serde(skip)]
    pub facts: SurfaceFacts,
}

/// A side that could not be generated, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideError {
    /// `old` or `new`.
    pub side: &'static str,
    /// The generator's (or the surface reader's) own words.
    pub message: String,
}

/// How many changes there are of each level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LevelSummary {
    /// Changes that need a major version.
    pub major: usize,
    /// Changes that need a minor version.
    pub minor: usize,
    /// Changes that need a patch version.
    pub patch: usize,
}

/// The version bump a comparison implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// The generated code is byte for byte the same.
    None,
    /// [`Level::Patch`].
    Patch,
    /// [`Level::Minor`].
    Minor,
    /// [`Level::Major`].
    Major,
}

impl Bump {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// The number to raise in a `0.x.y` version: Cargo treats `0.x` as the
    /// major version, so an incompatible change raises `x` (the minor
    /// number) and anything compatible raises `y` (the patch number).
    pub fn at_zero_major(self) -> Self {
        match self {
            Self::Major => Self::Minor,
            Self::Minor | Self::Patch => Self::Patch,
            Self::None => Self::None,
        }
    }
}

impl From<Level> for Bump {
    fn from(level: Level) -> Self {
        match level {
            Level::Patch => Self::Patch,
            Level::Minor => Self::Minor,
            Level::Major => Self::Major,
        }
    }
}

/// The crates a comparison is about and the bump they need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Semver {
    /// The generated crate's package name, when the spec is one of `APIS`'.
    pub generated_crate: Option<String>,
    /// The wrapper crate's package name, when the spec is one of `APIS`'. It
    /// re-exports the generated `types`, so it needs the same bump.
    pub wrapper_crate: Option<String>,
    /// The semver level of the largest change; `None` when a side could not
    /// be generated.
    pub bump: Option<Bump>,
    /// The same for a crate still at `0.x`: the part of the version to
    /// raise under Cargo's rules (`major` there is a `minor` raise).
    pub bump_0x: Option<Bump>,
}

impl RustImpact {
    /// One line for people: the bump and the crates it applies to, or why
    /// there is none.
    pub fn verdict(&self) -> String {
        match self.errors.as_slice() {
            [] => {}
            [error] => {
                return format!("not assessed: the {} spec does not generate", error.side);
            }
            _ => return "not assessed: neither spec generates".into(),
        }
        let Some(bump) = self.semver.bump else {
            return "not assessed".into();
        };
        if bump == Bump::None {
            return "generated code unchanged: no bump".into();
        }
        let crates = match (&self.semver.generated_crate, &self.semver.wrapper_crate) {
            (Some(generated), Some(wrapper)) => format!("{generated} and {wrapper}"),
            _ => "the generated crate and its wrapper".into(),
        };
        let zero = self.semver.bump_0x.unwrap_or(Bump::None).as_str();
        format!(
            "{} bump for {crates} (at 0.x: raise the {zero} number)",
            bump.as_str()
        )
    }
}

/// A side, generated and read.
struct Generated {
    surface: Surface,
    /// Every generated file, in the generator's order.
    files: Vec<(String, String)>,
}

/// Compares the Rust API generated from `old` (`None`: the spec did not
/// exist, so there was no crate) with the one generated from `new`, both
/// with `api`'s settings (a neutral crate name when `api` is `None`).
pub fn assess(api: Option<&Api>, old: Option<&Value>, new: &Value) -> RustImpact {
    let settings = api.unwrap_or(&UNNAMED);
    let old = match old {
        Some(value) => generate_side(settings, value),
        None => Ok(Generated {
            surface: Surface::default(),
            files: Vec::new(),
        }),
    };
    let new = generate_side(settings, new);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let errors = [("old", old.err()), ("new", new.err())]
                .into_iter()
                .filter_map(|(side, message)| {
                    // One line, whatever the generator wrote.
                    let message = message?.split_whitespace().collect::<Vec<_>>().join(" ");
                    Some(SideError { side, message })
                })
                .collect();
            return RustImpact {
                errors,
                summary: LevelSummary::default(),
                changes: Vec::new(),
                semver: semver(api, None),
                facts: SurfaceFacts::default(),
            };
        }
    };
    let mut changes = surface_changes::compare(&old.surface, &new.surface);
    if changes.is_empty() {
        for (path, contents) in &new.files {
            let before = old.files.iter().find(|(old_path, _)| old_path == path);
            if before.map(|(_, old_contents)| old_contents) != Some(contents) {
                changes.push(RustChange::new(
                    Kind::CodeChanged,
                    path,
                    "the generated code differs (documentation, validation or request building); its public surface does not",
                ));
            }
        }
    }
    let bump = match changes.iter().map(|change| change.level).max() {
        Some(level) => Bump::from(level),
        None => Bump::None,
    };
    RustImpact {
        errors: Vec::new(),
        summary: summarize(&changes),
        changes,
        semver: semver(api, Some(bump)),
        facts: SurfaceFacts::of(&[&old.surface, &new.surface]),
    }
}

fn semver(api: Option<&Api>, bump: Option<Bump>) -> Semver {
    Semver {
        generated_crate: api.map(|api| api.crate_name.to_string()),
        wrapper_crate: api.map(|api| api.wrapper_crate.to_string()),
        bump,
        bump_0x: bump.map(Bump::at_zero_major),
    }
}

fn summarize(changes: &[RustChange]) -> LevelSummary {
    let mut summary = LevelSummary::default();
    for change in changes {
        match change.level {
            Level::Major => summary.major += 1,
            Level::Minor => summary.minor += 1,
            Level::Patch => summary.patch += 1,
        }
    }
    summary
}

/// Generates one side and reads its client's surface. The generator's
/// panics (it has some for schemas it does not support) become errors.
fn generate_side(api: &Api, spec: &Value) -> Result<Generated, String> {
    let outputs = without_panicking(|| generate::render_value(api, spec.clone()))?
        .map_err(|error| format!("{error:#}"))?;
    // A generator that returned no client is an error, not an empty API.
    let client: Vec<&str> = generate::client_files(api, &outputs)
        .into_iter()
        .map(|output| output.contents.as_str())
        .collect();
    if client.is_empty() {
        return Err("the generator produced no client".into());
    }
    let surface = Surface::parse_files(&client)
        .map_err(|error| format!("the generated client cannot be read: {error}"))?;
    let files = outputs
        .into_iter()
        .map(|output| (output.path.display().to_string(), output.contents))
        .collect();
    Ok(Generated { surface, files })
}

thread_local! {
    /// Whether this thread is inside [`without_panicking`], whose panics are
    /// reported as errors rather than printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into an error with its message. The panic
/// hook stays installed for every other thread; only this call is quiet.
fn without_panicking<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(false));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        format!("the generator panicked: {message}")
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::apis::APIS;

    fn root() -> &'static Path {
        crate::workspace_root().expect("the workspace root")
    }

    fn spott() -> (&'static Api, Value) {
        let api = APIS.iter().find(|api| api.name == "spott").expect("spott");
        let value = crate::spec::read_value(&root().join(api.spec)).expect("spec/spott.yaml");
        (api, value)
    }

    #[test]
    fn a_real_spec_against_itself_changes_nothing() {
        for api in APIS {
            let value = crate::spec::read_value(&root().join(api.spec)).expect("the spec");
            let impact = assess(Some(api), Some(&value), &value);
            assert_eq!(impact.errors, []);
            assert_eq!(impact.changes, []);
            assert_eq!(impact.semver.bump, Some(Bump::None));
            assert_eq!(
                impact.semver.generated_crate.as_deref(),
                Some(api.crate_name)
            );
            assert_eq!(
                impact.semver.wrapper_crate.as_deref(),
                Some(api.wrapper_crate)
            );
        }
    }

    #[test]
    fn a_removed_response_field_is_a_major_change_for_both_crates() {
        let (api, old) = spott();
        let mut new = old.clone();
        let removed = new
            .pointer_mut("/components/schemas/Task/properties")
            .and_then(Value::as_object_mut)
            .and_then(|properties| properties.shift_remove("content"));
        assert!(removed.is_some(), "Task.content exists in spec/spott.yaml");
        let impact = assess(Some(api), Some(&old), &new);
        let changes: Vec<_> = impact
            .changes
            .iter()
            .map(|change| (change.level, change.kind, change.item.as_str()))
            .collect();
        assert_eq!(
            changes,
            [(Level::Major, "field.removed", "types::Task.content")]
        );
        assert_eq!(
            impact.semver,
            Semver {
                generated_crate: Some("spott-openapi".into()),
                wrapper_crate: Some("spott".into()),
                bump: Some(Bump::Major),
                bump_0x: Some(Bump::Minor),
            }
        );
        assert_eq!(
            impact.verdict(),
            "major bump for spott-openapi and spott (at 0.x: raise the minor number)"
        );
    }

    #[test]
    fn a_description_change_is_a_patch() {
        let (api, old) = spott();
        let mut new = old.clone();
        new["components"]["schemas"]["Task"]["description"] = json!("Another description.");
        let impact = assess(Some(api), Some(&old), &new);
        let kinds: Vec<_> = impact.changes.iter().map(|change| change.kind).collect();
        assert!(!kinds.is_empty());
        assert!(
            kinds.iter().all(|kind| *kind == "code.changed"),
            "{kinds:?}"
        );
        assert_eq!(impact.semver.bump, Some(Bump::Patch));
        assert_eq!(impact.semver.bump_0x, Some(Bump::Patch));
    }

    #[test]
    fn a_side_that_does_not_generate_is_reported_not_compared() {
        let (api, good) = spott();
        let bad = json!({"openapi": "3.0.3", "paths": {}});
        let impact = assess(Some(api), Some(&bad), &good);
        assert_eq!(impact.errors.len(), 1);
        assert_eq!(impact.errors[0].side, "old");
        assert!(
            impact.errors[0].message.contains("openapiv3"),
            "{}",
            impact.errors[0].message
        );
        assert_eq!(impact.changes, []);
        assert_eq!(impact.semver.bump, None);
        assert_eq!(
            impact.verdict(),
            "not assessed: the old spec does not generate"
        );
        let both = assess(None, Some(&bad), &bad);
        assert_eq!(both.errors.len(), 2);
        assert_eq!(both.verdict(), "not assessed: neither spec generates");
    }

    #[test]
    fn an_absent_old_side_makes_everything_new() {
        let (api, new) = spott();
        let impact = assess(Some(api), None, &new);
        assert_eq!(impact.errors, []);
        assert!(
            impact
                .changes
                .iter()
                .all(|change| change.kind == "type.added" || change.kind == "operation.added")
        );
        assert_eq!(impact.semver.bump, Some(Bump::Minor));
    }

    #[test]
    fn a_panic_becomes_an_error() {
        let result: Result<(), String> = without_panicking(|| panic!("boom"));
        assert_eq!(result, Err("the generator panicked: boom".to_string()));
        assert_eq!(without_panicking(|| 7), Ok(7));
    }

    #[test]
    fn odd_documents_give_errors_not_panics() {
        let texts = [
            "openapi: 3.0.3\npaths: [1]\ncomponents: 7\n",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/nope'}}}}}}}}\n",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {operationId: a, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}}}}}\n",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {operationId: a, responses: {}}}}\ncomponents: {schemas: {A: {allOf: [{$ref: '#/components/schemas/A'}]}}}\n",
        ];
        for text in texts {
            let value = crate::spec::parse_value(text).expect("valid YAML");
            let impact = assess(None, Some(&value), &value);
            if impact.errors.is_empty() {
                assert_eq!(impact.semver.bump, Some(Bump::None), "{text}");
            } else {
                assert_eq!(impact.errors.len(), 2, "{text}");
                assert!(
                    impact
                        .errors
                        .iter()
                        .all(|error| !error.message.contains('\n')),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn wrappers_re_export_the_generated_types() {
        // The wrapper's bump is the generated crate's because of this line;
        // if it goes, the rule in xtask/README.md must change with it.
        for api in APIS {
            let dir = root().join("crates").join(api.wrapper_crate);
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
            assert!(
                manifest.contains(&format!("name = \"{}\"", api.wrapper_crate)),
                "{}",
                api.wrapper_crate
            );
            let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
            let ident = api.crate_name.replace('-', "_");
            assert!(
                lib.contains(&format!("pub use {ident}::types;")),
                "{} no longer re-exports {ident}::types",
                api.wrapper_crate
            );
        }
    }
}
