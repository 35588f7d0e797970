//! Saleshandy's side of the store: prospects, sequences, the tasks made for prospects and
//! the bulk actions run on them, with the seed data. Seeded ids are in the vendor's style
//! (ten letters and digits, as on the documentation pages) and never come from the store's
//! counter, so the ids the operations hand out do not depend on what was seeded.

use std::collections::BTreeMap;

use super::{Store, now};

/// Prospect ids known to the Saleshandy side by default: those of the documentation pages
/// (create tasks, list prospects).
pub const DEFAULT_PROSPECTS: &[&str] = &["8PvBmrB7P7", "Pr9xQ2Lm", "Pr4Kb8Qw", "jzRkmgMdwA"];

/// The prospect fields, in the order the list prospects page shows them, each with its
/// field id (the first is the page's; the page shows that one id for every field, an
/// artefact of its example).
pub(crate) const PROSPECT_FIELDS: &[(&str, &str)] = &[
    ("lPYGOLkyzV", "First Name"),
    ("Kq3ZrYbN0d", "Last Name"),
    ("W8mVxT2pLs", "Email"),
    ("Ra5NcH7eQu", "Company"),
    ("Dt9GfJ4kWy", "Phone Number"),
    ("Ze1BsM6vXo", "City"),
    ("Uh7PwQ3aCi", "Country"),
    ("Yn2LdE8rFt", "LinkedIn"),
    ("Oc4XkS9gVb", "Job Title"),
];

/// A Saleshandy prospect.
#[derive(Clone, Debug)]
pub(crate) struct Prospect {
    pub(crate) id: String,
    pub(crate) created_at: String,
    /// `valid` for a seeded address; `None` when the mock knows no address.
    pub(crate) verification_status: Option<String>,
    /// Field values by field name (a key of [`PROSPECT_FIELDS`]); a field not set is absent.
    pub(crate) fields: BTreeMap<&'static str, String>,
}

impl Prospect {
    /// The value of field `name`, empty when not set (as the API shows unset fields).
    pub(crate) fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The client (agency customer) a sequence belongs to.
#[derive(Clone, Debug)]
pub(crate) struct SequenceClient {
    pub(crate) id: String,
    pub(crate) company_name: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
}

/// A Saleshandy sequence.
#[derive(Clone, Debug)]
pub(crate) struct Sequence {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) active: bool,
    /// (step id, step name), in order.
    pub(crate) steps: Vec<(String, String)>,
    pub(crate) client: Option<SequenceClient>,
    /// Not in the answer; what `sortBy=sequence.createdAt` orders by.
    pub(crate) created_at: String,
}

/// The owner of every sequence: the account's user, as on the list sequences page (the
/// one numeric id of the API).
pub(crate) const SEQUENCE_OWNER: (i64, &str, &str, &str) =
    (1, "John", "Doe", "john.doe@example.com");

/// What happened to a Saleshandy task last. The spec documents no list of values; the page
/// shows `snoozed`, `pending` is the word the bulk status uses for work not yet done, and
/// `skipped` is what a bulk skip does.
pub(crate) const TASK_PENDING: &str = "pending";
/// See [`TASK_PENDING`].
pub(crate) const TASK_SNOOZED: &str = "snoozed";
/// See [`TASK_PENDING`].
pub(crate) const TASK_SKIPPED: &str = "skipped";

/// A Saleshandy task for one prospect.
#[derive(Clone, Debug)]
pub(crate) struct ProspectTask {
    pub(crate) id: String,
    pub(crate) prospect_id: String,
    pub(crate) task_type: String,
    pub(crate) priority: Option<String>,
    pub(crate) due_date: String,
    pub(crate) note: Option<String>,
    /// One of `TASK_PENDING`, `TASK_SNOOZED`, `TASK_SKIPPED`.
    pub(crate) status: &'static str,
    /// The last snooze's `snoozeUntil`.
    pub(crate) snoozed_until: Option<String>,
    /// The last `callOutcome` a snooze recorded.
    pub(crate) call_outcome: Option<String>,
}

impl ProspectTask {
    /// A new, pending task.
    pub(crate) fn new(
        id: String,
        prospect_id: String,
        task_type: String,
        due_date: String,
    ) -> Self {
        Self {
            id,
            prospect_id,
            task_type,
            priority: None,
            due_date,
            note: None,
            status: TASK_PENDING,
            snoozed_until: None,
            call_outcome: None,
        }
    }
}

/// A bulk action on tasks. The mock runs it while answering, so it is complete as soon as
/// it is accepted.
#[derive(Clone, Debug)]
pub(crate) struct BulkAction {
    pub(crate) id: String,
    /// `skip` (the page's status example shows `snooze` for the other kind).
    pub(crate) action: &'static str,
    /// The tasks it was done to, in request order.
    pub(crate) done: Vec<String>,
    /// The ids it could not act on (no such task), in request order.
    pub(crate) failed: Vec<String>,
    pub(crate) created_at: String,
}

impl Store {
    /// Makes prospect `id` known: with the seeded details when it is one of
    /// [`DEFAULT_PROSPECTS`], else with no details (only the time it became known).
    pub(crate) fn add_prospect(&mut self, id: String) {
        if self.prospects.contains_key(&id) {
            return;
        }
        let prospect = seeded_prospect(&id).unwrap_or_else(|| Prospect {
            id: id.clone(),
            created_at: now(),
            verification_status: None,
            fields: BTreeMap::new(),
        });
        self.prospects.insert(id, prospect);
    }

