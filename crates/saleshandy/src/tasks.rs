//! Create tasks (page 003): what to send, and the per-prospect outcome.

use std::collections::HashMap;

use chrono::NaiveDate;
use saleshandy_openapi::types::{CreateTasksRequest, CreateTasksResponse, ProspectTaskResult};
use spott_saleshandy_core::Error;

use crate::ids::{IntoId, ProspectId, TaskId};
use crate::task_type::{Priority, TaskType};
use spott_saleshandy_core::ids::parse_id;

/// The same task for one or many prospects.
///
/// ```
/// use chrono::NaiveDate;
/// use saleshandy::{NewTasks, Priority, TaskType};
///
/// let tasks = NewTasks::new(TaskType::CallFollowUp, ["8PvBmrB7P7"])
///     .priority(Priority::Medium)
///     .due(NaiveDate::from_ymd_opt(2026, 4, 22).unwrap())
///     .note("Call to follow up on the proposal sent yesterday.");
/// assert_eq!(
///     tasks.to_json().unwrap(),
///     serde_json::json!({
///         "prospectIds": ["8PvBmrB7P7"],
///         "taskType": "13",
///         "priority": "3",
///         "dueDate": "2026-04-22",
///         "taskNote": "Call to follow up on the proposal sent yesterday."
///     })
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct NewTasks {
    task_type: TaskType,
    prospect_ids: Vec<String>,
    priority: Option<Priority>,
    due: Option<NaiveDate>,
    note: Option<String>,
}

impl NewTasks {
    /// A task of `task_type` for each of `prospect_ids` (at least one, no
    /// duplicates, none empty): [`ProspectId`]s or text.
    pub fn new<I>(task_type: TaskType, prospect_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: IntoId<ProspectId>,
    {
        Self {
            task_type,
            prospect_ids: prospect_ids.into_iter().map(IntoId::into_id_text).collect(),
            priority: None,
            due: None,
            note: None,
        }
    }

    /// The priority (none by default).
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// The due date (the server's default is today), sent as `YYYY-MM-DD`.
    pub fn due(mut self, due: NaiveDate) -> Self {
        self.due = Some(due);
        self
    }

    /// A note to attach.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Tasks from a JSON body shaped like the API's (`prospectIds`,
    /// `taskType`, `priority`, `dueDate`, `taskNote`), as a command line
    /// reads it from a file.
    ///
    /// ```
    /// let tasks = saleshandy::NewTasks::from_json(serde_json::json!({
    ///     "prospectIds": ["p1"], "taskType": "13", "dueDate": "2026-04-22"
    /// }))
    /// .unwrap();
    /// assert_eq!(tasks.to_json().unwrap()["taskType"], "13");
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<Self, Error> {
        let body: CreateTasksRequest = spott_saleshandy_core::json_input::decode(value)?;
        Ok(Self {
            task_type: body.task_type.to_string().parse()?,
            prospect_ids: body.prospect_ids.into_iter().map(String::from).collect(),
            priority: body.priority.map(|p| p.to_string().parse()).transpose()?,
            due: body.due_date,
            note: body.task_note,
        })
    }

    /// The prospect ids, in order, as given (checked when sent).
    pub fn prospect_ids(&self) -> &[String] {
        &self.prospect_ids
    }

    /// The JSON body these tasks send, or the rule they break.
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let body = self.clone().into_body()?;
        serde_json::to_value(body).map_err(|e| Error::invalid("body", e.to_string()))
    }

    /// Checks the rules and builds the request body, with the prospect ids
    /// as sent (what [`TaskResults`] matches the answer against).
    pub(crate) fn into_body(self) -> Result<CreateTasksRequest, Error> {
        if self.prospect_ids.is_empty() {
            return Err(Error::invalid(
                "prospectIds",
                "must name at least one prospect",
            ));
        }
        let mut first_seen: HashMap<&str, usize> = HashMap::new();
        for (index, id) in self.prospect_ids.iter().enumerate() {
            if id.trim().is_empty() {
                return Err(Error::invalid(
                    format!("prospectIds[{index}]"),
                    "must not be empty",
                ));
            }
            if let Some(first) = first_seen.insert(id.as_str(), index) {
                return Err(Error::invalid(
                    format!("prospectIds[{index}]"),
                    format!("duplicates prospectIds[{first}] ({id})"),
                ));
            }
        }
        let prospect_ids = self
            .prospect_ids
            .into_iter()
            .enumerate()
            .map(|(index, id)| parse_id(|| format!("prospectIds[{index}]"), id))
            .collect::<Result<_, Error>>()?;
        Ok(CreateTasksRequest {
            prospect_ids,
            task_type: self.task_type.to_raw(),
            priority: self.priority.map(Priority::to_raw),
            due_date: self.due,
            task_note: self.note,
        })
    }
}

/// What happened for one prospect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProspectOutcome {
    /// The prospect id as the server reported it.
    pub prospect_id: ProspectId,
    /// Whether a task was created, and its id.
    pub task: TaskOutcome,
}

