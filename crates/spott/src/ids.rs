//! Ids as arguments: one type per kind of id (generated from the spec's id
//! components, see spec/README.md "Ids are typed"), so a client id cannot
//! be passed where a candidate id goes, while text stays easy to pass.

// The `IntoId` trait, the id types and their conversions, from the spec's
// list of id kinds (each under the features its tags give it).
spott_openapi::for_each_id_type!(spott_saleshandy_core::id_conversions {
    /// A value that can be passed as an id of kind `T`: `T` itself, `&T`, or
    /// text (`&str`, `String`, `&String`), checked when the call is made
    /// (not empty, one path segment) with an error naming the field.
    ///
    /// A method that takes a candidate id takes `impl IntoId<CandidateId>`: a
    /// [`CandidateId`] (say `candidate.id` from a response), a reference to
    /// one, or text (`&str`, `String`), checked when the call is made, before
    /// anything is sent. Another kind of id does not compile:
    ///
    /// ```compile_fail,E0277
    /// # async fn run(spott: spott::Client, client: spott::ClientId) -> Result<(), spott::Error> {
    /// // A client id where a candidate id goes is refused by the compiler.
    /// spott.get_candidate(client).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// ```no_run
    /// # async fn run(spott: spott::Client, candidate: spott::CandidateId) -> Result<(), spott::Error> {
    /// spott.get_candidate(&candidate).await?;
    /// spott.get_candidate("cand-1").await?;
    /// # Ok(()) }
    /// ```
});

/// The id `field` of kind `T` from `value`, or the rule it breaks: not
/// blank, not `.` or `..` (see [`spott_saleshandy_core::path`]), and the
/// kind's own rules from the spec.
#[cfg(any(feature = "candidates", feature = "client-contacts"))]
pub(crate) fn parse<T>(
    field: &str,
    value: impl IntoId<T>,
) -> Result<T, spott_saleshandy_core::Error>
where
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    spott_saleshandy_core::ids::parse_id(|| field.to_owned(), value.into_id_text())
}

#[cfg(all(test, feature = "candidates", feature = "clients"))]
mod tests {
    use super::*;

    #[test]
    fn text_is_checked_naming_the_field() {
        let id: CandidateId = parse("id", "cand-1").unwrap();
        assert_eq!(id.as_str(), "cand-1");
        // Display is the id as sent, for logs and messages.
        assert_eq!(format!("candidate {id}"), "candidate cand-1");
        let same: CandidateId = parse("id", &id).unwrap();
        assert_eq!(same, id);
        for (text, message) in [
            ("", "invalid candidateId: must not be empty"),
            (" ", "invalid candidateId: must not be empty"),
            (
                "..",
                "invalid candidateId: must be one path segment, not `.` or `..`",
            ),
        ] {
            let error = parse::<CandidateId>("candidateId", text).unwrap_err();
            assert_eq!(error.to_string(), message);
        }
    }
}
