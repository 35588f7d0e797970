//! One pager for every list the mock answers from state, driven by the operation's
//! `x-pagination` extension rather than by names written here: which parameter carries the
//! page size, the cursor or the page number, whether they come in the query or the body, and
//! at which dotted paths of the answer the items, the next cursor and the "more" flag go.
//!
//! Cursors are opaque (URL-safe base64) and remembered by the store when issued: a cursor
//! is only accepted by the operation that issued it, and anything else (made up, edited,
//! from another list) is a 400. A cursor names the sort key of the last item it covered,
//! so the next page starts after that item even when items were created in between: paging
//! has no duplicates or gaps while items are added at the end.

use serde_json::{Map, Value};

use crate::operation::Operation;
use crate::routes::{Input, Outcome};
use crate::state::Store;
use crate::violation::{PathSegment, Violation};

/// The page size when neither the request nor the spec's parameter `default` gives one.
const FALLBACK_PAGE_SIZE: u64 = 25;

/// One item of a list: its place in the order (unique, compared as text) and its body.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) body: Value,
}

impl Entry {
    /// An entry ordered by `sort` (e.g. a timestamp), ties broken by `id`.
    pub(crate) fn new(sort: &str, id: &str, body: Value) -> Self {
        Self {
            key: format!("{sort}\u{1f}{id}"),
            body,
        }
    }
}

/// How `op` pages, read from its `x-pagination`.
struct Paging<'a> {
    cursor_style: bool,
    in_body: bool,
    page_size: &'a str,
    cursor: &'a str,
    page: &'a str,
    first_page: u64,
    items: &'a str,
    next_cursor: Option<&'a str>,
    has_more: Option<&'a str>,
}

fn paging(op: Operation) -> Option<Paging<'static>> {
    let ext = op.spec().pagination.as_ref()?;
    let text = |key: &str| ext.get(key).and_then(Value::as_str);
    Some(Paging {
        cursor_style: text("style") == Some("cursor"),
        in_body: text("in") == Some("body"),
        page_size: text("page-size").unwrap_or("limit"),
        cursor: text("cursor").unwrap_or("cursor"),
        page: text("page").unwrap_or("page"),
        first_page: ext.get("first-page").and_then(Value::as_u64).unwrap_or(0),
        items: text("items").unwrap_or("items"),
        next_cursor: text("next-cursor"),
        has_more: text("has-more"),
    })
}

/// The request's value of `name`, where `x-pagination` says inputs go.
fn input_value(p: &Paging<'_>, input: &Input<'_>, name: &str) -> Option<Value> {
    if p.in_body {
        input.fields().get(name).filter(|v| !v.is_null()).cloned()
    } else {
        input.query(name).map(|text| Value::String(text.to_owned()))
    }
}

fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The page size: the request's, else the `default` of the spec's parameter.
fn page_size(op: Operation, p: &Paging<'_>, input: &Input<'_>) -> u64 {
    input_value(p, input, p.page_size)
        .as_ref()
        .and_then(as_u64)
        .or_else(|| {
            op.spec()
                .parameters
                .iter()
                .find(|param| param.name == p.page_size)
                .and_then(|param| param.schema.get("default"))
                .and_then(Value::as_u64)
        })
        .unwrap_or(FALLBACK_PAGE_SIZE)
        .max(1)
}

/// Sets `value` at the dotted `path` of `root`, creating objects on the way.
fn set_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut segments = path.split('.').peekable();
    let mut current = root;
    while let Some(segment) = segments.next() {
        if segments.peek().is_none() {
            current.insert(segment.to_owned(), value);
            return;
        }
        let slot = current
            .entry(segment.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else {
            return;
        };
        current = next;
    }
}

/// URL-safe base64 without padding: the cursor's text.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A 400 for a cursor the mock did not issue to `op`.
fn foreign_cursor(p: &Paging<'_>, cursor: &str) -> Outcome {
    let location = if p.in_body { "body" } else { "query" };
    let message = format!("`{}` is not a cursor this list issued", p.cursor);
    Outcome::Error {
        status: 400,
        violation: Violation::new(
            "invalid_cursor",
            vec![PathSegment::from(location), PathSegment::from(p.cursor)],
            message.clone(),
            Some(Value::String(cursor.to_owned())),
        ),
        message,
    }
}

