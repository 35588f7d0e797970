//! The Saleshandy client: the methods every wrapper shares come from
//! [`spott_saleshandy_core::wrapper_client!`] (constructors, `with_options`,
//! `call`, `call_json`, the typed lists); the typed methods of this API's
//! operations follow it.

#[cfg(feature = "tasks")]
use spott_saleshandy_core::Error;

#[cfg(feature = "tasks")]
use crate::tasks::{NewTasks, TaskResults};

spott_saleshandy_core::wrapper_client! {
    /// A Saleshandy Open API client. Cheap to clone; clones share connections.
    api: saleshandy_openapi,
    exec: crate::exec,
    name: "saleshandy",
    spec: "spec/saleshandy.yaml",
    default_base_url: "https://open-api.saleshandy.com",
    api_key_var: "SALESHANDY_API_KEY",
    base_url_var: "SALESHANDY_BASE_URL",
    call_example: r#"use saleshandy::types::CreateTasksRequest;
let body: CreateTasksRequest = serde_json::from_value(serde_json::json!({
    "prospectIds": ["8PvBmrB7P7"], "taskType": "13"
}))
.unwrap();
let created = client.call(|raw| raw.create_tasks().body(body).send()).await?;
println!("{:?}", created.message);"#,
    call_json_example: r#"let body = serde_json::json!({"prospectIds": ["8PvBmrB7P7"], "taskType": "13"});
let created = client
    .call_json("create_tasks", Arguments { body: Some(&body), ..Arguments::default() })
    .await?;
println!("{}", created["message"]);"#,
}

impl Client {
    #[cfg(feature = "tasks")]
    /// Creates the task for every prospect (`POST /v1/tasks/create`) and
    /// reports the outcome per prospect: one failing does not fail the
    /// others or the call. Sent once unless the server provably did not
    /// process it (429, connection refused).
    pub async fn create_tasks(&self, tasks: NewTasks) -> Result<TaskResults, Error> {
        let body = tasks.into_body()?;
        let sent = body.prospect_ids.clone();
        let response = spott_saleshandy_core::finish(
            "create_tasks",
            self.raw.create_tasks().body(body).send(),
        )
        .await?;
        Ok(TaskResults::new(response, sent))
    }
}