impl ProspectOutcome {
    /// The created task's id, when a task was created.
    pub fn task_id(&self) -> Option<&TaskId> {
        match &self.task {
            TaskOutcome::Created(id) => Some(id),
            TaskOutcome::Failed | TaskOutcome::Unconfirmed => None,
        }
    }
}

/// Whether a task was created for a prospect. "Created" always comes with
/// the task's id: an answer that contradicts itself is
/// [`Unconfirmed`](Self::Unconfirmed), never a success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskOutcome {
    /// A task was created, with this id.
    Created(TaskId),
    /// The server reported that no task was created.
    Failed,
    /// The answer contradicts itself: `success` without a task id, or a
    /// failure that names a task. The task may or may not exist; look
    /// before creating it again.
    Unconfirmed,
}

impl TaskOutcome {
    /// Reads the server's `success` and `taskId` for one prospect.
    fn from_reported(success: bool, task_id: Option<TaskId>) -> Self {
        match (success, task_id) {
            (true, Some(id)) => Self::Created(id),
            (false, None) => Self::Failed,
            (true, None) | (false, Some(_)) => Self::Unconfirmed,
        }
    }
}

/// The outcome of a create-tasks call, matched against the request:
/// [`successes`](Self::successes), [`failures`](Self::failures) and
/// [`unconfirmed`](Self::unconfirmed) are about the prospects sent; a
/// prospect sent but not reported on is [`missing`](Self::missing) (its
/// task may or may not exist), and a result for a prospect that was not
/// sent is [`unrequested`](Self::unrequested), never counted as a success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskResults {
    /// The server's summary message.
    pub message: Option<String>,
    /// Per-prospect outcomes, in the server's order, as reported (an
    /// unrequested prospect included: see [`Self::unrequested`]).
    pub outcomes: Vec<ProspectOutcome>,
    sent: Vec<ProspectId>,
}

impl TaskResults {
    pub(crate) fn new(response: CreateTasksResponse, sent: Vec<ProspectId>) -> Self {
        let outcomes = response
            .payload
            .map(|payload| payload.results)
            .unwrap_or_default()
            .into_iter()
            .map(
                |ProspectTaskResult {
                     prospect_id,
                     task_id,
                     success,
                 }| ProspectOutcome {
                    prospect_id,
                    // An id that breaks the kind's rule (empty) is no id.
                    task: TaskOutcome::from_reported(
                        success,
                        task_id.and_then(|id| TaskId::try_from(id).ok()),
                    ),
                },
            )
            .collect();
        Self {
            message: response.message,
            outcomes,
            sent,
        }
    }

    /// Outcomes for prospects that were sent.
    fn requested(&self) -> impl Iterator<Item = &ProspectOutcome> {
        self.outcomes
            .iter()
            .filter(|outcome| self.sent.contains(&outcome.prospect_id))
    }

    /// Prospects sent that got a task (each with its id).
    pub fn successes(&self) -> impl Iterator<Item = &ProspectOutcome> {
        self.requested()
            .filter(|outcome| matches!(outcome.task, TaskOutcome::Created(_)))
    }

    /// Prospects sent that the server reported as failed.
    pub fn failures(&self) -> impl Iterator<Item = &ProspectOutcome> {
        self.requested()
            .filter(|outcome| outcome.task == TaskOutcome::Failed)
    }

    /// Prospects sent whose answer contradicts itself (see
    /// [`TaskOutcome::Unconfirmed`]).
    pub fn unconfirmed(&self) -> impl Iterator<Item = &ProspectOutcome> {
        self.requested()
            .filter(|outcome| outcome.task == TaskOutcome::Unconfirmed)
    }

    /// Results for prospects that were not sent: the answer does not match
    /// the request (a proxy or mock answering for someone else), so they
    /// say nothing about what was created for the prospects sent.
    pub fn unrequested(&self) -> impl Iterator<Item = &ProspectOutcome> {
        self.outcomes
            .iter()
            .filter(|outcome| !self.sent.contains(&outcome.prospect_id))
    }

    /// Prospects that were sent but that the server did not report on.
    pub fn missing(&self) -> impl Iterator<Item = &ProspectId> {
        self.sent.iter().filter(|id| {
            !self
                .outcomes
                .iter()
                .any(|outcome| outcome.prospect_id == **id)
        })
    }

