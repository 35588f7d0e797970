//! `spott api`: every operation of both specs by operationId, through the
//! built binary against the mock, with no per-operation code in the CLI.

mod support;

use scripted_server::{Reply, Scripted};
use serde_json::json;
use support::{KEY, failed_with, json_out, mock, op, spott, spott_with_stdin};

#[tokio::test(flavor = "multi_thread")]
async fn the_list_is_the_generated_operation_table() {
    let mock = mock().await;
    for (api, table) in [
        (
            "spott",
            spott::OPERATIONS
                .iter()
                .map(|o| (o.id, o.method, o.path))
                .collect::<Vec<_>>(),
        ),
        (
            "saleshandy",
            saleshandy::OPERATIONS
                .iter()
                .map(|o| (o.id, o.method, o.path))
                .collect(),
        ),
    ] {
        let listed = json_out(&spott(&mock, &["api", api, "--list"]));
        let rows: Vec<(String, String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["operation"].as_str().unwrap().to_owned(),
                    row["method"].as_str().unwrap().to_owned(),
                    row["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String, String)> = table
            .into_iter()
            .map(|(id, method, path)| (id.to_owned(), method.to_owned(), path.to_owned()))
            .collect();
        assert_eq!(rows, expected, "{api}");
    }
    assert!(mock.received().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_and_a_create_by_operation_id_reach_the_mock() {
    let mock = mock().await;

    let overview = json_out(&spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "id=cand_1"],
    ));
    assert_eq!(overview["candidateId"], "cand_1");

    let created = json_out(&spott_with_stdin(
        &mock,
        &["api", "spott", "create_task", "--body", "-"],
        Some(r#"{"content": "Call Ana"}"#),
    ));
    assert_eq!(created["content"], "Call Ana");

    let read = &mock.received_for(op("get_contact_overview"))[0];
    assert_eq!(read.path, "/clients/contacts/cand_1");
    assert_eq!(read.api_key(), Some(KEY));
    let create = &mock.received_for(op("create_task"))[0];
    assert_eq!(create.body, Some(json!({"content": "Call Ana"})));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_operations_and_arguments_are_exit_3_and_send_nothing() {
    let mock = mock().await;
    let unknown = spott(&mock, &["api", "spott", "drop_tables"]);
    assert_eq!(
        failed_with(&unknown, 3),
        "error: invalid operation: `drop_tables` is not an operation of spec/spott.yaml"
    );
    let missing = spott(&mock, &["api", "spott", "get_contact_overview"]);
    assert_eq!(failed_with(&missing, 3), "error: invalid id: is required");
    let shape = spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "cand_1"],
    );
    assert_eq!(
        failed_with(&shape, 3),
        "error: --path: `cand_1` is not NAME=VALUE"
    );
    let dots = spott(
        &mock,
        &["api", "spott", "get_contact_overview", "-p", "id=.."],
    );
    assert_eq!(
        failed_with(&dots, 3),
        "error: invalid id: must be one path segment, not `.` or `..`"
    );
    assert!(mock.received().is_empty(), "nothing was sent");
}

/// [`support::run_at`] on a blocking thread, so the scripted server keeps
/// answering on the test's runtime meanwhile.
async fn spott_at(url: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let url = url.to_owned();
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let stdin = stdin.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        support::run_at(&url, &args, stdin.as_deref())
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_answered_503_is_retried_and_succeeds() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({"message": "Service unavailable"})),
        Reply::json(200, json!({"candidateId": "cand_1", "firstName": "Ana"})),
    ])
    .await;

    let output = spott_at(
        &server.url,
        &["api", "spott", "get_contact_overview", "-p", "id=cand_1"],
        None,
    )
    .await;

    assert_eq!(
        json_out(&output),
        json!({"candidateId": "cand_1", "firstName": "Ana"})
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "the 503, then the retry: {received:?}");
    assert!(received.iter().all(|r| r.method == "GET"
        && r.path == "/clients/contacts/cand_1"
        && r.header("x-api-key") == Some(KEY)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_answered_502_is_not_repeated() {
    let server = Scripted::start(vec![
        Reply::json(502, json!({"message": "Bad gateway"})),
        // What a wrongly repeated create would get.
        Reply::json(201, json!({"id": "task_2", "content": "Call Ana"})),
    ])
    .await;

    let output = spott_at(
        &server.url,
        &["api", "spott", "create_task", "--body", "-"],
        Some(r#"{"content": "Call Ana"}"#),
    )
    .await;

    let line = failed_with(&output, 4);
    assert_eq!(
        line,
        "error: create_task: HTTP 502; it may have been created: check before running it again"
    );
    assert!(
        support::stdout(&output).is_empty(),
        "nothing printed as a result"
    );
    let received = server.received();
    assert_eq!(received.len(), 1, "a create is sent once: {received:?}");
    assert_eq!(received[0].method, "POST");
    assert_eq!(received[0].path, "/tasks/_raw");
    assert_eq!(received[0].json(), json!({"content": "Call Ana"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_that_hangs_times_out_after_every_attempt() {
    // The standard policy: 3 attempts in all (no --retries), each cut off
    // by --timeout; a fourth reply is there to show none is made.
    let server = Scripted::start(vec![Reply::Hang; 4]).await;

    let started = std::time::Instant::now();
    let output = spott_at(
        &server.url,
        &[
            "api",
            "spott",
            "get_contact_overview",
            "-p",
            "id=cand_1",
            "--timeout",
            "0.2",
        ],
        None,
    )
    .await;

    let line = failed_with(&output, 5);
    assert_eq!(
        line,
        "error: get_contact_overview: timed out after 3 attempt(s)"
    );
    assert_eq!(
        server.received().len(),
        3,
        "the first attempt and 2 retries"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_plain_http_base_url_off_loopback_is_refused_from_the_flag_and_the_environment() {
    // The key would cross the network in clear: refused before any
    // connection, whether the URL comes from --base-url or SPOTT_BASE_URL.
    let flag = support::run_at(
        "http://api.gospott.test",
        &["api", "spott", "get_contact_overview", "-p", "id=cand_1"],
        None,
    );
    let from_env = support::finished(
        std::process::Command::new(env!("CARGO_BIN_EXE_spott"))
            .args(["api", "spott", "get_contact_overview", "-p", "id=cand_1"])
            .env("SPOTT_API_KEY", KEY)
            .env("SPOTT_BASE_URL", "http://api.gospott.test")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the spott binary runs"),
    );
    for output in [&flag, &from_env] {
        assert_eq!(
            failed_with(output, 3),
            "error: invalid configuration base_url: base URL uses plain http:// for \
             api.gospott.test; http:// is only allowed for loopback hosts (127.0.0.0/8, \
             [::1], localhost), use https://"
        );
    }
}
