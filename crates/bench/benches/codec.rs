//! Decoding the 004 and 000 documented responses three ways (generated
//! types, hand-written serde structs, `serde_json::Value`) and encoding the
//! 002 request.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// Hand-written mirrors of the documented responses: what someone would
/// write without a generator. Same fields, same Rust types. The fields are
/// decoded, never read: decoding is what is measured.
#[allow(dead_code)]
mod hand {
    use chrono::{DateTime, Utc};
    use serde::Deserialize;
    use serde_json::Value;

    type Time = Option<DateTime<Utc>>;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct User {
        pub id: Option<String>,
        pub user_id: Option<String>,
        pub name: Option<String>,
        pub email: Option<String>,
        pub avatar_url: Option<String>,
        pub deactivated_at: Time,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Company {
        pub id: Option<String>,
        pub name: Option<String>,
        pub logo_url: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Link {
        pub task_link_id: Option<String>,
        pub is_mention: Option<bool>,
        pub id: Option<String>,
        pub name: Option<String>,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub middle_name: Option<String>,
        pub second_last_name: Option<String>,
        pub avatar_url: Option<String>,
        pub logo_url: Option<String>,
        pub candidate_id: Option<String>,
        pub company_id: Option<String>,
        pub company_name: Option<String>,
        pub company_logo_url: Option<String>,
        pub deactivated_at: Time,
        pub company: Option<Company>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Links {
        #[serde(default)]
        pub candidates: Vec<Link>,
        #[serde(default)]
        pub vacancies: Vec<Link>,
        #[serde(default)]
        pub clients: Vec<Link>,
        #[serde(default)]
        pub users: Vec<Link>,
        #[serde(default)]
        pub teams: Vec<Link>,
        #[serde(default)]
        pub client_contacts: Vec<Link>,
        #[serde(default)]
        pub opportunities: Vec<Link>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Metadata {
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub outreach_sequence_id: Option<String>,
        pub outreach_sequence_name: Option<String>,
        pub outreach_sequence_run_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Label {
        pub id: Option<String>,
        pub name: Option<String>,
        pub color_hex: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Task {
        pub created_by: Option<User>,
        pub assigned_to: Option<User>,
        pub source: Option<String>,
        pub metadata: Option<Metadata>,
        pub links: Option<Links>,
        pub id: Option<String>,
        pub content: Option<String>,
        pub due_date: Time,
        pub is_completed: Option<bool>,
        pub completed_at: Time,
        pub created_at: Time,
        #[serde(default)]
        pub labels: Vec<Label>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Contact {
        pub purpose: Option<String>,
        pub email: Option<String>,
        pub phone_number: Option<String>,
        pub url: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub is_primary: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Location {
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub street1: Option<String>,
        pub street2: Option<String>,
        pub postal_code: Option<String>,
        pub city: Option<String>,
        pub region: Option<String>,
        pub state: Option<String>,
        pub country: Option<String>,
        pub raw_city_country: Option<String>,
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub formatted_address: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Language {
        pub language: Option<String>,
        pub id: Option<String>,
        pub fluency: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Compensation {
        pub currency: Option<String>,
        pub id: Option<String>,
        pub total_compensation: Option<f64>,
        pub base_compensation: Option<f64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Placement {
        pub id: Option<String>,
        pub company: Option<Company>,
        pub start_date: Time,
        pub end_date: Time,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Stage {
        pub id: Option<String>,
        pub order: Option<i64>,
        pub name: Option<String>,
        pub color_hex: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CustomAttribute {
        pub value: Option<Value>,
        pub attribute_definition_id: Option<String>,
        pub label: Option<String>,
        pub ai_fill_ongoing: Option<bool>,
        pub ai_overridden: Option<bool>,
        #[serde(rename = "isFilledByAI")]
        pub is_filled_by_ai: Option<bool>,
        #[serde(default)]
        pub options: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ClientContact {
        pub id: Option<String>,
        pub company: Option<Company>,
        pub role: Option<String>,
        pub department: Option<String>,
        pub start_date: Time,
        pub end_date: Time,
        pub active: Option<bool>,
        #[serde(default)]
        pub email_addresses: Vec<Contact>,
        #[serde(default)]
        pub phone_numbers: Vec<Contact>,
        pub stage: Option<Stage>,
        #[serde(default)]
        pub custom_attributes: Vec<CustomAttribute>,
    }

    /// Every `{viewType, …}` wrapper of 004 in one struct.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct View {
        pub view_type: Option<String>,
        pub avatar_url: Option<String>,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub gender: Option<String>,
        #[serde(default)]
        pub nationality: Vec<String>,
        #[serde(default)]
        pub status: Vec<String>,
        #[serde(default)]
        pub emails: Vec<Contact>,
        #[serde(default)]
        pub phone_numbers: Vec<Contact>,
        #[serde(default)]
        pub locations: Vec<Location>,
        pub date_of_birth: Time,
        #[serde(default)]
        pub social_media: Vec<Contact>,
        pub last_interaction_date: Time,
        pub next_interaction_date: Time,
        pub user: Option<User>,
        #[serde(default)]
        pub languages: Vec<Language>,
        pub compensation: Option<Compensation>,
        pub has_current_placement: Option<bool>,
        #[serde(default)]
        pub placements: Vec<Placement>,
        pub next_task_due: Option<TaskDue>,
        pub acquisition_source: Option<String>,
        #[serde(default)]
        pub client_contacts: Vec<ClientContact>,
        pub headline: Option<String>,
        pub about: Option<String>,
        #[serde(default)]
        pub skills: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TaskDue {
        pub id: Option<String>,
        pub content: Option<String>,
        pub due_date: Time,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WorkExperience {
        pub title: Option<String>,
        pub company: Option<Company>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Candidate {
        pub id: String,
        pub name: View,
        pub gender: View,
        pub nationality: View,
        pub status: View,
        pub emails: View,
        pub phone_numbers: View,
        pub locations: View,
        pub date_of_birth: View,
        pub social_media: View,
        pub last_interaction_date: View,
        pub last_interaction_with: View,
        pub next_interaction_date: View,
        pub next_interaction_with: View,
        pub main_contact: View,
        pub languages: View,
        pub compensation: View,
        pub current_placements: View,
        pub next_task_due: View,
        pub created_at: DateTime<Utc>,
        pub modified_at: DateTime<Utc>,
        pub last_activity_date: DateTime<Utc>,
        pub acquisition_source: View,
        pub latest_work_experience: WorkExperience,
        pub last_linkedin_diff_at: Time,
        pub is_diffing_linkedin: bool,
        pub custom_attributes: Vec<CustomAttribute>,
        pub ai_summary: Option<String>,
        pub client_contacts: View,
        pub is_visible_if_client_contact: Option<bool>,
        pub has_client_contacts: Option<bool>,
        pub has_active_client_contacts: Option<bool>,
        pub last_agent_chat_id: Option<String>,
        pub cv_attachment_id: Option<String>,
        pub linked_in_profile: View,
    }
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    let candidate =
        serde_json::to_vec(&bench::page_example("spott", "update_candidate", false)).unwrap();
    let task = serde_json::to_vec(&bench::page_example("spott", "create_task", false)).unwrap();

    // Each must decode, or the comparison would time an early error.
    serde_json::from_slice::<spott_openapi::types::Candidate>(&candidate).unwrap();
    serde_json::from_slice::<hand::Candidate>(&candidate).unwrap();
    serde_json::from_slice::<spott_openapi::types::Task>(&task).unwrap();
    serde_json::from_slice::<hand::Task>(&task).unwrap();

    group.bench_function(BenchmarkId::new("update_candidate_004", "generated"), |b| {
        b.iter(|| {
            serde_json::from_slice::<spott_openapi::types::Candidate>(black_box(&candidate))
                .unwrap()
        })
    });
    group.bench_function(
        BenchmarkId::new("update_candidate_004", "hand_written"),
        |b| b.iter(|| serde_json::from_slice::<hand::Candidate>(black_box(&candidate)).unwrap()),
    );
    group.bench_function(BenchmarkId::new("update_candidate_004", "value"), |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&candidate)).unwrap())
    });
    group.bench_function(BenchmarkId::new("create_task_000", "generated"), |b| {
        b.iter(|| serde_json::from_slice::<spott_openapi::types::Task>(black_box(&task)).unwrap())
    });
    group.bench_function(BenchmarkId::new("create_task_000", "hand_written"), |b| {
        b.iter(|| serde_json::from_slice::<hand::Task>(black_box(&task)).unwrap())
    });
    group.bench_function(BenchmarkId::new("create_task_000", "value"), |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&task)).unwrap())
    });
    group.finish();
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    let example = bench::page_example("spott", "create_client_contact", true);
    let body: spott_openapi::types::CreateClientContactRequest =
        serde_json::from_value(example.clone()).unwrap();
    group.bench_function(
        BenchmarkId::new("create_client_contact_002", "generated"),
        |b| b.iter(|| serde_json::to_vec(black_box(&body)).unwrap()),
    );
    group.bench_function(
        BenchmarkId::new("create_client_contact_002", "value"),
        |b| b.iter(|| serde_json::to_vec(black_box(&example)).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, decode, encode);
criterion_main!(benches);
