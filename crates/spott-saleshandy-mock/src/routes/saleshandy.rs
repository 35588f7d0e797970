//! Saleshandy tasks: `create_tasks` (one task per known prospect, a per-prospect failure
//! otherwise), `snooze_task`, `bulk_skip_tasks` and the status of the bulk actions it starts.

use serde_json::{Map, Value, json};

use super::{Outcome, string, strings};
use crate::state::{BulkAction, ProspectTask, Store, TASK_SKIPPED, TASK_SNOOZED, now, today};

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
        if store.prospects.contains_key(&prospect_id) {
            let id = store.next_id("shtask");
            let mut task = ProspectTask::new(
                id.clone(),
                prospect_id.clone(),
                task_type.clone(),
                due_date.clone(),
            );
            task.priority = priority.clone();
            task.note = note.clone();
            store.prospect_tasks.push(task);
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

/// `POST /v1/tasks/{taskId}/snooze`: the task is `snoozed` until `snoozeUntil`; a
/// `callOutcome` is recorded (without one, the last recorded stays). The time is absolute,
/// so a repeat leaves the same state. An unknown task is the spec's 404.
pub(super) fn snooze_task(
    store: &mut Store,
    task_id: &str,
    fields: &Map<String, Value>,
) -> Outcome {
    let Some(task) = store.prospect_tasks.iter_mut().find(|t| t.id == task_id) else {
        return Outcome::NotFound {
            message: format!("no task with id `{task_id}`"),
        };
    };
    task.status = TASK_SNOOZED;
    task.snoozed_until = string(fields, "snoozeUntil");
    if let Some(outcome) = string(fields, "callOutcome") {
        task.call_outcome = Some(outcome);
    }
    Outcome::Success {
        status: 200,
        body: Some(json!({
            "message": "Task snoozed successfully",
            "payload": { "task": snoozed_task(task) },
        })),
        created: Vec::new(),
    }
}

/// `SnoozedTask`: `callOutcome` only when one was recorded (the spec does not allow null).
fn snoozed_task(task: &ProspectTask) -> Value {
    let mut body = json!({
        "taskId": task.id,
        "status": task.status,
        "snoozedUntil": task.snoozed_until,
    });
    if let Some(outcome) = &task.call_outcome {
        body["callOutcome"] = json!(outcome);
    }
    body
}

/// `POST /v1/tasks/bulk-skip`: a new bulk action that skips every named task the mock has;
/// the ids it does not have are the action's failures (the spec declares no 404 here: the
/// API reports per-task errors through the bulk status). Run while answering, so the status
/// is complete at once. Each call is a new action, counted as created.
pub(super) fn bulk_skip_tasks(store: &mut Store, fields: &Map<String, Value>) -> Outcome {
    let id = store.next_id("bulk");
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for task_id in strings(fields, "taskIds") {
        match store.prospect_tasks.iter_mut().find(|t| t.id == task_id) {
            Some(task) => {
                task.status = TASK_SKIPPED;
                done.push(task_id);
            }
            None => failed.push(task_id),
        }
    }
    store.bulk_actions.push(BulkAction {
        id: id.clone(),
        action: "skip",
        done,
        failed,
        created_at: now(),
    });
    Outcome::Success {
        status: 200,
        body: Some(json!({
            "bulkActionId": id,
            "message": "Skip request accepted. Use the bulk status API to track results.",
            "statusCheckUrl": format!("/v1/tasks/bulk-status/{id}"),
        })),
        created: vec![id],
    }
}

/// `GET /v1/tasks/bulk-status/{bulkActionId}`: the counts of a bulk action; an unknown id is
/// the spec's 404.
pub(super) fn get_bulk_action_status(store: &mut Store, id: &str) -> Outcome {
    match store.bulk_actions.iter().find(|a| a.id == id) {
        Some(action) => Outcome::Success {
            status: 200,
            body: Some(bulk_action_status(action)),
            created: Vec::new(),
        },
        None => Outcome::NotFound {
            message: format!("no bulk action with id `{id}`"),
        },
    }
}

/// `BulkActionStatus`. Finished when accepted: nothing pending, `completedAt` the time it was
/// accepted. **Simplification:** `csvDownloadLink` is `null` even when tasks failed, since
/// the mock serves no error report; the failed ids are in `MockServer::bulk_action`.
pub(crate) fn bulk_action_status(action: &BulkAction) -> Value {
    json!({
        "bulkActionId": action.id,
        "action": action.action,
        "totalTasks": action.done.len() + action.failed.len(),
        "completed": action.done.len(),
        "failed": action.failed.len(),
        "pending": 0,
        "status": "completed",
        "createdAt": action.created_at,
        "completedAt": action.created_at,
        "csvDownloadLink": null,
    })
}
