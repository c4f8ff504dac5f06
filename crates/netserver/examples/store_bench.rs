//! The request rates that depend on the store, on each backend, in one run:
//! SetPassword, log-in (AuthenticateUsernamePassword), and the ticket check, with the same
//! Argon2id parameters (the server's defaults) for every backend.
//!
//! ```sh
//! cargo run --release -p netserver --example store_bench -- SECONDS CONNECTIONS URL...
//! # e.g. (an empty database for each PostgreSQL URL):
//! psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS ns_bench' -c 'CREATE DATABASE ns_bench'
//! cargo run --release -p netserver --example store_bench -- 10 8 sqlite postgres://postgres@127.0.0.1/ns_bench
//! ```
//!
//! `sqlite` stands for a fresh SQLite file in a temporary directory. For each URL it starts
//! a real netserver on a loopback port, then drives each workload over CONNECTIONS
//! keep-alive HTTP connections for SECONDS, and times the bare `Store::ticket` lookup
//! in-process. The ticket check over HTTP is `IsPasswordValid` at one connection: a
//! ticket lookup and renewal plus a policy check, no Argon2id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark run: a failed unwrap stops it with the cause

use std::sync::Arc;
use std::time::{Duration, Instant};

use accounts::{
    Accounts, KdfParams, NewUser, Right, Secret, Settings, Timestamp, UserType, DEFAULT_TENANT,
};
use netserver::wiring;

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";
const PASSWORD: &str = "bench-Secret-pw-1";

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: store_bench SECONDS CONNECTIONS URL...";
    let seconds: u64 = args.first().and_then(|s| s.parse().ok()).ok_or(usage)?;
    let connections: usize = args.get(1).and_then(|s| s.parse().ok()).ok_or(usage)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dur = Duration::from_secs(seconds);
    println!("| store | SetPassword req/s | log-in req/s | ticket check (HTTP) p50 / p99 | Store::ticket p50 / p99 |");
    println!("|---|---|---|---|---|");
    for (i, url) in args.iter().skip(2).enumerate() {
        let url = match url.as_str() {
            "sqlite" => format!("sqlite://{}", dir.path().join(format!("b{i}.db")).display()),
            other => other.to_owned(),
        };
        let row = bench_one(&url, connections, dur).await?;
        println!("| {} | {row} |", wiring::redact_url(&url));
    }
    Ok(())
}

async fn bench_one(url: &str, connections: usize, dur: Duration) -> Result<String, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The per-address log-in limit would refuse the log-in workload (one address).
    let settings = Settings {
        login_rate_per_minute: 0,
        ..Settings::default()
    };
    let store = wiring::open_store(url, &store::StoreOptions::default()).await?;
    let accounts = wiring::domain(store.clone(), KdfParams::default(), cores, settings)?;
    add(&accounts, "admin", vec![Right::AdminAll]).await?;
    let mut targets = Vec::new();
    for i in 0..connections {
        targets.push(add(&accounts, &format!("target{i}"), vec![]).await?);
    }
    let running = wiring::start("127.0.0.1:0", accounts, server::ServerConfig::default()).await?;
    let url = format!("http://{}", running.addr);
    let client = netserver::client::Client::new(&url, soap::SoapVersion::V11, None)?;
    let ticket = client
        .login("admin", &Secret::new(PASSWORD))
        .await?
        .ok_or("admin log-in failed")?
        .ticket;
    let ticket = Arc::new(ticket.expose().to_owned());

    let principal = format!("{url}/Remote/Services88/SoPrincipal.svc");
    let login = drive(connections, dur, move |worker, _| Call {
        url: principal.clone(),
        action: "SoPrincipal/AuthenticateUsernamePassword",
        body: with_ticket(
            "",
            &format!(
                "<AuthenticateUsernamePassword xmlns=\"{NS}\"><UserName>target{worker}</UserName><Password>{PASSWORD}</Password></AuthenticateUsernamePassword>"
            ),
        ),
        expect: "<AuthenticationSucceeded>true</AuthenticationSucceeded>",
    })
    .await;
    let user_svc = format!("{url}/Remote/Services88/User.svc");
    let (svc, admin) = (user_svc.clone(), ticket.clone());
    let check = drive(1, dur.min(Duration::from_secs(5)), move |_, _| Call {
        url: svc.clone(),
        action: "User/IsPasswordValid",
        body: with_ticket(
            &admin,
            &format!("<IsPasswordValid xmlns=\"{NS}\"><AssociateId>0</AssociateId><Password>long-enough-9</Password></IsPasswordValid>"),
        ),
        expect: "<Response>true</Response>",
    })
    .await;
    let lookup = time_lookups(&store, &check_ticket_id(&client).await?).await?;
    // Last: it changes the targets' passwords and revokes their tickets.
    let set = {
        drive(connections, dur, move |worker, n| Call {
            url: user_svc.clone(),
            action: "User/SetPassword",
            body: with_ticket(
                &ticket,
                &format!(
                    "<SetPassword xmlns=\"{NS}\"><AssociateId>{}</AssociateId><Password>bench-pw-{worker}-{n}-Xy</Password></SetPassword>",
                    targets[worker]
                ),
            ),
            expect: "<Response>true</Response>",
        })
        .await
    };
    running.task.abort();
    Ok(format!(
        "{} | {} | {} | {}",
        set.rate(dur),
        login.rate(dur),
        check.percentiles(),
        lookup.percentiles()
    ))
}

