//! `loadgen interleave`: several request templates sent in turn on one keep-alive
//! connection (the order rotating every round), so that each sees the same machine; prints
//! the median latency of each. bench/run compares log-ins for an unknown name and for a
//! locked associate with log-ins with a wrong password this way.

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::soap_client::{Conn, Reply};
use crate::wire::contains;
use crate::InterleaveArgs;

pub(crate) fn interleave(args: InterleaveArgs) -> Result<String, String> {
    let addr: SocketAddr = args
        .addr
        .parse()
        .map_err(|e| format!("--addr {}: {e}", args.addr))?;
    let mut templates = Vec::new();
    for b in &args.body {
        let t = std::fs::read_to_string(b).map_err(|e| format!("{}: {e}", b.display()))?;
        templates.push(t);
    }
    if templates.is_empty() {
        return Err("give at least one --body".into());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let n = templates.len();
    let deadline = Instant::now() + Duration::from_secs_f64(args.duration);
    let (lat, mismatches) = rt.block_on(async {
        let mut c = Conn::new(addr);
        let mut lat: Vec<Vec<f64>> = vec![Vec::new(); n];
        let mut mismatches = 0u64;
        let mut round = 0u64;
        while Instant::now() < deadline {
            for k in 0..n {
                let i = (k + round as usize) % n;
                let seq = (round % args.seq_mod.max(1)) + 1;
                let body = templates[i].replace("{{SEQ}}", &seq.to_string());
                let mut raw = Vec::new();
                let _ = write!(
                    raw,
                    "POST {} HTTP/1.1\r\nHost: bench\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{}\"\r\nContent-Length: {}\r\n\r\n{body}",
                    args.path,
                    args.action,
                    body.len()
                );
                let t0 = Instant::now();
                let reply = c.finish(&raw).await;
                let ms = t0.elapsed().as_secs_f64() * 1000.0;
                match reply {
                    Reply::Answer { status: 200, body }
                        if contains(body.as_bytes(), args.expect.as_bytes()) =>
                    {
                        lat[i].push(ms)
                    }
                    _ => mismatches += 1,
                }
            }
            round += 1;
        }
        (lat, mismatches)
    });
    let mut line = format!("rounds={} mismatches={mismatches}", lat[0].len());
    for (i, mut l) in lat.into_iter().enumerate() {
        l.sort_by(f64::total_cmp);
        let p50 = l.get(l.len() / 2).copied().unwrap_or(0.0);
        line.push_str(&format!(" p50_ms_{i}={p50:.3}"));
    }
    Ok(line)
}
