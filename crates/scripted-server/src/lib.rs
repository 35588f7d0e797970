#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A full response: status, extra headers, body. A `connection: close`
    /// header among `headers` closes the connection after the response.
    Respond {
        /// The status code.
        status: u16,
        /// Headers besides `content-length`.
        headers: Vec<(String, String)>,
        /// The body.
        body: String,
    },
    /// Headers announcing `announced` bytes, then `sent` of them, then close.
    Truncate {
        /// The announced `content-length`.
        announced: usize,
        /// What is actually sent.
        sent: String,
    },
    /// A 200 JSON response in chunked transfer encoding (no length announced).
    Chunked {
        /// The chunks, sent in order.
        chunks: Vec<String>,
    },
    /// Read the request, never answer (the connection stays open).
    Hang,
    /// Read the request and close the connection without a byte (a clean
    /// end of stream: FIN).
    Close,
    /// Read the request and reset the connection without a byte: `SO_LINGER`
    /// 0, then close, so the client gets a TCP RST, not an end of stream.
    Reset,
    /// A response sent in two parts: `first` at once, `rest` after `wait`.
    /// See [`Reply::slow_headers`].
    Stalled {
        /// Sent as soon as the request is read.
        first: String,
        /// Sent `wait` later (if the client is still there).
        rest: String,
        /// The pause between the two.
        wait: Duration,
    },
    /// This reply, then the server closes the idle keep-alive connection
    /// (FIN) and waits for the client to close its side. Bytes the client
    /// sends after the FIN are read and dropped, never answered, and the
    /// connection counts in [`Scripted::unread`].
    ThenClose(Box<Reply>),
    /// This reply, then the connection stays open until bytes of a next
    /// request arrive, and is reset (RST) without reading them: what a
    /// client meets when it reuses a keep-alive connection the server has
    /// just dropped. The connection counts in [`Scripted::unread`] if bytes
    /// arrived.
    ThenResetNextRequest(Box<Reply>),
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    /// Adds a header to a `Respond`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// This `Respond` as a [`Reply::Stalled`]: the status line at once, then
    /// nothing for `wait`, then the headers and the body.
    ///
    /// # Panics
    /// If `self` is not a `Respond`: only a complete response can be split.
    pub fn slow_headers(self, wait: Duration) -> Self {
        self.stalled("slow_headers", wait, |response, _| {
            response.find("\r\n").map_or(0, |end| end + 2)
        })
    }

    /// This `Respond` as a [`Reply::Stalled`]: the status line, the headers
    /// and the first half of the body at once, then nothing for `wait`,
    /// then the rest of the body: a body that stops arriving.
    ///
    /// # Panics
    /// If `self` is not a `Respond` with a body of at least two bytes.
    pub fn slow_body(self, wait: Duration) -> Self {
        self.stalled("slow_body", wait, |response, body| {
            assert!(body.len() >= 2, "slow_body needs a body to split");
            let mut split = response.len() - body.len() / 2;
            while !response.is_char_boundary(split) {
                split -= 1;
            }
            split
        })
    }

    /// This `Respond` encoded and cut where `split` says (given the whole
    /// response and the body): what comes before is sent at once, the rest
    /// `wait` later. `name` is the caller's, for the panic.
    fn stalled(self, name: &str, wait: Duration, split: impl FnOnce(&str, &str) -> usize) -> Self {
        let Self::Respond {
            status,
            headers,
            body,
        } = self
        else {
            panic!("{name} needs a Reply::Respond, got {self:?}");
        };
        let response = encode(status, &headers, &body);
        let split = split(&response, &body);
        Self::Stalled {
            first: response[..split].to_owned(),
            rest: response[split..].to_owned(),
            wait,
        }
    }

    /// This reply, then the server closes the idle connection: see
    /// [`Reply::ThenClose`].
    pub fn then_close(self) -> Self {
        Self::ThenClose(Box::new(self))
    }

    /// This reply, then the next request on the connection is reset unread:
    /// see [`Reply::ThenResetNextRequest`].
    pub fn then_reset_next_request(self) -> Self {
        Self::ThenResetNextRequest(Box::new(self))
    }
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Received {
    /// The method.
    pub method: String,
    /// The path and query, as sent.
    pub path: String,
    /// Every header, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Which connection it came on: 0 for the first the server accepted, 1
    /// for the next, and so on.
    pub connection: usize,
    /// When the server had read it (tokio's clock, so paused time applies).
    pub at: Instant,
}

