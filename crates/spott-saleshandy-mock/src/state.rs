//! The mock's data: users, clients, candidates (with their client-contact positions), tasks,
//! notes, vacancies, the applications pipeline's stages and the applications in it, the
//! cursors issued by lists, and Saleshandy's prospects, sequences, tasks and bulk actions
//! (`saleshandy`). Seeded at start; changed by the operations.

mod saleshandy;

use std::collections::BTreeMap;

use serde_json::Value;

pub use saleshandy::DEFAULT_PROSPECTS;
pub(crate) use saleshandy::{
    BulkAction, PROSPECT_FIELDS, Prospect, ProspectTask, SEQUENCE_OWNER, Sequence, TASK_SKIPPED,
    TASK_SNOOZED,
};

/// The user the API key belongs to: the `createdBy` of every task made through the mock.
pub(crate) const API_USER_ID: &str = "user_api";

/// A Spott user (recruiter).
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) avatar_url: Option<String>,
}

/// A client (company).
#[derive(Clone, Debug)]
pub(crate) struct Client {
    pub(crate) name: String,
    pub(crate) logo_url: Option<String>,
    pub(crate) created_at: String,
}

/// A pipeline stage of client contacts.
#[derive(Clone, Debug)]
pub(crate) struct Stage {
    pub(crate) id: String,
    pub(crate) order: i64,
    pub(crate) name: String,
    pub(crate) color_hex: String,
}

/// One position of a candidate as a contact at a client.
#[derive(Clone, Debug)]
pub(crate) struct ContactPosition {
    pub(crate) id: String,
    pub(crate) client_id: String,
    pub(crate) role: Option<String>,
    pub(crate) department: Option<String>,
    pub(crate) start_date: Option<String>,
    pub(crate) end_date: Option<String>,
    pub(crate) stage_id: Option<String>,
    /// In the response shape (`CustomAttribute`).
    pub(crate) custom_attributes: Vec<Value>,
}

/// A candidate. Arrays of sub-objects are kept as the JSON that was sent (already validated).
#[derive(Clone, Debug, Default)]
pub(crate) struct Candidate {
    pub(crate) id: String,
    pub(crate) first_name: String,
    pub(crate) middle_name: Option<String>,
    pub(crate) last_name: String,
    pub(crate) second_last_name: Option<String>,
    pub(crate) avatar_url: Option<String>,
    pub(crate) gender: Option<String>,
    pub(crate) nationality: Vec<String>,
    pub(crate) status: Vec<String>,
    pub(crate) acquisition_source: Option<String>,
    pub(crate) emails: Vec<Value>,
    pub(crate) phone_numbers: Vec<Value>,
    pub(crate) locations: Vec<Value>,
    pub(crate) social_media: Vec<Value>,
    pub(crate) languages: Vec<Value>,
    pub(crate) compensation: Option<Value>,
    pub(crate) main_contact: Option<String>,
    pub(crate) date_of_birth: Option<String>,
    pub(crate) last_interaction_at: Option<String>,
    pub(crate) last_interaction_with: Option<String>,
    pub(crate) visible_if_client_contact: Option<bool>,
    pub(crate) work_experiences: Vec<Value>,
    /// In the response shape (`CustomAttribute`).
    pub(crate) custom_attributes: Vec<Value>,
    pub(crate) positions: Vec<ContactPosition>,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// A job (vacancy) at a client.
#[derive(Clone, Debug)]
pub(crate) struct Vacancy {
    pub(crate) id: String,
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// One of `VacancyStatus`.
    pub(crate) status: String,
    pub(crate) employment_type: Option<String>,
    pub(crate) location_type: Option<String>,
    /// `VacancySalaryRange`, as sent.
    pub(crate) salary_range: Option<Value>,
    /// `LocationUpdate`, as sent.
    pub(crate) location: Option<Value>,
    pub(crate) start_at: Option<String>,
    pub(crate) end_at: Option<String>,
    /// User ids.
    pub(crate) team: Vec<String>,
    /// Client contact (candidate) ids.
    pub(crate) client_team: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// A stage of the applications pipeline (not the client-contact stages above).
#[derive(Clone, Debug)]
pub(crate) struct PipelineStage {
    pub(crate) id: String,
    pub(crate) template_id: String,
    pub(crate) order: i64,
    pub(crate) name: String,
    pub(crate) color_hex: String,
    /// The statuses an application can have within the stage: (id, name, colour).
    pub(crate) labels: Vec<(String, String, String)>,
}

/// A rejection recorded for an application.
#[derive(Clone, Debug)]
pub(crate) struct Rejection {
    pub(crate) id: String,
    pub(crate) reason: Option<String>,
    pub(crate) created_at: String,
}

/// A candidate's application to a vacancy, in a pipeline stage.
#[derive(Clone, Debug)]
pub(crate) struct Application {
    pub(crate) id: String,
    pub(crate) candidate_id: String,
    pub(crate) vacancy_id: String,
    pub(crate) stage_id: String,
    /// A label id of the stage.
    pub(crate) status_id: Option<String>,
    /// The order within the stage's column.
    pub(crate) position: f64,
    pub(crate) owner: Option<String>,
    pub(crate) rejection: Option<Rejection>,
    /// The last change: (activity type, when).
    pub(crate) latest_activity: (String, String),
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// A Spott task.
#[derive(Clone, Debug)]
pub(crate) struct Task {
    pub(crate) id: String,
    pub(crate) content: String,
    pub(crate) due_date: Option<String>,
    pub(crate) assigned_to: Option<String>,
    /// (link id, entity type, entity id).
    pub(crate) links: Vec<(String, String, String)>,
    pub(crate) created_at: String,
}

/// A Spott note.
#[derive(Clone, Debug)]
pub(crate) struct Note {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) content: String,
    pub(crate) source: String,
    /// (link id, entity type, entity id).
    pub(crate) links: Vec<(String, String, String)>,
    pub(crate) label_ids: Vec<String>,
    pub(crate) created_at: String,
}

/// Everything the mock knows.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) clients: BTreeMap<String, Client>,
    pub(crate) stages: BTreeMap<String, Stage>,
    pub(crate) candidates: BTreeMap<String, Candidate>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) notes: Vec<Note>,
    pub(crate) vacancies: BTreeMap<String, Vacancy>,
    pub(crate) pipeline_stages: Vec<PipelineStage>,
    pub(crate) applications: BTreeMap<String, Application>,
    pub(crate) prospects: BTreeMap<String, Prospect>,
    pub(crate) prospect_tasks: Vec<ProspectTask>,
    pub(crate) sequences: Vec<Sequence>,
    pub(crate) bulk_actions: Vec<BulkAction>,
    /// Every cursor handed out: cursor → (the operation that issued it, the key of the last
    /// item it covered). Only these are accepted back.
    pub(crate) issued_cursors: BTreeMap<String, (String, String)>,
    next_id: u64,
}

