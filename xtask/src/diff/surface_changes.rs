//! Two API surfaces (what `api_surface` reads from the generated code)
//! compared item by item: operations, types, struct fields, enum variants
//! and newtypes. Each difference becomes a [`RustChange`] of the kind (and so
//! the level) [`rust_rules`](super::rust_rules) gives it.
//!
//! Patch-level changes (generated code that differs with the same surface)
//! are not visible here; [`rust_impact`](super::rust_impact) adds them.

use std::collections::BTreeSet;

use api_surface::{Field, Operation, Surface, TypeDef, TypeKind, Variant};

use super::rust_rules::{Kind, RustChange};

/// Every difference between two surfaces: operations first, then types,
/// each in name order; inside an item, what the old side had (in its order)
/// before what only the new side has.
pub fn compare(old: &Surface, new: &Surface) -> Vec<RustChange> {
    let mut changes = Vec::new();
    let names: BTreeSet<&str> = old
        .operations
        .iter()
        .chain(&new.operations)
        .map(|operation| operation.name.as_str())
        .collect();
    for name in names {
        let find = |operations: &[Operation]| {
            operations
                .iter()
                .find(|operation| operation.name == name)
                .cloned()
        };
        match (find(&old.operations), find(&new.operations)) {
            (Some(old), Some(new)) => operation(&mut changes, &old, &new),
            (Some(old), None) => changes.push(RustChange::new(
                Kind::OperationRemoved,
                format!("Client::{name}"),
                format!(
                    "`{} {}` is gone: calls to `{name}()` stop compiling",
                    old.method, old.path
                ),
            )),
            (None, Some(new)) => changes.push(RustChange::new(
                Kind::OperationAdded,
                format!("Client::{name}"),
                format!("new operation `{} {}`", new.method, new.path),
            )),
            (None, None) => {}
        }
    }

    let names: BTreeSet<&str> = old
        .types
        .iter()
        .chain(&new.types)
        .map(|ty| ty.name.as_str())
        .collect();
    for name in names {
        let find = |types: &[TypeDef]| types.iter().find(|ty| ty.name == name).cloned();
        let item = format!("types::{name}");
        match (find(&old.types), find(&new.types)) {
            (Some(old), Some(new)) => type_def(&mut changes, &item, &old.kind, &new.kind),
            (Some(old), None) => changes.push(RustChange::new(
                Kind::TypeRemoved,
                item,
                format!("{} `{name}` is gone", kind_name(&old.kind)),
            )),
            (None, Some(new)) => changes.push(RustChange::new(
                Kind::TypeAdded,
                item,
                format!("new {} `{name}`", kind_name(&new.kind)),
            )),
            (None, None) => {}
        }
    }
    changes
}

fn operation(changes: &mut Vec<RustChange>, old: &Operation, new: &Operation) {
    let item = format!("Client::{}", new.name);
    if old.method != new.method {
        changes.push(RustChange::new(
            Kind::OperationMethodChanged,
            &item,
            format!(
                "sends `{}` instead of `{}` to `{}`: calls compile and make another request",
                new.method, old.method, new.path
            ),
        ));
    }
    if old.path != new.path {
        changes.push(RustChange::new(
            Kind::OperationPathChanged,
            &item,
            format!(
                "sends to `{}` instead of `{}`: calls compile and make another request",
                new.path, old.path
            ),
        ));
    }
    let input = |name: &str| format!("{item}().{name}");
    for (name, old_ty) in &old.inputs {
        match new.inputs.iter().find(|(new_name, _)| new_name == name) {
            None => changes.push(RustChange::new(
                Kind::InputRemoved,
                input(name),
                format!("input `{name}: {old_ty}` is gone: calls that set it stop compiling"),
            )),
            Some((_, new_ty)) if new_ty != old_ty => changes.push(RustChange::new(
                Kind::InputTypeChanged,
                input(name),
                format!("input `{name}` takes `{new_ty}` instead of `{old_ty}`"),
            )),
            Some(_) => {}
        }
    }
    for (name, ty) in &new.inputs {
        if old.inputs.iter().any(|(old_name, _)| old_name == name) {
            continue;
        }
        let change = if ty.starts_with("Option<") {
            RustChange::new(
                Kind::OptionalInputAdded,
                input(name),
                format!("new optional input `{name}: {ty}`"),
            )
        } else {
            RustChange::new(
                Kind::RequiredInputAdded,
                input(name),
                format!(
                    "new input `{name}: {ty}`, not an `Option` so required: existing calls compile but can fail at `send()` until they set it"
                ),
            )
        };
        changes.push(change);
    }
    if old.returns != new.returns {
        changes.push(RustChange::new(
            Kind::ReturnsChanged,
            format!("{item}().send"),
            format!(
                "`send()` returns `{}` instead of `{}`",
                new.returns, old.returns
            ),
        ));
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Newtype(_) => "newtype",
        TypeKind::Enum { .. } => "enum",
    }
}

