//! Read a contact's overview: positions, emails, custom attributes.
//!
//! `cargo run -p spott --example contact_overview` (embedded mock server).

use spott::{Client, OpenUnion};
use spott_saleshandy_mock::{MockConfig, MockServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start(MockConfig::new()).await?;
    let spott = Client::builder()
        .api_key("example-key")
        .base_url(mock.url())
        .build()?;

    let overview = spott.contact_overview("cand_1").await?;

    println!(
        "{} {}",
        overview.first_name.as_deref().unwrap_or(""),
        overview.last_name.as_deref().unwrap_or("")
    );
    for position in &overview.client_contacts {
        let company = position.company.as_ref().and_then(|c| c.name.as_deref());
        println!(
            "  {} at {}",
            position.role.as_deref().unwrap_or("(no role)"),
            company.unwrap_or("(unknown company)")
        );
        for attribute in &position.custom_attributes {
            match &attribute.value {
                Some(OpenUnion::Known(value)) => println!("    {:?}: {value:?}", attribute.label),
                Some(OpenUnion::Unknown(raw)) => {
                    println!("    {:?}: (new kind) {raw}", attribute.label)
                }
                None => {}
            }
        }
    }
    Ok(())
}
