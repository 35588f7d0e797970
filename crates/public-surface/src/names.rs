//! Which public paths reach each item, and the one each is shown at.
//!
//! A source parse sees `pub use client::Client` as a line of text; this
//! walk follows it. It starts at the crate root and goes through public
//! modules and re-exports (globs included), so an item in a private module
//! counts at the path users write, and an item reachable at two paths is
//! shown once, at its definition path when that one is public (else the
//! shortest), with the other paths listed as re-exports of it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rustdoc_types::{Crate, Id, Item, ItemEnum, Module, Visibility};

/// The public paths of a crate's items.
pub struct Names<'a> {
    krate: &'a Crate,
    /// Every public path of each item of the index that has one.
    paths: BTreeMap<Id, BTreeSet<String>>,
    /// Re-exports that are not items of the index (items of other crates,
    /// and enum variants through a glob): public path, then the target's
    /// definition path.
    external: BTreeSet<(String, String)>,
}

impl<'a> Names<'a> {
    /// Walks `krate` from its root.
    pub fn new(krate: &'a Crate) -> Self {
        let mut names = Self {
            krate,
            paths: BTreeMap::new(),
            external: BTreeSet::new(),
        };
        if let Some(root) = krate.index.get(&krate.root) {
            let name = root.name.clone().unwrap_or_default();
            names.add(root, name, &mut HashSet::new());
        }
        names
    }

    /// The crate being described.
    pub fn krate(&self) -> &'a Crate {
        self.krate
    }

    /// Every item with a public path, with the path it is shown at.
    pub fn items(&self) -> impl Iterator<Item = (&'a Item, &str)> + '_ {
        self.paths.keys().filter_map(|id| {
            let item = self.krate.index.get(id)?;
            Some((item, self.shown(id)?))
        })
    }

    /// The path `id` is shown at, if it has a public one.
    pub fn shown(&self, id: &Id) -> Option<&str> {
        let paths = self.paths.get(id)?;
        let defined = self.krate.paths.get(id).map(|s| s.path.join("::"));
        if let Some(defined) = defined
            && let Some(path) = paths.get(&defined)
        {
            return Some(path);
        }
        paths
            .iter()
            .min_by_key(|path| (path.matches("::").count(), path.as_str()))
            .map(String::as_str)
    }

    /// The public paths of `id` other than the one it is shown at.
    pub fn aliases(&self, id: &Id) -> Vec<&str> {
        let shown = self.shown(id);
        self.paths
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|path| Some(*path) != shown)
            .collect()
    }

    /// Re-exports of items of other crates (and of enum variants through a
    /// glob): the public path and the target's definition path.
    pub fn external(&self) -> &BTreeSet<(String, String)> {
        &self.external
    }

    /// How a reference to `id` is written: its shown path when it has a
    /// public one, else its definition path (items of other crates, and
    /// private ones a signature leaks).
    pub fn of(&self, id: &Id) -> Option<String> {
        if let Some(shown) = self.shown(id) {
            return Some(shown.to_owned());
        }
        self.krate.paths.get(id).map(|s| written_path(&s.path))
    }

    fn add(&mut self, item: &'a Item, path: String, walking: &mut HashSet<Id>) {
        self.paths.entry(item.id).or_default().insert(path.clone());
        if let ItemEnum::Module(module) = &item.inner {
            // A module that re-exports one of its ancestors would loop.
            if walking.insert(item.id) {
                self.walk(module, &path, walking);
                walking.remove(&item.id);
            }
        }
    }

    fn walk(&mut self, module: &'a Module, prefix: &str, walking: &mut HashSet<Id>) {
        for id in &module.items {
            let Some(item) = self.krate.index.get(id) else {
                continue;
            };
            if item.visibility != Visibility::Public {
                continue;
            }
            let ItemEnum::Use(import) = &item.inner else {
                if let Some(name) = &item.name {
                    self.add(item, format!("{prefix}::{name}"), walking);
                }
                continue;
            };
            let target = import.id.and_then(|id| self.krate.index.get(&id));
            let definition = import
                .id
                .and_then(|id| self.krate.paths.get(&id))
                .map(|s| written_path(&s.path))
                .unwrap_or_else(|| import.source.clone());
            match (target, import.is_glob) {
                (Some(target), false) => {
                    self.add(target, format!("{prefix}::{}", import.name), walking)
                }
                (Some(target), true) => match &target.inner {
                    ItemEnum::Module(inner) if walking.insert(target.id) => {
                        self.walk(inner, prefix, walking);
                        walking.remove(&target.id);
                    }
                    // Variants are shown with their enum; the glob is a
                    // re-export of each.
                    ItemEnum::Enum(inner) => {
                        for variant in &inner.variants {
                            if let Some(name) =
                                self.krate.index.get(variant).and_then(|v| v.name.as_ref())
                            {
                                self.external.insert((
                                    format!("{prefix}::{name}"),
                                    format!("{definition}::{name}"),
                                ));
                            }
                        }
                    }
                    _ => {}
                },
                (None, false) => {
                    self.external
                        .insert((format!("{prefix}::{}", import.name), definition));
                }
                (None, true) => {
                    self.external
                        .insert((format!("{prefix}::*"), format!("{definition}::*")));
                }
            }
        }
    }
}

/// The path users write for an item of another crate, from its definition
/// path. The generated clients keep their code in a private `generated`
/// module, and each tag's part in a private file module under it
/// (`generated::tasks::types::Task`), all re-exported with globs: users
/// write `spott_openapi::types::Task`. Those segments are left out, so the
/// snapshot neither shows private names nor changes when a type moves to
/// another tag's file.
fn written_path(path: &[String]) -> String {
    const PROGENITOR_MODULES: &[&str] = &["types", "builder", "lists", "prelude", "ext", "error"];
    let mut written: Vec<&str> = Vec::with_capacity(path.len());
    let mut segments = path.iter().map(String::as_str).enumerate().peekable();
    while let Some((index, segment)) = segments.next() {
        if index == 1 && segment == "generated" {
            // A file module: a name of ours followed by more path.
            if let Some(&(_, file)) = segments.peek()
                && !PROGENITOR_MODULES.contains(&file)
                && path.len() > 3
            {
                segments.next();
            }
            continue;
        }
        written.push(segment);
    }
    written.join("::")
}

#[cfg(test)]
mod tests {
    use super::written_path;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn generated_files_are_left_out_of_written_paths() {
        let cases = [
            (
                "spott_openapi::generated::tasks::types::Task",
                "spott_openapi::types::Task",
            ),
            (
                "spott_openapi::generated::applications_and_4_more_28942a50::types::Email",
                "spott_openapi::types::Email",
            ),
            (
                "spott_openapi::generated::types::Task",
                "spott_openapi::types::Task",
            ),
            (
                "spott_openapi::generated::lists::ListTasks",
                "spott_openapi::lists::ListTasks",
            ),
            ("spott_openapi::generated::Client", "spott_openapi::Client"),
            ("chrono::datetime::DateTime", "chrono::datetime::DateTime"),
            (
                "other::tasks::generated::types::X",
                "other::tasks::generated::types::X",
            ),
        ];
        for (definition, written) in cases {
            assert_eq!(written_path(&path(definition)), written, "{definition}");
        }
    }
}
