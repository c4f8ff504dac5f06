//! `loadgen soak`: runs the mixed load of [`crate::soak_mix`] against one server for a
//! given time, samples the server (resident memory, open descriptors, ticket rows) once a
//! minute with a line of the requests answered by outcome, and judges the run at the end.
//!
//! Pass: no unexpected answer; the largest resident size of the last third of the
//! samples at most 1.05 × that of the first third; at most [`FD_SLACK`] more open
//! descriptors at the last third's peak than at the first third's (the soak's own idle
//! and slow connections come and go); the ticket rows bounded by log-ins (see
//! [`tickets_bounded`]).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::soak_mix::{self as mix, Mix, User};
use crate::SoakArgs;

/// Descriptors the last third may peak above the first: the soak's connections that
/// open and close (slow and idle clients) can be caught open or not by a sample.
const FD_SLACK: u64 = 4;

/// One sample of the server.
#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Instant,
    rss_kib: u64,
    fds: u64,
    tickets: u64,
    live_tickets: u64,
    logins_ok: u64,
}

pub(crate) fn soak(args: SoakArgs) -> Result<String, String> {
    let addr: SocketAddr = args
        .addr
        .parse()
        .map_err(|e| format!("--addr {}: {e}", args.addr))?;
    let users = parse_users(&args.users, &args.password)?;
    if users.len() < 12 {
        return Err(format!(
            "--users names {} associates; the mix needs 12",
            users.len()
        ));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let total = Duration::from_secs_f64(args.minutes * 60.0);
    let interval = Duration::from_secs_f64(args.interval);
    let mix = Arc::new(Mix {
        addr,
        deadline: Instant::now() + total,
        ticket_lifetime: Duration::from_secs(args.ticket_lifetime),
        outcomes: Mutex::new(BTreeMap::new()),
        unexpected: AtomicU64::new(0),
        logins_ok: AtomicU64::new(0),
    });
    let first = sample(&mix, args.pid, &args.db)?;
    let samples = rt.block_on(async {
        let tasks = spawn_mix(&mix, &users);
        let mut samples = vec![first];
        let mut last = BTreeMap::new();
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        while Instant::now() < mix.deadline {
            tick.tick().await;
            let s = sample(&mix, args.pid, &args.db)?;
            let now = mix.outcomes.lock().map(|m| m.clone()).unwrap_or_default();
            let minutes = (s.at - first.at).as_secs_f64() / 60.0;
            println!("{}", minute_line(minutes, &now, &last, &mix, &s));
            last = now;
            samples.push(s);
        }
        for t in tasks {
            let _ = t.await;
        }
        Ok::<_, String>(samples)
    })?;
    verdict(&mix, &samples, args.ticket_max_lifetime)
}

fn parse_users(list: &str, password: &str) -> Result<Vec<User>, String> {
    list.split(',')
        .map(|pair| {
            let (name, id) = pair
                .split_once('=')
                .ok_or_else(|| format!("--users: `{pair}` is not NAME=ID"))?;
            let id = id
                .parse()
                .map_err(|_| format!("--users: `{id}` is no id"))?;
            Ok(User {
                name: name.to_owned(),
                id,
                password: password.to_owned(),
            })
        })
        .collect()
}

/// The mix: user 0 is the administrator; the others each play one part.
fn spawn_mix(m: &Arc<Mix>, u: &[User]) -> Vec<tokio::task::JoinHandle<()>> {
    let admin = &u[0];
    let lifetime = m.ticket_lifetime;
    vec![
        tokio::spawn(mix::right_logins(m.clone(), u[1].clone())),
        tokio::spawn(mix::right_logins(m.clone(), u[2].clone())),
        tokio::spawn(mix::wrong_logins(m.clone(), u[3].clone())),
        tokio::spawn(mix::wrong_logins(m.clone(), u[4].clone())),
        tokio::spawn(mix::set_passwords(m.clone(), admin.clone(), u[5].clone())),
        tokio::spawn(mix::set_passwords(m.clone(), admin.clone(), u[6].clone())),
        tokio::spawn(mix::change_own(m.clone(), u[7].clone())),
        tokio::spawn(mix::change_own(m.clone(), u[8].clone())),
        tokio::spawn(mix::expired_tickets(
            m.clone(),
            u[9].clone(),
            Duration::ZERO,
        )),
        tokio::spawn(mix::expired_tickets(m.clone(), u[10].clone(), lifetime / 2)),
        tokio::spawn(mix::validity(m.clone(), admin.clone(), u[11].clone())),
        tokio::spawn(mix::bad_tickets(m.clone(), u[11].clone())),
        tokio::spawn(mix::malformed_envelopes(m.clone())),
        tokio::spawn(mix::slow_clients(m.clone(), u[11].clone())),
        tokio::spawn(mix::idle_clients(m.clone(), u[11].clone())),
        tokio::spawn(mix::idle_clients(m.clone(), u[11].clone())),
    ]
}

fn sample(m: &Mix, pid: u32, db: &Path) -> Result<Sample, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("the server (pid {pid}) is gone: {e}"))?;
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map_err(|e| format!("/proc/{pid}/fd: {e}"))?
        .count() as u64;
    let (tickets, live_tickets) = ticket_rows(db)?;
    Ok(Sample {
        at: Instant::now(),
        rss_kib,
        fds,
        tickets,
        live_tickets,
        logins_ok: m.logins_ok.load(Ordering::Relaxed),
    })
}

