//! Ids as arguments: one type per kind of id (generated from the spec's id
//! components, see spec/README.md "Ids are typed"), so a prospect id cannot
//! be passed where a task id goes, while text stays easy to pass.

/// Kept private so only this crate says which types are ids of a kind.
mod sealed {
    pub trait Sealed<T> {}
}

/// A value that can be passed as an id of kind `T`: `T` itself, `&T`, or
/// text (`&str`, `String`, `&String`), checked when the call is made
/// (not empty, one path segment) with an error naming the field.
///
/// A value that takes prospect ids takes `impl IntoId<ProspectId>`: a
/// [`ProspectId`] (say `prospect.id` from a listed prospect), a reference to
/// one, or text (`&str`, `String`), checked before anything is sent.
/// Another kind of id does not compile:
///
/// ```compile_fail,E0277
/// # fn run(task: saleshandy::TaskId) {
/// // A task id where a prospect id goes is refused by the compiler.
/// let _ = saleshandy::NewTasks::new(saleshandy::TaskType::Custom, [task]);
/// # }
/// ```
///
/// ```
/// # fn run(prospect: saleshandy::ProspectId) {
/// let _ = saleshandy::NewTasks::new(saleshandy::TaskType::Custom, [&prospect]);
/// let _ = saleshandy::NewTasks::new(saleshandy::TaskType::Custom, ["8PvBmrB7P7"]);
/// # }
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
        pub use saleshandy_openapi::types::$kind;

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
    #[cfg(feature = "tasks")]
    BulkActionId,
    #[cfg(any(feature = "prospects", feature = "tasks"))]
    ProspectId,
    #[cfg(feature = "sequences")]
    SequenceId,
    #[cfg(feature = "tasks")]
    TaskId,
}

/// The id `field` of kind `T` from `text`, or the rule it breaks: not
/// blank, not `.` or `..` (an id of a kind is a path segment somewhere, see
/// [`spott_saleshandy_core::path`]), and the kind's own rules from the
/// spec. The field name is built only for an error (`prospectIds[3]`).
#[cfg(feature = "tasks")]
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

#[cfg(all(test, feature = "tasks"))]
mod tests {
    use super::*;

    #[test]
    fn text_is_checked_naming_the_field() {
        let id: TaskId = parse_at(|| "taskId".into(), "lP0Zg2keMz".into()).unwrap();
        assert_eq!(id.as_str(), "lP0Zg2keMz");
        let error = parse_at::<TaskId>(|| "taskId".into(), " ".into()).unwrap_err();
        assert_eq!(error.to_string(), "invalid taskId: must not be empty");
    }
}
