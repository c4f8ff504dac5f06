//! Every connection bounded, over raw TCP against a real server: head, body and keep-alive
//! deadlines (short ones, set for the test), the connection cap with idle connections
//! closed oldest first, head size and count limits (431 with a text), a declared length
//! over the message limit (413 before any body byte), and framing a proxy could read
//! differently (`Content-Length` with `Transfer-Encoding`, two `Content-Length`s: 400,
//! then closed).

use std::time::{Duration, Instant};

use accounts::Settings;
use server::{HttpSettings, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;
use crate::raw::{connect, exchange, read_response};

/// Slack for a loaded machine on top of every deadline under test.
const MARGIN: Duration = Duration::from_secs(3);

fn http(settings: HttpSettings) -> ServerConfig {
    ServerConfig {
        http: settings,
        ..ServerConfig::default()
    }
}

async fn app(settings: HttpSettings) -> TestApp {
    spawn_app_with(http(settings), Settings::default()).await
}

fn short(head: u64, body: u64, keep_alive: u64) -> HttpSettings {
    HttpSettings {
        header_timeout: Duration::from_secs(head),
        body_timeout: Duration::from_secs(body),
        keep_alive: Duration::from_secs(keep_alive),
        ..HttpSettings::default()
    }
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

/// Reads until the server closes the connection (end of input or a reset) and returns
/// what it sent; panics if it is still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => panic!(
                "the connection was still open after {limit:?}; received {:?}",
                String::from_utf8_lossy(&got)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the connection is still open: nothing to read and no close within `wait`.
async fn still_open(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut byte = [0u8; 1];
    tokio::time::timeout(wait, stream.read(&mut byte))
        .await
        .is_err()
}

#[tokio::test]
async fn a_head_that_stops_halfway_is_dropped_at_the_head_timeout() {
    let app = app(short(1, 30, 60)).await;
    let mut stream = connect(&app.base).await;
    stream
        .write_all(b"POST /Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let got = closed_within(&mut stream, Duration::from_secs(1) + MARGIN).await;
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_dropped_at_the_head_timeout() {
    let app = app(short(1, 30, 60)).await;
    let mut stream = connect(&app.base).await;
    closed_within(&mut stream, Duration::from_secs(1) + MARGIN).await;
}

#[tokio::test]
async fn a_head_trickled_a_line_at_a_time_is_dropped_at_the_head_timeout() {
    let app = app(short(2, 30, 60)).await;
    let mut stream = connect(&app.base).await;
    stream
        .write_all(b"POST /Remote/Services88/User.svc HTTP/1.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    // A header line every 200 ms keeps bytes coming, never the end of the head.
    let closed = async {
        let mut byte = [0u8; 1];
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
                return;
            }
            if let Ok(Ok(0) | Err(_)) =
                tokio::time::timeout(Duration::from_millis(1), stream.read(&mut byte)).await
            {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(2) + MARGIN, closed)
        .await
        .expect("the trickling connection was dropped");
    assert!(started.elapsed() >= Duration::from_millis(1800));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_keep_alive_time_not_the_head_timeout() {
    let app = app(short(1, 30, 3)).await;
    let mut stream = connect(&app.base).await;
    assert_eq!(exchange(&mut stream, HEALTH).await.status, 200);
    // Idle longer than the head timeout: still open, and still served.
    assert!(still_open(&mut stream, Duration::from_millis(1500)).await);
    assert_eq!(exchange(&mut stream, HEALTH).await.status, 200);
    let idle = Instant::now();
    closed_within(&mut stream, Duration::from_secs(3) + MARGIN).await;
    assert!(idle.elapsed() >= Duration::from_millis(2800));
}

#[tokio::test]
async fn a_body_that_stops_halfway_is_dropped_at_the_body_timeout() {
    let app = app(short(10, 1, 60)).await;
    let mut stream = connect(&app.base).await;
    stream
        .write_all(
            b"POST /Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<s:Envelope",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let got = closed_within(&mut stream, Duration::from_secs(1) + MARGIN).await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    // Either answered 408 or simply closed; never a 413 or a 200.
    let text = String::from_utf8_lossy(&got);
    assert!(got.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
}

#[tokio::test]
async fn a_declared_length_over_the_message_limit_is_refused_before_any_body_byte() {
    let app = app(HttpSettings::default()).await;
    let mut stream = connect(&app.base).await;
    let head = "POST /Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 1000000000000000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    // No body byte is sent; the answer comes anyway (read_response gives up after 10 s).
    let reply = read_response(&mut stream).await;
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.body.contains("Fault"), "{}", reply.body);
    assert_eq!(reply.header("connection"), Some("close"));
    closed_within(&mut stream, MARGIN).await;
}

/// Sends `request` and expects `status` with a text containing `says`, then the close.
async fn refused(app: &TestApp, request: &[u8], status: u16, says: &str) {
    let mut stream = connect(&app.base).await;
    stream.write_all(request).await.unwrap();
    let got = closed_within(&mut stream, MARGIN).await;
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with(&format!("HTTP/1.1 {status} ")), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(text.contains(says), "{text}");
}

#[tokio::test]
async fn content_length_with_transfer_encoding_or_twice_is_refused_and_closed() {
    let app = app(HttpSettings::default()).await;
    let body = envelope(SOAP11, None, &auth_body("admin", ADMIN_PASSWORD));
    let head = "POST /Remote/Services88/SoPrincipal.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\n";
    let chunked = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let both = format!(
        "{head}Content-Length: {}\r\nTransfer-Encoding: chunked\r\n\r\n{chunked}",
        chunked.len()
    );
    refused(
        &app,
        both.as_bytes(),
        400,
        "both Content-Length and Transfer-Encoding",
    )
    .await;
    let both_reversed = format!(
        "{head}Transfer-Encoding: chunked\r\nContent-Length: {}\r\n\r\n{chunked}",
        body.len()
    );
    refused(&app, both_reversed.as_bytes(), 400, "both Content-Length").await;
    // Even two equal lengths: a proxy may keep either line, or join them.
    let twice = format!(
        "{head}Content-Length: {0}\r\nContent-Length: {0}\r\n\r\n{body}",
        body.len()
    );
    refused(&app, twice.as_bytes(), 400, "more than one Content-Length").await;
    // The same request with one of them is served.
    let once = format!("{head}Content-Length: {}\r\n\r\n{body}", body.len());
    let mut stream = connect(&app.base).await;
    let reply = exchange(&mut stream, once.as_bytes()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("<Ticket>"), "{}", reply.body);
}

#[tokio::test]
async fn heads_over_the_size_or_count_limit_get_431_with_a_text() {
    let app = app(HttpSettings {
        max_header_bytes: 4096,
        max_headers: 20,
        ..HttpSettings::default()
    })
    .await;
    let big = format!(
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(8000)
    );
    refused(&app, big.as_bytes(), 431, "larger than 4096 bytes").await;
    let many: String = (0..21).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let many = format!("GET /health HTTP/1.1\r\n{many}\r\n");
    refused(&app, many.as_bytes(), 431, "more than 20 header lines").await;
    // At the limits it is served.
    let fits: String = (0..19).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let fits = format!("GET /health HTTP/1.1\r\nHost: x\r\n{fits}\r\n");
    let mut stream = connect(&app.base).await;
    assert_eq!(exchange(&mut stream, fits.as_bytes()).await.status, 200);
}

#[tokio::test]
async fn at_the_cap_idle_connections_make_room_oldest_first() {
    const CAP: usize = 64;
    let app = app(HttpSettings {
        max_connections: CAP,
        header_timeout: Duration::from_secs(5),
        ..HttpSettings::default()
    })
    .await;
    // The cap's worth of idle connections: half kept alive after a request, half that
    // never sent anything, the oldest first.
    let mut idle = Vec::new();
    for i in 0..CAP {
        let mut stream = connect(&app.base).await;
        if i % 2 == 0 {
            assert_eq!(exchange(&mut stream, HEALTH).await.status, 200);
        }
        if i == 0 {
            // Idle clearly longest (the server's idle clock counts milliseconds).
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        idle.push(stream);
    }
    let started = Instant::now();
    let ticket = app.login("admin", ADMIN_PASSWORD).await;
    assert!(ticket.is_some());
    assert!(
        started.elapsed() < Duration::from_secs(5) + MARGIN,
        "{:?}",
        started.elapsed()
    );
    // The log-in's connection took the place of the oldest idle one.
    closed_within(&mut idle[0], MARGIN).await;
    assert!(still_open(&mut idle[CAP - 1], Duration::from_millis(200)).await);
}

#[tokio::test]
async fn at_the_cap_with_nothing_idle_new_connections_wait_for_room() {
    const CAP: usize = 64;
    let app = app(HttpSettings {
        max_connections: CAP,
        header_timeout: Duration::from_secs(2),
        ..HttpSettings::default()
    })
    .await;
    // The cap's worth of connections each halfway through a head: none idle.
    let first = Instant::now();
    let mut busy = Vec::new();
    for _ in 0..CAP {
        let mut stream = connect(&app.base).await;
        stream
            .write_all(b"POST /Remote/Services88/User.svc HTTP/1.1\r\n")
            .await
            .unwrap();
        busy.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let ticket = app.login("admin", ADMIN_PASSWORD).await;
    assert!(ticket.is_some());
    // Served once the first half-sent head timed out, not before, and not much after.
    assert!(
        first.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        first.elapsed()
    );
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(2) + MARGIN, "{waited:?}");
}
