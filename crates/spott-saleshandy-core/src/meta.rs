//! Response metadata of a successful call, when asked for: its status,
//! its headers and the server's request id.
//!
//! The common call stays as short as it is; a caller who wants the
//! metadata adds `.with_meta()` to the call's future (the [`WithMeta`]
//! trait, re-exported by both wrappers):
//!
//! ```text
//! use spott::WithMeta as _;
//! let (task, meta) = spott.create_task(task).with_meta().await?;
//! println!("{} {:?}", meta.status(), meta.request_id());
//! ```
//!
//! It works for every call that goes through [`crate::send`] (the typed
//! methods, `call`, `call_json`): while the future runs, a task-local slot
//! is open, and [`crate::send`] fills it with the last response it handed
//! on. A failed call returns its [`Error`] as usual (which has its own
//! [`Error::status`] and [`Error::request_id`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName};

use crate::error::Error;

/// What a successful response said about itself.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status (200, 201, …).
    pub status: u16,
    /// The response's headers (never the request's: the key is not here).
    pub headers: HeaderMap,
    /// The server's id for the request: its `x-request-id` (or
    /// `request-id`) header, else a top-level `requestId` in the body.
    pub request_id: Option<String>,
}

impl ResponseMeta {
    /// The metadata of a response with `status`, `headers` and `body`
    /// (read for the request id only when no header gives it).
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let mut headers = headers.clone();
        // A server that echoes the key must not hand it to logs through us.
        headers.remove(crate::api_key::API_KEY_HEADER);
        let request_id = crate::call::request_id(&headers, || serde_json::from_slice(body).ok());
        Self {
            status,
            headers,
            request_id,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id, to quote to support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Debug for ResponseMeta {
    /// Header names only: values may carry cookies or personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("headers", &names)
            .field("request_id", &self.request_id)
            .finish()
    }
}

type Slot = Arc<Mutex<Option<ResponseMeta>>>;

tokio::task_local! {
    static META: Slot;
}

/// Whether a [`WithMeta::with_meta`] call is waiting for metadata, so
/// [`crate::send`] reads a success body it would otherwise hand on unread.
pub(crate) fn wanted() -> bool {
    META.try_with(|_| ()).is_ok()
}

/// Keeps the metadata of a success for the [`WithMeta::with_meta`] call
/// this runs in (none outside one).
pub(crate) fn keep(status: u16, headers: &HeaderMap, body: &Bytes) {
    let _ = META.try_with(|slot| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(ResponseMeta::from_response(status, headers, body));
        }
    });
}

/// `.with_meta()` on a call's future: its value and the [`ResponseMeta`]
/// of the response it came from.
pub trait WithMeta<T>: Future<Output = Result<T, Error>> + Sized {
    /// Runs the call and returns its value with the response's metadata.
    /// A future that made no request through a wrapper's client (so has
    /// no response to describe) ends with [`Error::InvalidInput`] for
    /// `with_meta`.
    fn with_meta(self) -> MetaFuture<Self> {
        let slot = Slot::default();
        MetaFuture {
            inner: Box::pin(META.scope(slot.clone(), self)),
            slot,
        }
    }
}

impl<T, F: Future<Output = Result<T, Error>>> WithMeta<T> for F {}

/// The future [`WithMeta::with_meta`] returns.
#[must_use = "futures do nothing unless awaited"]
pub struct MetaFuture<F: Future> {
    inner: Pin<Box<tokio::task::futures::TaskLocalFuture<Slot, F>>>,
    slot: Slot,
}

impl<F: Future> fmt::Debug for MetaFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaFuture").finish_non_exhaustive()
    }
}

impl<T, F: Future<Output = Result<T, Error>>> Future for MetaFuture<F> {
    type Output = Result<(T, ResponseMeta), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let value = match self.inner.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result?,
        };
        let meta = self.slot.lock().ok().and_then(|mut slot| slot.take());
        Poll::Ready(match meta {
            Some(meta) => Ok((value, meta)),
            None => Err(Error::invalid(
                "with_meta",
                "the call made no request through a client, so there is no response to describe",
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_header_request_id_wins_and_the_body_is_the_fallback() {
        let mut headers = HeaderMap::new();
        let body = br#"{"requestId":"from-body"}"#;
        assert_eq!(
            ResponseMeta::from_response(200, &headers, body).request_id(),
            Some("from-body")
        );
        headers.insert("x-request-id", HeaderValue::from_static("from-header"));
        assert_eq!(
            ResponseMeta::from_response(200, &headers, body).request_id(),
            Some("from-header")
        );
        assert_eq!(
            ResponseMeta::from_response(200, &HeaderMap::new(), b"[1]").request_id(),
            None
        );
    }

    #[test]
    fn an_echoed_key_is_dropped_and_debug_shows_names_only() {
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("sentinel-key"));
        headers.insert("set-cookie", HeaderValue::from_static("session=ana"));
        let meta = ResponseMeta::from_response(201, &headers, b"");
        assert!(meta.headers().get("x-api-key").is_none());
        let debug = format!("{meta:?}");
        assert!(debug.contains("set-cookie"), "{debug}");
        assert!(
            !debug.contains("sentinel-key") && !debug.contains("ana"),
            "{debug}"
        );
    }

    #[tokio::test]
    async fn a_future_that_sent_nothing_has_no_metadata() {
        let error = async { Ok::<_, Error>(1) }.with_meta().await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid with_meta: the call made no request through a client, so there is no response to describe"
        );
    }
}
