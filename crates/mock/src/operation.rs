//! The five operations the mock serves, and the API each belongs to.

use std::fmt;

/// Which of the two APIs an operation (or a request) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// Spott, the recruitment CRM (`spec/spott.yaml`).
    Spott,
    /// Saleshandy, the sales-outreach platform (`spec/saleshandy.yaml`).
    Saleshandy,
}

impl Api {
    /// Both APIs, in a fixed order.
    pub const ALL: [Api; 2] = [Api::Spott, Api::Saleshandy];

    /// The API a request path belongs to: `/v1/…` is Saleshandy, everything else Spott.
    pub fn for_path(path: &str) -> Api {
        if path == "/v1" || path.starts_with("/v1/") {
            Api::Saleshandy
        } else {
            Api::Spott
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Api::Spott => "spott",
            Api::Saleshandy => "saleshandy",
        })
    }
}

/// One operation of the specs, named after its `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// Spott `create_task`: `POST /tasks/_raw`.
    CreateTask,
    /// Spott `get_contact_overview`: `GET /clients/contacts/{id}` (the id is a candidate id).
    GetContactOverview,
    /// Spott `create_client_contact`: `POST /clients/contacts/{id}` (the id is a client id).
    CreateClientContact,
    /// Spott `update_candidate`: `PATCH /candidates/{id}`.
    UpdateCandidate,
    /// Saleshandy `create_tasks`: `POST /v1/tasks/create`.
    CreateTasks,
}

impl Operation {
    /// Every operation, in spec order.
    pub const ALL: [Operation; 5] = [
        Operation::CreateTask,
        Operation::GetContactOverview,
        Operation::CreateClientContact,
        Operation::UpdateCandidate,
        Operation::CreateTasks,
    ];

    /// The API the operation belongs to.
    pub fn api(self) -> Api {
        match self {
            Operation::CreateTasks => Api::Saleshandy,
            _ => Api::Spott,
        }
    }

    /// The `operationId` in the spec.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::CreateTask => "create_task",
            Operation::GetContactOverview => "get_contact_overview",
            Operation::CreateClientContact => "create_client_contact",
            Operation::UpdateCandidate => "update_candidate",
            Operation::CreateTasks => "create_tasks",
        }
    }

    /// The HTTP method, upper case.
    pub fn method(self) -> &'static str {
        match self {
            Operation::GetContactOverview => "GET",
            Operation::UpdateCandidate => "PATCH",
            Operation::CreateTask | Operation::CreateClientContact | Operation::CreateTasks => {
                "POST"
            }
        }
    }

    /// The path template as written in the spec.
    pub fn path_template(self) -> &'static str {
        match self {
            Operation::CreateTask => "/tasks/_raw",
            Operation::GetContactOverview | Operation::CreateClientContact => {
                "/clients/contacts/{id}"
            }
            Operation::UpdateCandidate => "/candidates/{id}",
            Operation::CreateTasks => "/v1/tasks/create",
        }
    }

    /// Whether the operation takes a JSON request body.
    pub fn has_body(self) -> bool {
        self != Operation::GetContactOverview
    }

    /// Whether the operation creates resources (counted by
    /// [`MockServer::created_count`](crate::MockServer::created_count)).
    pub fn creates(self) -> bool {
        matches!(
            self,
            Operation::CreateTask | Operation::CreateClientContact | Operation::CreateTasks
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}