fn with_article(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Newtype(_) => "a newtype",
        TypeKind::Enum { .. } => "an enum",
    }
}

fn type_def(changes: &mut Vec<RustChange>, item: &str, old: &TypeKind, new: &TypeKind) {
    match (old, new) {
        (TypeKind::Struct(old), TypeKind::Struct(new)) => fields(changes, item, old, new),
        (TypeKind::Newtype(old), TypeKind::Newtype(new)) => {
            if old != new {
                changes.push(RustChange::new(
                    Kind::NewtypeInnerChanged,
                    item,
                    format!("wraps `{new}` instead of `{old}`"),
                ));
            }
        }
        (
            TypeKind::Enum {
                representation: old_representation,
                variants: old_variants,
            },
            TypeKind::Enum {
                representation: new_representation,
                variants: new_variants,
            },
        ) => {
            if old_representation != new_representation {
                changes.push(RustChange::new(
                    Kind::EnumRepresentationChanged,
                    item,
                    format!(
                        "serde representation {} instead of {}",
                        representation(new_representation),
                        representation(old_representation)
                    ),
                ));
            }
            variants(changes, item, old_variants, new_variants);
        }
        _ => changes.push(RustChange::new(
            Kind::TypeKindChanged,
            item,
            format!(
                "{} instead of {}: every use of it is rewritten",
                with_article(new),
                with_article(old)
            ),
        )),
    }
}

fn representation(text: &str) -> String {
    if text.is_empty() {
        "externally tagged".into()
    } else {
        format!("`{text}`")
    }
}

/// The name a field or variant has in JSON.
fn json_name<'a>(name: &'a str, json: &'a Option<String>) -> &'a str {
    json.as_deref().unwrap_or(name)
}

fn fields(changes: &mut Vec<RustChange>, item: &str, old: &[Field], new: &[Field]) {
    for field in old {
        let place = format!("{item}.{}", field.name);
        let Some(now) = new.iter().find(|now| now.name == field.name) else {
            changes.push(RustChange::new(
                Kind::FieldRemoved,
                place,
                format!(
                    "field `{}: {}` is gone: code that reads or sets it stops compiling",
                    field.name, field.ty
                ),
            ));
            continue;
        };
        if now.ty != field.ty {
            changes.push(RustChange::new(
                Kind::FieldTypeChanged,
                &place,
                format!(
                    "field `{}` is `{}` instead of `{}`",
                    field.name, now.ty, field.ty
                ),
            ));
        }
        let (was, is) = (
            json_name(&field.name, &field.json_name),
            json_name(&now.name, &now.json_name),
        );
        if was != is {
            changes.push(RustChange::new(
                Kind::FieldJsonNameChanged,
                &place,
                format!(
                    "field `{}` is (de)serialized as {is:?} instead of {was:?}",
                    field.name
                ),
            ));
        }
    }
    for field in new {
        if old.iter().any(|was| was.name == field.name) {
            continue;
        }
        changes.push(RustChange::new(
            Kind::FieldAdded,
            format!("{item}.{}", field.name),
            format!(
                "new field `{}: {}`: struct literals without it stop compiling (typify's structs are not #[non_exhaustive])",
                field.name, field.ty
            ),
        ));
    }
}

