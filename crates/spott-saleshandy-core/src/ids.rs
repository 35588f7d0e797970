//! Ids as arguments, shared by both wrappers: the `IntoId` trait each
//! wrapper gets from [`id_conversions!`](crate::id_conversions), and
//! [`parse_id`], which turns text into an id of a kind or names the rule
//! it breaks.

use crate::error::Error;

/// The id `field` of kind `T` from `text`, or the rule it breaks: not
/// blank, not `.` or `..` (an id is a path segment somewhere, see
/// [`crate::path`]), and the kind's own rules from the spec. The field
/// name is built only for an error (`links[3].entityId`).
///
/// ```
/// let error = spott_saleshandy_core::ids::parse_id::<String>(|| "taskId".into(), " ".into())
///     .unwrap_err();
/// assert_eq!(error.to_string(), "invalid taskId: must not be empty");
/// ```
pub fn parse_id<T>(field: impl Fn() -> String, text: String) -> Result<T, Error>
where
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    crate::path::check_segment(&field(), &text)?;
    T::try_from(text).map_err(|e| Error::invalid(field(), e.to_string()))
}

/// Writes a wrapper's id conversions from its generated crate's list of id
/// kinds; called through that crate's `for_each_id_type!`, which adds the
/// `krate` and `ids` arguments:
///
/// ```text
/// spott_openapi::for_each_id_type!(spott_saleshandy_core::id_conversions {
///     /// The trait's documentation.
/// });
/// ```
///
/// In the calling module it defines `pub trait IntoId<T>` (sealed, with
/// the documentation given), re-exports each id type from the generated
/// crate's `types`, and implements `IntoId<Kind>` for the id, a reference
/// to it, `&str`, `String` and `&String`, each under the kind's own `cfg`.
/// The trait is the wrapper's own (a trait of this crate could not be
/// implemented there for the generated crate's types), so each wrapper
/// has one; the code is written once, here.
#[macro_export]
macro_rules! id_conversions {
    (
        $(#[$doc:meta])*
        krate = $krate:tt;
        ids = [$($(#[$cfg:meta])* $kind:ident),* $(,)?]
    ) => {
        /// Kept private so only this crate says which types are ids of a kind.
        mod sealed {
            pub trait Sealed<T> {}
        }

        $(#[$doc])*
        pub trait IntoId<T>: sealed::Sealed<T> {
            /// The id as text, not yet checked.
            #[doc(hidden)]
            fn into_id_text(self) -> String;
        }

        $(
            $(#[$cfg])*
            pub use $krate::types::$kind;

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
        )*
    };
}
