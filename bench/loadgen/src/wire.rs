//! HTTP/1.1 on a plain TCP stream: write one request, read one whole answer
//! (`Content-Length`, chunked or read-to-close) into a reused buffer.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Whether `needle` occurs in `hay` (an empty needle always does). Runs on every answer's
/// body, so it is memchr's substring search rather than a window per byte.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// A parsed answer: status, where its (de-chunked) body lies in the buffer, and whether the
/// connection may be reused.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: (usize, usize),
    pub(crate) keep_alive: bool,
}

enum Framing {
    Length(usize),
    Chunked,
    Close,
}

/// Writes `req` and reads one whole answer into `buf`.
pub(crate) async fn exchange(
    s: &mut TcpStream,
    req: &[u8],
    buf: &mut Vec<u8>,
) -> Result<Answer, String> {
    s.write_all(req).await.map_err(|e| e.to_string())?;
    buf.clear();
    let (status, head_len, framing, mut keep_alive) = loop {
        if read_more(s, buf).await? == 0 {
            return Err("connection closed before an answer".into());
        }
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(buf) {
            Ok(httparse::Status::Complete(n)) => {
                let status = resp.code.unwrap_or(0);
                let mut framing = Framing::Close;
                let mut keep_alive = resp.version == Some(1);
                for h in resp.headers.iter() {
                    if h.name.eq_ignore_ascii_case("content-length") {
                        let v = std::str::from_utf8(h.value).unwrap_or("").trim();
                        framing = Framing::Length(v.parse().map_err(|_| "bad Content-Length")?);
                    } else if h.name.eq_ignore_ascii_case("transfer-encoding")
                        && contains(&h.value.to_ascii_lowercase(), b"chunked")
                    {
                        framing = Framing::Chunked;
                    } else if h.name.eq_ignore_ascii_case("connection") {
                        let v = h.value.to_ascii_lowercase();
                        if contains(&v, b"close") {
                            keep_alive = false;
                        } else if contains(&v, b"keep-alive") {
                            keep_alive = true;
                        }
                    }
                }
                break (status, n, framing, keep_alive);
            }
            Ok(httparse::Status::Partial) => continue,
            Err(e) => return Err(format!("unreadable answer: {e}")),
        }
    };
    let body = match framing {
        Framing::Length(len) => {
            while buf.len() < head_len + len {
                if read_more(s, buf).await? == 0 {
                    return Err("connection closed inside a body".into());
                }
            }
            (head_len, head_len + len)
        }
        Framing::Close => {
            keep_alive = false;
            while read_more(s, buf).await? > 0 {}
            (head_len, buf.len())
        }
        Framing::Chunked => {
            // De-chunk in place: chunk data is moved down to follow the head.
            let mut read_at = head_len;
            let mut write_at = head_len;
            loop {
                let line_end = loop {
                    if let Some(i) = find(&buf[read_at..], b"\r\n") {
                        break read_at + i;
                    }
                    if read_more(s, buf).await? == 0 {
                        return Err("connection closed inside a chunk".into());
                    }
                };
                let size_text = std::str::from_utf8(&buf[read_at..line_end]).unwrap_or("");
                let size_text = size_text.split(';').next().unwrap_or("").trim();
                let size = usize::from_str_radix(size_text, 16).map_err(|_| "bad chunk size")?;
                let data = line_end + 2;
                if size == 0 {
                    // Trailers (none expected) end with an empty line.
                    loop {
                        if buf[data..].starts_with(b"\r\n")
                            || find(&buf[data..], b"\r\n\r\n").is_some()
                        {
                            break;
                        }
                        if read_more(s, buf).await? == 0 {
                            return Err("connection closed after the last chunk".into());
                        }
                    }
                    break;
                }
                while buf.len() < data + size + 2 {
                    if read_more(s, buf).await? == 0 {
                        return Err("connection closed inside a chunk".into());
                    }
                }
                buf.copy_within(data..data + size, write_at);
                write_at += size;
                read_at = data + size + 2;
            }
            (head_len, write_at)
        }
    };
    Ok(Answer {
        status,
        body,
        keep_alive,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

async fn read_more(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<usize, String> {
    if buf.capacity() - buf.len() < 4096 {
        buf.reserve(16 * 1024);
    }
    s.read_buf(buf).await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings_are_found_and_an_empty_one_always() {
        assert!(contains(b"<Response>true</Response>", b"true"));
        assert!(!contains(b"<Response>false</Response>", b"true"));
        assert!(contains(b"anything", b""));
        assert_eq!(find(b"a\r\nb\r\n", b"\r\n"), Some(1));
    }
}