    /// Sequences `JA5YdAr9wy` (the page's), `Xk7pQ2mWnB` and `Tf4HsL9cRd`; pending tasks
    /// `lP0Zg2keMz`, `MP0Cg1keMa`, `BS0Zg5keMq` (the snooze and bulk skip pages' ids), and
    /// task `Vd3Hn8KqLs` skipped by the earlier bulk action `Gk5Wd1PzTe`: each task only when
    /// its prospect (a default one) is known, the bulk action only with its task.
    pub(super) fn seed_saleshandy(&mut self) {
        let demo = SequenceClient {
            id: "g9bzZq4aMd".to_owned(),
            company_name: "Demo".to_owned(),
            first_name: "John".to_owned(),
            last_name: "Doe".to_owned(),
        };
        let step = |id: &str, name: &str| (id.to_owned(), name.to_owned());
        for sequence in [
            Sequence {
                id: "JA5YdAr9wy".to_owned(),
                title: "Sample Sequence".to_owned(),
                active: true,
                steps: vec![step("bwOLEx4l8G", "Step 1")],
                client: Some(demo.clone()),
                created_at: "2024-02-05T08:30:00.000Z".to_owned(),
            },
            Sequence {
                id: "Xk7pQ2mWnB".to_owned(),
                title: "Q3 outbound: SaaS founders".to_owned(),
                active: true,
                steps: vec![
                    step("Hn3VbR8sKe", "Intro email"),
                    step("Jw6TcY1uLp", "LinkedIn connection request"),
                    step("Mq9ZdF4gAx", "Follow-up call"),
                ],
                client: None,
                created_at: "2024-07-01T12:00:00.000Z".to_owned(),
            },
            Sequence {
                id: "Tf4HsL9cRd".to_owned(),
                title: "Webinar follow-up".to_owned(),
                active: false,
                steps: vec![
                    step("Pe2WkN7hQy", "Thank-you email"),
                    step("Bv5XmJ3tGo", "Recording and slides"),
                ],
                client: Some(SequenceClient {
                    id: "Rz8LqC2vNs".to_owned(),
                    company_name: "Northwind Traders".to_owned(),
                    first_name: "Priya".to_owned(),
                    last_name: "Raman".to_owned(),
                }),
                created_at: "2025-03-18T15:45:00.000Z".to_owned(),
            },
        ] {
            self.sequences.push(sequence);
        }
        for (id, prospect, task_type, due) in [
            ("lP0Zg2keMz", "8PvBmrB7P7", "13", "2030-02-03"),
            ("MP0Cg1keMa", "Pr9xQ2Lm", "3", "2030-02-04"),
            ("BS0Zg5keMq", "Pr4Kb8Qw", "11", "2030-02-05"),
        ] {
            if self.prospects.contains_key(prospect) {
                self.prospect_tasks.push(ProspectTask::new(
                    id.to_owned(),
                    prospect.to_owned(),
                    task_type.to_owned(),
                    due.to_owned(),
                ));
            }
        }
        if self.prospects.contains_key("jzRkmgMdwA") {
            let mut skipped = ProspectTask::new(
                "Vd3Hn8KqLs".to_owned(),
                "jzRkmgMdwA".to_owned(),
                "9".to_owned(),
                "2025-06-01".to_owned(),
            );
            skipped.status = TASK_SKIPPED;
            self.prospect_tasks.push(skipped);
            self.bulk_actions.push(BulkAction {
                id: "Gk5Wd1PzTe".to_owned(),
                action: "skip",
                done: vec!["Vd3Hn8KqLs".to_owned()],
                failed: Vec::new(),
                created_at: "2025-06-02T11:20:00.000Z".to_owned(),
            });
        }
    }
}

/// The details of a default prospect (fictional people, `example.com` addresses), or `None`.
fn seeded_prospect(id: &str) -> Option<Prospect> {
    #[rustfmt::skip]
    let (created_at, values): (&str, [&str; 9]) = match id {
        "8PvBmrB7P7" => ("2024-03-04T10:15:00.000Z", ["Priya", "Raman", "priya.raman@example.com", "Northwind Traders", "+1 415 555 0142", "San Francisco", "United States", "https://www.linkedin.com/in/priya-raman-example", "Head of Sales Operations"]),
        "Pr9xQ2Lm" => ("2024-05-21T14:02:11.000Z", ["Lukas", "Becker", "lukas.becker@example.com", "Globex GmbH", "", "Berlin", "Germany", "", "VP Engineering"]),
        "Pr4Kb8Qw" => ("2025-01-09T09:30:45.500Z", ["Amara", "Okafor", "amara.okafor@example.com", "Initech", "+44 20 7946 0958", "London", "United Kingdom", "", "Procurement Lead"]),
        // The list prospects page's example prospect, with the page's time and address.
        "jzRkmgMdwA" => ("2022-01-13T09:48:35.824Z", ["John", "Doe", "john.doe@example.com", "Demo", "", "Austin", "United States", "", ""]),
        _ => return None,
    };
    let fields = PROSPECT_FIELDS
        .iter()
        .zip(values)
        .filter(|(_, value)| !value.is_empty())
        .map(|((_, name), value)| (*name, value.to_owned()))
        .collect();
    Some(Prospect {
        id: id.to_owned(),
        created_at: created_at.to_owned(),
        verification_status: Some("valid".to_owned()),
        fields,
    })
}
