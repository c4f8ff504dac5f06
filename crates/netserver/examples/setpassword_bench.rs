//! SetPassword throughput next to the raw Argon2id ceiling, in one run on one machine.
//!
//! ```sh
//! cargo run --release -p netserver --example setpassword_bench -- [CONNECTIONS] [SECONDS] [DATABASE_URL]
//! ```
//!
//! Starts a real netserver on a loopback port with a fresh SQLite store and the server's
//! default Argon2id parameters, then (1) hashes with those parameters on every core for
//! SECONDS and (2) drives SetPassword over CONNECTIONS keep-alive HTTP connections for
//! SECONDS. Prints hashes/s, req/s, p50/p99 latency and their ratio.

use std::sync::Arc;
use std::time::{Duration, Instant};

use accounts::{KdfParams, NewUser, Right, Secret, Settings, Timestamp, UserType, DEFAULT_TENANT};
use argon2::password_hash::{rand_core::OsRng, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use netserver::wiring;

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let connections: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kdf = KdfParams::default();

    let hashes = raw_argon2(kdf, cores, Duration::from_secs(seconds));
    println!(
        "raw Argon2id (m={} KiB, t={}, p={}) on {cores} threads: {:.1} hashes/s",
        kdf.m_kib, kdf.t, kdf.p, hashes
    );

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    // A third argument names another store, e.g. an empty PostgreSQL database.
    let url = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let accounts = wiring::accounts(&url, kdf, cores, Settings::default()).await?;
    let admin_pw = Secret::new("bench-secret-pw-1");
    let user = |name: &str, rights: Vec<Right>| NewUser {
        name: name.into(),
        full_name: name.into(),
        user_type: UserType::Internal,
        rights,
        password: Some(admin_pw.clone()),
        must_change: false,
    };
    accounts
        .add_user(
            DEFAULT_TENANT,
            user("admin", vec![Right::AdminAll]),
            Timestamp::now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut targets = Vec::new();
    for i in 0..connections {
        let a = accounts
            .add_user(
                DEFAULT_TENANT,
                user(&format!("target{i}"), vec![]),
                Timestamp::now(),
            )
            .await
            .map_err(|e| e.to_string())?;
        targets.push(a.id);
    }
    let running = wiring::start("127.0.0.1:0", accounts, server::ServerConfig::default()).await?;
    let base = format!("http://{}", running.addr);
    let client = netserver::client::Client::new(&base, soap::SoapVersion::V11, None)?;
    let ticket = client
        .login("admin", &admin_pw)
        .await?
        .ok_or("admin log-in failed")?
        .ticket;

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let ticket = Arc::new(ticket);
    let mut tasks = Vec::new();
    for (i, id) in targets.into_iter().enumerate() {
        let ticket = ticket.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            drive(&base, &ticket, id, i, deadline).await
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0usize;
    for t in tasks {
        let (lat, err) = t.await.map_err(|e| e.to_string())?;
        latencies.extend(lat);
        errors += err;
    }
    latencies.sort();
    let rate = latencies.len() as f64 / seconds as f64;
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "SetPassword over {connections} connections: {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms, {errors} errors",
        rate,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
    println!("setpassword/argon2 = {:.3}", rate / hashes);
    running.task.abort();
    Ok(())
}

/// Hashes with `kdf` on `threads` OS threads for `dur`; returns hashes per second.
fn raw_argon2(kdf: KdfParams, threads: usize, dur: Duration) -> f64 {
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                let params = Params::new(kdf.m_kib, kdf.t, kdf.p, None).expect("params");
                let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                // The best case: one work area per thread, reused, as the server does.
                let mut area = vec![argon2::Block::default(); params_blocks(kdf)];
                let mut out = [0u8; 32];
                let mut n = 0u64;
                while start.elapsed() < dur {
                    let salt = SaltString::generate(&mut OsRng);
                    let mut raw = [0u8; 64];
                    let salt = salt.as_salt().decode_b64(&mut raw).expect("salt");
                    argon
                        .hash_password_into_with_memory(
                            b"benchmark password",
                            salt,
                            &mut out,
                            &mut area,
                        )
                        .expect("hash");
                    n += 1;
                }
                n
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    total as f64 / start.elapsed().as_secs_f64()
}

fn params_blocks(kdf: KdfParams) -> usize {
    Params::new(kdf.m_kib, kdf.t, kdf.p, None).map_or(0, |p| p.block_count())
}

async fn drive(
    base: &str,
    ticket: &Secret,
    id: i32,
    worker: usize,
    deadline: Instant,
) -> (Vec<Duration>, usize) {
    let http = reqwest::Client::new();
    let url = format!("{base}/Remote/Services88/User.svc");
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        let body = format!(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header><Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket></Credentials></s:Header><s:Body><SetPassword xmlns=\"{NS}\"><AssociateId>{id}</AssociateId><Password>bench-pw-{worker}-{n}</Password></SetPassword></s:Body></s:Envelope>",
            ticket.expose()
        );
        let t0 = Instant::now();
        let resp = http
            .post(&url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{NS}/User/SetPassword\""))
            .body(body)
            .send()
            .await;
        let ok = match resp {
            Ok(r) => r
                .text()
                .await
                .map(|t| t.contains("<Response>true</Response>"))
                .unwrap_or(false),
            Err(_) => false,
        };
        if ok {
            latencies.push(t0.elapsed());
        } else {
            errors += 1;
        }
    }
    (latencies, errors)
}
