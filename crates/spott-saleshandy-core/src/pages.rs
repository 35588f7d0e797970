//! Walking a list operation page by page: one paginator for every paged
//! operation, driven by its `x-pagination` row in the operation table.
//!
//! Each page is one [`Sender::call_json`](crate::dynamic::Sender::call_json)
//! call, so it carries the key and the retry policy like any read (a page
//! that hits a 503 is retried; the pages before it are not fetched again).
//! The walk stops when the server says there is no more (its has-more flag
//! is false, it gives no next cursor, or a page without a has-more flag is
//! empty or shorter than the page size asked for), and fails with
//! [`Error::Paging`] instead of looping when a cursor comes back that was
//! already followed, a numbered page repeats the one before it (a server
//! that ignores the page number), or a page claims more but is empty or
//! gives no cursor.
//!
//! Pagination inputs the caller passes are the starting point: a `cursor`
//! (or `page`) resumes a walk where an earlier one stopped.

use std::collections::{HashSet, VecDeque};

use futures_util::stream::{self, Stream};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::dynamic::{Arguments, Operation, Sender};
use crate::error::Error;

/// Where a paged operation takes its paging inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageInputs {
    /// Query parameters.
    Query,
    /// Fields of the JSON request body.
    Body,
}

/// How a paged operation asks for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// Pass the cursor the previous page answered.
    Cursor {
        /// The cursor input.
        cursor: &'static str,
        /// The path of the next cursor in the success body.
        next_cursor: &'static [&'static str],
    },
    /// Pass the next page number.
    Page {
        /// The page-number input.
        page: &'static str,
        /// The number of the first page.
        first_page: u64,
    },
}

/// How an operation pages, from its row of the operation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// Cursor or page number.
    pub style: PageStyle,
    /// Where the paging inputs go.
    pub inputs: PageInputs,
    /// The page-size input.
    pub page_size: &'static str,
    /// The path of the items in the success body.
    pub items: &'static [&'static str],
    /// The path of the has-more flag, if the response has one.
    pub has_more: Option<&'static [&'static str]>,
}

/// Owned arguments of a walk: each page adds its own paging inputs.
#[derive(Clone, Debug, Default)]
struct Inputs {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

impl Inputs {
    /// The caller's own value of the paging input `name`, as text.
    fn given(&self, location: PageInputs, name: &str) -> Option<String> {
        match location {
            PageInputs::Query => self
                .query
                .iter()
                .find(|(given, _)| given == name)
                .map(|(_, value)| value.clone()),
            PageInputs::Body => match self.body.as_ref()?.get(name)? {
                Value::String(text) => Some(text.clone()),
                other => Some(other.to_string()),
            },
        }
    }
}

/// Why a walk stops early, and whether the page that showed it is still
/// delivered (its items are new) or not (it repeats one delivered).
struct Stop {
    error: Error,
    deliver: bool,
}

/// Where the walk is.
enum Next {
    /// The first page, from the caller's own inputs.
    First,
    Cursor(String),
    Page(u64),
    /// The page before was delivered; this is what was wrong with it.
    Fail(Error),
    Done,
}

struct Walk {
    sender: Sender,
    operation: Operation,
    pagination: Pagination,
    inputs: Inputs,
    page_size: Option<u32>,
    next: Next,
    seen: HashSet<String>,
    /// A fingerprint of the previous page's items (page style).
    previous_items: Option<u64>,
}

impl Sender {
    /// Every page of the list operation `operation`, as the JSON each
    /// answered, `page_size` items per page (the server's default when
    /// `None`). Refused before anything is sent if the operation does not
    /// page or an argument breaks a rule of [`Sender::call_json`].
    pub fn pages(
        &self,
        operation: &Operation,
        arguments: Arguments<'_>,
        page_size: Option<u32>,
    ) -> Result<impl Stream<Item = Result<Value, Error>> + Send + use<>, Error> {
        let pagination = operation.pagination.ok_or_else(|| {
            Error::invalid(
                "operation",
                format!("{} is not a paged list operation", operation.id),
            )
        })?;
        if page_size == Some(0) {
            return Err(Error::invalid(pagination.page_size, "must be at least 1"));
        }
        let owned = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect::<Vec<_>>()
        };
        let body = match (pagination.inputs, arguments.body) {
            (PageInputs::Body, None) => Some(Value::Object(Default::default())),
            (PageInputs::Body, Some(body)) if !body.is_object() => {
                return Err(Error::invalid("body", "must be a JSON object to page"));
            }
            (_, body) => body.cloned(),
        };
        let inputs = Inputs {
            path: owned(arguments.path),
            query: owned(arguments.query),
            body,
        };
        let mut seen = HashSet::new();
        let next = match pagination.style {
            // A cursor the caller resumes from must not come back either.
            PageStyle::Cursor { cursor, .. } => {
                if let Some(resumed) = inputs.given(pagination.inputs, cursor) {
                    seen.insert(resumed);
                }
                Next::First
            }
            // Page numbers are always sent, from the caller's or the first.
            PageStyle::Page { page, first_page } => Next::Page(
                inputs
                    .given(pagination.inputs, page)
                    .and_then(|given| given.parse().ok())
                    .unwrap_or(first_page),
            ),
        };
        let walk = Walk {
            sender: self.clone(),
            operation: *operation,
            pagination,
            inputs,
            page_size,
            next,
            seen,
            previous_items: None,
        };
        Ok(stream::unfold(walk, |mut walk| async move {
            let page = walk.next_page().await?;
            Some((page, walk))
        }))
    }

