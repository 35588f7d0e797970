//! Saleshandy `create_tasks`: one task per known prospect, a per-prospect failure otherwise.

use serde_json::{Map, Value, json};

use super::{Outcome, string, strings};
use crate::state::{ProspectTask, Store, today};

/// `POST /v1/tasks/create`. Known prospects get a task id; unknown ones fail individually with
/// `{prospectId, taskId: null, success: false}`, as on the documentation page.
pub(super) fn create_tasks(store: &mut Store, fields: &Map<String, Value>) -> Outcome {
    let task_type = string(fields, "taskType").unwrap_or_default();
    let priority = string(fields, "priority");
    let due_date = string(fields, "dueDate").unwrap_or_else(today);
    let note = string(fields, "taskNote");
    let mut results = Vec::new();
    let mut created = Vec::new();
    for prospect_id in strings(fields, "prospectIds") {
        if store.prospects.contains(&prospect_id) {
            let id = store.next_id("shtask");
            store.prospect_tasks.push(ProspectTask {
                id: id.clone(),
                prospect_id: prospect_id.clone(),
                task_type: task_type.clone(),
                priority: priority.clone(),
                due_date: due_date.clone(),
                note: note.clone(),
            });
            results.push(json!({"prospectId": prospect_id, "taskId": id, "success": true}));
            created.push(id);
        } else {
            results.push(json!({"prospectId": prospect_id, "taskId": null, "success": false}));
        }
    }
    Outcome::Success {
        status: 201,
        body: Some(json!({
            "message": "Task created successfully",
            "payload": { "results": results },
        })),
        created,
    }
}
