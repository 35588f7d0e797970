//! The faults as a raw TCP client sees them: each reply's bytes, FIN or RST.

use std::io::ErrorKind;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

const REQUEST: &[u8] = b"POST /tasks HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}";

async fn connect(server: &Scripted) -> std::io::Result<TcpStream> {
    TcpStream::connect(server.url.trim_start_matches("http://")).await
}

/// Reads one response with a `content-length`: head and body.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    loop {
        if let Some(end) = find(&bytes, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length: usize = head
                .split("\r\n")
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|value| value.parse().ok())
                .expect("a content-length");
            if bytes.len() >= end + 4 + length {
                return String::from_utf8(bytes).expect("UTF-8");
            }
        }
        let mut chunk = [0u8; 1024];
        let read = stream.read(&mut chunk).await.expect("read a response");
        assert_ne!(read, 0, "EOF in a response: {bytes:?}");
        bytes.extend_from_slice(&chunk[..read]);
    }
}

/// What the next read sees: bytes, end of stream (`Ok(0)`) or an error.
/// The limit only turns a server that never acts into a failure: every
/// passing case is decided by the server's own FIN, RST or bytes.
async fn next_read(stream: &mut TcpStream) -> std::io::Result<usize> {
    let mut chunk = [0u8; 1024];
    tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
        .await
        .expect("the server neither answered nor closed")
}

fn ok() -> Reply {
    Reply::json(200, json!({"id": "t-1"}))
}

#[tokio::test]
async fn a_gated_port_refuses_until_opened_then_serves_the_script() {
    let (server, gate) = Scripted::refusing(vec![ok()]);
    let refused = connect(&server).await.expect_err("nothing listens yet");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{refused:?}");
    assert!(!gate.is_open());

    assert!(gate.open(), "the first open opens");
    assert!(!gate.open(), "a second one has nothing to do");
    assert!(gate.is_open());
    let mut stream = connect(&server).await.expect("listening now");
    stream.write_all(REQUEST).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200 X\r\n"), "{response}");
    assert!(response.ends_with("{\"id\":\"t-1\"}"), "{response}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        (
            received[0].method.as_str(),
            received[0].path.as_str(),
            received[0].body.as_str()
        ),
        ("POST", "/tasks", "{}")
    );
}

#[tokio::test]
async fn reset_reads_the_request_then_sends_rst() {
    let server = Scripted::start(vec![Reply::Reset]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    let error = next_read(&mut stream).await.expect_err("a reset, not EOF");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error:?}");
    assert_eq!(server.received().len(), 1, "the request was read first");
}

#[tokio::test]
async fn close_is_a_clean_end_of_stream() {
    let server = Scripted::start(vec![Reply::Close]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    assert_eq!(next_read(&mut stream).await.unwrap(), 0);
}

#[tokio::test(start_paused = true)]
async fn slow_headers_send_the_status_line_then_wait() {
    let wait = Duration::from_secs(30);
    let server = Scripted::start(vec![ok().slow_headers(wait)]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    let mut first = [0u8; 64];
    let read = stream.read(&mut first).await.unwrap();
    let sent_at = Instant::now();
    assert_eq!(&first[..read], b"HTTP/1.1 200 X\r\n");
    let mut rest = [0u8; 256];
    let read = stream.read(&mut rest).await.unwrap();
    assert_eq!(
        sent_at.elapsed(),
        wait,
        "the rest came exactly `wait` later"
    );
    let rest = String::from_utf8_lossy(&rest[..read]).into_owned();
    assert!(rest.starts_with("content-length: 12\r\n"), "{rest}");
    assert!(rest.ends_with("\r\n\r\n{\"id\":\"t-1\"}"), "{rest}");
}

#[test]
#[should_panic(expected = "slow_headers needs a Reply::Respond")]
fn only_a_complete_response_can_be_slowed() {
    let _ = Reply::Hang.slow_headers(Duration::from_secs(1));
}

#[tokio::test]
async fn connection_close_is_honoured() {
    let server = Scripted::start(vec![
        Reply::json(303, json!({}))
            .header("location", "/tasks/t-1")
            .header("connection", "close"),
    ])
    .await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(
        response.contains("\r\nlocation: /tasks/t-1\r\n"),
        "{response}"
    );
    assert_eq!(next_read(&mut stream).await.unwrap(), 0, "closed after it");
}

#[tokio::test]
async fn then_close_closes_the_idle_connection_and_waits_for_the_client() {
    let server = Scripted::start(vec![ok().then_close(), ok()]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    read_response(&mut stream).await;
    assert_eq!(next_read(&mut stream).await.unwrap(), 0, "the server's FIN");
    assert_eq!(server.closed_connections(), 0, "it waits for our side");
    drop(stream);
    server.wait_closed(1).await;
    assert_eq!(server.closed_connections(), 1);
    assert!(server.unread().is_empty());

    // A new connection gets the rest of the script.
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    read_response(&mut stream).await;
    let connections: Vec<usize> = server.received().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 1]);
}

#[tokio::test]
async fn bytes_after_then_close_are_dropped_and_counted() {
    let server = Scripted::start(vec![ok().then_close()]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    read_response(&mut stream).await;
    // A client that has not seen the FIN yet sends its next request.
    stream.write_all(REQUEST).await.unwrap();
    drop(stream);
    server.wait_closed(1).await;
    assert_eq!(server.received().len(), 1);
    assert_eq!(server.unread(), [0]);
}

#[tokio::test]
async fn then_reset_next_request_resets_it_unread() {
    let server = Scripted::start(vec![ok().then_reset_next_request(), ok()]).await;
    let mut stream = connect(&server).await.unwrap();
    stream.write_all(REQUEST).await.unwrap();
    read_response(&mut stream).await;
    stream.write_all(REQUEST).await.unwrap();
    let error = next_read(&mut stream).await.expect_err("a reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error:?}");
    server.wait_closed(1).await;
    assert_eq!(
        server.received().len(),
        1,
        "the second request was not read"
    );
    assert_eq!(server.unread(), [0]);
}

#[tokio::test]
async fn keep_alive_answers_in_order_on_one_connection() {
    let server = Scripted::start(vec![ok(), Reply::json(201, json!({}))]).await;
    let mut stream = connect(&server).await.unwrap();
    for status in ["200", "201"] {
        stream.write_all(REQUEST).await.unwrap();
        let response = read_response(&mut stream).await;
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status} ")),
            "{response}"
        );
    }
    let received = server.received();
    assert_eq!(
        received.iter().map(|r| r.connection).collect::<Vec<_>>(),
        [0, 0],
        "both on the one kept-alive connection"
    );
}
