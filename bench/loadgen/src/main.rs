//! The benchmark's load generator (`bench/run` drives it).
//!
//! `loadgen http` posts one request template over N concurrent keep-alive HTTP/1.1
//! connections for a fixed time and prints one `key=value` line: requests, req/s, p50 and
//! p99 latency, errors (I/O, timeouts, unreadable answers), answers of another status than
//! expected (`non2xx`: any 2xx by default, or `--status`), mismatches (answers of the
//! expected status without the expected text) and reconnects (the server closed the
//! connection, e.g. gSOAP after a fault, or an error forced a new one).
//!
//! The template is read from a file; `{{ID}}` becomes the connection's id from `--ids`
//! (round robin) and `{{SEQ}}` a text unique per request, so each SetPassword sets a
//! different password on its own associate. It speaks plain HTTP/1.1 on tokio TCP streams
//! (no client library in the way) and reads `Content-Length`, chunked and read-to-close
//! bodies, so that it stays cheap next to the server on a small machine.
//!
//! `loadgen argon2` hashes with the server's Argon2id parameters on N threads, each reusing
//! one work area as the server's hasher does: the ceiling for SetPassword and log-in.
#![deny(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use clap::{Parser, Subcommand};
use password_hash::rand_core::{OsRng, RngCore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, Parser)]
#[command(
    name = "loadgen",
    about = "HTTP load and raw Argon2id rate for bench/run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Post a request template over keep-alive connections for a fixed time
    Http(HttpArgs),
    /// Hash with Argon2id on several threads for a fixed time; prints hashes/s
    Argon2(Argon2Args),
}

#[derive(Debug, clap::Args)]
struct HttpArgs {
    /// The URL to POST to (http only), e.g. http://127.0.0.1:8080/Remote/Services88/User.svc
    #[arg(long)]
    url: String,
    /// Concurrent connections
    #[arg(short, long, default_value_t = 64)]
    connections: usize,
    /// Seconds of load (after all connections are open)
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Load generator threads
    #[arg(short, long, default_value_t = 2)]
    threads: usize,
    /// The request body template ({{ID}}, {{SEQ}})
    #[arg(long)]
    body: PathBuf,
    /// A request header, `Name: value`; repeatable
    #[arg(short = 'H', long = "header")]
    headers: Vec<String>,
    /// Comma-separated values of {{ID}}, one per connection (round robin)
    #[arg(long, default_value = "0")]
    ids: String,
    /// Text every answer of the expected status must contain; others count as mismatches
    #[arg(long)]
    expect: Option<String>,
    /// The expected HTTP status [default: any 2xx]
    #[arg(long)]
    status: Option<u16>,
    /// Seconds to wait for one answer before counting an error and reconnecting
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
}

