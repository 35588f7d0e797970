//! Every example from the documentation pages (attached to the spec's
//! operations) decodes into the generated type and encodes back to the same
//! JSON: nothing documented is lost or renamed on the way through Rust.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use workspace_tests::{Example, Side, differences, examples, normalize, spec};

/// Decodes `value` as `T`, encodes it again, and lists what changed.
///
/// `null` and absent are the same for optional fields of these types
/// (`Option` encodes `None` as absent), so nulls are dropped before the
/// comparison; PATCH bodies, where they differ, have their own test below.
fn round_trip<T: DeserializeOwned + Serialize>(example: &Example) -> Vec<String> {
    let decoded: T = match serde_json::from_value(example.value.clone()) {
        Ok(decoded) => decoded,
        Err(error) => return vec![format!("does not decode: {error}")],
    };
    let encoded = serde_json::to_value(&decoded).expect("generated types encode");
    differences(
        &normalize(&drop_nulls(&example.value)),
        &normalize(&drop_nulls(&encoded)),
    )
}

fn drop_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), drop_nulls(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

fn is_success(side: &Side) -> bool {
    matches!(side, Side::Response(status) if status.starts_with('2'))
}

/// The generated type an example belongs to, as the operation table says:
/// the request type for a request example, the success type for a 2xx one.
type TableRoundTrip = fn(&Value) -> Result<Value, String>;

/// Round-trips every example of `spec/{api}.yaml` through the type the
/// operation table names for it, and lists what changed. The table comes
/// from the same spec, so a new operation's examples are checked with no
/// hand edit here.
fn check_all(api: &str, round_trip_of: impl Fn(&str, &Side) -> Option<TableRoundTrip>) {
    let all = examples(&spec(api));
    assert!(!all.is_empty(), "spec/{api}.yaml has no examples");
    let mut failures = Vec::new();
    for example in &all {
        let label = format!(
            "{} {:?} {}",
            example.operation_id, example.side, example.name
        );
        let Some(round_trip) = round_trip_of(&example.operation_id, &example.side) else {
            failures.push(format!("{label}: no generated type is mapped to it"));
            continue;
        };
        let problems = match round_trip(&example.value) {
            Ok(encoded) => differences(
                &normalize(&drop_nulls(&example.value)),
                &normalize(&drop_nulls(&encoded)),
            ),
            Err(error) => vec![format!("does not decode: {error}")],
        };
        if !problems.is_empty() {
            failures.push(format!("{label}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The table's round trip for an example of `operation` on `side`.
macro_rules! table_round_trip {
    ($table:path) => {
        |operation: &str, side: &Side| {
            use $table as generated;
            let row = generated::operation(operation)?;
            match side {
                Side::Request => row.request_round_trip,
                side if is_success(side) => Some(row.success_round_trip),
                _ => None,
            }
        }
    };
}

#[test]
fn spott_examples_round_trip() {
    check_all("spott", table_round_trip!(spott_openapi));
}

#[test]
fn saleshandy_examples_round_trip() {
    check_all("saleshandy", table_round_trip!(saleshandy_openapi));
}

#[test]
fn the_round_trip_catches_a_lost_field() {
    // The check itself must bite: a field the type does not know is reported.
    let example = Example {
        operation_id: "create_client_contact".into(),
        side: Side::Response("200".into()),
        name: "probe".into(),
        value: json!({"id": "c1", "undocumented": true}),
    };
    assert_eq!(
        round_trip::<spott_openapi::types::ClientContactCreatedId>(&example),
        ["/undocumented: lost (was true)"]
    );
}

#[test]
fn documented_values_decode_to_the_expected_rust_values() {
    use spott_openapi::types::*;
    let all = examples(&spec("spott"));
    let task_example = all
        .iter()
        .find(|e| e.operation_id == "create_task" && is_success(&e.side))
        .expect("create_task has a response example");
    let task: Task = serde_json::from_value(task_example.value.clone()).unwrap();
    assert_eq!(
        task.source,
        Some(spott_openapi::OpenEnum::Known(TaskSource::Manual))
    );
    assert_eq!(task.links.as_ref().map(|l| l.opportunities.len()), Some(1));

    let candidate_example = all
        .iter()
        .find(|e| e.operation_id == "update_candidate" && is_success(&e.side))
        .expect("update_candidate has a response example");
    let candidate: Candidate = serde_json::from_value(candidate_example.value.clone()).unwrap();
    let value = candidate.custom_attributes[0].value.as_ref().unwrap();
    match value.known() {
        Some(CustomAttributeValue::TextValue(text)) => {
            assert_eq!(text.text.as_deref(), Some("Senior Software Engineer"))
        }
        other => panic!("expected a customText value, got {other:?}"),
    }
    assert_eq!(
        candidate.gender.gender,
        Some(spott_openapi::OpenEnum::Known(CandidateGender::Male))
    );
}

#[test]
fn patch_body_keeps_null_apart_from_absent() {
    use spott_openapi::Nullable;
    use spott_openapi::types::{CandidateGender, UpdateCandidateRequest};
    let body = UpdateCandidateRequest {
        first_name: Some("Ana".into()),
        gender: Some(Nullable::Null),
        date_of_birth: Some(Nullable::Null),
        last_interaction_with_id: Some(Nullable::Value("user-1".parse().unwrap())),
        emails: Some(vec![]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "firstName": "Ana",
            "gender": null,
            "dateOfBirth": null,
            "lastInteractionWithId": "user-1",
            "emails": []
        })
    );
    let set = UpdateCandidateRequest {
        gender: Some(Nullable::Value(CandidateGender::X)),
        ..Default::default()
    };
    assert_eq!(serde_json::to_value(&set).unwrap(), json!({"gender": "x"}));
    let untouched = UpdateCandidateRequest::default();
    assert_eq!(serde_json::to_value(&untouched).unwrap(), json!({}));
}

#[test]
fn unknown_enum_values_and_union_variants_decode() {
    use spott_openapi::types::*;
    let task: Task = serde_json::from_value(json!({"id": "t1", "source": "AUTOMATION"})).unwrap();
    assert_eq!(
        task.source,
        Some(spott_openapi::OpenEnum::Unknown("AUTOMATION".into()))
    );
    assert_eq!(task.id.as_ref().map(|id| id.as_str()), Some("t1"));

    let attribute: CustomAttribute = serde_json::from_value(json!({
        "label": "Rating",
        "value": {"viewType": "customRating", "stars": 4}
    }))
    .unwrap();
    assert_eq!(attribute.label.as_deref(), Some("Rating"));
    assert_eq!(
        attribute.value,
        Some(spott_openapi::OpenUnion::Unknown(
            json!({"viewType": "customRating", "stars": 4})
        ))
    );
}