impl Received {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`null` if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What the accept loop and every connection share.
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    unread: Mutex<Vec<usize>>,
    /// How many connections have ended, server side.
    closed: watch::Sender<usize>,
}

impl Shared {
    fn new(replies: Vec<Reply>) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(VecDeque::from(replies)),
            received: Mutex::new(Vec::new()),
            unread: Mutex::new(Vec::new()),
            closed: watch::Sender::new(0),
        })
    }
}

/// A running scripted server; it stops with the runtime.
pub struct Scripted {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    shared: Arc<Shared>,
}

/// The port of a server made by [`Scripted::refusing`]: bound, so no one
/// else can take it, but not listening, so every connection attempt is
/// refused until [`Gate::open`].
pub struct Gate {
    socket: Mutex<Option<TcpSocket>>,
    shared: Arc<Shared>,
}

impl Gate {
    /// Starts listening: from now on connections are accepted and answered
    /// from the script. Synchronous, so it can run from a callback (a
    /// `tracing` layer seeing a retry being scheduled) between two attempts
    /// of a client. Returns whether this call opened the gate (`false` if it
    /// was open already).
    ///
    /// # Panics
    /// Outside a tokio runtime, or if the bound socket cannot listen.
    pub fn open(&self) -> bool {
        let Some(socket) = lock(&self.socket).take() else {
            return false;
        };
        let listener = socket.listen(128).expect("listen on the bound port");
        tokio::spawn(accept(listener, self.shared.clone()));
        true
    }

    /// Whether [`Gate::open`] has been called.
    pub fn is_open(&self) -> bool {
        lock(&self.socket).is_none()
    }
}

impl Scripted {
    /// Starts the server; it answers requests with `replies` in order, then
    /// with 500 for anything beyond the script.
    ///
    /// # Panics
    /// If no port on 127.0.0.1 can be bound: the test cannot run.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let server = Self::new(listener.local_addr().expect("bound address"), replies);
        tokio::spawn(accept(listener, server.shared.clone()));
        server
    }

    /// A server on a port of 127.0.0.1 that refuses connections (nothing
    /// listens on it: a connection attempt is answered with RST, "connection
    /// refused") until the returned [`Gate`] is opened; from then on it is
    /// [`Scripted::start`]'s server.
    ///
    /// # Panics
    /// If no port on 127.0.0.1 can be bound: the test cannot run.
    pub fn refusing(replies: Vec<Reply>) -> (Self, Gate) {
        let socket = TcpSocket::new_v4().expect("a TCP socket");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind 127.0.0.1:0");
        let server = Self::new(socket.local_addr().expect("bound address"), replies);
        let gate = Gate {
            socket: Mutex::new(Some(socket)),
            shared: server.shared.clone(),
        };
        (server, gate)
    }

    fn new(address: SocketAddr, replies: Vec<Reply>) -> Self {
        Self {
            url: format!("http://{address}"),
            shared: Shared::new(replies),
        }
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// The connections (by index, see [`Received::connection`]) on which
    /// bytes of a request arrived that the server dropped unread
    /// ([`Reply::ThenResetNextRequest`], or after [`Reply::ThenClose`]'s FIN).
    pub fn unread(&self) -> Vec<usize> {
        lock(&self.shared.unread).clone()
    }

    /// How many connections the server has finished with.
    pub fn closed_connections(&self) -> usize {
        *self.shared.closed.borrow()
    }

    /// Waits until the server has finished with `count` connections. After
    /// a [`Reply::ThenClose`], the server finishes only once the client has
    /// closed its side, so the client knows the connection is gone.
    pub async fn wait_closed(&self, count: usize) {
        let mut closed = self.shared.closed.subscribe();
        // The sender lives in `self`, so the channel cannot close under us.
        let _ = closed.wait_for(|closed| *closed >= count).await;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connection = 0;
    while let Ok((stream, _)) = listener.accept().await {
        let shared = shared.clone();
        tokio::spawn(async move {
            serve(stream, connection, &shared).await;
            shared.closed.send_modify(|closed| *closed += 1);
        });
        connection += 1;
    }
}

async fn serve(mut stream: TcpStream, connection: usize, shared: &Shared) {
    // Keep-alive: answer requests on this connection until it closes.
    while let Some((method, path, headers, body)) = read_request(&mut stream).await {
        lock(&shared.received).push(Received {
            method,
            path,
            headers,
            body,
            connection,
            at: Instant::now(),
        });
        let reply = lock(&shared.script).pop_front().unwrap_or(Reply::Respond {
            status: 500,
            headers: Vec::new(),
            body: "script exhausted".into(),
        });
        if answer(&mut stream, connection, shared, reply).await == Next::Close {
            return;
        }
    }
}

/// What to do with the connection after an answer.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    KeepAlive,
    Close,
}

