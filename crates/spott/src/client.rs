//! The Spott client: the methods every wrapper shares come from
//! [`spott_saleshandy_core::wrapper_client!`] (constructors, `with_options`,
//! `call`, `call_json`, the typed lists); the typed methods of this API's
//! operations follow it.

#[cfg(feature = "candidates")]
use spott_openapi::types::Candidate;
#[cfg(feature = "client-contacts")]
use spott_openapi::types::ContactOverview;
#[cfg(feature = "tasks")]
use spott_openapi::types::Task;
#[cfg(any(feature = "candidates", feature = "client-contacts", feature = "tasks"))]
use spott_saleshandy_core::Error;

#[cfg(feature = "candidates")]
use crate::candidate::CandidateUpdate;
#[cfg(feature = "client-contacts")]
use crate::contact::NewClientContact;
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
use crate::ids::CandidateId;
#[cfg(feature = "client-contacts")]
use crate::ids::{ClientContactId, ClientId};
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
use crate::ids::{IntoId, parse};
#[cfg(feature = "tasks")]
use crate::task::NewTask;

spott_saleshandy_core::wrapper_client! {
    /// A Spott API client. Cheap to clone; clones share connections.
    api: spott_openapi,
    exec: crate::exec,
    name: "spott",
    spec: "spec/spott.yaml",
    default_base_url: "https://api.gospott.com",
    api_key_var: "SPOTT_API_KEY",
    base_url_var: "SPOTT_BASE_URL",
    call_example: r#"let overview = client
    .call(|raw| raw.get_contact_overview().id("cand-1").send())
    .await?;
println!("{:?}", overview.candidate_id);"#,
    call_json_example: r#"let overview = client
    .call_json("get_contact_overview", Arguments { path: &[("id", "cand-1")], ..Arguments::default() })
    .await?;
println!("{}", overview["candidateId"]);"#,
}

impl Client {
    #[cfg(feature = "tasks")]
    /// Creates a task (`POST /tasks/_raw`). Sent once unless the server
    /// provably did not process it (429, connection refused): a task is
    /// never created twice by a retry.
    pub async fn create_task(&self, task: NewTask) -> Result<Task, Error> {
        let body = task.into_body()?;
        spott_saleshandy_core::finish("create_task", self.raw.create_task().body(body).send()).await
    }

    #[cfg(feature = "client-contacts")]
    /// Reads a contact's overview (`GET /clients/contacts/{candidateId}`):
    /// the contact is read by the id of the candidate behind it.
    pub async fn contact_overview(
        &self,
        candidate_id: impl IntoId<CandidateId>,
    ) -> Result<ContactOverview, Error> {
        let id: CandidateId = parse("candidateId", candidate_id)?;
        spott_saleshandy_core::finish(
            "get_contact_overview",
            self.raw.get_contact_overview().id(id).send(),
        )
        .await
    }

    #[cfg(feature = "client-contacts")]
    /// Creates a client contact at the client `client_id`
    /// (`POST /clients/contacts/{clientId}`) and returns the new contact's
    /// id. Never repeated by a retry unless provably not processed.
    pub async fn create_client_contact(
        &self,
        client_id: impl IntoId<ClientId>,
        contact: NewClientContact,
    ) -> Result<ClientContactId, Error> {
        let id: ClientId = parse("clientId", client_id)?;
        let body = contact.into_body()?;
        let created = spott_saleshandy_core::finish(
            "create_client_contact",
            self.raw.create_client_contact().id(id).body(body).send(),
        )
        .await?;
        Ok(created.id)
    }

    #[cfg(feature = "candidates")]
    /// Reads a candidate (`GET /candidates/{id}`).
    pub async fn get_candidate(&self, id: impl IntoId<CandidateId>) -> Result<Candidate, Error> {
        let id: CandidateId = parse("id", id)?;
        spott_saleshandy_core::finish("get_candidate", self.raw.get_candidate().id(id).send()).await
    }

    #[cfg(feature = "candidates")]
    /// Updates a candidate (`PATCH /candidates/{id}`): only the fields the
    /// update touches are sent. Retried after a timeout or 5xx only if the
    /// retry policy allows idempotent writes.
    pub async fn update_candidate(
        &self,
        id: impl IntoId<CandidateId>,
        update: CandidateUpdate,
    ) -> Result<Candidate, Error> {
        let id: CandidateId = parse("id", id)?;
        let body = update.into_body()?;
        spott_saleshandy_core::finish(
            "update_candidate",
            self.raw.update_candidate().id(id).body(body).send(),
        )
        .await
    }
}