    /// Every item of every page of `operation`, decoded as `T` (the
    /// generated item type, or [`Value`]). An item that does not decode
    /// is an [`Error::Decode`] naming its place (`data[3].id`) and ends the
    /// stream, like an error fetching a page.
    pub fn items<T: DeserializeOwned + Send + 'static>(
        &self,
        operation: &Operation,
        arguments: Arguments<'_>,
        page_size: Option<u32>,
    ) -> Result<impl Stream<Item = Result<T, Error>> + Send + use<T>, Error> {
        let pages = Box::pin(self.pages(operation, arguments, page_size)?);
        let id = operation.id;
        let items_path = operation.pagination.map_or(&[][..], |p| p.items);
        let state = (pages, VecDeque::<(usize, Value)>::new(), false);
        Ok(stream::unfold(
            state,
            move |(mut pages, mut buffer, mut failed)| async move {
                use futures_util::StreamExt as _;
                loop {
                    if failed {
                        return None;
                    }
                    if let Some((index, item)) = buffer.pop_front() {
                        let decoded = decode_item::<T>(id, items_path, index, item);
                        failed = decoded.is_err();
                        return Some((decoded, (pages, buffer, failed)));
                    }
                    match pages.next().await? {
                        Ok(mut page) => {
                            if let Some(Value::Array(items)) = take(&mut page, items_path) {
                                buffer.extend(items.into_iter().enumerate());
                            }
                        }
                        Err(error) => return Some((Err(error), (pages, buffer, true))),
                    }
                }
            },
        ))
    }
}

fn decode_item<T: DeserializeOwned>(
    operation: &'static str,
    items_path: &[&str],
    index: usize,
    item: Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize::<_, T>(item).map_err(|error| {
        let inner = error.path().to_string();
        let mut path = format!("{}[{index}]", items_path.join("."));
        if inner != "." {
            path.push('.');
            path.push_str(&inner);
        }
        Error::Decode {
            operation,
            path,
            message: crate::error::without_quoted_values(&error.inner().to_string()),
            snippet: Default::default(),
        }
    })
}