fn answer<'a>(
    stream: &'a mut TcpStream,
    connection: usize,
    shared: &'a Shared,
    reply: Reply,
) -> Pin<Box<dyn Future<Output = Next> + Send + 'a>> {
    Box::pin(async move {
        match reply {
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let close = headers.iter().any(|(name, value)| {
                    name.eq_ignore_ascii_case("connection")
                        && value.to_ascii_lowercase().contains("close")
                });
                let response = encode(status, &headers, &body);
                if stream.write_all(response.as_bytes()).await.is_err() || close {
                    return Next::Close;
                }
                Next::KeepAlive
            }
            Reply::Truncate { announced, sent } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n{sent}"
                );
                let _ = stream.write_all(head.as_bytes()).await;
                Next::Close
            }
            Reply::Chunked { chunks } => {
                let mut out = String::from(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                );
                for chunk in chunks {
                    out.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
                }
                out.push_str("0\r\n\r\n");
                if stream.write_all(out.as_bytes()).await.is_err() {
                    return Next::Close;
                }
                Next::KeepAlive
            }
            Reply::Hang => {
                let mut rest = Vec::new();
                let _ = stream.read_to_end(&mut rest).await;
                Next::Close
            }
            Reply::Close => Next::Close,
            Reply::Reset => {
                reset(stream);
                Next::Close
            }
            Reply::Stalled { first, rest, wait } => {
                if stream.write_all(first.as_bytes()).await.is_err() {
                    return Next::Close;
                }
                tokio::time::sleep(wait).await;
                if stream.write_all(rest.as_bytes()).await.is_err() {
                    return Next::Close;
                }
                Next::KeepAlive
            }
            Reply::ThenClose(reply) => {
                if answer(stream, connection, shared, *reply).await == Next::Close {
                    return Next::Close;
                }
                let _ = stream.shutdown().await;
                let mut rest = Vec::new();
                let _ = stream.read_to_end(&mut rest).await;
                if !rest.is_empty() {
                    lock(&shared.unread).push(connection);
                }
                Next::Close
            }
            Reply::ThenResetNextRequest(reply) => {
                if answer(stream, connection, shared, *reply).await == Next::Close {
                    return Next::Close;
                }
                let mut probe = [0u8; 1];
                if matches!(stream.peek(&mut probe).await, Ok(read) if read > 0) {
                    lock(&shared.unread).push(connection);
                }
                reset(stream);
                Next::Close
            }
        }
    })
}

/// Makes the close that follows an abortive one: RST instead of FIN.
fn reset(stream: &TcpStream) {
    // Without SO_LINGER the close would be a FIN: the fault would be a
    // different one, so this must not fail quietly.
    stream
        .set_zero_linger()
        .expect("set SO_LINGER 0 on an open connection");
}

/// A complete response with `content-length`.
fn encode(status: u16, headers: &[(String, String)], body: &str) -> String {
    let mut response = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    response
}

type Request = (String, String, Vec<(String, String)>, String);

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let header_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let path = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some((
        method,
        path,
        headers,
        String::from_utf8_lossy(&body).into_owned(),
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests;
