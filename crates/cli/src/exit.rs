//! What went wrong, as one line on stderr and a distinct exit code.

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
    /// Anything else (a file could not be written, …). Exit 1.
    Other(String),
}

impl Failure {
    /// The exit code for this failure (2 is clap's, for bad usage).
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Other(_) => 1,
            Failure::Input(_) => 3,
            Failure::Api(_) => 4,
            Failure::Network(_) => 5,
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Input(m) | Failure::Api(m) | Failure::Network(m) | Failure::Other(m) => {
                f.write_str(m)
            }
        }
    }
}

impl From<client_core::Error> for Failure {
    fn from(error: client_core::Error) -> Self {
        use client_core::Error as E;
        let message = error.to_string();
        match error {
            E::InvalidInput { .. } | E::Config { .. } => Failure::Input(message),
            E::Api { .. } | E::Decode { .. } | E::ResponseTooLarge { .. } => Failure::Api(message),
            E::RateLimited { .. } | E::Timeout { .. } | E::Transport { .. } => {
                Failure::Network(message)
            }
            _ => Failure::Other(message),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Other(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_map_to_distinct_codes() {
        let codes: Vec<ExitCode> = [
            Failure::from(client_core::Error::invalid("content", "must not be empty")),
            Failure::from(client_core::Error::Timeout {
                operation: "x",
                attempts: 1,
            }),
            Failure::Other("disk full".into()),
        ]
        .iter()
        .map(Failure::exit_code)
        .collect();
        assert_eq!(
            codes,
            [ExitCode::from(3), ExitCode::from(5), ExitCode::from(1)]
        );
    }
}
