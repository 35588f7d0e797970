//! Create client contact (page 002): what to send.

use chrono::{DateTime, Utc};
use spott_openapi::types::{
    ClientContactAcquisitionSource, ClientContactGender, ClientContactStatus, Compensation,
    CreateClientContactRequest, CustomAttributeInput, Education, Email, Language, Location,
    MainContactInput, Nationality, PhoneNumber, SocialMedia, WorkExperience, builder,
};
use spott_saleshandy_core::Error;

use crate::ids::{IntoId, UserId};
use crate::validate::not_blank;
use spott_saleshandy_core::ids::parse_id;

/// A client contact to create at a client company.
///
/// Every documented field of page 002 has a setter (a list field's adds one
/// entry); [`NewClientContact::from_json`] reads a whole body.
///
/// ```
/// use spott::NewClientContact;
/// use spott::types::{ClientContactGender, ClientContactStatus, Education, Nationality};
///
/// let contact = NewClientContact::new("Ana", "García")
///     .gender(ClientContactGender::Female)
///     .nationality(Nationality::Spanish)
///     .status(ClientContactStatus::ActivelyLooking)
///     .role("Head of Talent")
///     .email(spott::email(spott::Purpose::Personal, "ana@example.com", true))
///     .education(Education {
///         degree: Some("High School".into()),
///         ..Default::default()
///     })
///     .main_contact("user-7");
/// let body = contact.to_json().unwrap();
/// assert_eq!(body["nationality"], serde_json::json!(["Spanish"]));
/// assert_eq!(body["emails"][0]["purpose"], "personal");
/// assert_eq!(body["education"][0]["degree"], "High School");
/// assert_eq!(body["mainContact"]["userId"], "user-7");
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct NewClientContact {
    first_name: String,
    last_name: String,
    nationality: Vec<Nationality>,
    status: Vec<ClientContactStatus>,
    emails: Vec<Email>,
    phone_numbers: Vec<PhoneNumber>,
    locations: Vec<Location>,
    social_media: Vec<SocialMedia>,
    education: Vec<Education>,
    work_experiences: Vec<WorkExperience>,
    languages: Vec<Language>,
    custom_attributes: Vec<CustomAttributeInput>,
    /// The main contact's user id as given, checked when sent.
    main_contact: Option<String>,
    /// The optional single-valued fields, on the generated body builder
    /// (private: the setters are this type's surface).
    rest: builder::CreateClientContactRequest,
}

macro_rules! set_option {
    ($(#[$doc:meta] $name:ident: $ty:ty),* $(,)?) => {$(
        #[$doc]
        pub fn $name(mut self, value: impl Into<$ty>) -> Self {
            self.rest = self.rest.$name(Some(value.into()));
            self
        }
    )*};
}

macro_rules! push {
    ($(#[$doc:meta] $method:ident => $field:ident: $ty:ty),* $(,)?) => {$(
        #[$doc]
        pub fn $method(mut self, value: $ty) -> Self {
            self.$field.push(value);
            self
        }
    )*};
}