/// All ticket rows, and those not yet expired.
fn ticket_rows(db: &Path) -> Result<(u64, u64), String> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let c = rusqlite::Connection::open_with_flags(db, flags)
        .map_err(|e| format!("{}: {e}", db.display()))?;
    let _ = c.busy_timeout(Duration::from_secs(5));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    c.query_row(
        "SELECT count(*), coalesce(sum(expires_at > ?1), 0) FROM tickets",
        [now],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )
    .map_err(|e| format!("counting tickets: {e}"))
}

fn minute_line(
    minutes: f64,
    now: &BTreeMap<&'static str, u64>,
    last: &BTreeMap<&'static str, u64>,
    m: &Mix,
    s: &Sample,
) -> String {
    let mut line = format!("soak: minute {minutes:.1}");
    for (k, v) in now {
        line.push_str(&format!(" {k}={}", v - last.get(k).copied().unwrap_or(0)));
    }
    line.push_str(&format!(
        " unexpected={} rss_kib={} fds={} tickets_rows={} tickets_live={}",
        m.unexpected.load(Ordering::Relaxed),
        s.rss_kib,
        s.fds,
        s.tickets,
        s.live_tickets
    ));
    line
}

/// Tickets are bounded when every sample holds at most one row per successful log-in
/// (plus the rows there were at the start: the hourly sweeper deletes expired ones), and
/// no more unexpired rows than the log-ins of the last `max_lifetime` seconds (plus the
/// first sample's unexpired rows while that window reaches back to it): no ticket outlives
/// its ceiling, none is created without a log-in.
fn tickets_bounded(samples: &[Sample], max_lifetime: u64) -> Result<(), String> {
    let first = samples[0];
    for s in samples {
        let logins = s.logins_ok - first.logins_ok;
        if s.tickets > first.tickets + logins {
            return Err(format!("{} ticket rows after {logins} log-ins", s.tickets));
        }
        let window = Duration::from_secs(max_lifetime + 5);
        let since = samples
            .iter()
            .rev()
            .find(|o| o.at + window <= s.at)
            .map_or(first.logins_ok, |o| o.logins_ok);
        let carried = if first.at + window > s.at {
            first.live_tickets
        } else {
            0
        };
        if s.live_tickets > s.logins_ok - since + carried {
            return Err(format!(
                "{} unexpired tickets, {} log-ins in the last {max_lifetime} s",
                s.live_tickets,
                s.logins_ok - since
            ));
        }
    }
    Ok(())
}

fn verdict(m: &Mix, samples: &[Sample], max_lifetime: u64) -> Result<String, String> {
    let third = samples.len().div_ceil(3).max(1);
    let head = &samples[..third];
    let tail = &samples[samples.len() - third..];
    let peak = |s: &[Sample], f: fn(&Sample) -> u64| s.iter().map(f).max().unwrap_or(0);
    let rss_first = peak(head, |s| s.rss_kib).max(1);
    let rss_last = peak(tail, |s| s.rss_kib);
    let rss_growth = (rss_last as f64 / rss_first as f64 - 1.0) * 100.0;
    let fd_growth = peak(tail, |s| s.fds) as i64 - peak(head, |s| s.fds) as i64;
    let tickets_max = peak(samples, |s| s.tickets);
    let unexpected = m.unexpected.load(Ordering::Relaxed);
    let line = format!(
        "soak: {unexpected} unexpected, rss_growth {rss_growth:.1} %, fd_growth {fd_growth}, tickets_rows_max {tickets_max}"
    );
    let mut failed = Vec::new();
    if unexpected > 0 {
        failed.push(format!("{unexpected} unexpected answers"));
    }
    if rss_last as f64 > rss_first as f64 * 1.05 {
        failed.push(format!("RSS grew from {rss_first} KiB to {rss_last} KiB"));
    }
    if fd_growth > FD_SLACK as i64 {
        failed.push(format!("{fd_growth} more open descriptors"));
    }
    if let Err(e) = tickets_bounded(samples, max_lifetime) {
        failed.push(format!("tickets unbounded: {e}"));
    }
    println!("{line}");
    if failed.is_empty() {
        Ok("soak: pass".into())
    } else {
        Err(format!("soak: fail: {}", failed.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, secs: u64, tickets: u64, live: u64, logins: u64) -> Sample {
        Sample {
            at: start + Duration::from_secs(secs),
            rss_kib: 1000,
            fds: 20,
            tickets,
            live_tickets: live,
            logins_ok: logins,
        }
    }

    #[test]
    fn tickets_are_bounded_by_log_ins_and_their_ceiling() {
        let t = Instant::now();
        // 100 log-ins a minute; tickets live at most 300 s.
        let ok: Vec<Sample> = (0..10)
            .map(|m| at(t, m * 60, m * 100, (m * 100).min(500), m * 100))
            .collect();
        assert!(tickets_bounded(&ok, 300).is_ok());
        // A row without a log-in.
        let mut extra = ok.clone();
        extra[3].tickets += 1;
        assert!(tickets_bounded(&extra, 300).is_err());
        // Tickets outliving their ceiling: all 900 still unexpired after 9 minutes.
        let mut stale = ok;
        stale[9].live_tickets = 900;
        assert!(tickets_bounded(&stale, 300).is_err());
    }

    #[test]
    fn users_are_name_equals_id() {
        let u = parse_users("a=1,b=22", "pw").unwrap_or_default();
        assert_eq!(u.len(), 2);
        assert_eq!((u[1].name.as_str(), u[1].id), ("b", 22));
        assert!(parse_users("a", "pw").is_err());
        assert!(parse_users("a=x", "pw").is_err());
    }
}
