//! The framing tracker's unit tests: heads, bodies, limits and refusals byte by byte.

use super::*;

fn framer() -> Framer {
    Framer::new(HeadLimits {
        max_bytes: 200,
        max_headers: 3,
    })
}

/// Feeds `input` one byte at a time and in one piece; both must agree.
fn feed(input: &[u8]) -> (Result<u64, Refusal>, Phase) {
    let mut whole = framer();
    let at_once = whole.feed(input).map(|p| p.heads);
    let mut bytewise = framer();
    let mut heads = Ok(0);
    for b in input {
        match bytewise.feed(std::slice::from_ref(b)) {
            Ok(p) => heads = heads.map(|h| h + p.heads),
            Err(e) => {
                heads = Err(e);
                break;
            }
        }
    }
    assert_eq!(at_once, heads, "{}", String::from_utf8_lossy(input));
    if at_once.is_ok() {
        assert_eq!(whole.phase(), bytewise.phase());
    }
    (at_once, whole.phase())
}

#[test]
fn heads_and_bodies_are_followed_message_by_message() {
    assert_eq!(feed(b""), (Ok(0), Phase::Between));
    assert_eq!(feed(b"GET / HTTP/1.1\r\nHost: a\r\n"), (Ok(0), Phase::Head));
    assert_eq!(
        feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        (Ok(1), Phase::Between)
    );
    assert_eq!(feed(b"\r\nGET / HTTP/1.1\n\n"), (Ok(1), Phase::Between));
    let post = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel";
    assert_eq!(feed(post), (Ok(1), Phase::Body));
    let two = b"POST / HTTP/1.1\r\ncontent-length:5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\nGET";
    assert_eq!(feed(two), (Ok(2), Phase::Head));
}

#[test]
fn chunked_bodies_end_at_the_zero_chunk_and_its_trailers() {
    let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let body = b"5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n".to_vec();
    let open = [head.clone(), body.clone()].concat();
    assert_eq!(feed(&open), (Ok(1), Phase::Body));
    let done = [open.clone(), b"\r\n".to_vec()].concat();
    assert_eq!(feed(&done), (Ok(1), Phase::Between));
    let trailers = [open, b"X-Sum: 1\r\n\r\nGET / HTTP/1.1\r\n\r\n".to_vec()].concat();
    assert_eq!(feed(&trailers), (Ok(2), Phase::Between));
}

#[test]
fn smuggling_shapes_are_refused() {
    let cases: [(&[u8], Refusal); 5] = [
        (
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            Refusal::LengthWithTransferEncoding,
        ),
        (
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            Refusal::LengthWithTransferEncoding,
        ),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
            Refusal::TwoLengths,
        ),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 3x\r\n\r\n",
            Refusal::BadLength,
        ),
        (
            b"POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
            Refusal::BadLength,
        ),
    ];
    for (input, refusal) in cases {
        assert_eq!(
            feed(input).0,
            Err(refusal),
            "{}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn head_size_and_line_count_are_limited() {
    let three = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    assert_eq!(feed(three), (Ok(1), Phase::Between));
    let four = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
    assert_eq!(feed(four).0, Err(Refusal::TooManyHeaders));
    let long = format!("GET / HTTP/1.1\r\nA: {}\r\n\r\n", "x".repeat(180));
    assert_eq!(feed(long.as_bytes()).0, Err(Refusal::HeadTooLarge));
    // Exactly at the limit is fine.
    let exact = format!("GET / HTTP/1.1\r\nA: {}\r\n\r\n", "x".repeat(200 - 23));
    assert_eq!(exact.len(), 200);
    assert_eq!(feed(exact.as_bytes()), (Ok(1), Phase::Between));
}
