//! Update candidate (page 004): a PATCH in which every field is either
//! left alone, set, or (where the API allows) cleared.

use chrono::{DateTime, Utc};
use spott_openapi::Nullable;
use spott_openapi::types::{
    CandidateAcquisitionSource, CandidateGender, CandidateStatus, Compensation, Email, Language,
    LocationUpdate, MainContactInput, Nationality, PhoneNumber, SocialMedia,
    UpdateCandidateRequest,
};
use spott_saleshandy_core::Error;

use crate::ids::{IntoId, UserId, parse};
use crate::validate::not_blank;

/// The changes to make to a candidate. Fields you do not touch are not
/// sent, so the server leaves them as they are; `clear_*` methods send
/// `null`; list setters replace the whole list (an empty list clears it).
///
/// ```
/// use spott::CandidateUpdate;
/// use spott::types::CandidateGender;
///
/// let update = CandidateUpdate::new()
///     .last_name("Doe")
///     .gender(CandidateGender::X)
///     .clear_date_of_birth();
/// assert_eq!(
///     update.to_json().unwrap(),
///     serde_json::json!({"lastName": "Doe", "gender": "x", "dateOfBirth": null})
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct CandidateUpdate {
    body: UpdateCandidateRequest,
    /// The first id given that breaks its rule, reported when the update
    /// is sent (setters stay chainable).
    refused: Option<Refused>,
}

/// An id refused by a setter: the field and the rule.
#[derive(Clone, Debug, PartialEq)]
struct Refused {
    field: &'static str,
    reason: String,
}

macro_rules! set_text {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.body.$name = Some(value.into());
            self
        }
    )*};
}

macro_rules! set_list {
    ($(#[$doc:meta] $name:ident: $item:ty),* $(,)?) => {$(
        #[$doc]
        pub fn $name(mut self, values: impl IntoIterator<Item = $item>) -> Self {
            self.body.$name = Some(values.into_iter().collect());
            self
        }
    )*};
}

macro_rules! set_or_clear {
    ($(#[$doc:meta] $name:ident, $clear:ident: $ty:ty),* $(,)?) => {$(
        #[$doc]
        pub fn $name(mut self, value: impl Into<$ty>) -> Self {
            self.body.$name = Some(Nullable::Value(value.into()));
            self
        }

        /// Clears the field (sends `null`).
        pub fn $clear(mut self) -> Self {
            self.body.$name = Some(Nullable::Null);
            self
        }
    )*};
}

