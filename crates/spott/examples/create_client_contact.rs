//! Create a client contact at a client company.
//!
//! `cargo run -p spott --example create_client_contact` (embedded mock server).

use spott::types::{ClientContactGender, ClientContactStatus, Nationality};
use spott::{Client, NewClientContact, Purpose};
use spott_saleshandy_mock::{MockConfig, MockServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::new()).await?;
    let spott = Client::builder()
        .api_key("example-key")
        .base_url(mock.url())
        .build()?;

    let id = spott
        .create_client_contact(
            "client_1",
            NewClientContact::new("Ana", "García")
                .gender(ClientContactGender::Female)
                .nationality(Nationality::Spanish)
                .status(ClientContactStatus::ActivelyLooking)
                .role("Head of Talent")
                .email(spott::email(Purpose::Personal, "ana@example.com", true)),
        )
        .await?;

    println!("created client contact {}", id.as_str());
    Ok(())
}