impl NewClientContact {
    /// A contact with these names (both must not be empty).
    pub fn new(first_name: impl Into<String>, last_name: impl Into<String>) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            nationality: Vec::new(),
            status: Vec::new(),
            emails: Vec::new(),
            phone_numbers: Vec::new(),
            locations: Vec::new(),
            social_media: Vec::new(),
            education: Vec::new(),
            work_experiences: Vec::new(),
            languages: Vec::new(),
            custom_attributes: Vec::new(),
            main_contact: None,
            rest: builder::CreateClientContactRequest::default(),
        }
    }

    /// A contact from a JSON body shaped like the API's (every field of
    /// page 002), as a command line reads it from a file.
    ///
    /// ```
    /// let contact = spott::NewClientContact::from_json(serde_json::json!({
    ///     "firstName": "Ana", "lastName": "García", "gender": "female"
    /// }))
    /// .unwrap();
    /// assert_eq!(contact.to_json().unwrap()["gender"], "female");
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<Self, Error> {
        let body: CreateClientContactRequest = spott_saleshandy_core::json_input::decode(value)?;
        let mut contact = Self::new(body.first_name.to_string(), body.last_name.to_string());
        contact.nationality = body.nationality.clone();
        contact.status = body.status.clone();
        contact.emails = body.emails.clone();
        contact.phone_numbers = body.phone_numbers.clone();
        contact.locations = body.locations.clone();
        contact.social_media = body.social_media.clone();
        contact.education = body.education.clone();
        contact.work_experiences = body.work_experiences.clone();
        contact.languages = body.languages.clone();
        contact.custom_attributes = body.custom_attributes.clone();
        contact.main_contact = body
            .main_contact
            .as_ref()
            .and_then(|main| main.user_id.clone())
            .map(String::from);
        contact.rest = body.into();
        Ok(contact)
    }

    set_option! {
        /// Gender (create client contact accepts male and female).
        gender: ClientContactGender,
        /// How the contact was acquired (the server's default is `manual`).
        acquisition_source: ClientContactAcquisitionSource,
        /// Role at the client.
        role: String,
        /// Department at the client.
        department: String,
        /// Start at the client.
        start_date: DateTime<Utc>,
        /// End at the client.
        end_date: DateTime<Utc>,
        /// Pipeline stage.
        stage_id: String,
        /// Whether the contact keeps showing as a candidate.
        keep_showing_as_candidate: bool,
        /// Avatar image URL.
        avatar_url: String,
        /// Date of birth.
        date_of_birth: DateTime<Utc>,
        /// Compensation expectations.
        compensation: Compensation,
    }

    push! {
        /// Adds a nationality.
        nationality => nationality: Nationality,
        /// Adds a status.
        status => status: ClientContactStatus,
        /// Adds an email address (see [`crate::email`]).
        email => emails: Email,
        /// Adds a phone number (see [`crate::phone_number`]).
        phone_number => phone_numbers: PhoneNumber,
        /// Adds a location.
        location => locations: Location,
        /// Adds a social media profile (see [`crate::social_media`]).
        social_media => social_media: SocialMedia,
        /// Adds an education entry.
        education => education: Education,
        /// Adds a work experience entry.
        work_experience => work_experiences: WorkExperience,
        /// Adds a language (see [`crate::language`]).
        language => languages: Language,
        /// Adds a custom attribute value.
        custom_attribute => custom_attributes: CustomAttributeInput,
    }

    /// The main contact (recruiter), by user id.
    pub fn main_contact(mut self, user_id: impl IntoId<UserId>) -> Self {
        self.main_contact = Some(user_id.into_id_text());
        self
    }

    /// The JSON body this contact sends, or the rule it breaks.
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let body = self.clone().into_body()?;
        serde_json::to_value(body).map_err(|e| Error::invalid("body", e.to_string()))
    }

    /// Checks the rules and builds the request body.
    pub(crate) fn into_body(self) -> Result<CreateClientContactRequest, Error> {
        not_blank("firstName", &self.first_name)?;
        not_blank("lastName", &self.last_name)?;
        for (index, email) in self.emails.iter().enumerate() {
            let address = email.email.as_deref().unwrap_or_default();
            if !address.contains('@') {
                return Err(Error::invalid(
                    format!("emails[{index}].email"),
                    "must be an email address",
                ));
            }
        }
        let main_contact = self
            .main_contact
            .map(|id| parse_id(|| "mainContact.userId".to_owned(), id))
            .transpose()?
            .map(|id| MainContactInput { user_id: Some(id) });
        self.rest
            .main_contact(main_contact)
            .education(self.education)
            .work_experiences(self.work_experiences)
            .languages(self.languages)
            .custom_attributes(self.custom_attributes)
            .first_name(self.first_name)
            .last_name(self.last_name)
            .nationality(self.nationality)
            .status(self.status)
            .emails(self.emails)
            .phone_numbers(self.phone_numbers)
            .locations(self.locations)
            .social_media(self.social_media)
            .try_into()
            .map_err(|e: spott_openapi::types::error::ConversionError| {
                Error::invalid("body", e.to_string())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn minimal_contact_sends_only_the_names() {
        assert_eq!(
            NewClientContact::new("Ana", "García").to_json().unwrap(),
            json!({"firstName": "Ana", "lastName": "García"})
        );
    }

    #[test]
    fn typed_fields_use_the_documented_values() {
        let body = NewClientContact::new("Ana", "García")
            .gender(ClientContactGender::Female)
            .acquisition_source(ClientContactAcquisitionSource::ChromeExtensionLinkedin)
            .nationality(Nationality::CapeVerdean)
            .status(ClientContactStatus::DoNotPoach)
            .to_json()
            .unwrap();
        assert_eq!(body["gender"], "female");
        assert_eq!(body["acquisitionSource"], "chrome_extension_linkedin");
        assert_eq!(body["nationality"], json!(["Cape Verdean"]));
        assert_eq!(body["status"], json!(["do_not_poach"]));
    }

    #[test]
    fn from_json_keeps_every_field_to_json_sends() {
        let body = json!({
            "firstName": "Ana",
            "lastName": "García",
            "education": [{"degree": "High School"}],
            "workExperiences": [{"jobTitle": "Recruiter"}],
            "languages": [{"language": "English"}],
            "compensation": {"currency": "EUR"},
            "mainContact": {"userId": "user-7"},
            "role": "Head of Talent"
        });
        let contact = NewClientContact::from_json(body.clone()).unwrap();
        assert_eq!(contact.to_json().unwrap(), body);
    }

    #[test]
    fn rules_name_the_field() {
        let cases = [
            (
                NewClientContact::new("", "García"),
                "invalid firstName: must not be empty",
            ),
            (
                NewClientContact::new("Ana", " "),
                "invalid lastName: must not be empty",
            ),
            (
                NewClientContact::new("Ana", "García").email(crate::email(
                    crate::Purpose::Personal,
                    "not-an-address",
                    false,
                )),
                "invalid emails[0].email: must be an email address",
            ),
            (
                NewClientContact::new("Ana", "García").main_contact(" "),
                "invalid mainContact.userId: must not be empty",
            ),
        ];
        for (contact, message) in cases {
            assert_eq!(contact.to_json().unwrap_err().to_string(), message);
        }
    }
}
