//! Turning flag values, CSV cells and body files into the wrappers' input
//! types, with errors that name the flag (or column) and say what is
//! accepted.

use std::io::Read;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::exit::Failure;

/// Reads a JSON body from a file, or stdin for `-`.
pub fn read_body(source: &str) -> Result<Value, Failure> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Input(format!("--body -: {e}")))?;
        text
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Failure::Input(format!("--body {source}: {e}")))?
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("--body {source}: not JSON: {e}")))
}

/// An instant: RFC 3339, or a day meaning midnight UTC.
pub fn instant(flag: &str, text: &str) -> Result<DateTime<Utc>, Failure> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        .map_err(|_| {
            Failure::Input(format!(
                "{flag}: `{text}` is not a date (YYYY-MM-DD or RFC 3339 such as 2026-04-22T09:00:00Z)"
            ))
        })
}

/// A day, `YYYY-MM-DD`.
pub fn day(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Failure::Input(format!("{flag}: `{text}` is not a day (YYYY-MM-DD)")))
}

/// A value of a type with its own parser that names what it accepts
/// (Saleshandy's task type and priority).
pub fn parsed<T: FromStr>(flag: &str, text: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| Failure::Input(format!("{flag}: {e}")))
}

/// How many accepted values an error lists before it only suggests.
const LIST_AT_MOST: usize = 12;

/// A value of one of the API's enums, as the API spells it; also accepted
/// case-insensitively and with `-` or spaces for `_` (`actively-looking`).
/// A wrong value fails naming the accepted ones (or the close ones, for
/// long lists such as nationalities).
pub fn choice<T: DeserializeOwned + JsonSchema>(flag: &str, text: &str) -> Result<T, Failure> {
    let accepted = accepted_values::<T>();
    let wanted = loose(text);
    let spelled = accepted
        .iter()
        .find(|value| value.as_str() == text)
        .or_else(|| accepted.iter().find(|value| loose(value) == wanted));
    if let Some(value) = spelled
        && let Ok(parsed) = serde_json::from_value(Value::String(value.clone()))
    {
        return Ok(parsed);
    }
    let hint = if accepted.len() <= LIST_AT_MOST {
        format!("one of: {}", accepted.join(", "))
    } else {
        let close: Vec<&str> = accepted
            .iter()
            .filter(|value| !wanted.is_empty() && loose(value).contains(&wanted))
            .map(String::as_str)
            .take(5)
            .collect();
        if close.is_empty() {
            format!("one of {} values as the API spells them", accepted.len())
        } else {
            format!("did you mean: {}?", close.join(", "))
        }
    };
    Err(Failure::Input(format!("{flag}: `{text}` is not {hint}")))
}

/// The string values the schema of `T` lists.
fn accepted_values<T: JsonSchema>() -> Vec<String> {
    let root = schemars::schema_for!(T);
    root.schema
        .enum_values
        .unwrap_or_default()
        .into_iter()
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect()
}

/// Lower case, `-` and spaces as `_`.
fn loose(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// A task link, `kind:id`.
pub fn link(flag: &str, text: &str) -> Result<spott::TaskLink, Failure> {
    let (kind, id) = pair(flag, "KIND:ID", text)?;
    let make = match kind {
        "candidate" => spott::TaskLink::candidate,
        "vacancy" => spott::TaskLink::vacancy,
        "client" => spott::TaskLink::client,
        "user" => spott::TaskLink::user,
        "team" => spott::TaskLink::team,
        "client-contact" | "client_contact" => spott::TaskLink::client_contact,
        "opportunity" => spott::TaskLink::opportunity,
        other => {
            return Err(Failure::Input(format!(
                "{flag}: unknown kind `{other}` (candidate, vacancy, client, user, team, client-contact, opportunity)"
            )));
        }
    };
    Ok(make(id))
}

/// `left:right`, both non-empty, split at the first colon.
pub fn pair<'a>(flag: &str, shape: &str, text: &'a str) -> Result<(&'a str, &'a str), Failure> {
    text.split_once(':')
        .map(|(left, right)| (left.trim(), right.trim()))
        .filter(|(left, right)| !left.is_empty() && !right.is_empty())
        .ok_or_else(|| Failure::Input(format!("{flag}: `{text}` is not {shape}")))
}