/// One page of `entries` (in any order; sorted here by key) for `op`, as its answer's body:
/// the items at `items`, and for cursor paging the next cursor (`null` on the last page) and
/// the "more" flag at their paths. Other fields of the answer go in `extra`.
pub(crate) fn page(
    store: &mut Store,
    input: &Input<'_>,
    mut entries: Vec<Entry>,
    extra: Map<String, Value>,
) -> Outcome {
    let op = input.op;
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    let Some(p) = paging(op) else {
        // Not a paged list: everything at once.
        let mut body = extra;
        let items = entries.into_iter().map(|e| e.body).collect();
        set_path(&mut body, "items", Value::Array(items));
        return ok(body);
    };
    let size = usize::try_from(page_size(op, &p, input)).unwrap_or(usize::MAX);
    let mut body = extra;
    if p.cursor_style {
        // An empty cursor is the first page, as an absent one.
        let start = match input_value(&p, input, p.cursor) {
            Some(Value::String(c)) if !c.is_empty() => match store.issued_cursors.get(&c) {
                Some((issuer, after)) if issuer == op.operation_id() => {
                    entries.partition_point(|e| e.key.as_str() <= after.as_str())
                }
                _ => return foreign_cursor(&p, &c),
            },
            Some(other) if !other.is_string() => return foreign_cursor(&p, &other.to_string()),
            _ => 0,
        };
        let rest = entries.len().saturating_sub(start);
        let more = rest > size;
        let taken: Vec<Entry> = entries.into_iter().skip(start).take(size).collect();
        let next = match taken.last() {
            Some(last) if more => {
                let cursor = base64url(format!("{op}\n{}", last.key).as_bytes());
                store.issued_cursors.insert(
                    cursor.clone(),
                    (op.operation_id().to_owned(), last.key.clone()),
                );
                Value::String(cursor)
            }
            _ => Value::Null,
        };
        set_path(
            &mut body,
            p.items,
            Value::Array(taken.into_iter().map(|e| e.body).collect()),
        );
        if let Some(path) = p.next_cursor {
            set_path(&mut body, path, next);
        }
        if let Some(path) = p.has_more {
            set_path(&mut body, path, Value::Bool(more));
        }
    } else {
        let number = input_value(&p, input, p.page)
            .as_ref()
            .and_then(as_u64)
            .unwrap_or(p.first_page);
        // Huge page numbers are valid requests past the end: an empty page, no overflow.
        let skip = number
            .saturating_sub(p.first_page)
            .checked_mul(size as u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(usize::MAX);
        let rest = entries.len().saturating_sub(skip);
        let items: Vec<Value> = entries
            .into_iter()
            .skip(skip)
            .take(size)
            .map(|e| e.body)
            .collect();
        set_path(&mut body, p.items, Value::Array(items));
        if let Some(path) = p.has_more {
            set_path(&mut body, path, Value::Bool(rest > size));
        }
    }
    ok(body)
}

/// A synthesized answer of `op` (from its schema or example) paged like a
/// stored list: its items become the list, so a later page is empty (or
/// its cursor points past them) instead of repeating the first. Answers
/// of operations that do not page, or without an item list, stay as they
/// are.
pub(crate) fn page_synthesized(store: &mut Store, input: &Input<'_>, answer: Outcome) -> Outcome {
    let Some(p) = paging(input.op) else {
        return answer;
    };
    let Outcome::Success {
        body: Some(Value::Object(mut body)),
        ..
    } = answer
    else {
        return answer;
    };
    let Some(Value::Array(items)) = take_path(&mut body, p.items) else {
        return ok(body);
    };
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| Entry::new(&format!("{index:08}"), "", item))
        .collect();
    page(store, input, entries, body)
}

/// Removes and returns the value at the dotted `path`.
fn take_path(root: &mut Map<String, Value>, path: &str) -> Option<Value> {
    let (parents, last) = match path.rsplit_once('.') {
        Some((parents, last)) => (Some(parents), last),
        None => (None, path),
    };
    let mut current = root;
    for segment in parents.into_iter().flat_map(|parents| parents.split('.')) {
        current = current.get_mut(segment)?.as_object_mut()?;
    }
    current.remove(last)
}

fn ok(body: Map<String, Value>) -> Outcome {
    Outcome::Success {
        status: 200,
        body: Some(Value::Object(body)),
        created: Vec::new(),
    }
}

/// Whether `timestamp` lies within the request's `modifiedSince`/`modifiedUntil` (inclusive;
/// a bound that is absent or does not parse does not restrict).
pub(crate) fn modified_within(input: &Input<'_>, timestamp: &str) -> bool {
    let parse = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
    let Some(at) = parse(timestamp) else {
        return true;
    };
    // Only the bounds the operation declares: an undeclared parameter is ignored.
    let bound = |name: &str| {
        let declared = input.op.spec().parameters.iter().any(|p| p.name == name);
        input.query(name).filter(|_| declared).and_then(parse)
    };
    let since = bound("modifiedSince");
    let until = bound("modifiedUntil");
    since.is_none_or(|s| at >= s) && until.is_none_or(|u| at <= u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(plain.as_bytes()), encoded);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn dotted_paths_nest() {
        let mut body = Map::new();
        set_path(&mut body, "pageInfo.nextCursor", Value::Null);
        set_path(&mut body, "pageInfo.hasNextPage", Value::Bool(false));
        set_path(&mut body, "items", Value::Array(Vec::new()));
        assert_eq!(
            Value::Object(body),
            serde_json::json!({"pageInfo": {"nextCursor": null, "hasNextPage": false}, "items": []})
        );
    }
}