/// Now, as the APIs write timestamps (RFC 3339, milliseconds, `Z`).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Today, as `YYYY-MM-DD` (Saleshandy's default due date).
pub(crate) fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

impl Store {
    /// A store with the seed data (when `seed`) and the given prospects.
    pub(crate) fn new(seed: bool, prospects: impl IntoIterator<Item = String>) -> Self {
        let mut store = Store::default();
        for id in prospects {
            store.add_prospect(id);
        }
        store.add_user(API_USER_ID, "API", "api@example.com");
        if seed {
            store.seed();
            // After the prospects: seeded tasks belong to known ones only.
            store.seed_saleshandy();
        }
        store
    }

    /// A fresh id: `prefix` and a counter shared by every kind, so ids never repeat.
    pub(crate) fn next_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{}", self.next_id)
    }

    fn add_user(&mut self, id: &str, name: &str, email: &str) {
        self.users.insert(
            id.to_owned(),
            User {
                name: name.to_owned(),
                email: email.to_owned(),
                avatar_url: None,
            },
        );
    }

    fn seed(&mut self) {
        self.add_user("user_1", "Ada Lovelace", "ada@example.com");
        self.add_user("user_2", "Grace Hopper", "grace@example.com");
        for (id, name) in [("client_1", "Acme Corp"), ("client_2", "Globex")] {
            self.clients.insert(
                id.to_owned(),
                Client {
                    name: name.to_owned(),
                    logo_url: Some(format!("https://example.com/logos/{id}.png")),
                    created_at: now(),
                },
            );
        }
        for (id, order, name, color) in [
            ("stage_1", 1, "Lead", "#1E88E5"),
            ("stage_2", 2, "Qualified", "#43A047"),
        ] {
            self.stages.insert(
                id.to_owned(),
                Stage {
                    id: id.to_owned(),
                    order,
                    name: name.to_owned(),
                    color_hex: color.to_owned(),
                },
            );
        }
        let created = now();
        let email = |address: &str| serde_json::json!({"purpose": "personal", "email": address, "isPrimary": true});
        self.candidates.insert(
            "cand_1".to_owned(),
            Candidate {
                id: "cand_1".to_owned(),
                first_name: "Jane".to_owned(),
                last_name: "Smith".to_owned(),
                gender: Some("female".to_owned()),
                nationality: vec!["Dutch".to_owned()],
                status: vec!["not_actively_looking".to_owned()],
                acquisition_source: Some("manual".to_owned()),
                emails: vec![email("jsmith@example.com")],
                main_contact: Some("user_1".to_owned()),
                positions: vec![ContactPosition {
                    id: "cand_1".to_owned(),
                    client_id: "client_1".to_owned(),
                    role: Some("CTO".to_owned()),
                    department: Some("Engineering".to_owned()),
                    start_date: Some("2022-01-01T00:00:00.000Z".to_owned()),
                    end_date: None,
                    stage_id: Some("stage_1".to_owned()),
                    custom_attributes: Vec::new(),
                }],
                created_at: created.clone(),
                modified_at: created.clone(),
                ..Candidate::default()
            },
        );
        self.seed_candidate_2(&created);
        self.seed_pipeline(&created);
        self.seed_task_and_note(&created);
    }

    /// Task `task_s1` (linked to `client_1` and `vac_1`, due 2030-01-15, for Ada) and note
    /// `note_s1` (on `cand_1`). Their ids carry `s` so the counter's ids never meet them.
    fn seed_task_and_note(&mut self, created: &str) {
        self.tasks.push(Task {
            id: "task_s1".to_owned(),
            content: "Send Acme the Backend Engineer shortlist".to_owned(),
            due_date: Some("2030-01-15T09:00:00.000Z".to_owned()),
            assigned_to: Some("user_1".to_owned()),
            links: vec![
                (
                    "tlink_s1".to_owned(),
                    "client".to_owned(),
                    "client_1".to_owned(),
                ),
                (
                    "tlink_s2".to_owned(),
                    "vacancy".to_owned(),
                    "vac_1".to_owned(),
                ),
            ],
            created_at: created.to_owned(),
        });
        self.notes.push(Note {
            id: "note_s1".to_owned(),
            title: Some("Intro call".to_owned()),
            content: "Open to a move in the spring.".to_owned(),
            source: "phone".to_owned(),
            links: vec![(
                "nlink_s1".to_owned(),
                "candidate".to_owned(),
                "cand_1".to_owned(),
            )],
            label_ids: Vec::new(),
            created_at: created.to_owned(),
        });
    }

    fn seed_candidate_2(&mut self, created: &str) {
        let email = |address: &str| serde_json::json!({"purpose": "personal", "email": address, "isPrimary": true});
        self.candidates.insert(
            "cand_2".to_owned(),
            Candidate {
                id: "cand_2".to_owned(),
                first_name: "John".to_owned(),
                last_name: "Doe".to_owned(),
                status: vec!["actively_looking".to_owned()],
                acquisition_source: Some("cv_parse".to_owned()),
                emails: vec![email("jdoe@example.com")],
                created_at: created.to_owned(),
                modified_at: created.to_owned(),
                ..Candidate::default()
            },
        );
    }

    /// Vacancies `vac_1` (Backend Engineer at Acme) and `vac_2` (Product Manager at Globex),
    /// the four stages of pipeline template `tpl_1`, and three applications.
    fn seed_pipeline(&mut self, created: &str) {
        for (id, client, name, team) in [
            ("vac_1", "client_1", "Backend Engineer", "user_1"),
            ("vac_2", "client_2", "Product Manager", "user_2"),
        ] {
            self.vacancies.insert(
                id.to_owned(),
                Vacancy {
                    id: id.to_owned(),
                    client_id: client.to_owned(),
                    name: name.to_owned(),
                    description: None,
                    status: "open".to_owned(),
                    employment_type: Some("fullTime".to_owned()),
                    location_type: Some("hybrid".to_owned()),
                    salary_range: Some(
                        serde_json::json!({"currency": "EUR", "min": 60000, "max": 80000}),
                    ),
                    location: Some(
                        serde_json::json!({"type": "primary_home", "city": "Amsterdam", "country": "Netherlands"}),
                    ),
                    start_at: None,
                    end_at: None,
                    team: vec![team.to_owned()],
                    client_team: Vec::new(),
                    created_at: created.to_owned(),
                    modified_at: created.to_owned(),
                },
            );
        }
        let label =
            |id: &str, name: &str, color: &str| (id.to_owned(), name.to_owned(), color.to_owned());
        for (id, order, name, color, labels) in [
            ("pstage_1", 1, "Longlist", "#90A4AE", Vec::new()),
            (
                "pstage_2",
                2,
                "Interview",
                "#1E88E5",
                vec![
                    label("pstatus_1", "First round", "#64B5F6"),
                    label("pstatus_2", "Second round", "#1565C0"),
                ],
            ),
            ("pstage_3", 3, "Offer", "#FB8C00", Vec::new()),
            ("pstage_4", 4, "Placed", "#43A047", Vec::new()),
        ] {
            self.pipeline_stages.push(PipelineStage {
                id: id.to_owned(),
                template_id: "tpl_1".to_owned(),
                order,
                name: name.to_owned(),
                color_hex: color.to_owned(),
                labels,
            });
        }
        for (id, candidate, vacancy, stage) in [
            ("app_1", "cand_1", "vac_1", "pstage_1"),
            ("app_2", "cand_2", "vac_1", "pstage_2"),
            ("app_3", "cand_2", "vac_2", "pstage_1"),
        ] {
            self.applications.insert(
                id.to_owned(),
                Application {
                    id: id.to_owned(),
                    candidate_id: candidate.to_owned(),
                    vacancy_id: vacancy.to_owned(),
                    stage_id: stage.to_owned(),
                    status_id: None,
                    position: 1.0,
                    owner: Some("user_1".to_owned()),
                    rejection: None,
                    latest_activity: ("applicationCreated".to_owned(), created.to_owned()),
                    created_at: created.to_owned(),
                    modified_at: created.to_owned(),
                },
            );
        }
    }
}