/// Emails from `purpose:address` values; the first is primary.
pub fn emails(flag: &str, values: &[String]) -> Result<Vec<spott::types::Email>, Failure> {
    values
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let (purpose, address) = pair(flag, "PURPOSE:ADDRESS", text)?;
            Ok(spott::email(purpose.into(), address, index == 0))
        })
        .collect()
}

/// Phone numbers from `purpose:number` values; the first is primary.
pub fn phones(flag: &str, values: &[String]) -> Result<Vec<spott::types::PhoneNumber>, Failure> {
    values
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let (purpose, number) = pair(flag, "PURPOSE:NUMBER", text)?;
            Ok(spott::phone_number(purpose.into(), number, index == 0))
        })
        .collect()
}

/// Every value parsed with [`choice`].
pub fn choices<T: DeserializeOwned + JsonSchema>(
    flag: &str,
    values: &[String],
) -> Result<Vec<T>, Failure> {
    values.iter().map(|value| choice(flag, value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use spott::types::{CandidateGender, ClientContactStatus, Nationality};

    #[test]
    fn dates_parse_or_name_the_flag() {
        assert_eq!(
            instant("--due", "2026-04-22").unwrap().to_rfc3339(),
            "2026-04-22T00:00:00+00:00"
        );
        assert_eq!(
            instant("--due", "2026-04-22T09:30:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-04-22T07:30:00+00:00"
        );
        assert!(
            instant("--due", "22/04/2026")
                .unwrap_err()
                .to_string()
                .starts_with("--due: `22/04/2026` is not a date")
        );
        assert_eq!(
            day("due", "2026-02-30").unwrap_err().to_string(),
            "due: `2026-02-30` is not a day (YYYY-MM-DD)"
        );
    }

    #[test]
    fn links_parse_or_list_the_kinds() {
        assert_eq!(
            link("--link", "client-contact:cc1").unwrap(),
            spott::TaskLink::client_contact("cc1")
        );
        assert!(
            link("--link", "planet:p")
                .unwrap_err()
                .to_string()
                .starts_with("--link: unknown kind `planet` (candidate,")
        );
        assert!(link("--link", "nocolon").is_err());
        assert!(link("--link", "candidate:").is_err());
    }

    #[test]
    fn enum_values_are_matched_loosely_and_refused_with_the_choices() {
        assert_eq!(
            choice::<CandidateGender>("--gender", "x").unwrap(),
            CandidateGender::X
        );
        assert_eq!(
            choice::<ClientContactStatus>("--status", "Actively-Looking").unwrap(),
            ClientContactStatus::ActivelyLooking
        );
        assert_eq!(
            choice::<Nationality>("--nationality", "cape verdean").unwrap(),
            choice::<Nationality>("--nationality", "Cape Verdean").unwrap()
        );
        assert_eq!(
            choice::<CandidateGender>("--gender", "other")
                .unwrap_err()
                .to_string(),
            "--gender: `other` is not one of: male, female, x"
        );
        let far = choice::<Nationality>("--nationality", "Verd")
            .unwrap_err()
            .to_string();
        assert!(far.contains("did you mean: Cape Verdean?"), "{far}");
    }

    #[test]
    fn emails_and_phones_take_purpose_pairs_first_primary() {
        let list = emails("--email", &["personal:a@x.io".into(), "work:b@x.io".into()]).unwrap();
        assert_eq!(list[0].is_primary, Some(true));
        assert_eq!(list[1].purpose.as_deref(), Some("work"));
        assert_eq!(list[1].is_primary, Some(false));
        assert!(phones("--phone", &["+34 600".into()]).is_err());
    }
}
