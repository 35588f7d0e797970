//! Update a candidate: set some fields, clear one, leave the rest alone.
//!
//! `cargo run -p spott --example update_candidate` (embedded mock server).

use spott::types::CandidateGender;
use spott::{CandidateUpdate, Client, OpenEnum};
use spott_saleshandy_mock::{MockConfig, MockServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::new()).await?;
    let spott = Client::builder()
        .api_key("example-key")
        .base_url(mock.url())
        .build()?;

    let update = CandidateUpdate::new()
        .last_name("Smith-Jones")
        .gender(CandidateGender::Female)
        .clear_date_of_birth();
    println!("sending {}", update.to_json()?);

    let candidate = spott.update_candidate("cand_1", update).await?;

    println!(
        "now: {:?} {:?}",
        candidate.name.first_name, candidate.name.last_name
    );
    match candidate.gender.gender {
        Some(OpenEnum::Known(gender)) => println!("gender: {gender}"),
        Some(OpenEnum::Unknown(raw)) => println!("gender (new value): {raw}"),
        None => println!("gender: not set"),
    }
    Ok(())
}