async fn add(accounts: &Accounts, name: &str, rights: Vec<Right>) -> Result<i32, String> {
    let user = NewUser {
        name: name.into(),
        full_name: name.into(),
        user_type: UserType::Internal,
        rights,
        password: Some(Secret::new(PASSWORD)),
        must_change: false,
    };
    accounts
        .add_user(DEFAULT_TENANT, user, Timestamp::now())
        .await
        .map(|a| a.id)
        .map_err(|e| e.to_string())
}

/// A fresh ticket's public id (the GUID the store is keyed by), for the lookup timing.
async fn check_ticket_id(client: &netserver::client::Client) -> Result<String, String> {
    let login = client
        .login("target0", &Secret::new(PASSWORD))
        .await?
        .ok_or("log-in failed")?;
    // `7T:` + base64 of `{GUID};secret`: the store is keyed by the GUID.
    use base64::Engine as _;
    let b64 = login.ticket.expose().trim_start_matches("7T:").to_owned();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8(raw).map_err(|e| e.to_string())?;
    Ok(text.split(';').next().unwrap_or_default().to_owned())
}

/// 2,000 `Store::ticket` lookups of an existing ticket, one at a time.
async fn time_lookups(store: &Arc<dyn accounts::Store>, id: &str) -> Result<Samples, String> {
    let mut samples = Samples::default();
    for _ in 0..2_000 {
        let t0 = Instant::now();
        let found = store.ticket(id).await.map_err(|e| e.to_string())?;
        samples.latencies.push(t0.elapsed());
        if found.is_none() {
            return Err("the ticket is not in the store".into());
        }
    }
    Ok(samples)
}

fn with_ticket(ticket: &str, body: &str) -> String {
    let creds = if ticket.is_empty() {
        String::new()
    } else {
        format!("<Credentials xmlns=\"{NS}\"><Ticket>{ticket}</Ticket></Credentials>")
    };
    format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>{creds}</s:Header><s:Body>{body}</s:Body></s:Envelope>")
}

struct Call {
    url: String,
    action: &'static str,
    body: String,
    expect: &'static str,
}

#[derive(Default)]
struct Samples {
    latencies: Vec<Duration>,
    errors: usize,
}

impl Samples {
    fn rate(&self, dur: Duration) -> String {
        let errors = if self.errors > 0 {
            format!(" ({} errors)", self.errors)
        } else {
            String::new()
        };
        format!(
            "{:.1}{errors}",
            self.latencies.len() as f64 / dur.as_secs_f64()
        )
    }

    fn percentiles(&self) -> String {
        let mut l = self.latencies.clone();
        l.sort();
        let pct = |p: f64| {
            l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        format!("{:.3} / {:.3} ms", pct(0.5), pct(0.99))
    }
}

/// `connections` tasks, each sending `make(worker, n)` back to back until `dur` passes.
async fn drive<F>(connections: usize, dur: Duration, make: F) -> Samples
where
    F: Fn(usize, u64) -> Call + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let deadline = Instant::now() + dur;
    let tasks: Vec<_> = (0..connections)
        .map(|worker| {
            let make = make.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut samples = Samples::default();
                let mut n = 0;
                while Instant::now() < deadline {
                    n += 1;
                    let call = make(worker, n);
                    let t0 = Instant::now();
                    let sent = http
                        .post(&call.url)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .header("SOAPAction", format!("\"{NS}/{}\"", call.action))
                        .body(call.body)
                        .send()
                        .await;
                    let ok = match sent {
                        Ok(r) => r.text().await.is_ok_and(|t| t.contains(call.expect)),
                        Err(_) => false,
                    };
                    if ok {
                        samples.latencies.push(t0.elapsed());
                    } else {
                        samples.errors += 1;
                    }
                }
                samples
            })
        })
        .collect();
    let mut all = Samples::default();
    for t in tasks {
        if let Ok(s) = t.await {
            all.latencies.extend(s.latencies);
            all.errors += s.errors;
        }
    }
    all
}
