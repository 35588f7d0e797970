//! `cargo xtask diff`, run as the real binary: the fixture cases against
//! their reviewed JSON snapshots, the real specs, git revisions, exit codes
//! and errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// xtask's directory, as cargo says at run time (not where it was built).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("cargo sets CARGO_MANIFEST_DIR when it runs the tests")
}

fn fixtures() -> PathBuf {
    manifest_dir().join("tests/fixtures/diff")
}

fn workspace_root() -> PathBuf {
    manifest_dir()
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Runs `xtask diff <args>` in `dir`.
fn xtask_diff(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the xtask binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a diff that must succeed and returns its JSON report.
fn json_report(dir: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let output = xtask_diff(dir, &args);
    assert!(
        output.status.success(),
        "xtask diff {args:?} failed: {}",
        stderr(&output)
    );
    serde_json::from_str(&stdout(&output)).expect("--format json prints JSON")
}

fn findings(report: &Value) -> Vec<Value> {
    report["diffs"]
        .as_array()
        .expect("diffs is an array")
        .iter()
        .flat_map(|diff| diff["findings"].as_array().expect("findings is an array"))
        .cloned()
        .collect()
}

/// `(severity, rule, pointer)` of every finding.
fn classified(report: &Value) -> BTreeSet<(String, String, String)> {
    findings(report)
        .iter()
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap_or_default().to_string();
            (text("severity"), text("rule"), text("pointer"))
        })
        .collect()
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixture directory exists")
        .map(|entry| entry.expect("a readable entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn fixture_cases_match_their_snapshots() {
    let cases = cases();
    assert!(cases.len() >= 25, "fixture cases went missing: {cases:?}");
    for case in &cases {
        let (old, new) = (format!("{case}/old.yaml"), format!("{case}/new.yaml"));
        let output = xtask_diff(&fixtures(), &[&old, &new, "--format", "json"]);
        assert!(output.status.success(), "{case}: {}", stderr(&output));
        let json = stdout(&output);
        let report: Value = serde_json::from_str(&json).expect("JSON output");
        let count = findings(&report).len();
        if case == "documentation-only" {
            assert_eq!(count, 0, "{case} must report nothing: {json}");
        } else {
            assert!(count > 0, "{case} reports nothing");
        }
        insta::assert_snapshot!(format!("fixture-{case}"), json);
    }
}

/// The rule ids of the README's rules table.
fn documented_rules() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).expect("README");
    let table = readme
        .split("### Rules")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the README has a Rules section");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(rule, _)| rule.to_string()))
        .collect()
}

#[test]
fn every_documented_rule_is_exercised_and_every_emitted_rule_documented() {
    let documented = documented_rules();
    assert!(
        documented.len() > 50,
        "the README table was not parsed: {documented:?}"
    );
    let mut emitted = BTreeSet::new();
    for case in cases() {
        let (old, new) = (format!("{case}/old.yaml"), format!("{case}/new.yaml"));
        let report = json_report(&fixtures(), &[&old, &new]);
        for finding in findings(&report) {
            emitted.insert(finding["rule"].as_str().unwrap_or_default().to_string());
        }
    }
    let undocumented: Vec<_> = emitted.difference(&documented).collect();
    let unexercised: Vec<_> = documented.difference(&emitted).collect();
    assert!(
        undocumented.is_empty(),
        "rules missing from xtask/README.md: {undocumented:?}"
    );
    assert!(
        unexercised.is_empty(),
        "rules no fixture exercises: {unexercised:?}"
    );
}

#[test]
fn each_real_spec_against_itself_reports_nothing() {
    let root = workspace_root();
    for spec in ["spec/spott.yaml", "spec/saleshandy.yaml"] {
        let report = json_report(&root, &[spec, spec]);
        assert_eq!(findings(&report), Vec::<Value>::new(), "{spec}");
        assert_eq!(
            report["summary"],
            serde_json::json!({"breaking": 0, "warning": 0, "info": 0})
        );
        let api = spec.trim_start_matches("spec/").trim_end_matches(".yaml");
        assert_eq!(
            report["diffs"][0]["api"], api,
            "{spec} is recognised as an API spec"
        );
        assert_eq!(
            report["diffs"][0]["rust"],
            serde_json::json!({
                "errors": [],
                "summary": {"major": 0, "minor": 0, "patch": 0},
                "changes": [],
                "semver": {
                    "generated_crate": format!("{api}-openapi"),
                    "wrapper_crate": api,
                    "bump": "none",
                    "bump_0x": "none",
                },
            }),
            "{spec}: the same spec generates the same code"
        );
    }
}

