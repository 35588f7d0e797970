//! What went wrong, as one line on stderr and a distinct exit code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | other failure (a file could not be written, …) |
//! | 2 | bad usage (clap's own: unknown flag, missing argument) |
//! | 3 | invalid input or configuration; nothing was sent |
//! | 4 | the API answered with an error; a bulk row failed or is uncertain |
//! | 5 | network trouble, timeout, or still rate limited after retries |
//! | 130 | a bulk run stopped by Ctrl-C |
//!
//! A create that failed after it may have been processed (a 5xx, a timeout
//! after sending) says so, so nobody runs it again blind.

use std::fmt;
use std::process::ExitCode;

/// A failure of the command, by what the person at the shell can do.
#[derive(Debug)]
pub enum Failure {
    /// The input or configuration is wrong; nothing was sent. Exit 3.
    Input(String),
    /// The API answered with an error. Exit 4.
    Api(String),
    /// The network, a timeout or rate limiting got in the way. Exit 5.
    Network(String),
    /// Stopped by Ctrl-C before finishing. Exit 130.
    Interrupted(String),
    /// Anything else (a file could not be written, …). Exit 1.
    Other(String),
}

impl Failure {
    /// The process exit code (2 is clap's, for bad usage).
    pub fn code(&self) -> u8 {
        match self {
            Failure::Other(_) => 1,
            Failure::Input(_) => 3,
            Failure::Api(_) => 4,
            Failure::Network(_) => 5,
            Failure::Interrupted(_) => 130,
        }
    }

    /// [`Failure::code`] as an [`ExitCode`].
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Input(m)
            | Failure::Api(m)
            | Failure::Network(m)
            | Failure::Interrupted(m)
            | Failure::Other(m) => {
                // One line, whatever the message holds.
                f.write_str(&m.replace(['\r', '\n'], " "))
            }
        }
    }
}

impl From<spott_saleshandy_core::Error> for Failure {
    fn from(error: spott_saleshandy_core::Error) -> Self {
        use spott_saleshandy_core::Error as E;
        let mut message = error.to_string();
        // The person at the shell decides whether to run it again: a create
        // that may have been processed would make a second record.
        if error.may_exist_on_server() && error.operation().is_some_and(crate::bulk::is_create) {
            message.push_str(MAY_EXIST);
        }
        match error {
            E::InvalidInput { .. } | E::Config { .. } => Failure::Input(message),
            E::Api { .. } | E::Redirect { .. } | E::Decode { .. } | E::ResponseTooLarge { .. } => {
                Failure::Api(message)
            }
            E::RateLimited { .. } | E::Timeout { .. } | E::Transport { .. } => {
                Failure::Network(message)
            }
            _ => Failure::Other(message),
        }
    }
}

/// Added to the message of a create that failed after it may have been
/// processed.
const MAY_EXIST: &str = "; it may have been created: check before running it again";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_map_to_distinct_codes() {
        let api = spott_saleshandy_core::Error::status_only("x", 404);
        let rate_limited = spott_saleshandy_core::Error::rate_limited("x", None, 3);
        let codes: Vec<u8> = [
            Failure::from(spott_saleshandy_core::Error::invalid(
                "content",
                "must not be empty",
            )),
            Failure::from(spott_saleshandy_core::Error::config(
                "SPOTT_API_KEY",
                "is not set",
            )),
            Failure::from(api),
            Failure::from(spott_saleshandy_core::Error::timeout("x", 1, true)),
            Failure::from(rate_limited),
            Failure::Interrupted("stopped".into()),
            Failure::Other("disk full".into()),
        ]
        .iter()
        .map(Failure::code)
        .collect();
        assert_eq!(codes, [3, 3, 4, 5, 5, 130, 1]);
    }

    #[test]
    fn a_create_that_may_exist_says_to_check_and_nothing_else_does() {
        use spott_saleshandy_core::Error;
        let message = |error: Error| Failure::from(error).to_string();
        assert_eq!(
            message(Error::status_only("create_task", 502)),
            "create_task: HTTP 502; it may have been created: check before running it again"
        );
        assert_eq!(
            message(Error::timeout("create_tasks", 1, true)),
            "create_tasks: timed out after 1 attempt(s); it may have been created: check before running it again"
        );
        // Refused, or never sent: it was not created.
        assert_eq!(
            message(Error::status_only("create_task", 422)),
            "create_task: HTTP 422"
        );
        assert_eq!(
            message(Error::timeout("create_task", 1, false)),
            "create_task: timed out after 1 attempt(s) (while connecting: nothing was sent)"
        );
        // A read may be run again whatever happened.
        assert_eq!(
            message(Error::status_only("get_candidate", 502)),
            "get_candidate: HTTP 502"
        );
    }

    #[test]
    fn a_message_prints_as_one_line() {
        assert_eq!(
            Failure::Api("a\nb\r\nc".into()).to_string(),
            "a b  c".to_string()
        );
    }
}
