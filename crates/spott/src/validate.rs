//! Input rules the pages imply, checked before anything is sent.

use spott_saleshandy_core::Error;

/// `value` must hold something other than whitespace.
pub(crate) fn not_blank(field: &str, value: &str) -> Result<(), Error> {
    not_blank_at(|| field.to_owned(), value)
}

/// [`not_blank`] for a field whose name is built (`links[3].entityId`):
/// the name is made only for an error, not on every call.
fn not_blank_at(field: impl Fn() -> String, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::invalid(field(), "must not be empty"))
    } else {
        Ok(())
    }
}

/// Turns a checked string into one of the generated constrained string
/// types (whose only rule, a minimum length, `not_blank` already covers).
pub(crate) fn constrained<T>(field: &str, value: String) -> Result<T, Error>
where
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    constrained_at(|| field.to_owned(), value)
}

/// [`constrained`] for a field whose name is built, like [`not_blank_at`].
pub(crate) fn constrained_at<T>(field: impl Fn() -> String, value: String) -> Result<T, Error>
where
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    not_blank_at(&field, &value)?;
    T::try_from(value).map_err(|e| Error::invalid(field(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_named() {
        let error = not_blank("content", " \t").unwrap_err();
        assert_eq!(error.to_string(), "invalid content: must not be empty");
        assert!(not_blank("content", "x").is_ok());
    }
}