    /// Whether every prospect sent got a task, and the answer is about
    /// them only.
    pub fn all_succeeded(&self) -> bool {
        self.failures().next().is_none()
            && self.unconfirmed().next().is_none()
            && self.missing().next().is_none()
            && self.unrequested().next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_name_the_field() {
        let none: [&str; 0] = [];
        let cases = [
            (
                NewTasks::new(TaskType::Custom, none),
                "invalid prospectIds: must name at least one prospect",
            ),
            (
                NewTasks::new(TaskType::Custom, ["a", " "]),
                "invalid prospectIds[1]: must not be empty",
            ),
            (
                NewTasks::new(TaskType::Custom, ["a", "b", "a"]),
                "invalid prospectIds[2]: duplicates prospectIds[0] (a)",
            ),
            (
                NewTasks::new(TaskType::Custom, ["a", ".."]),
                "invalid prospectIds[1]: must be one path segment, not `.` or `..`",
            ),
        ];
        for (tasks, message) in cases {
            assert_eq!(tasks.to_json().unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn from_json_reads_the_page_example_and_names_bad_fields() {
        let tasks = NewTasks::from_json(json!({
            "prospectIds": ["8PvBmrB7P7"],
            "taskType": "13",
            "priority": "3",
            "dueDate": "2026-04-22",
            "taskNote": "Call to follow up on the proposal sent yesterday."
        }))
        .unwrap();
        assert_eq!(tasks.task_type, TaskType::CallFollowUp);
        assert_eq!(tasks.priority, Some(Priority::Medium));
        let error =
            NewTasks::from_json(json!({"prospectIds": ["a"], "taskType": "1"})).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid taskType: unknown variant `1`"),
            "{error}"
        );
        let error = NewTasks::from_json(
            json!({"prospectIds": ["a"], "taskType": "13", "dueDate": "22/04/2026"}),
        )
        .unwrap_err();
        assert!(error.to_string().starts_with("invalid dueDate:"), "{error}");
    }

    #[test]
    fn results_split_successes_failures_and_missing() {
        let response: CreateTasksResponse = serde_json::from_value(json!({
            "message": "Task created successfully",
            "payload": {"results": [
                {"prospectId": "Pr9xQ2Lm", "taskId": "7PWYDWW7zo", "success": true},
                {"prospectId": "INVALIDxx", "taskId": null, "success": false}
            ]}
        }))
        .unwrap();
        let results = TaskResults::new(response, ids(["Pr9xQ2Lm", "INVALIDxx", "Silent1"]));
        let ok: Vec<_> = results
            .successes()
            .map(|o| o.task_id().map(|id| id.as_str()))
            .collect();
        assert_eq!(ok, [Some("7PWYDWW7zo")]);
        let failed: Vec<_> = results.failures().map(|o| o.prospect_id.as_str()).collect();
        assert_eq!(failed, ["INVALIDxx"]);
        assert_eq!(missing(&results), ["Silent1"]);
        assert_eq!(results.unconfirmed().count(), 0);
        assert!(!results.all_succeeded());
    }

    #[test]
    fn a_success_without_a_task_id_is_unconfirmed_not_a_success() {
        // Each answer contradicts itself: "created" with no task id, and
        // "failed" naming a task.
        let response: CreateTasksResponse = serde_json::from_value(json!({
            "payload": {"results": [
                {"prospectId": "Pr9xQ2Lm", "taskId": null, "success": true},
                {"prospectId": "Pr4Kb8Qw", "taskId": "Mw5Mjoo1wb", "success": false}
            ]}
        }))
        .unwrap();
        let results = TaskResults::new(response, ids(["Pr9xQ2Lm", "Pr4Kb8Qw"]));
        assert_eq!(results.successes().count(), 0);
        assert_eq!(results.failures().count(), 0);
        let unconfirmed: Vec<_> = results
            .unconfirmed()
            .map(|o| (o.prospect_id.as_str(), o.task_id()))
            .collect();
        assert_eq!(unconfirmed, [("Pr9xQ2Lm", None), ("Pr4Kb8Qw", None)]);
        assert!(!results.all_succeeded());
    }

    fn ids<const N: usize>(texts: [&str; N]) -> Vec<ProspectId> {
        texts.iter().map(|text| text.parse().unwrap()).collect()
    }

    fn missing(results: &TaskResults) -> Vec<&str> {
        results.missing().map(|id| id.as_str()).collect()
    }

    #[test]
    fn results_for_prospects_not_sent_are_never_successes() {
        // What a mock answering for someone else returned: two results,
        // neither for the prospect sent.
        let response: CreateTasksResponse = serde_json::from_value(json!({
            "message": "Task created successfully",
            "payload": {"results": [
                {"prospectId": "Pr9xQ2Lm", "taskId": "t-1", "success": true},
                {"prospectId": "Other77", "taskId": "t-2", "success": true}
            ]}
        }))
        .unwrap();
        let results = TaskResults::new(response, ids(["8PvBmrB7P7"]));
        assert_eq!(results.successes().count(), 0);
        assert_eq!(results.failures().count(), 0);
        assert_eq!(missing(&results), ["8PvBmrB7P7"]);
        let unrequested: Vec<_> = results
            .unrequested()
            .map(|o| o.prospect_id.as_str())
            .collect();
        assert_eq!(unrequested, ["Pr9xQ2Lm", "Other77"]);
        assert!(!results.all_succeeded());
    }
}
