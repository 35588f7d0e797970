//! Task types and priorities with readable names, mapped to the API's
//! numeric codes (`TaskType::CallFollowUp` ↔ `"13"`).

use std::fmt;
use std::str::FromStr;

use saleshandy_openapi::types as raw;
use spott_saleshandy_core::Error;

macro_rules! coded_enum {
    (
        $(#[$doc:meta])* $name:ident => $raw:ident {
            $($(#[$vdoc:meta])* $variant:ident = $code:literal, $slug:literal, $label:literal => $raw_variant:ident;)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in the documentation's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code the API uses (`"13"`).
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            /// The kebab-case name used on command lines (`call-follow-up`).
            pub fn slug(self) -> &'static str {
                match self { $(Self::$variant => $slug,)* }
            }

            /// The documentation's label (`Call follow-up`).
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)* }
            }

            pub(crate) fn to_raw(self) -> raw::$raw {
                match self { $(Self::$variant => raw::$raw::$raw_variant,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        /// Parses a code (`13`) or a slug (`call-follow-up`).
        impl FromStr for $name {
            type Err = Error;

            fn from_str(text: &str) -> Result<Self, Error> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.code() == text || value.slug().eq_ignore_ascii_case(text))
                    .ok_or_else(|| {
                        let accepted: Vec<&str> = Self::ALL.iter().map(|v| v.slug()).collect();
                        Error::invalid(
                            stringify!($name),
                            format!("`{text}` is not one of: {}", accepted.join(", ")),
                        )
                    })
            }
        }
    };
}

coded_enum! {
    /// What kind of task to create (page 003's 14 values).
    TaskType => TaskType {
        /// LinkedIn connection request (`"2"`).
        LinkedInConnectionRequest = "2", "linkedin-connection-request", "LinkedIn connection request" => X2;
        /// LinkedIn message (`"3"`).
        LinkedInMessage = "3", "linkedin-message", "LinkedIn message" => X3;
        /// LinkedIn InMail (`"4"`).
        LinkedInInMail = "4", "linkedin-inmail", "LinkedIn InMail" => X4;
        /// LinkedIn view profile (`"5"`).
        LinkedInViewProfile = "5", "linkedin-view-profile", "LinkedIn view profile" => X5;
        /// LinkedIn post interaction (`"6"`).
        LinkedInPostInteraction = "6", "linkedin-post-interaction", "LinkedIn post interaction" => X6;
        /// Custom (`"9"`).
        Custom = "9", "custom", "Custom" => X9;
        /// Call introduction (`"11"`).
        CallIntroduction = "11", "call-introduction", "Call introduction" => X11;
        /// Call demo (`"12"`).
        CallDemo = "12", "call-demo", "Call demo" => X12;
        /// Call follow-up (`"13"`).
        CallFollowUp = "13", "call-follow-up", "Call follow-up" => X13;
        /// Call reminder (`"14"`).
        CallReminder = "14", "call-reminder", "Call reminder" => X14;
        /// Call other (`"15"`).
        CallOther = "15", "call-other", "Call other" => X15;
        /// WhatsApp message (`"16"`).
        WhatsAppMessage = "16", "whatsapp-message", "WhatsApp message" => X16;
        /// WhatsApp voice message (`"17"`).
        WhatsAppVoiceMessage = "17", "whatsapp-voice-message", "WhatsApp voice message" => X17;
        /// WhatsApp voice call (`"18"`).
        WhatsAppVoiceCall = "18", "whatsapp-voice-call", "WhatsApp voice call" => X18;
    }
}

coded_enum! {
    /// How urgent a task is. Without one, the task has no priority.
    Priority => TaskPriority {
        /// Urgent (`"1"`).
        Urgent = "1", "urgent", "Urgent" => X1;
        /// High (`"2"`).
        High = "2", "high", "High" => X2;
        /// Medium (`"3"`).
        Medium = "3", "medium", "Medium" => X3;
        /// Low (`"4"`).
        Low = "4", "low", "Low" => X4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_type_serializes_to_its_documented_code() {
        assert_eq!(TaskType::ALL.len(), 14);
        for task_type in TaskType::ALL {
            assert_eq!(
                serde_json::to_value(task_type.to_raw()).unwrap(),
                serde_json::Value::String(task_type.code().to_owned()),
                "{task_type:?}"
            );
        }
        assert_eq!(TaskType::CallFollowUp.code(), "13");
    }

    #[test]
    fn every_priority_serializes_to_its_documented_code() {
        let codes: Vec<_> = Priority::ALL
            .iter()
            .map(|p| serde_json::to_value(p.to_raw()).unwrap())
            .collect();
        assert_eq!(codes, ["1", "2", "3", "4"]);
        assert_eq!(Priority::Urgent.label(), "Urgent");
    }

    #[test]
    fn parses_codes_and_slugs_and_names_the_rule() {
        assert_eq!("13".parse::<TaskType>().unwrap(), TaskType::CallFollowUp);
        assert_eq!(
            "call-follow-up".parse::<TaskType>().unwrap(),
            TaskType::CallFollowUp
        );
        assert_eq!("High".parse::<Priority>().unwrap(), Priority::High);
        let error = "1".parse::<TaskType>().unwrap_err().to_string();
        assert!(
            error.starts_with("invalid TaskType: `1` is not one of: linkedin-connection-request"),
            "{error}"
        );
    }
}
