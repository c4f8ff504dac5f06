//! Raw HTTP/1.1 over TCP, for requests that must reach the server byte for byte
//! (captured client requests, `Expect: 100-continue`, keep-alive, pipelining).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a captured request into its head and body, sets Content-Length to the body's
/// real length, and returns the bytes to send.
pub fn with_body(head: &str, body: &[u8]) -> Vec<u8> {
    let mut out = String::new();
    for (i, line) in head.lines().enumerate() {
        // The captures record the request line without its protocol version.
        if i == 0 && line.split_whitespace().count() == 2 {
            out.push_str(line.trim_end());
            out.push_str(" HTTP/1.1\r\n");
            continue;
        }
        if !line.to_ascii_lowercase().starts_with("content-length:") && !line.is_empty() {
            out.push_str(line.trim_end_matches('\r'));
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Splits a captured request file at the blank line.
pub fn split_capture(capture: &[u8]) -> (String, Vec<u8>) {
    let text_end = find(capture, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(capture, b"\n\n").map(|i| (i, 2)));
    let (at, sep) = text_end.expect("a blank line after the headers");
    let head = String::from_utf8(capture[..at].to_vec()).unwrap();
    let mut body = capture[at + sep..].to_vec();
    while body.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        body.pop();
    }
    (head, body)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Sends `bytes` and reads one final (non-1xx) response.
pub async fn exchange(stream: &mut TcpStream, bytes: &[u8]) -> RawResponse {
    stream.write_all(bytes).await.unwrap();
    read_response(stream).await
}

pub async fn connect(base: &str) -> TcpStream {
    TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap()
}

pub async fn read_response(stream: &mut TcpStream) -> RawResponse {
    let mut buf = Vec::new();
    loop {
        let (status, headers, head_len) = loop {
            if let Some(end) = find(&buf, b"\r\n\r\n") {
                let head = String::from_utf8(buf[..end].to_vec()).unwrap();
                let mut lines = head.lines();
                let status: u16 = lines
                    .next()
                    .unwrap()
                    .split(' ')
                    .nth(1)
                    .unwrap()
                    .parse()
                    .unwrap();
                let headers = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .collect::<Vec<_>>();
                break (status, headers, end + 4);
            }
            read_more(stream, &mut buf).await;
        };
        if (100..200).contains(&status) {
            buf.drain(..head_len);
            continue;
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .expect("content-length");
        while buf.len() < head_len + len {
            read_more(stream, &mut buf).await;
        }
        let body = String::from_utf8(buf[head_len..head_len + len].to_vec()).unwrap();
        return RawResponse {
            status,
            headers,
            body,
        };
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 8192];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut chunk))
        .await
        .expect("the server answered in time")
        .unwrap();
    assert!(n > 0, "connection closed early");
    buf.extend_from_slice(&chunk[..n]);
}
