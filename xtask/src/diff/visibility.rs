//! `readOnly` and `writeOnly` switched on or off for a field that exists on
//! both sides: the field starts or stops travelling in one direction.
//!
//! A `readOnly` field is not sent by callers, a `writeOnly` one not sent by
//! the server (OpenAPI 3.0.3, "Fixed Fields" of the Schema Object). So the
//! flag that matters is `readOnly` in a request and `writeOnly` in a
//! response; the other one changes nothing in that direction. The levels
//! are oasdiff's (`request-*-property-became-read-only`,
//! `response-*-property-became-write-only`, …, all info but
//! `response-required-property-became-not-write-only`, a warning), except
//! where a field leaves a response or enters a request as a required one:
//! that is the removal or the addition of the field, and gets the level of
//! `response.property.removed` and `request.property.added` (the deviations
//! are listed in xtask/README.md).

use super::finding::Severity;
use super::schema::Direction;

/// The flag that decides whether a field travels in `direction`.
pub fn deciding_flag(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    }
}

/// The flag that does not matter in `direction`.
pub fn other_flag(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "writeOnly",
        Direction::Response => "readOnly",
    }
}

/// The rule id (without the direction) of a change to `flag`.
pub fn rule(flag: &str) -> &'static str {
    if flag == "readOnly" {
        "property.read_only.changed"
    } else {
        "property.write_only.changed"
    }
}

/// One field's switch of the deciding flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Switch {
    /// The data flow.
    pub direction: Direction,
    /// Whether the flag was turned on (the field stops travelling).
    pub turned_on: bool,
    /// Whether the field is required on the side where it travels: the old
    /// side when it leaves, the new one when it enters.
    pub required: bool,
}

impl Switch {
    /// The level and what it does to clients, for the field called `what`.
    pub fn classify(self, what: &str) -> (Severity, String) {
        let flag = deciding_flag(self.direction);
        let state = if self.turned_on { "now" } else { "no longer" };
        let (severity, consequence) = match (self.direction, self.turned_on, self.required) {
            // Leaves the response: what readers relied on is gone, as when
            // it is removed.
            (Direction::Response, true, true) => (
                Severity::Breaking,
                "the server stops sending it, and it was required: readers that rely on it fail to decode or lose it",
            ),
            (Direction::Response, true, false) => (
                Severity::Warning,
                "the server stops sending it: readers that use it no longer get it",
            ),
            // Enters the response (oasdiff: a warning when required, since
            // values stored before may lack it).
            (Direction::Response, false, true) => (
                Severity::Warning,
                "the server now sends it as a required field, which holds only if every value it stores has it",
            ),
            (Direction::Response, false, false) => (Severity::Info, "readers may now get it"),
            // Leaves the request: what callers send is ignored.
            (Direction::Request, true, _) => (
                Severity::Info,
                "callers no longer send it, the server ignores it",
            ),
            // Enters the request: a required one must now be sent.
            (Direction::Request, false, true) => (
                Severity::Breaking,
                "it is required in requests now: callers that do not send it get rejected",
            ),
            (Direction::Request, false, false) => (Severity::Info, "callers may now send it"),
        };
        (severity, format!("{what} is {state} {flag}: {consequence}"))
    }
}

/// The message for a switch of the flag that does not matter in
/// `direction` (always info).
pub fn other_message(direction: Direction, what: &str, turned_on: bool) -> String {
    let flag = other_flag(direction);
    let state = if turned_on { "now" } else { "no longer" };
    let travels = match direction {
        Direction::Request => "callers still send it",
        Direction::Response => "readers still get it",
    };
    format!("{what} is {state} {flag}: {travels}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(direction: Direction, turned_on: bool, required: bool) -> Severity {
        Switch {
            direction,
            turned_on,
            required,
        }
        .classify("field `x`")
        .0
    }

    #[test]
    fn levels_follow_oasdiff_but_where_the_field_appears_or_disappears() {
        use Direction::{Request, Response};
        // oasdiff: response-required-property-became-write-only is info;
        // ours is the removal's level (README, deviations).
        assert_eq!(level(Response, true, true), Severity::Breaking);
        assert_eq!(level(Response, true, false), Severity::Warning);
        // oasdiff: response-required-property-became-not-write-only, WARN.
        assert_eq!(level(Response, false, true), Severity::Warning);
        assert_eq!(level(Response, false, false), Severity::Info);
        // oasdiff: request-*-property-became-read-only, INFO.
        assert_eq!(level(Request, true, true), Severity::Info);
        assert_eq!(level(Request, true, false), Severity::Info);
        // oasdiff: request-required-property-became-not-read-only is info;
        // ours is a new required request field's level.
        assert_eq!(level(Request, false, true), Severity::Breaking);
        assert_eq!(level(Request, false, false), Severity::Info);
    }

    #[test]
    fn messages_name_the_field_and_the_flag() {
        let (_, message) = Switch {
            direction: Direction::Response,
            turned_on: true,
            required: true,
        }
        .classify("response field `secret`");
        assert!(
            message.starts_with("response field `secret` is now writeOnly: "),
            "{message}"
        );
        assert_eq!(
            other_message(Direction::Request, "request field `a`", false),
            "request field `a` is no longer writeOnly: callers still send it"
        );
    }
}
