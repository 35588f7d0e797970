//! Values the pages show by example but never list: email and phone
//! purposes, social networks, language fluency. Each has the shown value
//! as a variant and `Other` for the rest (see spec/README.md, decision 10).

use spott_openapi::types::{Email, Language, PhoneNumber, SocialMedia};

macro_rules! open_value {
    ($(#[$doc:meta])* $name:ident { $(#[$vdoc:meta] $variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[$vdoc] $variant,)*
            /// A value the documentation does not show.
            Other(String),
        }

        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
    };
}

open_value! {
    /// What an email address or phone number is for.
    Purpose {
        /// `personal`
        Personal => "personal",
    }
}

open_value! {
    /// The network of a social media profile.
    SocialNetwork {
        /// `LINKEDIN`
        LinkedIn => "LINKEDIN",
    }
}

open_value! {
    /// How well a language is spoken.
    Fluency {
        /// `Native or bilingual proficiency`
        NativeOrBilingual => "Native or bilingual proficiency",
    }
}

/// An email address entry.
pub fn email(purpose: Purpose, address: impl Into<String>, primary: bool) -> Email {
    Email {
        purpose: Some(purpose.as_str().to_owned()),
        email: Some(address.into()),
        is_primary: Some(primary),
    }
}

/// A phone number entry.
pub fn phone_number(purpose: Purpose, number: impl Into<String>, primary: bool) -> PhoneNumber {
    PhoneNumber {
        purpose: Some(purpose.as_str().to_owned()),
        phone_number: Some(number.into()),
        is_primary: Some(primary),
    }
}

/// A social media profile entry.
pub fn social_media(network: SocialNetwork, url: impl Into<String>, primary: bool) -> SocialMedia {
    SocialMedia {
        type_: Some(network.as_str().to_owned()),
        url: Some(url.into()),
        is_primary: Some(primary),
    }
}

/// A language entry.
pub fn language(language: impl Into<String>, fluency: Fluency) -> Language {
    Language {
        language: Some(language.into()),
        fluency: Some(fluency.as_str().to_owned()),
        id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_map_both_ways() {
        assert_eq!(Purpose::from("personal"), Purpose::Personal);
        assert_eq!(Purpose::from("work"), Purpose::Other("work".into()));
        assert_eq!(SocialNetwork::LinkedIn.as_str(), "LINKEDIN");
        assert_eq!(
            serde_json::to_value(language("English", Fluency::NativeOrBilingual)).unwrap(),
            serde_json::json!({"language": "English", "fluency": "Native or bilingual proficiency"})
        );
        assert_eq!(
            serde_json::to_value(social_media(SocialNetwork::LinkedIn, "https://l/x", true))
                .unwrap(),
            serde_json::json!({"type": "LINKEDIN", "url": "https://l/x", "isPrimary": true})
        );
    }
}
