//! The Rust API rules of `cargo xtask diff`: every kind of change to a
//! generated crate's public API, its stable id and the semver level it
//! forces. [`surface_changes`](super::surface_changes) finds the changes;
//! this table says what they cost.
//!
//! - anything removed, renamed or given another type is `major`;
//! - a new struct field is `major` even when it is an `Option`: typify's
//!   structs have public fields and are not `#[non_exhaustive]`, so a struct
//!   literal written against the old version stops compiling;
//! - a new enum variant is `major`: an exhaustive `match` stops compiling
//!   (wrapping the enum in `OpenEnum` on the wire does not change that);
//! - a new JSON name for the same Rust item is `major`: the serde impls are
//!   public, and data (de)serialized with the old version no longer reads;
//! - the same `Client` method sending another HTTP method or path is `major`:
//!   calls still compile and silently make a different request;
//! - a new builder input is `minor` when it is an `Option` and `major`
//!   otherwise (calls still compile, but `send()` can fail until it is set);
//! - a new type or operation is `minor`;
//! - generated code that differs behind the same surface is `patch`.
//!
//! The same table is in xtask/README.md ("Rust API rules"); a test keeps
//! them equal.

use serde::Serialize;

/// How much a change to a crate's public API forces its version to move.
///
/// Ordered: `Patch < Minor < Major`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Same public API; the code behind it changed.
    Patch,
    /// Something new; nothing that compiled before stops compiling.
    Minor,
    /// Code written against the old version can stop compiling or behave
    /// differently.
    Major,
}

impl Level {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

/// What kind of change one [`RustChange`] is; each has a stable id and a
/// fixed level (see [`Kind::level`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A new `Client` method.
    OperationAdded,
    /// A `Client` method is gone.
    OperationRemoved,
    /// The same method sends another HTTP method.
    OperationMethodChanged,
    /// The same method sends to another path.
    OperationPathChanged,
    /// A new builder input typed `Option<…>`.
    OptionalInputAdded,
    /// A new builder input that `send()` needs.
    RequiredInputAdded,
    /// A builder input is gone.
    InputRemoved,
    /// A builder input takes another type.
    InputTypeChanged,
    /// `send()` returns another type.
    ReturnsChanged,
    /// A new type in `types`.
    TypeAdded,
    /// A type of `types` is gone.
    TypeRemoved,
    /// A type became another kind of item (struct, enum, newtype).
    TypeKindChanged,
    /// A new struct field.
    FieldAdded,
    /// A struct field is gone.
    FieldRemoved,
    /// A struct field has another type.
    FieldTypeChanged,
    /// A struct field (de)serializes under another JSON name.
    FieldJsonNameChanged,
    /// A new enum variant.
    VariantAdded,
    /// An enum variant is gone.
    VariantRemoved,
    /// The same JSON value under another Rust variant name.
    VariantRenamed,
    /// The same Rust variant (de)serializes as another JSON value.
    VariantJsonNameChanged,
    /// The same Rust variant wraps other types.
    VariantPayloadChanged,
    /// An enum's serde representation (tagging) changed.
    EnumRepresentationChanged,
    /// A newtype wraps another type.
    NewtypeInnerChanged,
    /// The generated code differs; its public surface does not.
    CodeChanged,
}

impl Kind {
    /// Every kind, in the order of the README's table.
    #[cfg(test)]
    pub const ALL: &[Kind] = &[
        Kind::OperationAdded,
        Kind::OperationRemoved,
        Kind::OperationMethodChanged,
        Kind::OperationPathChanged,
        Kind::OptionalInputAdded,
        Kind::RequiredInputAdded,
        Kind::InputRemoved,
        Kind::InputTypeChanged,
        Kind::ReturnsChanged,
        Kind::TypeAdded,
        Kind::TypeRemoved,
        Kind::TypeKindChanged,
        Kind::FieldAdded,
        Kind::FieldRemoved,
        Kind::FieldTypeChanged,
        Kind::FieldJsonNameChanged,
        Kind::VariantAdded,
        Kind::VariantRemoved,
        Kind::VariantRenamed,
        Kind::VariantJsonNameChanged,
        Kind::VariantPayloadChanged,
        Kind::EnumRepresentationChanged,
        Kind::NewtypeInnerChanged,
        Kind::CodeChanged,
    ];