fn variants(changes: &mut Vec<RustChange>, item: &str, old: &[Variant], new: &[Variant]) {
    let place = |variant: &Variant| format!("{item}::{}", variant.name);
    // Variants with the same Rust name are the same variant; of the rest,
    // one of each side with the same JSON value and payload is a rename.
    let unpaired = |side: &[Variant], other: &[Variant]| -> Vec<Variant> {
        side.iter()
            .filter(|variant| !other.iter().any(|o| o.name == variant.name))
            .cloned()
            .collect()
    };
    let (mut gone, mut fresh) = (unpaired(old, new), unpaired(new, old));
    for variant in old {
        let Some(now) = new.iter().find(|now| now.name == variant.name) else {
            continue;
        };
        if now.payload != variant.payload {
            changes.push(RustChange::new(
                Kind::VariantPayloadChanged,
                place(variant),
                format!(
                    "variant `{}` wraps `({})` instead of `({})`",
                    variant.name,
                    now.payload.join(", "),
                    variant.payload.join(", ")
                ),
            ));
        }
        let (was, is) = (
            json_name(&variant.name, &variant.json_name),
            json_name(&now.name, &now.json_name),
        );
        if was != is {
            changes.push(RustChange::new(
                Kind::VariantJsonNameChanged,
                place(variant),
                format!(
                    "variant `{}` is (de)serialized as {is:?} instead of {was:?}",
                    variant.name
                ),
            ));
        }
    }
    gone.retain(|variant| {
        let wire = json_name(&variant.name, &variant.json_name);
        let Some(index) = fresh.iter().position(|now| {
            json_name(&now.name, &now.json_name) == wire && now.payload == variant.payload
        }) else {
            return true;
        };
        let now = fresh.remove(index);
        changes.push(RustChange::new(
            Kind::VariantRenamed,
            place(variant),
            format!(
                "variant `{}` is now `{}` (the same JSON value {wire:?})",
                variant.name, now.name
            ),
        ));
        false
    });
    for variant in &gone {
        changes.push(RustChange::new(
            Kind::VariantRemoved,
            place(variant),
            format!(
                "variant `{}` is gone: code that names it stops compiling",
                variant.name
            ),
        ));
    }
    for variant in &fresh {
        let json = match &variant.json_name {
            Some(json) => format!(" (JSON {json:?})"),
            None => String::new(),
        };
        changes.push(RustChange::new(
            Kind::VariantAdded,
            place(variant),
            format!(
                "new variant `{}`{json}: exhaustive `match`es stop compiling",
                variant.name
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rust_rules::Level;

    fn field(name: &str, ty: &str, json: Option<&str>) -> Field {
        Field {
            name: name.into(),
            ty: ty.into(),
            json_name: json.map(String::from),
        }
    }

    fn variant(name: &str, json: Option<&str>, payload: &[&str]) -> Variant {
        Variant {
            name: name.into(),
            json_name: json.map(String::from),
            payload: payload.iter().map(|ty| ty.to_string()).collect(),
        }
    }

    fn types(types: Vec<(&str, TypeKind)>) -> Surface {
        Surface {
            operations: Vec::new(),
            types: types
                .into_iter()
                .map(|(name, kind)| TypeDef {
                    name: name.into(),
                    kind,
                })
                .collect(),
        }
    }

    fn unit_enum(variants: Vec<Variant>) -> TypeKind {
        TypeKind::Enum {
            representation: String::new(),
            variants,
        }
    }

    fn operation(method: &str, path: &str, inputs: &[(&str, &str)], returns: &str) -> Surface {
        Surface {
            operations: vec![Operation {
                name: "get_item".into(),
                method: method.into(),
                path: path.into(),
                inputs: inputs
                    .iter()
                    .map(|(name, ty)| (name.to_string(), ty.to_string()))
                    .collect(),
                returns: returns.into(),
            }],
            types: Vec::new(),
        }
    }

    /// `(level, kind, item)` of every change.
    fn classify(old: &Surface, new: &Surface) -> Vec<(Level, &'static str, String)> {
        compare(old, new)
            .into_iter()
            .map(|change| (change.level, change.kind, change.item))
            .collect()
    }

    #[test]
    fn operation_rules() {
        let base = operation("GET", "/items/{id}", &[("id", "String")], "Result<Item>");
        let m = |level, kind, item: &str| (level, kind, item.to_string());
        let table = [
            (
                "same",
                operation("GET", "/items/{id}", &[("id", "String")], "Result<Item>"),
                vec![],
            ),
            (
                "method",
                operation("POST", "/items/{id}", &[("id", "String")], "Result<Item>"),
                vec![m(
                    Level::Major,
                    "operation.method.changed",
                    "Client::get_item",
                )],
            ),
            (
                "path",
                operation("GET", "/things/{id}", &[("id", "String")], "Result<Item>"),
                vec![m(
                    Level::Major,
                    "operation.path.changed",
                    "Client::get_item",
                )],
            ),
            (
                "optional input",
                operation(
                    "GET",
                    "/items/{id}",
                    &[("id", "String"), ("limit", "Option<u32>")],
                    "Result<Item>",
                ),
                vec![m(
                    Level::Minor,
                    "operation.input.added",
                    "Client::get_item().limit",
                )],
            ),
            (
                "required input",
                operation(
                    "GET",
                    "/items/{id}",
                    &[("id", "String"), ("body", "builder::Item")],
                    "Result<Item>",
                ),
                vec![m(
                    Level::Major,
                    "operation.input.added",
                    "Client::get_item().body",
                )],
            ),
            (
                "input removed",
                operation("GET", "/items/{id}", &[], "Result<Item>"),
                vec![m(
                    Level::Major,
                    "operation.input.removed",
                    "Client::get_item().id",
                )],
            ),
            (
                "input type",
                operation("GET", "/items/{id}", &[("id", "ItemId")], "Result<Item>"),
                vec![m(
                    Level::Major,
                    "operation.input.type.changed",
                    "Client::get_item().id",
                )],
            ),
            (
                "returns",
                operation("GET", "/items/{id}", &[("id", "String")], "Result<Thing>"),
                vec![m(
                    Level::Major,
                    "operation.returns.changed",
                    "Client::get_item().send",
                )],
            ),
            (
                "removed",
                Surface::default(),
                vec![m(Level::Major, "operation.removed", "Client::get_item")],
            ),
        ];
        for (case, new, expected) in table {
            assert_eq!(classify(&base, &new), expected, "{case}");
        }
        assert_eq!(
            classify(&Surface::default(), &base),
            [m(Level::Minor, "operation.added", "Client::get_item")]
        );
    }

    #[test]
    fn type_and_field_rules() {
        let item = |fields: Vec<Field>| types(vec![("Item", TypeKind::Struct(fields))]);
        let base = item(vec![
            field("id", "String", None),
            field("color_hex", "Option<String>", Some("colorHex")),
        ]);
        let m = |level, kind, item: &str| (level, kind, item.to_string());
        let table = [
            (
                "field added, optional or not",
                item(vec![
                    field("id", "String", None),
                    field("color_hex", "Option<String>", Some("colorHex")),
                    field("name", "Option<String>", None),
                ]),
                vec![m(Level::Major, "field.added", "types::Item.name")],
            ),
            (
                "field removed",
                item(vec![field("id", "String", None)]),
                vec![m(Level::Major, "field.removed", "types::Item.color_hex")],
            ),
            (
                "field type",
                item(vec![
                    field("id", "i64", None),
                    field("color_hex", "Option<String>", Some("colorHex")),
                ]),
                vec![m(Level::Major, "field.type.changed", "types::Item.id")],
            ),
            (
                "field JSON name",
                item(vec![
                    field("id", "String", None),
                    field("color_hex", "Option<String>", None),
                ]),
                vec![m(
                    Level::Major,
                    "field.json_name.changed",
                    "types::Item.color_hex",
                )],
            ),
            (
                "kind",
                types(vec![("Item", TypeKind::Newtype("String".into()))]),
                vec![m(Level::Major, "type.kind.changed", "types::Item")],
            ),
            (
                "type removed",
                Surface::default(),
                vec![m(Level::Major, "type.removed", "types::Item")],
            ),
            (
                "type added",
                types(vec![
                    (
                        "Item",
                        TypeKind::Struct(vec![
                            field("id", "String", None),
                            field("color_hex", "Option<String>", Some("colorHex")),
                        ]),
                    ),
                    ("ItemId", TypeKind::Newtype("String".into())),
                ]),
                vec![m(Level::Minor, "type.added", "types::ItemId")],
            ),
        ];
        for (case, new, expected) in table {
            assert_eq!(classify(&base, &new), expected, "{case}");
        }
        let newtype = |inner: &str| types(vec![("Id", TypeKind::Newtype(inner.into()))]);
        assert_eq!(
            classify(&newtype("String"), &newtype("i64")),
            [m(Level::Major, "newtype.inner.changed", "types::Id")]
        );
    }

    #[test]
    fn enum_rules() {
        let status = |variants: Vec<Variant>| types(vec![("Status", unit_enum(variants))]);
        let base = status(vec![
            variant("Open", Some("open"), &[]),
            variant("Closed", Some("closed"), &[]),
        ]);
        let m = |level, kind, item: &str| (level, kind, item.to_string());
        let table = [
            (
                "added",
                status(vec![
                    variant("Open", Some("open"), &[]),
                    variant("Closed", Some("closed"), &[]),
                    variant("Stale", Some("stale"), &[]),
                ]),
                vec![m(Level::Major, "variant.added", "types::Status::Stale")],
            ),
            (
                "removed",
                status(vec![variant("Open", Some("open"), &[])]),
                vec![m(Level::Major, "variant.removed", "types::Status::Closed")],
            ),
            (
                "renamed: the same JSON value",
                status(vec![
                    variant("Open", Some("open"), &[]),
                    variant("Shut", Some("closed"), &[]),
                ]),
                vec![m(Level::Major, "variant.renamed", "types::Status::Closed")],
            ),
            (
                "the same Rust name, another JSON value",
                status(vec![
                    variant("Open", Some("OPEN"), &[]),
                    variant("Closed", Some("closed"), &[]),
                ]),
                vec![m(
                    Level::Major,
                    "variant.json_name.changed",
                    "types::Status::Open",
                )],
            ),
            (
                "reordered",
                status(vec![
                    variant("Closed", Some("closed"), &[]),
                    variant("Open", Some("open"), &[]),
                ]),
                vec![],
            ),
        ];
        for (case, new, expected) in table {
            assert_eq!(classify(&base, &new), expected, "{case}");
        }

        let union = |representation: &str, payload: &str| {
            types(vec![(
                "Value",
                TypeKind::Enum {
                    representation: representation.into(),
                    variants: vec![variant("Text", None, &[payload])],
                },
            )])
        };
        assert_eq!(
            classify(&union("untagged", "String"), &union("untagged", "i64")),
            [m(
                Level::Major,
                "variant.payload.changed",
                "types::Value::Text"
            )]
        );
        assert_eq!(
            classify(
                &union("untagged", "String"),
                &union("tag = \"kind\"", "String")
            ),
            [m(
                Level::Major,
                "enum.representation.changed",
                "types::Value"
            )]
        );
    }

    #[test]
    fn messages_name_both_sides() {
        let old = operation("GET", "/a", &[("id", "String")], "A");
        let new = operation("GET", "/a", &[("id", "i64")], "A");
        let change = &compare(&old, &new)[0];
        assert_eq!(change.detail, "input `id` takes `i64` instead of `String`");
    }
}
