//! Turning a `reqwest` error into a retry [`Outcome`].
//!
//! # What reqwest can and cannot tell us
//!
//! A `reqwest::Error` says *where* something failed, not whether the server
//! saw the request. The one case that is certain is a failure while
//! connecting (`is_connect`: DNS, refused, TLS handshake, proxy): the
//! connection did not exist, so no byte of the request was sent. Everything
//! after that point (a timeout, a connection closed mid-request, a body that
//! stopped arriving) may come after the server received and applied the
//! request, and reqwest cannot say otherwise. So this module reports
//! [`Outcome::ConnectFailed`] only for connect errors and classifies every
//! other send failure as "may have been sent" ([`Outcome::Timeout`] or
//! [`Outcome::ConnectionReset`]), which [`crate::decide`] never retries for
//! creates.
//!
//! One consequence errs on the safe side: a request written to a pooled
//! keep-alive connection that the server closes as it arrives (before the
//! client saw the close) fails as a reset although nothing was processed,
//! and a create in that state is not retried. A close the client has
//! already seen is no failure: the pool drops that connection and the
//! request goes out on a new one (both rows are in RELIABILITY.md).

use std::error::Error as _;
use std::io;

use crate::retry::Outcome;

/// The [`Outcome`] of an attempt that failed with `error`.
///
/// In order:
/// 1. `is_connect()` → [`Outcome::ConnectFailed`], also when the connect
///    timed out: nothing was sent;
/// 2. `is_timeout()` → [`Outcome::Timeout`];
/// 3. a status attached by `error_for_status()` → [`Outcome::Status`],
///    without a `Retry-After` (the error does not keep headers: classify
///    the response before turning it into an error if the wait matters);
/// 4. `is_request()` or `is_body()`, or an I/O reset / broken pipe / abort /
///    unexpected EOF anywhere in the source chain → [`Outcome::ConnectionReset`];
/// 5. everything else (builder, redirect, decode errors) → [`Outcome::Other`]:
///    repeating would fail the same way.
pub fn classify_reqwest_error(error: &reqwest::Error) -> Outcome {
    if error.is_connect() {
        Outcome::ConnectFailed
    } else if error.is_timeout() {
        Outcome::Timeout
    } else if let Some(status) = error.status() {
        Outcome::Status {
            status: status.as_u16(),
            retry_after: None,
        }
    } else if error.is_request() || error.is_body() || has_broken_connection(error) {
        Outcome::ConnectionReset
    } else {
        Outcome::Other
    }
}

/// Whether an I/O error in `error`'s source chain says the connection
/// broke.
fn has_broken_connection(error: &reqwest::Error) -> bool {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && matches!(
                io.kind(),
                io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
                    | io::ErrorKind::UnexpectedEof
            )
        {
            return true;
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    use super::*;

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("a plain client builds")
    }

    /// A loopback port with nothing listening on it.
    async fn closed_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        port
    }

    #[tokio::test]
    async fn refused_connection_is_connect_failed() {
        let port = closed_port().await;
        let error = client()
            .post(format!("http://127.0.0.1:{port}/candidates"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            classify_reqwest_error(&error),
            Outcome::ConnectFailed,
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn connection_closed_after_the_request_is_a_reset() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            // Read the request, then hang up without answering: the server
            // may well have acted on it.
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        });
        let error = client()
            .post(format!("http://{addr}/candidates"))
            .body("{}")
            .send()
            .await
            .unwrap_err();
        server.await.unwrap();
        assert_eq!(
            classify_reqwest_error(&error),
            Outcome::ConnectionReset,
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn total_timeout_is_a_timeout() {
        // A server that accepts and never answers; a zero timeout fires on
        // the first poll, so the test does not wait.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let error = client()
            .get(format!("http://{addr}/candidates"))
            .timeout(Duration::ZERO)
            .send()
            .await
            .unwrap_err();
        drop(listener);
        assert_eq!(
            classify_reqwest_error(&error),
            Outcome::Timeout,
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn invalid_request_is_other() {
        // Fails in the builder, before any connection: repeating cannot help.
        let error = client().get("http://[::1:80/").send().await.unwrap_err();
        assert!(error.is_builder(), "{error:?}");
        assert_eq!(classify_reqwest_error(&error), Outcome::Other);
    }

    #[tokio::test]
    async fn error_for_status_keeps_the_status() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            socket
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await
                .unwrap();
        });
        let response = client()
            .get(format!("http://{addr}/"))
            .send()
            .await
            .unwrap();
        let error = response.error_for_status().unwrap_err();
        server.await.unwrap();
        assert_eq!(
            classify_reqwest_error(&error),
            Outcome::Status {
                status: 503,
                retry_after: None
            }
        );
    }
}