/// `(level, kind, item)` of every Rust API change.
fn rust_changes(report: &Value) -> BTreeSet<(String, String, String)> {
    report["diffs"]
        .as_array()
        .expect("diffs is an array")
        .iter()
        .flat_map(|diff| {
            diff["rust"]["changes"]
                .as_array()
                .expect("rust.changes is an array")
        })
        .map(|change| {
            let text = |key: &str| change[key].as_str().unwrap_or_default().to_string();
            (text("level"), text("kind"), text("item"))
        })
        .collect()
}

fn expected_changes(changes: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    changes
        .iter()
        .map(|(level, kind, item)| (level.to_string(), kind.to_string(), item.to_string()))
        .collect()
}

/// spec/spott.yaml, edited by `edit`, diffed against the original.
fn spott_edited(edit: impl FnOnce(&mut Value)) -> Value {
    let root = workspace_root();
    let text = std::fs::read_to_string(root.join("spec/spott.yaml")).expect("spec/spott.yaml");
    let mut spec: Value = serde_norway::from_str(&text).expect("spec/spott.yaml is YAML");
    edit(&mut spec);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let changed = dir.path().join("spott-changed.json");
    std::fs::write(&changed, spec.to_string()).expect("writing the changed spec");
    json_report(
        &root,
        &["spec/spott.yaml", changed.to_str().expect("a UTF-8 path")],
    )
}

fn semver(report: &Value) -> (&str, &str) {
    let semver = &report["diffs"][0]["rust"]["semver"];
    (
        semver["bump"].as_str().unwrap_or_default(),
        semver["bump_0x"].as_str().unwrap_or_default(),
    )
}

#[test]
fn rust_impact_of_a_removed_response_field() {
    let report = spott_edited(|spec| {
        let removed = spec
            .pointer_mut("/components/schemas/Task/properties")
            .and_then(Value::as_object_mut)
            .and_then(|properties| properties.shift_remove("content"));
        assert!(removed.is_some(), "Task.content exists in spec/spott.yaml");
    });
    assert_eq!(
        rust_changes(&report),
        expected_changes(&[("major", "field.removed", "types::Task.content")])
    );
    assert_eq!(semver(&report), ("major", "minor"));
    assert_eq!(report["diffs"][0]["rust"]["errors"], serde_json::json!([]));
}

#[test]
fn rust_impact_of_a_new_enum_value_and_a_new_optional_request_field() {
    let report = spott_edited(|spec| {
        let schemas = spec
            .pointer_mut("/components/schemas")
            .expect("spott has component schemas");
        schemas["CandidateStatus"]["enum"]
            .as_array_mut()
            .expect("CandidateStatus is an enum")
            .push("open_to_offers".into());
        schemas["CreateTaskRequest"]["properties"]
            .as_object_mut()
            .expect("CreateTaskRequest has properties")
            .insert("priority".into(), serde_json::json!({"type": "string"}));
    });
    assert_eq!(
        rust_changes(&report),
        expected_changes(&[
            (
                "major",
                "variant.added",
                "types::CandidateStatus::OpenToOffers"
            ),
            ("major", "field.added", "types::CreateTaskRequest.priority"),
        ])
    );
    // The spec-level verdict on the same enum value is a warning (it is
    // wrapped in `OpenEnum`): the wire tolerates it, a `match` does not.
    let severities: BTreeSet<_> = findings(&report)
        .iter()
        .map(|finding| finding["severity"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!severities.contains("breaking"), "{severities:?}");
    assert_eq!(semver(&report), ("major", "minor"));
}

#[test]
fn rust_impact_of_a_new_operation_is_minor() {
    let report = spott_edited(|spec| {
        spec["paths"]["/tasks/{id}"] = serde_json::json!({"get": {
            "operationId": "get_task",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {
                "description": "The task.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}},
            }},
        }});
    });
    assert_eq!(
        rust_changes(&report),
        expected_changes(&[("minor", "operation.added", "Client::get_task")])
    );
    assert_eq!(semver(&report), ("minor", "patch"));
}

