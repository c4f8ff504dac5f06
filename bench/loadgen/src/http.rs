//! `loadgen http`: the request template, the connections' loops and the summary line.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use crate::wire::{contains, exchange};
use crate::HttpArgs;

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

pub(crate) fn http(args: HttpArgs) -> Result<String, String> {
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
                Part::Seq => {
                    let _ = write!(body, "c{conn}n{seq}");
                }
            }
        }
        req.clear();
        req.extend_from_slice(&target.head);
        let _ = write!(req, "Content-Length: {}\r\n\r\n", body.len());
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