impl Walk {
    /// Fetches the next page, or `None` when the walk is over.
    async fn next_page(&mut self) -> Option<Result<Value, Error>> {
        let (cursor, page) = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(error) => return Some(Err(error)),
            Next::First => (None, None),
            Next::Cursor(cursor) => (Some(cursor), None),
            Next::Page(page) => (None, Some(page)),
        };
        let result = self.fetch(cursor.as_deref(), page).await;
        match result {
            Ok(body) => match self.advance(&body, page) {
                Ok(next) => {
                    self.next = next;
                    Some(Ok(body))
                }
                // The page is delivered and the error comes next, unless
                // the page repeats one already delivered.
                Err(Stop {
                    error,
                    deliver: true,
                }) => {
                    self.next = Next::Fail(error);
                    Some(Ok(body))
                }
                Err(Stop {
                    error,
                    deliver: false,
                }) => Some(Err(error)),
            },
            Err(error) => Some(Err(error)),
        }
    }

    /// One page: the caller's inputs plus this page's paging inputs.
    async fn fetch(&self, cursor: Option<&str>, page: Option<u64>) -> Result<Value, Error> {
        let Pagination {
            style,
            inputs,
            page_size,
            ..
        } = self.pagination;
        let mut set: Vec<(&str, Value)> = Vec::new();
        if let Some(size) = self.page_size {
            set.push((page_size, size.into()));
        }
        match (style, cursor, page) {
            (PageStyle::Cursor { cursor: name, .. }, Some(cursor), _) => {
                set.push((name, cursor.into()));
            }
            (PageStyle::Page { page: name, .. }, _, Some(page)) => {
                set.push((name, page.into()));
            }
            _ => {}
        }
        let mut query = self.inputs.query.clone();
        let mut body = self.inputs.body.clone();
        match inputs {
            PageInputs::Query => {
                query.retain(|(name, _)| !set.iter().any(|(paging, _)| paging == name));
                query.extend(set.into_iter().map(|(name, value)| {
                    let text = match value {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    (name.to_owned(), text)
                }));
            }
            PageInputs::Body => {
                if let Some(Value::Object(fields)) = body.as_mut() {
                    for (name, value) in set {
                        fields.insert(name.to_owned(), value);
                    }
                }
            }
        }
        let path: Vec<(&str, &str)> = self
            .inputs
            .path
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let query: Vec<(&str, &str)> = query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        self.sender
            .call_json(
                &self.operation,
                Arguments {
                    path: &path,
                    query: &query,
                    body: body.as_ref(),
                },
            )
            .await
    }

    /// What comes after `body` (the page numbered `page`, if page style).
    fn advance(&mut self, body: &Value, page: Option<u64>) -> Result<Next, Stop> {
        let operation = self.operation.id;
        let stop = |problem, deliver| Stop {
            error: Error::Paging { operation, problem },
            deliver,
        };
        let fail = |problem| stop(problem, true);
        let Pagination {
            style,
            items,
            has_more,
            ..
        } = self.pagination;
        let count = match get(body, items) {
            Some(Value::Array(items)) => items.len(),
            _ => return Err(fail("a page has no item list where the spec says")),
        };
        let has_more = match has_more.map(|path| get(body, path)) {
            None | Some(None | Some(Value::Null)) => None,
            Some(Some(Value::Bool(flag))) => Some(*flag),
            Some(Some(_)) => return Err(fail("a page's has-more flag is not a boolean")),
        };
        if has_more == Some(false) {
            return Ok(Next::Done);
        }
        if count == 0 {
            return if has_more == Some(true) {
                Err(fail("an empty page claims more items"))
            } else {
                Ok(Next::Done)
            };
        }
        match style {
            PageStyle::Cursor { next_cursor, .. } => {
                let next = match get(body, next_cursor) {
                    Some(Value::String(next)) if !next.is_empty() => next.clone(),
                    None | Some(Value::Null) | Some(Value::String(_)) => {
                        return if has_more == Some(true) {
                            Err(fail("a page claims more items but gives no cursor"))
                        } else {
                            Ok(Next::Done)
                        };
                    }
                    Some(_) => return Err(fail("a page's next cursor is not a string")),
                };
                if !self.seen.insert(next.clone()) {
                    return Err(fail("a cursor came back that was already followed"));
                }
                Ok(Next::Cursor(next))
            }
            PageStyle::Page { first_page, .. } => {
                // A server that ignores the page number answers the same
                // page for ever; the walk stops at the first repeat.
                let fingerprint = fingerprint(get(body, items));
                if self.previous_items.replace(fingerprint) == Some(fingerprint) {
                    return Err(stop("a page repeated the one before it", false));
                }
                let short = self.page_size.is_some_and(|size| count < size as usize);
                if has_more.is_none() && short {
                    return Ok(Next::Done);
                }
                // Page style always asks for a numbered page.
                Ok(Next::Page(page.unwrap_or(first_page) + 1))
            }
        }
    }
}

fn fingerprint(items: Option<&Value>) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    items.map(Value::to_string).hash(&mut hasher);
    hasher.finish()
}

fn get<'a>(body: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(body, |value, key| value.get(key))
}

fn take(body: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let parent = parents
        .iter()
        .try_fold(body, |value, key| value.get_mut(key))?;
    parent.as_object_mut()?.remove(*last)
}