#[test]
fn a_spec_the_generator_rejects_is_reported_not_fatal() {
    // progenitor panics on a request with two media types; the report says
    // so for the Rust API and still lists the spec-level findings.
    let dir = fixtures();
    let files = [
        "request-content-type/old.yaml",
        "request-content-type/new.yaml",
    ];
    let report = json_report(&dir, &files);
    assert!(!findings(&report).is_empty());
    let rust = &report["diffs"][0]["rust"];
    let sides: Vec<_> = rust["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .map(|error| error["side"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(sides, ["old", "new"]);
    assert_eq!(rust["semver"]["bump"], Value::Null);
    let text = xtask_diff(&dir, &files);
    assert!(text.status.success());
    assert!(!stderr(&text).contains("panicked"), "{}", stderr(&text));
    assert!(
        stdout(&text).contains("Rust API: not assessed: neither spec generates"),
        "{}",
        stdout(&text)
    );
}

/// The kinds of the README's Rust API rules table.
fn documented_rust_kinds() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).expect("README");
    let table = readme
        .split("### Rust API rules")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the README has a Rust API rules section");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(kind, _)| kind.to_string()))
        .collect()
}

#[test]
fn every_emitted_rust_kind_is_documented() {
    let documented = documented_rust_kinds();
    assert!(
        documented.len() > 20,
        "the README table was not parsed: {documented:?}"
    );
    let mut emitted = BTreeSet::new();
    for case in cases() {
        let (old, new) = (format!("{case}/old.yaml"), format!("{case}/new.yaml"));
        let report = json_report(&fixtures(), &[&old, &new]);
        emitted.extend(rust_changes(&report).into_iter().map(|(_, kind, _)| kind));
    }
    assert!(emitted.len() > 10, "{emitted:?}");
    let undocumented: Vec<_> = emitted.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "Rust API kinds missing from xtask/README.md: {undocumented:?}"
    );
}

