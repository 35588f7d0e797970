//! `spott candidate update`: a PATCH where each field is left alone, set
//! (`--gender x`) or cleared (`--clear-gender`).

use spott::CandidateUpdate;
use spott::types::{CandidateAcquisitionSource, CandidateGender};

use crate::args::{CandidateUpdateArgs, Output};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{choice, choices, emails, instant, phones, read_body};
use crate::output::print;

/// Updates the candidate and prints it as the API returned it.
pub async fn update(
    ctx: &Context,
    args: CandidateUpdateArgs,
    output: Output,
) -> Result<(), Failure> {
    let update = match &args.body {
        Some(source) => CandidateUpdate::from_json(read_body(source)?)?,
        None => from_flags(&args)?,
    };
    let candidate = ctx.spott()?.update_candidate(&args.id, update).await?;
    print(output, &candidate)
}

fn from_flags(args: &CandidateUpdateArgs) -> Result<CandidateUpdate, Failure> {
    let mut update = CandidateUpdate::new();
    if let Some(name) = &args.first_name {
        update = update.first_name(name);
    }
    if let Some(name) = &args.middle_name {
        update = update.middle_name(name);
    }
    if let Some(name) = &args.last_name {
        update = update.last_name(name);
    }
    if let Some(name) = &args.second_last_name {
        update = update.second_last_name(name);
    }
    if let Some(gender) = &args.gender {
        update = update.gender(choice::<CandidateGender>("--gender", gender)?);
    }
    if args.clear_gender {
        update = update.clear_gender();
    }
    if let Some(date) = &args.date_of_birth {
        update = update.date_of_birth(instant("--date-of-birth", date)?);
    }
    if args.clear_date_of_birth {
        update = update.clear_date_of_birth();
    }
    if let Some(visible) = args.visible_if_client_contact {
        update = update.visible_if_client_contact(visible);
    }
    if args.clear_visible_if_client_contact {
        update = update.clear_visible_if_client_contact();
    }
    if let Some(when) = &args.last_interaction_at {
        update = update.last_interaction_at(instant("--last-interaction-at", when)?);
    }
    if args.clear_last_interaction_at {
        update = update.clear_last_interaction_at();
    }
    if let Some(user) = &args.last_interaction_with {
        update = update.last_interaction_with_id(user);
    }
    if args.clear_last_interaction_with {
        update = update.clear_last_interaction_with_id();
    }
    if let Some(source) = &args.source {
        update =
            update.acquisition_source(choice::<CandidateAcquisitionSource>("--source", source)?);
    }
    if let Some(user) = &args.main_contact {
        update = update.main_contact(user);
    }
    if !args.nationality.is_empty() {
        update = update.nationality(choices("--nationality", &args.nationality)?);
    }
    if !args.status.is_empty() {
        update = update.status(choices("--status", &args.status)?);
    }
    if !args.emails.is_empty() {
        update = update.emails(emails("--email", &args.emails)?);
    }
    if !args.phones.is_empty() {
        update = update.phone_numbers(phones("--phone", &args.phones)?);
    }
    Ok(update)
}
