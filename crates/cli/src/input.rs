//! Turning flag values and body files into the wrappers' input types, with
//! errors that name the flag.

use std::io::Read;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use crate::exit::Failure;

/// Reads a JSON body from a file, or stdin for `-`.
pub fn read_body(source: &str) -> Result<serde_json::Value, Failure> {
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
    day(flag, text).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// A day, `YYYY-MM-DD`.
pub fn day(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        Failure::Input(format!(
            "{flag}: `{text}` is not a date (YYYY-MM-DD or RFC 3339)"
        ))
    })
}

/// A value of one of the generated enums, parsed as the API spells it.
pub fn value<T: FromStr>(flag: &str, text: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| Failure::Input(format!("{flag}: {e}")))
}

/// A task link, `kind:id`.
pub fn link(text: &str) -> Result<spott::TaskLink, Failure> {
    let (kind, id) = text
        .split_once(':')
        .ok_or_else(|| Failure::Input(format!("--link: `{text}` is not KIND:ID")))?;
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
                "--link: unknown kind `{other}` (candidate, vacancy, client, user, team, client-contact, opportunity)"
            )));
        }
    };
    Ok(make(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_links_parse_or_name_the_flag() {
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
        assert_eq!(
            instant("--due", "22/04/2026").unwrap_err().to_string(),
            "--due: `22/04/2026` is not a date (YYYY-MM-DD or RFC 3339)"
        );
        assert_eq!(
            link("client-contact:cc1").unwrap(),
            spott::TaskLink::client_contact("cc1")
        );
        assert!(
            link("planet:p")
                .unwrap_err()
                .to_string()
                .starts_with("--link: unknown kind `planet`")
        );
        assert!(link("nocolon").is_err());
    }
}