impl CandidateUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    set_text! {
        /// Sets the first name (must not be empty).
        first_name,
        /// Sets the middle name.
        middle_name,
        /// Sets the last name (must not be empty).
        last_name,
        /// Sets the second last name (common in Spanish-speaking countries).
        second_last_name,
    }

    set_list! {
        /// Replaces the nationalities.
        nationality: Nationality,
        /// Replaces the statuses.
        status: CandidateStatus,
        /// Replaces the languages.
        languages: Language,
        /// Replaces the locations.
        locations: LocationUpdate,
        /// Replaces the social media profiles.
        social_media: SocialMedia,
        /// Replaces the email addresses.
        emails: Email,
        /// Replaces the phone numbers.
        phone_numbers: PhoneNumber,
    }

    set_or_clear! {
        /// Sets the gender.
        gender, clear_gender: CandidateGender,
        /// Sets whether the candidate shows when also a client contact.
        visible_if_client_contact, clear_visible_if_client_contact: bool,
        /// Sets the date of birth.
        date_of_birth, clear_date_of_birth: DateTime<Utc>,
        /// Sets when the last interaction was.
        last_interaction_at, clear_last_interaction_at: DateTime<Utc>,
    }

    /// Sets the user who last interacted with the candidate.
    pub fn last_interaction_with_id(mut self, user_id: impl IntoId<UserId>) -> Self {
        if let Some(id) = self.user_id("lastInteractionWithId", user_id) {
            self.body.last_interaction_with_id = Some(Nullable::Value(id));
        }
        self
    }

    /// Clears the user who last interacted with the candidate (sends `null`).
    pub fn clear_last_interaction_with_id(mut self) -> Self {
        self.body.last_interaction_with_id = Some(Nullable::Null);
        self
    }

    /// The user id `field`, or `None` with the first refusal kept.
    fn user_id(&mut self, field: &'static str, user_id: impl IntoId<UserId>) -> Option<UserId> {
        match parse(field, user_id) {
            Ok(id) => Some(id),
            Err(error) => {
                let reason = match error {
                    Error::InvalidInput { reason, .. } => reason,
                    other => other.to_string(),
                };
                self.refused.get_or_insert(Refused { field, reason });
                None
            }
        }
    }

    /// Sets how the candidate was acquired.
    pub fn acquisition_source(mut self, source: CandidateAcquisitionSource) -> Self {
        self.body.acquisition_source = Some(source);
        self
    }

    /// Sets the compensation expectations.
    pub fn compensation(mut self, compensation: Compensation) -> Self {
        self.body.compensation = Some(compensation);
        self
    }

    /// Sets the main contact (recruiter) by user id.
    pub fn main_contact(mut self, user_id: impl IntoId<UserId>) -> Self {
        if let Some(id) = self.user_id("mainContact.userId", user_id) {
            self.body.main_contact = Some(MainContactInput { user_id: Some(id) });
        }
        self
    }

    /// An update from a JSON body shaped like the API's. Fields set to
    /// `null` are cleared, absent ones left alone, and unknown top-level
    /// fields refused, as a command line needs for a body read from a file.
    ///
    /// ```
    /// let update = spott::CandidateUpdate::from_json(
    ///     serde_json::json!({"lastName": "Doe", "dateOfBirth": null}),
    /// )
    /// .unwrap();
    /// assert_eq!(
    ///     update.to_json().unwrap(),
    ///     serde_json::json!({"lastName": "Doe", "dateOfBirth": null})
    /// );
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<Self, Error> {
        let nulls: Vec<String> = match &value {
            serde_json::Value::Object(fields) => fields
                .iter()
                .filter(|(_, value)| value.is_null())
                .map(|(key, _)| key.clone())
                .collect(),
            _ => Vec::new(),
        };
        let mut body: UpdateCandidateRequest = spott_saleshandy_core::json_input::decode(value)?;
        // Decoding reads `null` as "absent"; put the clears back (the
        // generated `set_null` knows the spec's nullable fields).
        for key in nulls {
            if !body.set_null(&key) {
                return Err(Error::invalid(key, "cannot be null (it is not nullable)"));
            }
        }
        Ok(Self {
            body,
            refused: None,
        })
    }

    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        self.body == UpdateCandidateRequest::default() && self.refused.is_none()
    }

    /// The JSON body this update sends, or the rule it breaks.
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let body = self.clone().into_body()?;
        serde_json::to_value(body).map_err(|e| Error::invalid("body", e.to_string()))
    }

    /// Checks the rules and returns the request body.
    pub(crate) fn into_body(self) -> Result<UpdateCandidateRequest, Error> {
        if let Some(Refused { field, reason }) = self.refused {
            return Err(Error::invalid(field, reason));
        }
        if self.is_empty() {
            return Err(Error::invalid("body", "set at least one field to update"));
        }
        let body = &self.body;
        for (field, value) in [
            ("firstName", &body.first_name),
            ("lastName", &body.last_name),
        ] {
            if let Some(value) = value {
                not_blank(field, value)?;
            }
        }
        Ok(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn untouched_fields_are_absent_cleared_ones_null() {
        let update = CandidateUpdate::new()
            .first_name("Ana")
            .clear_gender()
            .clear_last_interaction_with_id()
            .emails([])
            .status([CandidateStatus::ApproachableButNotActivelyLooking]);
        assert_eq!(
            serde_json::to_value(update.into_body().unwrap()).unwrap(),
            json!({
                "firstName": "Ana",
                "gender": null,
                "lastInteractionWithId": null,
                "emails": [],
                "status": ["approachable_but_not_actively_looking"]
            })
        );
    }

    #[test]
    fn from_json_keeps_nulls_and_refuses_unknown_fields() {
        let update = CandidateUpdate::from_json(json!({
            "gender": null,
            "lastInteractionWithId": null,
            "visibleIfClientContact": false,
            "nationality": ["Dutch"]
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(update.into_body().unwrap()).unwrap(),
            json!({
                "gender": null,
                "lastInteractionWithId": null,
                "visibleIfClientContact": false,
                "nationality": ["Dutch"]
            })
        );
        let error = CandidateUpdate::from_json(json!({"lastname": "Doe"})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid lastname: is not a field of UpdateCandidateRequest"
        );
        let error = CandidateUpdate::from_json(json!({"firstName": null})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid firstName: cannot be null (it is not nullable)"
        );
        let error = CandidateUpdate::from_json(json!({"gender": "other"})).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid gender: unknown variant `other`"),
            "{error}"
        );
    }

    #[test]
    fn set_after_clear_sends_the_value() {
        let update = CandidateUpdate::new()
            .clear_visible_if_client_contact()
            .visible_if_client_contact(true);
        assert_eq!(
            update.to_json().unwrap(),
            json!({"visibleIfClientContact": true})
        );
    }

    #[test]
    fn rules_name_the_field() {
        let cases = [
            (
                CandidateUpdate::new(),
                "invalid body: set at least one field to update",
            ),
            (
                CandidateUpdate::new().last_name(" "),
                "invalid lastName: must not be empty",
            ),
            (
                CandidateUpdate::new().last_interaction_with_id(""),
                "invalid lastInteractionWithId: must not be empty",
            ),
            (
                CandidateUpdate::new().main_contact(""),
                "invalid mainContact.userId: must not be empty",
            ),
            (
                // The first refused id is the one reported, even after a
                // valid one was set over it.
                CandidateUpdate::new()
                    .main_contact("..")
                    .main_contact("u-1")
                    .last_interaction_with_id(" "),
                "invalid mainContact.userId: must be one path segment, not `.` or `..`",
            ),
        ];
        for (update, message) in cases {
            assert_eq!(update.into_body().unwrap_err().to_string(), message);
        }
    }
}
