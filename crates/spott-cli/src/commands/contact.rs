//! `spott contact show` and `spott contact create`

use spott::NewClientContact;
use spott::types::{ClientContactAcquisitionSource, ClientContactGender};

use crate::args::{ContactCreate, Output};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{choice, choices, emails, instant, phones, read_body};
use crate::output::print;

/// Prints a contact's overview.
pub async fn show(ctx: &Context, candidate_id: &str, output: Output) -> Result<(), Failure> {
    let overview = ctx.spott()?.contact_overview(candidate_id).await?;
    print(output, &overview)
}

/// Creates a client contact and prints `{"id": …}`.
pub async fn create(ctx: &Context, args: ContactCreate, output: Output) -> Result<(), Failure> {
    let contact = match &args.body {
        Some(source) => NewClientContact::from_json(read_body(source)?)?,
        None => from_flags(&args)?,
    };
    let id = ctx
        .spott()?
        .create_client_contact(&args.client_id, contact)
        .await?;
    print(output, &serde_json::json!({ "id": id }))
}

fn from_flags(args: &ContactCreate) -> Result<NewClientContact, Failure> {
    let mut contact = NewClientContact::new(
        args.first_name.clone().unwrap_or_default(),
        args.last_name.clone().unwrap_or_default(),
    );
    if let Some(gender) = &args.gender {
        contact = contact.gender(choice::<ClientContactGender>("--gender", gender)?);
    }
    for nationality in choices("--nationality", &args.nationality)? {
        contact = contact.nationality(nationality);
    }
    for status in choices("--status", &args.status)? {
        contact = contact.status(status);
    }
    if let Some(source) = &args.source {
        contact = contact.acquisition_source(choice::<ClientContactAcquisitionSource>(
            "--source", source,
        )?);
    }
    if let Some(role) = &args.role {
        contact = contact.role(role.clone());
    }
    if let Some(department) = &args.department {
        contact = contact.department(department.clone());
    }
    if let Some(stage) = &args.stage {
        contact = contact.stage_id(stage.clone());
    }
    if let Some(date) = &args.date_of_birth {
        contact = contact.date_of_birth(instant("--date-of-birth", date)?);
    }
    for email in emails("--email", &args.emails)? {
        contact = contact.email(email);
    }
    for phone in phones("--phone", &args.phones)? {
        contact = contact.phone_number(phone);
    }
    Ok(contact)
}
