//! Create task (page 000): what to send.

use chrono::{DateTime, Utc};
use spott_openapi::types::{CreateTaskRequest, TaskLinkEntityType, TaskLinkInput};
use spott_saleshandy_core::Error;

use crate::ids::{CandidateId, ClientContactId, ClientId, EntityId, IntoId, UserId, VacancyId};
use crate::validate::constrained;
use spott_saleshandy_core::ids::parse_id;

/// A link from a new task to one entity, by kind and id. Each kind's
/// constructor takes that kind's id ([`TaskLink::candidate`] a
/// [`CandidateId`]); [`TaskLink::new`] takes any kind with an [`EntityId`].
///
/// ```
/// let link = spott::TaskLink::candidate("cand-1");
/// assert_eq!(link.id(), "cand-1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskLink {
    kind: TaskLinkEntityType,
    /// Checked when the task is sent, naming the link (`links[1].entityId`).
    id: String,
}

impl TaskLink {
    /// A link of `kind` to the entity `id`.
    pub fn new(kind: TaskLinkEntityType, id: impl IntoId<EntityId>) -> Self {
        Self::of(kind, id)
    }

    /// Any kind of id as the link's entity id.
    fn of<T>(kind: TaskLinkEntityType, id: impl IntoId<T>) -> Self {
        Self {
            kind,
            id: id.into_id_text(),
        }
    }

    /// Link to a candidate.
    pub fn candidate(id: impl IntoId<CandidateId>) -> Self {
        Self::of(TaskLinkEntityType::Candidate, id)
    }

    /// Link to a vacancy.
    pub fn vacancy(id: impl IntoId<VacancyId>) -> Self {
        Self::of(TaskLinkEntityType::Vacancy, id)
    }

    /// Link to a client (company).
    pub fn client(id: impl IntoId<ClientId>) -> Self {
        Self::of(TaskLinkEntityType::Client, id)
    }

    /// Link to a user.
    pub fn user(id: impl IntoId<UserId>) -> Self {
        Self::of(TaskLinkEntityType::User, id)
    }

    /// Link to a team (the spec has no team id type: no operation takes one).
    pub fn team(id: impl IntoId<EntityId>) -> Self {
        Self::of(TaskLinkEntityType::Team, id)
    }

    /// Link to a client contact.
    pub fn client_contact(id: impl IntoId<ClientContactId>) -> Self {
        Self::of(TaskLinkEntityType::ClientContact, id)
    }

    /// Link to an opportunity (no opportunity id type: no operation takes one).
    pub fn opportunity(id: impl IntoId<EntityId>) -> Self {
        Self::of(TaskLinkEntityType::Opportunity, id)
    }

    /// The kind of entity.
    pub fn kind(&self) -> TaskLinkEntityType {
        self.kind
    }

    /// The entity id, as given.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A task to create: content, and optionally a due date, an assignee and
/// links.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use spott::{NewTask, TaskLink};
///
/// let task = NewTask::new("Call Ana about the offer")
///     .due(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap())
///     .assign_to("user-7")
///     .link(TaskLink::candidate("cand-1"));
/// assert_eq!(task.content(), "Call Ana about the offer");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct NewTask {
    content: String,
    due: Option<DateTime<Utc>>,
    assignee: Option<String>,
    links: Vec<TaskLink>,
}

impl NewTask {
    /// A task with this content (must not be empty).
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            due: None,
            assignee: None,
            links: Vec::new(),
        }
    }

    /// When the task is due.
    pub fn due(mut self, due: DateTime<Utc>) -> Self {
        self.due = Some(due);
        self
    }

    /// The user to assign the task to.
    pub fn assign_to(mut self, user_id: impl IntoId<UserId>) -> Self {
        self.assignee = Some(user_id.into_id_text());
        self
    }

    /// Adds a link to an entity.
    pub fn link(mut self, link: TaskLink) -> Self {
        self.links.push(link);
        self
    }

    /// A task from a JSON body shaped like the API's (`content`, `dueDate`,
    /// `assignedToUserId`, `links`), as a command line reads it from a file.
    ///
    /// ```
    /// let task = spott::NewTask::from_json(serde_json::json!({
    ///     "content": "Call",
    ///     "links": [{"entityType": "vacancy", "entityId": "v-1"}]
    /// }))
    /// .unwrap();
    /// assert_eq!(task.content(), "Call");
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<Self, Error> {
        let body: CreateTaskRequest = spott_saleshandy_core::json_input::decode(value)?;
        Ok(Self {
            content: body.content.to_string(),
            due: body.due_date,
            assignee: body.assigned_to_user_id.map(String::from),
            links: body
                .links
                .into_iter()
                .map(|link| TaskLink::new(link.entity_type, link.entity_id))
                .collect(),
        })
    }

    /// The JSON body this task sends, or the rule it breaks.
    ///
    /// ```
    /// let task = spott::NewTask::new("Call").link(spott::TaskLink::vacancy("v-1"));
    /// assert_eq!(
    ///     task.to_json().unwrap(),
    ///     serde_json::json!({"content": "Call", "links": [{"entityType": "vacancy", "entityId": "v-1"}]})
    /// );
    /// ```
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let body = self.clone().into_body()?;
        serde_json::to_value(body).map_err(|e| Error::invalid("body", e.to_string()))
    }

    /// The task's content.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Checks the rules and builds the request body.
    pub(crate) fn into_body(self) -> Result<CreateTaskRequest, Error> {
        let assignee = self
            .assignee
            .map(|id| parse_id(|| "assignedToUserId".to_owned(), id))
            .transpose()?;
        let links = self
            .links
            .into_iter()
            .enumerate()
            .map(|(index, link)| {
                Ok(TaskLinkInput {
                    entity_id: parse_id(|| format!("links[{index}].entityId"), link.id)?,
                    entity_type: link.kind,
                    task_link_id: None,
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(CreateTaskRequest {
            content: constrained("content", self.content)?,
            due_date: self.due,
            assigned_to_user_id: assignee,
            links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn body_has_the_documented_shape() {
        let due = DateTime::parse_from_rfc3339("2024-12-31T23:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        let body = NewTask::new("Follow up")
            .due(due)
            .assign_to("u-1")
            .link(TaskLink::candidate("c-1"))
            .link(TaskLink::client_contact("cc-2"))
            .into_body()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({
                "content": "Follow up",
                "dueDate": "2024-12-31T23:59:59Z",
                "assignedToUserId": "u-1",
                "links": [
                    {"entityType": "candidate", "entityId": "c-1"},
                    {"entityType": "client_contact", "entityId": "cc-2"}
                ]
            })
        );
    }

    #[test]
    fn minimal_body_sends_only_content() {
        let body = NewTask::new("x").into_body().unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"content": "x"})
        );
    }

    #[test]
    fn rules_name_the_field() {
        let cases = [
            (NewTask::new("  "), "invalid content: must not be empty"),
            (
                NewTask::new("x").assign_to(""),
                "invalid assignedToUserId: must not be empty",
            ),
            (
                NewTask::new("x")
                    .link(TaskLink::vacancy("v"))
                    .link(TaskLink::team(" ")),
                "invalid links[1].entityId: must not be empty",
            ),
        ];
        for (task, message) in cases {
            assert_eq!(task.into_body().unwrap_err().to_string(), message);
        }
    }
}
