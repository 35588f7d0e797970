//! Property tests over response decoding for every operation: arbitrary
//! JSON, and mutations of the documented examples (fields dropped, values
//! replaced by other types, unknown enum strings, unknown fields). Decoding
//! must never panic; it either succeeds or fails with a decode error that
//! names where (`client_core::Error::Decode` with a path).

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use workspace_tests::{Side, examples, spec};

/// Decodes like the clients do, and maps failure like they do.
fn check<T: DeserializeOwned>(value: &Value) -> Result<(), TestCaseError> {
    let bytes = serde_json::to_vec(value).expect("a Value always encodes");
    if serde_json::from_slice::<T>(&bytes).is_ok() {
        return Ok(());
    }
    match client_core::failure::decode_error::<T>("fuzz", &bytes) {
        client_core::Error::Decode { path, message, .. } => {
            prop_assert!(!path.is_empty(), "empty path for {message}");
            prop_assert!(!message.is_empty());
            Ok(())
        }
        other => Err(TestCaseError::fail(format!(
            "not a decode error: {other:?}"
        ))),
    }
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-zA-Z0-9_ <>-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every JSON pointer to a value inside `value`.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{here}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(pointer.clone());
                pointers(child, pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{here}/{index}");
                out.push(pointer.clone());
                pointers(child, pointer, out);
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    Remove,
    Replace(Value),
    UnknownString,
    AddUnknownField(Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        any_json().prop_map(Mutation::Replace),
        Just(Mutation::UnknownString),
        any_json().prop_map(Mutation::AddUnknownField),
    ]
}

/// Applies up to three mutations at pointers chosen by `picks`.
fn mutate(example: &Value, edits: &[(prop::sample::Index, Mutation)]) -> Value {
    let mut value = example.clone();
    for (pick, edit) in edits {
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        if all.is_empty() {
            break;
        }
        let pointer = all[pick.index(all.len())].clone();
        let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
        let last = last.replace("~1", "/").replace("~0", "~");
        match edit {
            Mutation::Replace(new) => {
                if let Some(slot) = value.pointer_mut(&pointer) {
                    *slot = new.clone();
                }
            }
            Mutation::UnknownString => {
                if let Some(slot) = value.pointer_mut(&pointer) {
                    *slot = json!("SOMETHING_NEW");
                }
            }
            Mutation::Remove => match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = last.parse::<usize>()
                        && index < items.len()
                    {
                        items.remove(index);
                    }
                }
                _ => {}
            },
            Mutation::AddUnknownField(new) => {
                if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                    map.insert("fuzzUnknownField".into(), new.clone());
                }
            }
        }
    }
    value
}

fn response_example(api: &str, operation: &str) -> Value {
    examples(&spec(api))
        .into_iter()
        .find(|e| {
            e.operation_id == operation
                && matches!(&e.side, Side::Response(status) if status.starts_with('2'))
        })
        .map(|e| e.value)
        .unwrap_or_else(|| panic!("{operation} has a documented response"))
}

macro_rules! fuzz_operation {
    ($name:ident, $api:literal, $operation:literal, $ty:ty) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

            #[test]
            fn $name(
                arbitrary in any_json(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..4),
            ) {
                check::<$ty>(&arbitrary)?;
                let example = response_example($api, $operation);
                check::<$ty>(&mutate(&example, &edits))?;
            }
        }
    };
}

fuzz_operation!(
    create_task_response,
    "spott",
    "create_task",
    spott_openapi::types::Task
);
fuzz_operation!(
    contact_overview_response,
    "spott",
    "get_contact_overview",
    spott_openapi::types::ContactOverview
);
fuzz_operation!(
    create_client_contact_response,
    "spott",
    "create_client_contact",
    spott_openapi::types::CreatedId
);
fuzz_operation!(
    update_candidate_response,
    "spott",
    "update_candidate",
    spott_openapi::types::Candidate
);
fuzz_operation!(
    create_tasks_response,
    "saleshandy",
    "create_tasks",
    saleshandy_openapi::types::CreateTasksResponse
);

#[test]
fn the_mutations_reach_decode_errors_with_paths() {
    // The properties above pass trivially if nothing ever fails to decode;
    // this pins one mutation that must fail, with its path.
    let mut candidate = response_example("spott", "update_candidate");
    candidate["customAttributes"][0]["aiOverridden"] = json!("yes");
    let bytes = serde_json::to_vec(&candidate).unwrap();
    match client_core::failure::decode_error::<spott_openapi::types::Candidate>("fuzz", &bytes) {
        client_core::Error::Decode { path, .. } => {
            assert_eq!(path, "customAttributes[0].aiOverridden")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // And an unknown enum string in an open enum still decodes.
    let mut task = response_example("spott", "create_task");
    task["source"] = json!("SOMETHING_NEW");
    assert!(serde_json::from_value::<spott_openapi::types::Task>(task).is_ok());
}