    /// The stable id used in every output format.
    pub fn id(self) -> &'static str {
        match self {
            Self::OperationAdded => "operation.added",
            Self::OperationRemoved => "operation.removed",
            Self::OperationMethodChanged => "operation.method.changed",
            Self::OperationPathChanged => "operation.path.changed",
            Self::OptionalInputAdded | Self::RequiredInputAdded => "operation.input.added",
            Self::InputRemoved => "operation.input.removed",
            Self::InputTypeChanged => "operation.input.type.changed",
            Self::ReturnsChanged => "operation.returns.changed",
            Self::TypeAdded => "type.added",
            Self::TypeRemoved => "type.removed",
            Self::TypeKindChanged => "type.kind.changed",
            Self::FieldAdded => "field.added",
            Self::FieldRemoved => "field.removed",
            Self::FieldTypeChanged => "field.type.changed",
            Self::FieldJsonNameChanged => "field.json_name.changed",
            Self::VariantAdded => "variant.added",
            Self::VariantRemoved => "variant.removed",
            Self::VariantRenamed => "variant.renamed",
            Self::VariantJsonNameChanged => "variant.json_name.changed",
            Self::VariantPayloadChanged => "variant.payload.changed",
            Self::EnumRepresentationChanged => "enum.representation.changed",
            Self::NewtypeInnerChanged => "newtype.inner.changed",
            Self::CodeChanged => "code.changed",
        }
    }

    /// The semver level this kind of change forces (the rules in the module
    /// documentation).
    pub fn level(self) -> Level {
        match self {
            Self::CodeChanged => Level::Patch,
            Self::OperationAdded | Self::OptionalInputAdded | Self::TypeAdded => Level::Minor,
            Self::OperationRemoved
            | Self::OperationMethodChanged
            | Self::OperationPathChanged
            | Self::RequiredInputAdded
            | Self::InputRemoved
            | Self::InputTypeChanged
            | Self::ReturnsChanged
            | Self::TypeRemoved
            | Self::TypeKindChanged
            | Self::FieldAdded
            | Self::FieldRemoved
            | Self::FieldTypeChanged
            | Self::FieldJsonNameChanged
            | Self::VariantAdded
            | Self::VariantRemoved
            | Self::VariantRenamed
            | Self::VariantJsonNameChanged
            | Self::VariantPayloadChanged
            | Self::EnumRepresentationChanged
            | Self::NewtypeInnerChanged => Level::Major,
        }
    }
}

/// One change to a generated crate's public API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RustChange {
    /// The semver level it forces.
    pub level: Level,
    /// A stable id such as `field.removed`.
    pub kind: &'static str,
    /// The Rust item: `Client::create_task`, `Client::create_task().body`,
    /// `types::Task`, `types::Task.content`, `types::TaskSource::Manual`, or
    /// a generated file for `code.changed`.
    pub item: String,
    /// One line: what changed and what it does to code using the crate.
    pub detail: String,
    /// Indices into the diff's findings: the wire findings this change
    /// comes from, where that is known (see [`links`](super::links)).
    pub findings: Vec<usize>,
}

impl RustChange {
    /// A change of `kind`, at that kind's level.
    pub fn new(kind: Kind, item: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            level: kind.level(),
            kind: kind.id(),
            item: item.into(),
            detail: detail.into(),
            findings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_kind_has_its_level() {
        let table = [
            ("operation.added", Level::Minor),
            ("operation.removed", Level::Major),
            ("operation.method.changed", Level::Major),
            ("operation.path.changed", Level::Major),
            ("operation.input.added", Level::Minor),
            ("operation.input.added", Level::Major),
            ("operation.input.removed", Level::Major),
            ("operation.input.type.changed", Level::Major),
            ("operation.returns.changed", Level::Major),
            ("type.added", Level::Minor),
            ("type.removed", Level::Major),
            ("type.kind.changed", Level::Major),
            ("field.added", Level::Major),
            ("field.removed", Level::Major),
            ("field.type.changed", Level::Major),
            ("field.json_name.changed", Level::Major),
            ("variant.added", Level::Major),
            ("variant.removed", Level::Major),
            ("variant.renamed", Level::Major),
            ("variant.json_name.changed", Level::Major),
            ("variant.payload.changed", Level::Major),
            ("enum.representation.changed", Level::Major),
            ("newtype.inner.changed", Level::Major),
            ("code.changed", Level::Patch),
        ];
        let kinds: Vec<_> = Kind::ALL
            .iter()
            .map(|kind| (kind.id(), kind.level()))
            .collect();
        assert_eq!(kinds, table);
    }

    #[test]
    fn the_readme_lists_every_kind_with_its_level() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("### Rust API rules")
            .nth(1)
            .and_then(|rest| rest.split("\n### ").next())
            .expect("xtask/README.md has a Rust API rules section");
        let rows: Vec<(&str, &str)> = table
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| {
                let (kind, rest) = rest.split_once('`')?;
                let level = rest.trim_start_matches(" |").split('|').next()?;
                Some((kind, level.trim()))
            })
            .collect();
        let documented: BTreeSet<&str> = rows.iter().map(|(kind, _)| *kind).collect();
        let ids: BTreeSet<&str> = Kind::ALL.iter().map(|kind| kind.id()).collect();
        assert_eq!(documented, ids);
        for kind in Kind::ALL {
            let (_, levels) = rows
                .iter()
                .find(|(id, _)| *id == kind.id())
                .expect("documented");
            assert!(
                levels
                    .split(" / ")
                    .any(|level| level == kind.level().as_str()),
                "{}: README says {levels}, the code {}",
                kind.id(),
                kind.level().as_str()
            );
        }
    }
}
