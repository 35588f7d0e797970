//! The documented base URL with its `/v1` suffix works: `/v1` is not sent
//! twice.

use saleshandy::{Client, NewTasks, TaskType};
use scripted_server::{Reply, Scripted};
use serde_json::json;

#[tokio::test]
async fn a_base_url_ending_in_v1_does_not_double_it() {
    for suffix in ["/v1", "/v1/", ""] {
        let server = Scripted::start(vec![Reply::json(
            201,
            json!({"message": "ok", "payload": {"results": [{"prospectId": "p1", "taskId": "t1", "success": true}]}}),
        )])
        .await;
        let client = Client::builder()
            .api_key("k")
            .base_url(format!("{}{suffix}", server.url))
            .build()
            .unwrap();

        client
            .create_tasks(NewTasks::new(TaskType::CallFollowUp, ["p1"]))
            .await
            .unwrap();

        assert_eq!(server.received()[0].path, "/v1/tasks/create", "{suffix:?}");
    }
}
