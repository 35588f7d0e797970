//! The JSON Schemas of the tolerant types (feature `schemars`, with the
//! derives on every generated type): what the spec says of them, so tests
//! can hold the generated schemas against `spec/`.

use std::borrow::Cow;

use schemars::JsonSchema;
use schemars::r#gen::SchemaGenerator;
use schemars::schema::{Schema, SchemaObject, SubschemaValidation};

use crate::{Nullable, OpenEnum, OpenUnion};

/// `anyOf: [T, other]`, the shape the spec gives these types.
fn any_of(known: Schema, other: Schema) -> Schema {
    Schema::Object(SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            any_of: Some(vec![known, other]),
            ..Default::default()
        })),
        ..Default::default()
    })
}

impl<T: JsonSchema> JsonSchema for OpenEnum<T> {
    fn schema_name() -> String {
        format!("Open{}", T::schema_name())
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Owned(format!("OpenEnum<{}>", T::schema_id()))
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_of(
            generator.subschema_for::<T>(),
            generator.subschema_for::<String>(),
        )
    }
}

impl<T: JsonSchema> JsonSchema for OpenUnion<T> {
    fn schema_name() -> String {
        format!("Open{}", T::schema_name())
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Owned(format!("OpenUnion<{}>", T::schema_id()))
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_of(
            generator.subschema_for::<T>(),
            generator.subschema_for::<serde_json::Map<String, serde_json::Value>>(),
        )
    }
}

impl<T: JsonSchema> JsonSchema for Nullable<T> {
    fn schema_name() -> String {
        format!("Nullable_{}", T::schema_name())
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Owned(format!("Nullable<{}>", T::schema_id()))
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Option::<T>::json_schema(generator)
    }
}
