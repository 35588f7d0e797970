//! Ids as arguments: one type per kind of id (generated from the spec's id
//! components, see spec/README.md "Ids are typed"), so a client id cannot
//! be passed where a candidate id goes, while text stays easy to pass.

/// Kept private so only this crate says which types are ids of a kind.
mod sealed {
    pub trait Sealed<T> {}
}

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
pub trait IntoId<T>: sealed::Sealed<T> {
    /// The id as text, not yet checked.
    #[doc(hidden)]
    fn into_id_text(self) -> String;
}

/// Makes each id type, a reference to it and text arguments of its kind.
macro_rules! id_kinds {
    ($($(#[$cfg:meta])* $kind:ident),* $(,)?) => {$(
        $(#[$cfg])*
        pub use spott_openapi::types::$kind;

        $(#[$cfg])*
        impl sealed::Sealed<$kind> for $kind {}
        $(#[$cfg])*
        impl IntoId<$kind> for $kind {
            fn into_id_text(self) -> String {
                self.into()
            }
        }
        $(#[$cfg])*
        impl sealed::Sealed<$kind> for &$kind {}
        $(#[$cfg])*
        impl IntoId<$kind> for &$kind {
            fn into_id_text(self) -> String {
                self.as_str().to_owned()
            }
        }
        $(#[$cfg])*
        impl sealed::Sealed<$kind> for &str {}
        $(#[$cfg])*
        impl IntoId<$kind> for &str {
            fn into_id_text(self) -> String {
                self.to_owned()
            }
        }
        $(#[$cfg])*
        impl sealed::Sealed<$kind> for String {}
        $(#[$cfg])*
        impl IntoId<$kind> for String {
            fn into_id_text(self) -> String {
                self
            }
        }
        $(#[$cfg])*
        impl sealed::Sealed<$kind> for &String {}
        $(#[$cfg])*
        impl IntoId<$kind> for &String {
            fn into_id_text(self) -> String {
                self.clone()
            }
        }
    )*};
}

// Each with the features under which the generated crate defines it (the
// tags whose operations use it); a spec edit can only widen these.
id_kinds! {
    #[cfg(feature = "applications")]
    ApplicationId,
    #[cfg(any(
        feature = "applications",
        feature = "candidates",
        feature = "client-contacts",
        feature = "clients",
        feature = "notes",
        feature = "tasks",
        feature = "vacancies"
    ))]
    CandidateId,
    #[cfg(any(
        feature = "applications",
        feature = "candidates",
        feature = "client-contacts",
        feature = "clients",
        feature = "tasks",
        feature = "vacancies"
    ))]
    ClientContactId,
    #[cfg(any(
        feature = "applications",
        feature = "client-contacts",
        feature = "clients",
        feature = "tasks",
        feature = "vacancies"
    ))]
    ClientId,
    #[cfg(any(feature = "notes", feature = "tasks"))]
    EntityId,
    #[cfg(any(feature = "applications", feature = "notes"))]
    NoteId,
    #[cfg(any(feature = "applications", feature = "pipeline"))]
    PipelineStageId,
    #[cfg(feature = "applications")]
    RejectionId,
    #[cfg(any(
        feature = "candidates",
        feature = "client-contacts",
        feature = "clients",
        feature = "tasks"
    ))]
    TaskId,
    #[cfg(any(
        feature = "applications",
        feature = "candidates",
        feature = "client-contacts",
        feature = "notes",
        feature = "tasks",
        feature = "users",
        feature = "vacancies"
    ))]
    UserId,
    #[cfg(any(feature = "applications", feature = "tasks", feature = "vacancies"))]
    VacancyId,
}

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
    parse_at(|| field.to_owned(), value.into_id_text())
}

/// [`parse`] for text already taken, under a field name built only for an
/// error (`links[3].entityId`).
#[cfg(any(feature = "candidates", feature = "client-contacts", feature = "tasks"))]
pub(crate) fn parse_at<T>(
    field: impl Fn() -> String,
    text: String,
) -> Result<T, spott_saleshandy_core::Error>
where
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    spott_saleshandy_core::path::check_segment(&field(), &text)?;
    T::try_from(text).map_err(|e| spott_saleshandy_core::Error::invalid(field(), e.to_string()))
}

#[cfg(all(test, feature = "candidates", feature = "clients"))]
mod tests {
    use super::*;

    #[test]
    fn text_is_checked_naming_the_field() {
        let id: CandidateId = parse("id", "cand-1").unwrap();
        assert_eq!(id.as_str(), "cand-1");
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