#[derive(Debug, clap::Args)]
struct Argon2Args {
    /// Threads [default: the number of cores]
    #[arg(short, long)]
    threads: Option<usize>,
    /// Seconds of hashing
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Memory in KiB [default: the server's]
    #[arg(long)]
    m_kib: Option<u32>,
    /// Iterations [default: the server's]
    #[arg(long)]
    t: Option<u32>,
    /// Lanes [default: the server's]
    #[arg(long)]
    p: Option<u32>,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Http(args) => http(args),
        Command::Argon2(args) => argon2_rate(args),
    };
    match outcome {
        Ok(line) => {
            println!("{line}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------
// Argon2id

fn argon2_rate(args: Argon2Args) -> Result<String, String> {
    let server = accounts::KdfParams::default();
    let (m, t, p) = (
        args.m_kib.unwrap_or(server.m_kib),
        args.t.unwrap_or(server.t),
        args.p.unwrap_or(server.p),
    );
    let params = Params::new(m, t, p, None).map_err(|e| format!("Argon2id parameters: {e}"))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let dur = Duration::from_secs_f64(args.duration);
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let params = params.clone();
            std::thread::spawn(move || -> Result<u64, String> {
                let blocks = params.block_count();
                let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                // One work area per thread, reused, as the server's hasher does.
                let mut area = vec![argon2::Block::default(); blocks];
                let mut out = [0u8; 32];
                let mut salt = [0u8; 16];
                let mut n = 0u64;
                while start.elapsed() < dur {
                    OsRng.fill_bytes(&mut salt);
                    argon
                        .hash_password_into_with_memory(
                            b"benchmark password",
                            &salt,
                            &mut out,
                            &mut area,
                        )
                        .map_err(|e| format!("hashing failed: {e}"))?;
                    n += 1;
                }
                Ok(n)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h.join().map_err(|_| "a hashing thread panicked")??;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(format!(
        "hashes={total} seconds={secs:.3} rate={:.2} threads={threads} m_kib={m} t={t} p={p}",
        total as f64 / secs
    ))
}

// ---------------------------------------------------------------------------------------
// HTTP load

/// A piece of the request body template.
#[derive(Debug, Clone)]
enum Part {
    Text(Vec<u8>),
    Id,
    Seq,
}

fn parse_template(t: &[u8]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = t;
    let mut text = Vec::new();
    while !rest.is_empty() {
        if rest.starts_with(b"{{ID}}") {
            parts.push(Part::Text(std::mem::take(&mut text)));
            parts.push(Part::Id);
            rest = &rest[6..];
        } else if rest.starts_with(b"{{SEQ}}") {
            parts.push(Part::Text(std::mem::take(&mut text)));
            parts.push(Part::Seq);
            rest = &rest[7..];
        } else {
            text.push(rest[0]);
            rest = &rest[1..];
        }
    }
    parts.push(Part::Text(text));
    parts.retain(|p| !matches!(p, Part::Text(t) if t.is_empty()));
    parts
}

/// What one connection's loop counted.
#[derive(Debug, Default)]
struct Tally {
    /// Microseconds per completed request (answer fully read).
    latencies: Vec<u32>,
    errors: u64,
    non2xx: u64,
    mismatches: u64,
    reconnects: u64,
}

struct Target {
    addr: SocketAddr,
    head: Vec<u8>,
    parts: Vec<Part>,
    expect: Option<Vec<u8>>,
    status: Option<u16>,
    timeout: Duration,
}

fn http(args: HttpArgs) -> Result<String, String> {
    let rest = args
        .url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr: SocketAddr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority} resolves to nothing"))?;
    let template =
        std::fs::read(&args.body).map_err(|e| format!("{}: {e}", args.body.display()))?;
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: {authority}\r\n");
    for h in &args.headers {
        if !h.contains(':') {
            return Err(format!("header without a colon: {h}"));
        }
        head.push_str(h);
        head.push_str("\r\n");
    }
    let ids: Vec<String> = args.ids.split(',').map(|s| s.trim().to_owned()).collect();
    let target = Arc::new(Target {
        addr,
        head: head.into_bytes(),
        parts: parse_template(&template),
        expect: args.expect.map(String::into_bytes),
        status: args.status,
        timeout: Duration::from_secs_f64(args.timeout),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let connections = args.connections.max(1);
    let duration = Duration::from_secs_f64(args.duration);
    let (tally, secs) = rt.block_on(async move {
        // Open every connection first, then start the clock for all at once.
        let mut streams = Vec::with_capacity(connections);
        for _ in 0..connections {
            streams.push(connect(addr).await?);
        }
        let (go_tx, go_rx) = tokio::sync::watch::channel(None::<Instant>);
        let mut tasks = Vec::with_capacity(connections);
        for (i, stream) in streams.into_iter().enumerate() {
            let target = target.clone();
            let id = ids[i % ids.len()].clone();
            let mut go = go_rx.clone();
            tasks.push(tokio::spawn(async move {
                let deadline = loop {
                    if let Some(d) = *go.borrow_and_update() {
                        break d;
                    }
                    if go.changed().await.is_err() {
                        return Tally::default();
                    }
                };
                drive(&target, stream, &id, i, deadline).await
            }));
        }
        let start = Instant::now();
        let _ = go_tx.send(Some(start + duration));
        let mut total = Tally::default();
        for t in tasks {
            let one = t
                .await
                .map_err(|e| format!("a connection task failed: {e}"))?;
            total.latencies.extend(one.latencies);
            total.errors += one.errors;
            total.non2xx += one.non2xx;
            total.mismatches += one.mismatches;
            total.reconnects += one.reconnects;
        }
        Ok::<_, String>((total, start.elapsed().as_secs_f64()))
    })?;
    let mut lat = tally.latencies;
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        f64::from(lat[i]) / 1000.0
    };
    let good = lat.len() as u64 - tally.mismatches - tally.non2xx;
    Ok(format!(
        "requests={} ok={good} seconds={secs:.3} rps={:.1} ok_rps={:.1} p50_ms={:.3} p99_ms={:.3} max_ms={:.3} errors={} non2xx={} mismatches={} reconnects={} connections={connections}",
        lat.len(),
        lat.len() as f64 / secs,
        good as f64 / secs,
        pct(0.50),
        pct(0.99),
        pct(1.0),
        tally.errors,
        tally.non2xx,
        tally.mismatches,
        tally.reconnects,
    ))
}

async fn connect(addr: SocketAddr) -> Result<TcpStream, String> {
    let s = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let _ = s.set_nodelay(true);
    Ok(s)
}

/// One connection: request, answer, repeat until the deadline; reconnects when the server
/// closes the connection or an error leaves it in an unknown state.
async fn drive(
    target: &Target,
    stream: TcpStream,
    id: &str,
    conn: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut stream = Some(stream);
    let mut req = Vec::with_capacity(4096);
    let mut body = Vec::with_capacity(2048);
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut seq = 0u64;
    while Instant::now() < deadline {
        let mut s = match stream.take() {
            Some(s) => s,
            None => {
                tally.reconnects += 1;
                match connect(target.addr).await {
                    Ok(s) => s,
                    Err(_) => {
                        tally.errors += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                }
            }
        };
        seq += 1;
        body.clear();
        for p in &target.parts {
            match p {
                Part::Text(t) => body.extend_from_slice(t),
                Part::Id => body.extend_from_slice(id.as_bytes()),
                Part::Seq => body.extend_from_slice(format!("c{conn}n{seq}").as_bytes()),
            }
        }
        req.clear();
        req.extend_from_slice(&target.head);
        req.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        req.extend_from_slice(&body);
        let t0 = Instant::now();
        let answer = tokio::time::timeout(target.timeout, exchange(&mut s, &req, &mut buf)).await;
        match answer {
            Ok(Ok(a)) => {
                let us = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                tally.latencies.push(us);
                let status_ok = match target.status {
                    Some(want) => a.status == want,
                    None => (200..300).contains(&a.status),
                };
                if !status_ok {
                    tally.non2xx += 1;
                } else if let Some(e) = &target.expect {
                    if !contains(&buf[a.body.0..a.body.1], e) {
                        tally.mismatches += 1;
                    }
                }
                if a.keep_alive {
                    stream = Some(s);
                }
            }
            // A closed or broken connection, or no answer in time: count it and reconnect.
            Ok(Err(_)) | Err(_) => tally.errors += 1,
        }
    }
    tally
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// A parsed answer: status, where its (de-chunked) body lies in the buffer, and whether the
/// connection may be reused.
struct Answer {
    status: u16,
    body: (usize, usize),
    keep_alive: bool,
}

enum Framing {
    Length(usize),
    Chunked,
    Close,
}

/// Writes `req` and reads one whole answer into `buf`.
async fn exchange(s: &mut TcpStream, req: &[u8], buf: &mut Vec<u8>) -> Result<Answer, String> {
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
    hay.windows(needle.len()).position(|w| w == needle)
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
    fn template_parts() {
        let p = parse_template(b"<a>{{ID}}</a><b>x{{SEQ}}</b>");
        assert_eq!(p.len(), 5);
        assert!(matches!(p[1], Part::Id));
        assert!(matches!(p[3], Part::Seq));
    }
}
