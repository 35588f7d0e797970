//! Property tests over response decoding for every operation of the
//! generated operation tables (so a new operation is fuzzed with no edit
//! here): arbitrary JSON, and mutations of the documented examples (fields
//! dropped, values replaced by other types, unknown enum strings, unknown
//! fields). Decoding must never panic; it either succeeds or fails naming
//! where in the body and what.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use workspace_tests::{Side, examples, spec};

/// The operation tables' success decoder (the same type in both crates).
type Decode = spott_openapi::Decode;

/// Decodes like the clients do: a failure must say where and what.
fn check(decode: Decode, value: &Value) -> Result<(), TestCaseError> {
    let bytes = serde_json::to_vec(value).expect("a Value always encodes");
    match decode(&bytes) {
        Ok(()) => Ok(()),
        Err((path, message)) => {
            prop_assert!(!path.is_empty(), "empty path for {message}");
            prop_assert!(!message.is_empty());
            Ok(())
        }
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

fn response_example(api: &str, operation: &str) -> Option<Value> {
    examples(&spec(api))
        .into_iter()
        .find(|e| {
            e.operation_id == operation
                && matches!(&e.side, Side::Response(status) if status.starts_with('2'))
        })
        .map(|e| e.value)
}

/// 128 cases of arbitrary JSON and, where the page documents a response,
/// of mutated examples, for one operation.
fn fuzz(api: &str, operation: &str, decode: Decode) {
    let example = response_example(api, operation);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        ..Config::default()
    });
    let strategy = (
        any_json(),
        prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..4),
    );
    let result = runner.run(&strategy, |(arbitrary, edits)| {
        check(decode, &arbitrary)?;
        if let Some(example) = &example {
            check(decode, &mutate(example, &edits))?;
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{api} {operation}: {error}");
    }
}

#[test]
fn every_spott_response_decodes_or_names_where() {
    for operation in spott_openapi::OPERATIONS {
        fuzz("spott", operation.id, operation.success_decode);
    }
}

#[test]
fn every_saleshandy_response_decodes_or_names_where() {
    for operation in saleshandy_openapi::OPERATIONS {
        fuzz("saleshandy", operation.id, operation.success_decode);
    }
}

#[test]
fn the_mutations_reach_decode_errors_with_paths() {
    // The properties above pass trivially if nothing ever fails to decode;
    // this pins one mutation that must fail, with its path.
    let mut candidate = response_example("spott", "update_candidate").unwrap();
    candidate["customAttributes"][0]["aiOverridden"] = json!("yes");
    let bytes = serde_json::to_vec(&candidate).unwrap();
    match spott_saleshandy_core::failure::decode_error::<spott_openapi::types::Candidate>(
        "fuzz", &bytes,
    ) {
        spott_saleshandy_core::Error::Decode { path, .. } => {
            assert_eq!(path, "customAttributes[0].aiOverridden")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // The table's decoder, which the properties use, names the same place.
    let decode = spott_openapi::operation("update_candidate")
        .unwrap()
        .success_decode;
    assert_eq!(
        decode(&bytes).unwrap_err().0,
        "customAttributes[0].aiOverridden"
    );
    // And an unknown enum string in an open enum still decodes.
    let mut task = response_example("spott", "create_task").unwrap();
    task["source"] = json!("SOMETHING_NEW");
    assert!(serde_json::from_value::<spott_openapi::types::Task>(task).is_ok());
}
