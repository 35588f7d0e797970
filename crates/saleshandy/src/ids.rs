//! Ids as arguments: one type per kind of id (generated from the spec's id
//! components, see spec/README.md "Ids are typed"), so a prospect id cannot
//! be passed where a task id goes, while text stays easy to pass.

// The `IntoId` trait, the id types and their conversions, from the spec's
// list of id kinds (each under the features its tags give it).
saleshandy_openapi::for_each_id_type!(spott_saleshandy_core::id_conversions {
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
});

#[cfg(all(test, feature = "tasks"))]
mod tests {
    use super::*;
    use spott_saleshandy_core::ids::parse_id as parse_at;

    #[test]
    fn text_is_checked_naming_the_field() {
        let id: TaskId = parse_at(|| "taskId".into(), "lP0Zg2keMz".into()).unwrap();
        assert_eq!(id.as_str(), "lP0Zg2keMz");
        // Display is the id as sent, for logs and messages.
        assert_eq!(format!("task {id}"), "task lP0Zg2keMz");
        let error = parse_at::<TaskId>(|| "taskId".into(), " ".into()).unwrap_err();
        assert_eq!(error.to_string(), "invalid taskId: must not be empty");
    }
}