#[test]
fn realistic_change_to_spott_is_classified() {
    let root = workspace_root();
    let text = std::fs::read_to_string(root.join("spec/spott.yaml")).expect("spec/spott.yaml");
    let mut spec: Value = serde_norway::from_str(&text).expect("spec/spott.yaml is YAML");
    let schemas = spec
        .pointer_mut("/components/schemas")
        .expect("spott has component schemas");
    schemas["CandidateStatus"]["enum"]
        .as_array_mut()
        .expect("CandidateStatus is an enum")
        .push("open_to_offers".into());
    let removed = schemas["Task"]["properties"]
        .as_object_mut()
        .expect("Task has properties")
        .shift_remove("content");
    assert!(removed.is_some(), "Task.content exists in spec/spott.yaml");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let changed = dir.path().join("spott-changed.json");
    std::fs::write(&changed, spec.to_string()).expect("writing the changed spec");
    let changed = changed.to_str().expect("a UTF-8 path");
    let report = json_report(&root, &["spec/spott.yaml", changed]);

    let index = spec["components"]["schemas"]["CandidateStatus"]["enum"]
        .as_array()
        .map(|values| values.len() - 1)
        .unwrap_or_default();
    let candidate = "/paths/~1candidates~1{id}/patch";
    let task = "/paths/~1tasks~1_raw/post";
    let json = "content/application~1json/schema";
    let expected: BTreeSet<(String, String, String)> = [
        (
            "info",
            "request.enum.value.added",
            format!("{candidate}/requestBody/{json}/properties/status/items/enum/{index}"),
        ),
        (
            "warning",
            "response.enum.value.added",
            format!(
                "{candidate}/responses/200/{json}/properties/status/properties/status/items/anyOf/0/enum/{index}"
            ),
        ),
        // Every other operation that answers a candidate or a task sees
        // the same change where the shared component sits in its answer.
        (
            "warning",
            "response.enum.value.added",
            format!(
                "/paths/~1candidates~1{{id}}/get/responses/200/{json}/properties/status/properties/status/items/anyOf/0/enum/{index}"
            ),
        ),
        (
            "warning",
            "response.enum.value.added",
            format!(
                "/paths/~1candidates/get/responses/200/{json}/properties/items/items/properties/status/properties/status/items/anyOf/0/enum/{index}"
            ),
        ),
        (
            "warning",
            "response.enum.value.added",
            format!(
                "/paths/~1candidates~1_search/post/responses/200/{json}/properties/items/items/properties/status/properties/status/items/anyOf/0/enum/{index}"
            ),
        ),
        (
            "warning",
            "response.property.removed",
            format!("/paths/~1tasks/get/responses/200/{json}/properties/items/items/properties/content"),
        ),
        (
            "warning",
            "response.property.removed",
            format!("{task}/responses/200/{json}/properties/content"),
        ),
        (
            "warning",
            "response.property.removed",
            format!("{task}/responses/201/{json}/properties/content"),
        ),
    ]
    .into_iter()
    .map(|(severity, rule, pointer)| (severity.to_string(), rule.to_string(), pointer))
    .collect();
    assert_eq!(classified(&report), expected);

    for finding in findings(&report) {
        let (rule, operation) = (&finding["rule"], &finding["operation"]);
        // Each finding names the operation its pointer is in.
        let path = operation["path"]
            .as_str()
            .unwrap_or_default()
            .replace('/', "~1");
        let method = operation["method"].as_str().unwrap_or_default();
        let pointer = finding["pointer"].as_str().unwrap_or_default();
        assert!(
            pointer.starts_with(&format!("/paths/{path}/{method}/")),
            "{finding}"
        );
        let origin = finding["origin"].as_str().unwrap_or_default();
        if rule == "response.property.removed" {
            assert_eq!(origin, "/components/schemas/Task/properties/content");
        } else {
            assert_eq!(
                origin,
                format!("/components/schemas/CandidateStatus/enum/{index}")
            );
            let message = finding["message"].as_str().unwrap_or_default();
            if rule == "response.enum.value.added" {
                assert!(message.contains("OpenEnum"), "{message}");
            }
        }
    }
    assert_eq!(
        report["summary"],
        serde_json::json!({"breaking": 0, "warning": 7, "info": 1})
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = fixtures();
    let warnings_only = ["server-url-changed/old.yaml", "server-url-changed/new.yaml"];
    let breaking = ["request-fields/old.yaml", "request-fields/new.yaml"];
    let run = |files: [&str; 2], extra: &[&str]| {
        let mut args = files.to_vec();
        args.extend(extra);
        xtask_diff(&dir, &args)
    };

    assert!(run(breaking, &[]).status.success(), "no --fail-on: exit 0");
    assert!(
        run(warnings_only, &["--fail-on", "breaking"])
            .status
            .success()
    );

    let failed = run(breaking, &["--fail-on", "breaking"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("wire findings at or above `breaking`"),
        "{}",
        stderr(&failed)
    );
    assert!(
        !stdout(&failed).is_empty(),
        "the report is printed before failing"
    );

    let failed = run(warnings_only, &["--fail-on", "warning"]);
    assert_eq!(failed.status.code(), Some(1));
    let failed = run(warnings_only, &["--fail-on", "info"]);
    assert_eq!(failed.status.code(), Some(1));
    let clean = ["documentation-only/old.yaml", "documentation-only/new.yaml"];
    assert!(run(clean, &["--fail-on", "info"]).status.success());

    // The Rust verdict is read apart from the wire one: a server URL is not
    // in the generated API, a new required request field is a major bump.
    assert!(run(warnings_only, &["--fail-on", "patch"]).status.success());
    let failed = run(breaking, &["--fail-on", "major"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("a Rust API bump at or above `major`: major"),
        "{}",
        stderr(&failed)
    );
    // A side that does not generate cannot be shown to be below a level.
    let rejected = [
        "request-content-type/old.yaml",
        "request-content-type/new.yaml",
    ];
    let failed = run(rejected, &["--fail-on", "patch"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("the Rust API was not assessed"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn wire_and_rust_verdicts_are_kept_apart() {
    let dir = fixtures();
    let report = json_report(
        &dir,
        &["shared-component/old.yaml", "shared-component/new.yaml"],
    );
    let expected = serde_json::json!({"wire": "breaking", "rust": "major"});
    assert_eq!(report["diffs"][0]["verdict"], expected);
    assert_eq!(report["verdict"], expected);
    // Harmless on the wire, a major bump in Rust (a field removed, enum
    // variants added, a method argument renamed).
    let report = json_report(&dir, &["rust-not-wire/old.yaml", "rust-not-wire/new.yaml"]);
    assert_eq!(
        report["verdict"],
        serde_json::json!({"wire": "warning", "rust": "major"})
    );
    // A server URL: a warning on the wire, not in the generated API.
    let report = json_report(
        &dir,
        &["server-url-changed/old.yaml", "server-url-changed/new.yaml"],
    );
    assert_eq!(
        report["verdict"],
        serde_json::json!({"wire": "warning", "rust": "none"})
    );
    let report = json_report(
        &dir,
        &[
            "request-content-type/old.yaml",
            "request-content-type/new.yaml",
        ],
    );
    assert_eq!(
        report["verdict"],
        serde_json::json!({"wire": "breaking", "rust": null})
    );
}

/// A finding's rule, Rust level and the items of its Rust changes.
type FindingLinks = (String, Value, Vec<String>);
/// A Rust change's item and the rules of its findings.
type ChangeLinks = (String, Vec<String>);

/// `(rule, Rust level, items of the linked changes)` of every finding of a
/// fixture case, and `(item, rules of the linked findings)` of every Rust
/// change, both in report order.
fn links(case: &str) -> (Vec<FindingLinks>, Vec<ChangeLinks>) {
    let (old, new) = (format!("{case}/old.yaml"), format!("{case}/new.yaml"));
    let report = json_report(&fixtures(), &[&old, &new]);
    let diff = &report["diffs"][0];
    let list = |key: &Value| key.as_array().cloned().unwrap_or_default();
    let (all_findings, changes) = (list(&diff["findings"]), list(&diff["rust"]["changes"]));
    let text = |value: &Value, key: &str| value[key].as_str().unwrap_or_default().to_string();
    let at = |values: &[Value], indices: &Value, key: &str| -> Vec<String> {
        list(indices)
            .iter()
            .map(|i| text(&values[i.as_u64().expect("an index") as usize], key))
            .collect()
    };
    let findings = all_findings
        .iter()
        .map(|finding| {
            (
                text(finding, "rule"),
                finding["rust"]["level"].clone(),
                at(&changes, &finding["rust"]["changes"], "item"),
            )
        })
        .collect();
    let changes = changes
        .iter()
        .map(|change| {
            (
                text(change, "item"),
                at(&all_findings, &change["findings"], "rule"),
            )
        })
        .collect();
    (findings, changes)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[test]
fn each_finding_carries_its_rust_verdict_and_each_change_its_findings() {
    // A JSON name change: the field's old and new name are one Rust change.
    let (findings, changes) = links("rust-json-names");
    assert_eq!(
        findings,
        [
            (
                "response.property.removed".into(),
                "major".into(),
                strings(&["types::Label.color_hex"])
            ),
            (
                "response.property.added".into(),
                "major".into(),
                strings(&["types::Label.color_hex"])
            ),
            (
                "response.enum.value.added".into(),
                "major".into(),
                strings(&["types::State::InProgress"])
            ),
            (
                "response.enum.value.removed".into(),
                "major".into(),
                strings(&["types::State::InProgress"])
            ),
        ]
    );
    assert_eq!(
        changes,
        [
            (
                "types::Label.color_hex".into(),
                strings(&["response.property.removed", "response.property.added"])
            ),
            (
                "types::State::InProgress".into(),
                strings(&["response.enum.value.added", "response.enum.value.removed"])
            ),
        ]
    );
    // Parameters link to builder inputs by name, a removed one through the
    // old spec; a parameter moved to a header changes no input.
    let (findings, changes) = links("request-parameters");
    let inputs: Vec<_> = findings
        .iter()
        .map(|(rule, level, items)| {
            (
                rule.as_str(),
                level.as_str().unwrap_or_default(),
                items.clone(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            (
                "request.parameter.required.changed",
                "major",
                strings(&["Client::search().q"])
            ),
            (
                "request.parameter.required.changed",
                "major",
                strings(&["Client::search().page"])
            ),
            ("request.parameter.location.changed", "none", strings(&[])),
            (
                "request.parameter.removed",
                "major",
                strings(&["Client::search().legacy"])
            ),
            ("request.parameter.style.changed", "none", strings(&[])),
            (
                "request.type.changed",
                "major",
                strings(&["Client::search().limit"])
            ),
            (
                "request.parameter.added",
                "major",
                strings(&["Client::search().region"])
            ),
            (
                "request.parameter.added",
                "minor",
                strings(&["Client::search().accept_language"])
            ),
        ]
    );
    assert_eq!(
        changes[0],
        (
            "Client::search().legacy".to_string(),
            strings(&["request.parameter.removed"])
        )
    );
    // Harmless for Rust: nothing in the generated API changes, so every
    // finding says so (and it is not `null`: the Rust API was assessed).
    let (findings, changes) = links("read-write-switch");
    assert!(changes.is_empty());
    assert!(
        findings
            .iter()
            .all(|(_, level, items)| level == "none" && items.is_empty()),
        "{findings:?}"
    );
    // A renamed operationId: the method removed and the one added.
    let (findings, _) = links("operation-id-changed");
    assert_eq!(
        findings,
        [(
            "operation.id.changed".into(),
            "major".into(),
            strings(&["Client::get_items", "Client::list_items"])
        )]
    );
    // Not assessed (the generator rejects both sides): `null`.
    let (findings, changes) = links("request-content-type");
    assert!(changes.is_empty());
    assert!(
        findings
            .iter()
            .all(|(_, level, items)| level.is_null() && items.is_empty()),
        "{findings:?}"
    );
}

#[test]
fn malformed_input_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let good = fixtures().join("server-url-changed/old.yaml");
    let cases = [
        (
            "unclosed.yaml",
            "openapi: 3.0.3\npaths: {a: [1, 2\n",
            "not valid YAML",
        ),
        ("list.yaml", "- 1\n- 2\n", "top level is not a mapping"),
        ("swagger.yaml", "swagger: '2.0'\n", "no `openapi` field"),
        (
            "odd-shapes.yaml",
            "openapi: 3.0.3\npaths: [1]\ncomponents: 7\nservers: x\n",
            "",
        ),
    ];
    for (name, text, error) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("writing a fixture");
        let output = xtask_diff(dir.path(), &[good.to_str().expect("UTF-8"), name]);
        assert!(
            !stderr(&output).contains("panicked"),
            "{name}: {}",
            stderr(&output)
        );
        if error.is_empty() {
            assert!(output.status.success(), "{name}: {}", stderr(&output));
        } else {
            assert_eq!(output.status.code(), Some(1), "{name}");
            assert!(
                stderr(&output).contains(error),
                "{name}: {}",
                stderr(&output)
            );
            assert!(
                stderr(&output).contains(name),
                "{name}: the error names the file"
            );
        }
    }
    let missing = xtask_diff(dir.path(), &["nope.yaml", "nope.yaml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("nope.yaml"),
        "{}",
        stderr(&missing)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=xtask", "-c", "user.email=xtask@invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn base_revision_reads_the_committed_spec() {
    let repo = tempfile::tempdir().expect("a temporary directory");
    let dir = repo.path();
    let case = fixtures().join("shared-component");
    git(dir, &["init", "--quiet"]);
    std::fs::create_dir(dir.join("spec")).expect("mkdir");
    std::fs::copy(case.join("old.yaml"), dir.join("spec/api.yaml")).expect("copy");
    git(dir, &["add", "spec/api.yaml"]);
    git(dir, &["commit", "--quiet", "-m", "old"]);
    std::fs::copy(case.join("new.yaml"), dir.join("spec/api.yaml")).expect("copy");

    let expected = json_report(
        &fixtures(),
        &["shared-component/old.yaml", "shared-component/new.yaml"],
    );
    let expected = findings(&expected);
    assert!(!expected.is_empty());

    // One path: HEAD (the default base) against the working tree.
    let report = json_report(dir, &["spec/api.yaml"]);
    assert_eq!(findings(&report), expected);
    assert_eq!(report["diffs"][0]["old"], "HEAD:spec/api.yaml");
    assert_eq!(report["diffs"][0]["new"], "spec/api.yaml");

    // From a subdirectory, with an explicit base.
    let report = json_report(&dir.join("spec"), &["--base", "HEAD", "api.yaml"]);
    assert_eq!(findings(&report), expected);

    // Two paths with --base: the first is read at the revision.
    let report = json_report(dir, &["--base", "HEAD", "spec/api.yaml", "spec/api.yaml"]);
    assert_eq!(findings(&report), expected);

    // A file the revision does not have: everything is new.
    std::fs::copy(case.join("new.yaml"), dir.join("spec/fresh.yaml")).expect("copy");
    let report = json_report(dir, &["spec/fresh.yaml"]);
    assert_eq!(report["diffs"][0]["old_absent"], true);
    let rules: BTreeSet<_> = findings(&report)
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(rules, BTreeSet::from(["path.added".to_string()]));
    // No crate before: its whole API is new.
    let kinds: BTreeSet<_> = rust_changes(&report)
        .into_iter()
        .map(|(_, kind, _)| kind)
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["operation.added".to_string(), "type.added".to_string()])
    );
    assert_eq!(semver(&report), ("minor", "patch"));

    for bad in ["no-such-rev", "--upload-pack=x"] {
        let output = xtask_diff(dir, &[&format!("--base={bad}"), "spec/api.yaml"]);
        assert_eq!(output.status.code(), Some(1), "{bad}");
        assert!(
            stderr(&output).contains("is not a"),
            "{bad}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn text_and_markdown_reports() {
    let dir = fixtures();
    let files = ["shared-component/old.yaml", "shared-component/new.yaml"];
    let text = xtask_diff(&dir, &files);
    assert!(text.status.success());
    let text = stdout(&text);
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    insta::assert_snapshot!("text-shared-component", text);

    let mut args = files.to_vec();
    args.extend(["--format", "markdown"]);
    let markdown = xtask_diff(&dir, &args);
    assert!(markdown.status.success());
    insta::assert_snapshot!("markdown-shared-component", stdout(&markdown));
}

/// `(severity, rule)` of every finding of a fixture case, in report order.
fn verdicts(case: &str) -> Vec<(String, String)> {
    let (old, new) = (format!("{case}/old.yaml"), format!("{case}/new.yaml"));
    let report = json_report(&fixtures(), &[&old, &new]);
    findings(&report)
        .iter()
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap_or_default().to_string();
            (text("severity"), text("rule"))
        })
        .collect()
}

/// The wire level of each fixture case built for a rule oasdiff shares: its
/// findings, exactly, with oasdiff's level (or a deviation the README
/// lists).
#[test]
fn wire_levels_follow_oasdiff() {
    let table: &[(&str, &[(&str, &str)])] = &[
        (
            // Loosened security is info (oasdiff: api-security-removed,
            // api-security-scope-removed, api-global-security-removed,
            // api-components-security-removed).
            "security-loosened",
            &[
                ("info", "security.scheme.removed"),
                ("info", "security.requirement.changed"),
                ("info", "security.requirement.changed"),
                ("info", "security.requirement.changed"),
            ],
        ),
        (
            // Right for Rust, not for the wire (oasdiff:
            // response-media-type-name-specialized, request-property-max-set,
            // request-property-max-length-set, no path change,
            // response-property-enum-value-added, response-property-any-of-added,
            // response-optional-property-removed).
            "rust-not-wire",
            &[
                ("info", "response.content_type.changed"),
                ("warning", "request.constraint.tightened"),
                ("warning", "request.constraint.tightened"),
                ("info", "path.parameter.renamed"),
                ("warning", "response.enum.value.added"),
                ("info", "response.variant.added"),
                ("warning", "response.property.removed"),
            ],
        ),
        (
            // Patterns (oasdiff: request-property-pattern-generalized,
            // -removed, -added, -changed; response-property-pattern-removed,
            // -added, -changed).
            "patterns",
            &[
                ("info", "request.constraint.loosened"),
                ("info", "request.constraint.loosened"),
                ("breaking", "request.constraint.tightened"),
                ("warning", "request.pattern.changed"),
                ("info", "request.constraint.loosened"),
                ("info", "response.constraint.loosened"),
                ("info", "response.constraint.tightened"),
                ("info", "response.pattern.changed"),
            ],
        ),
        (
            // Request defaults (oasdiff: request-parameter-default-value-
            // changed, -added, -removed are errors; request-property-default-
            // value-changed is info).
            "defaults",
            &[
                ("breaking", "request.default.changed"),
                ("breaking", "request.default.changed"),
                ("breaking", "request.default.changed"),
                ("info", "request.default.changed"),
            ],
        ),
        (
            // integer → number (oasdiff: request-parameter-type-generalized,
            // request-property-type-generalized, response-property-type-
            // specialized are info; the other way round, an error).
            "type-widening",
            &[
                ("info", "request.type.generalized"),
                ("breaking", "request.type.changed"),
                ("info", "request.type.generalized"),
                ("info", "response.type.specialized"),
                ("breaking", "response.type.changed"),
            ],
        ),
        (
            // allOf parts (oasdiff: request-body-all-of-removed is a warning,
            // -added an error, the annotation-only and response ones info).
            "all-of-parts",
            &[
                ("warning", "request.composition.changed"),
                ("breaking", "request.composition.changed"),
                ("info", "request.composition.changed"),
                ("info", "response.composition.changed"),
                ("info", "response.composition.changed"),
            ],
        ),
        (
            // readOnly and writeOnly (oasdiff: a readOnly field is no request
            // field, a writeOnly one no response field: response-optional-
            // write-only-property-removed, response-write-only-property-
            // became-optional are info).
            "read-write-only",
            &[
                ("info", "request.property.required.changed"),
                ("info", "request.property.added"),
                ("info", "response.property.removed"),
                ("info", "response.property.required.changed"),
            ],
        ),
        (
            // A field switching readOnly/writeOnly (oasdiff: request-*-
            // property-became-read-only / -not-read-only / -write-only and
            // response-optional-property-* are info, response-required-
            // property-became-not-write-only a warning; leaving a response
            // and entering a request as a required field are deviations).
            "read-write-switch",
            &[
                ("info", "request.property.read_only.changed"),
                ("info", "request.property.read_only.changed"),
                ("info", "request.property.write_only.changed"),
                ("breaking", "request.property.read_only.changed"),
                ("warning", "response.property.write_only.changed"),
                ("info", "response.property.read_only.changed"),
                ("warning", "response.property.write_only.changed"),
                ("breaking", "response.property.write_only.changed"),
            ],
        ),
        (
            // A nullable reference with a `type` beside its `allOf` is the
            // reference made nullable, not a composition (oasdiff: request-
            // property-became-nullable info, -not-nullable an error;
            // response-property-became-nullable an error, -not-nullable
            // info).
            "nullable-ref-typed",
            &[
                ("breaking", "request.nullable.changed"),
                ("info", "request.property.added"),
                ("info", "request.nullable.changed"),
                ("info", "request.property.added"),
                ("info", "response.nullable.changed"),
                ("info", "response.property.added"),
                ("breaking", "response.nullable.changed"),
                ("info", "response.property.added"),
            ],
        ),
        (
            // oasdiff: request-parameter-removed, request-property-removed,
            // optional-response-header-removed are warnings,
            // required-response-header-removed an error,
            // response-non-success-status-removed and
            // response-success-status-added info.
            "removals-and-statuses",
            &[
                ("warning", "request.parameter.removed"),
                ("warning", "request.property.removed"),
                ("breaking", "response.header.removed"),
                ("warning", "response.header.removed"),
                ("info", "response.status.added"),
                ("info", "response.status.removed"),
            ],
        ),
        (
            // oasdiff: response-property-max-length-increased, -max-length-
            // unset, -min-length-decreased, -max-increased, -min-decreased,
            // -min-items-decreased are errors; it has no rule for maxItems.
            "response-bounds",
            &[
                ("breaking", "response.constraint.loosened"),
                ("breaking", "response.constraint.loosened"),
                ("breaking", "response.constraint.loosened"),
                ("breaking", "response.constraint.loosened"),
                ("warning", "response.constraint.loosened"),
                ("breaking", "response.constraint.loosened"),
            ],
        ),
    ];
    for (case, expected) in table {
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(severity, rule)| (severity.to_string(), rule.to_string()))
            .collect();
        assert_eq!(verdicts(case), expected, "{case}");
    }
}
