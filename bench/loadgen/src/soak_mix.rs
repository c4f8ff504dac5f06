//! The soak's load mix: one task per kind of client, each looping until the deadline and
//! judging every answer it gets. An answer is either one of the outcomes its request may
//! have (counted under that outcome's name) or unexpected (counted, and the first few
//! printed on stderr without any ticket or password).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::io::AsyncWriteExt;

use crate::soap_client::{
    change_own_env, envelope, has, is_valid_env, login_env, login_ticket, request,
    set_password_env, Conn, Reply, NS,
};

/// An associate the soak uses: name, id and the password it was created with.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) id: i64,
    pub(crate) password: String,
}

/// What every task shares: where the server is, until when, the tallies.
pub(crate) struct Mix {
    pub(crate) addr: SocketAddr,
    pub(crate) deadline: Instant,
    /// The server's `[tickets] lifetime_seconds`, to wait out for expired tickets.
    pub(crate) ticket_lifetime: Duration,
    pub(crate) outcomes: Mutex<BTreeMap<&'static str, u64>>,
    pub(crate) unexpected: AtomicU64,
    pub(crate) logins_ok: AtomicU64,
}

/// How long a client keeps one ticket before logging in again (below the server's
/// ceiling, `max_lifetime_seconds`, which bench/soak sets to 300 s).
const RELOGIN: Duration = Duration::from_secs(240);

impl Mix {
    fn live(&self) -> bool {
        Instant::now() < self.deadline
    }

    fn note(&self, outcome: &'static str) {
        if let Ok(mut m) = self.outcomes.lock() {
            *m.entry(outcome).or_default() += 1;
        }
        if outcome == "login_ok" {
            self.logins_ok.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts an unexpected answer; prints the first 20 (status and the start of the
    /// body after any ticket-bearing header).
    fn unexpected(&self, what: &str, reply: &Reply) {
        let n = self.unexpected.fetch_add(1, Ordering::Relaxed);
        if n < 20 {
            let seen = match reply {
                Reply::Answer { status, body } => {
                    let b = body.split("<s:Body>").nth(1).unwrap_or(body);
                    format!("HTTP {status}: {}", &b[..b.len().min(300)])
                }
                Reply::Closed => "the connection closed".into(),
                Reply::TimedOut => "no answer in 30 s".into(),
            };
            eprintln!("soak: unexpected answer to {what}: {seen}");
        }
    }

    /// Sleeps, but not past the deadline.
    async fn pause(&self, d: Duration) {
        let left = self.deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(d.min(left)).await;
    }
}

/// A log-in's answer.
enum Login {
    Ticket(String),
    Refused,
    /// The server refused the work as busy (its hashing queue's bound in time): the
    /// documented answer to overload, noted as `busy` rather than as unexpected.
    Busy,
    Other,
}

/// How long a client waits after a busy answer before its next request.
const BUSY_PAUSE: Duration = Duration::from_millis(500);

async fn login(mix: &Mix, c: &mut Conn, name: &str, pw: &str) -> (Login, Reply) {
    let reply = c
        .call(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &login_env(name, pw),
        )
        .await;
    let login = match &reply {
        Reply::Answer { status: 200, body } if has(body, "server_busy") => Login::Busy,
        Reply::Answer { status: 200, body } if has(body, "AuthenticationSucceeded") => {
            login_ticket(body).map_or(Login::Refused, |t| Login::Ticket(t.to_owned()))
        }
        _ => Login::Other,
    };
    if matches!(login, Login::Busy) {
        mix.note("busy");
        mix.pause(BUSY_PAUSE).await;
    }
    (login, reply)
}

/// A log-in that must succeed; its ticket.
async fn must_login(mix: &Mix, c: &mut Conn, u: &str, pw: &str) -> Option<String> {
    match login(mix, c, u, pw).await {
        (Login::Ticket(t), _) => {
            mix.note("login_ok");
            Some(t)
        }
        (Login::Busy, _) => None,
        (_, reply) => {
            mix.unexpected("a log-in with the right password", &reply);
            None
        }
    }
}

/// A log-in that must be refused.
async fn must_refuse(mix: &Mix, c: &mut Conn, u: &str, pw: &str) {
    match login(mix, c, u, pw).await {
        (Login::Refused, _) => mix.note("login_refused"),
        (Login::Busy, _) => {}
        (_, reply) => mix.unexpected("a log-in with a wrong password", &reply),
    }
}

/// Notes an answer containing `ok_text` as `outcome`, a busy one as `busy`; anything else
/// is unexpected (false).
fn judge(mix: &Mix, reply: &Reply, what: &str, ok_text: &str, outcome: &'static str) -> bool {
    match reply {
        Reply::Answer { status: 200, body } if has(body, ok_text) => mix.note(outcome),
        Reply::Answer { status: 200, body } if has(body, "server_busy") => mix.note("busy"),
        _ => {
            mix.unexpected(what, reply);
            return false;
        }
    }
    true
}

/// Logs in as `u` with its right password, again and again.
pub(crate) async fn right_logins(mix: Arc<Mix>, u: User) {
    let mut c = Conn::new(mix.addr);
    while mix.live() {
        must_login(&mix, &mut c, &u.name, &u.password).await;
    }
}

/// Wrong passwords for `victim` (who gets locked and stays so) and for names nobody has.
pub(crate) async fn wrong_logins(mix: Arc<Mix>, victim: User) {
    let mut c = Conn::new(mix.addr);
    let mut seq = 0u64;
    while mix.live() {
        seq += 1;
        must_refuse(&mix, &mut c, &victim.name, &format!("Wrong-Guess-{seq}")).await;
        must_refuse(&mix, &mut c, &format!("nobody{seq}"), "Wrong-Guess-0").await;
    }
}

/// An administrator sets `target`'s password, then `target` logs in with the new one (must
/// work) and the old one (must not).
pub(crate) async fn set_passwords(mix: Arc<Mix>, admin: User, target: User) {
    let mut c = Conn::new(mix.addr);
    let mut ticket: Option<(String, Instant)> = None;
    let mut old = target.password.clone();
    let mut seq = 0u64;
    while mix.live() {
        let t = match &ticket {
            Some((t, at)) if at.elapsed() < RELOGIN => t.clone(),
            _ => match must_login(&mix, &mut c, &admin.name, &admin.password).await {
                Some(t) => {
                    ticket = Some((t.clone(), Instant::now()));
                    t
                }
                None => continue,
            },
        };
        seq += 1;
        let new = format!("Walnut-Ferry-Set-{}-{seq}", target.id);
        let reply = c
            .call(
                "User",
                "SetPassword",
                &set_password_env(&t, target.id, &new),
            )
            .await;
        if !judge(
            &mix,
            &reply,
            "SetPassword",
            "<Response>true</Response>",
            "set_password",
        ) {
            // As a client would: log in again rather than repeat the refusal.
            ticket = None;
            continue;
        }
        must_login(&mix, &mut c, &target.name, &new).await;
        must_refuse(&mix, &mut c, &target.name, &old).await;
        old = new;
    }
}

/// `u` logs in and changes its own password, again and again.
pub(crate) async fn change_own(mix: Arc<Mix>, u: User) {
    let mut c = Conn::new(mix.addr);
    let mut current = u.password.clone();
    let mut seq = 0u64;
    while mix.live() {
        let Some(t) = must_login(&mix, &mut c, &u.name, &current).await else {
            continue;
        };
        seq += 1;
        let next = format!("Walnut-Ferry-Own-{}-{seq}", u.id);
        let reply = c
            .call(
                "User",
                "ChangeOwnPassword",
                &change_own_env(&t, &current, &next),
            )
            .await;
        if matches!(&reply, Reply::Answer { status: 200, body } if has(body, "<Response>true</Response>"))
        {
            current = next;
        }
        judge(
            &mix,
            &reply,
            "ChangeOwnPassword",
            "<Response>true</Response>",
            "change_own",
        );
    }
}

/// IsPasswordValidWithReason with an administrator's ticket, a valid and a short password
/// in turn, about 25 calls a second.
pub(crate) async fn validity(mix: Arc<Mix>, admin: User, target: User) {
    let mut c = Conn::new(mix.addr);
    let mut ticket: Option<(String, Instant)> = None;
    let mut seq = 0u64;
    while mix.live() {
        let t = match &ticket {
            Some((t, at)) if at.elapsed() < RELOGIN => t.clone(),
            _ => match must_login(&mix, &mut c, &admin.name, &admin.password).await {
                Some(t) => {
                    ticket = Some((t.clone(), Instant::now()));
                    t
                }
                None => continue,
            },
        };
        seq += 1;
        let (pw, want) = if seq.is_multiple_of(2) {
            (format!("Walnut-Ferry-Okay-{seq}"), "<Result>true</Result>")
        } else {
            ("short".to_owned(), "<Result>false</Result>")
        };
        let reply = c
            .call(
                "User",
                "IsPasswordValidWithReason",
                &is_valid_env(&t, target.id, &pw),
            )
            .await;
        if !judge(&mix, &reply, "IsPasswordValidWithReason", want, "is_valid") {
            ticket = None;
        }
        mix.pause(Duration::from_millis(40)).await;
    }
}

/// A well-formed ticket that is nobody's: a new random id each time.
fn made_up_ticket() -> String {
    let id = uuid::Uuid::new_v4().to_string().to_uppercase();
    let raw = format!("{{{id}}};made-up-secret-0123456789abcdef");
    format!(
        "7T:{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Made-up tickets (each a new id, so the node's memory of unknown ids is exercised) and
/// a ticket that is no ticket at all, about 50 calls a second.
pub(crate) async fn bad_tickets(mix: Arc<Mix>, target: User) {
    let mut c = Conn::new(mix.addr);
    let mut seq = 0u64;
    while mix.live() {
        seq += 1;
        let t = if seq.is_multiple_of(10) {
            "not-a-ticket".to_owned()
        } else {
            made_up_ticket()
        };
        let env = set_password_env(&t, target.id, "Walnut-Ferry-Never-1");
        let reply = c.call("User", "SetPassword", &env).await;
        judge(
            &mix,
            &reply,
            "a made-up ticket",
            "SoInvalidTicketException",
            "bad_ticket",
        );
        mix.pause(Duration::from_millis(20)).await;
    }
}

/// Logs in, leaves the ticket unused past its lifetime, then uses it: it must be expired.
pub(crate) async fn expired_tickets(mix: Arc<Mix>, u: User, delay: Duration) {
    let mut c = Conn::new(mix.addr);
    mix.pause(delay).await;
    while mix.live() {
        let Some(t) = must_login(&mix, &mut c, &u.name, &u.password).await else {
            continue;
        };
        c.close();
        let wait = mix.ticket_lifetime + Duration::from_secs(5);
        if Instant::now() + wait >= mix.deadline {
            return;
        }
        tokio::time::sleep(wait).await;
        let reply = c
            .call(
                "User",
                "IsPasswordValidWithReason",
                &is_valid_env(&t, u.id, "Walnut-Ferry-9"),
            )
            .await;
        judge(
            &mix,
            &reply,
            "an expired ticket",
            "SoTicketExpiredException",
            "expired_ticket",
        );
    }
}

/// Envelopes the server must refuse with a client fault: not XML, cut short, nested too
/// deep, too large, an operation nobody offers.
fn malformed(seq: u64) -> (&'static str, String) {
    match seq % 5 {
        0 => ("SetPassword", "this is not XML".to_owned()),
        1 => ("SetPassword", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><SetPassword".to_owned()),
        2 => ("SetPassword", envelope(None, &"<a>".repeat(200))),
        3 => ("SetPassword", envelope(None, &"x".repeat(70 * 1024))),
        _ => ("NoSuchOperation", envelope(None, &format!("<NoSuchOperation xmlns=\"{NS}\"/>"))),
    }
}

/// Malformed envelopes, about 20 a second: each must get a 4xx/5xx answer naming a fault
/// (the server may close the connection after refusing an oversized body).
pub(crate) async fn malformed_envelopes(mix: Arc<Mix>) {
    let mut c = Conn::new(mix.addr);
    let mut seq = 0u64;
    while mix.live() {
        seq += 1;
        let (action, env) = malformed(seq);
        let reply = c.call("User", action, &env).await;
        match &reply {
            Reply::Answer { status, body }
                if (400..600).contains(status)
                    && (has(body, "Fault") || *status == 413 || *status == 400) =>
            {
                mix.note("malformed_refused")
            }
            Reply::Closed if seq % 5 == 3 => mix.note("malformed_refused"),
            _ => mix.unexpected("a malformed envelope", &reply),
        }
        mix.pause(Duration::from_millis(50)).await;
    }
}

/// A slow client: the request head in pieces a second apart. Within the server's header
/// time (4 s) it must be answered; dribbled over 14 s it may be answered or closed
/// (the server's header timeout is 10 s).
pub(crate) async fn slow_clients(mix: Arc<Mix>, target: User) {
    let mut c = Conn::new(mix.addr);
    let mut seq = 0u64;
    while mix.live() {
        seq += 1;
        let too_slow = seq.is_multiple_of(2);
        let env = set_password_env(&made_up_ticket(), target.id, "Walnut-Ferry-Never-2");
        let raw = request("User", "SetPassword", env.as_bytes());
        let pieces = if too_slow { 14 } else { 4 };
        let step = 200.min(raw.len() / (pieces + 1)).max(1);
        c.close();
        let mut sent = 0;
        let mut broken = false;
        for _ in 0..pieces {
            let Ok(s) = c.stream().await else {
                broken = true;
                break;
            };
            if s.write_all(&raw[sent..sent + step]).await.is_err() {
                broken = true;
                break;
            }
            sent += step;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let reply = if broken {
            Reply::Closed
        } else {
            c.finish(&raw[sent..]).await
        };
        match &reply {
            Reply::Answer { status: 200, body } if has(body, "SoInvalidTicketException") => {
                mix.note("slow_answered")
            }
            Reply::Closed | Reply::Answer { status: 408, .. } if too_slow => {
                mix.note("closed_by_server")
            }
            _ => mix.unexpected("a slow request", &reply),
        }
        c.close();
    }
}

/// Idle connections: one opened and left silent for 70 s, one used and left idle for 70 s.
/// Either may be answered afterwards or closed by the server (idle keep-alive 60 s,
/// header time 10 s).
pub(crate) async fn idle_clients(mix: Arc<Mix>, target: User) {
    let mut c = Conn::new(mix.addr);
    let mut seq = 0u64;
    while mix.live() {
        seq += 1;
        c.close();
        if c.stream().await.is_err() {
            mix.unexpected("opening an idle connection", &Reply::Closed);
            mix.pause(Duration::from_secs(1)).await;
            continue;
        }
        if seq.is_multiple_of(2) {
            let env = set_password_env(&made_up_ticket(), target.id, "Walnut-Ferry-Never-3");
            let reply = c.call("User", "SetPassword", &env).await;
            judge(
                &mix,
                &reply,
                "a made-up ticket",
                "SoInvalidTicketException",
                "bad_ticket",
            );
        }
        if Instant::now() + Duration::from_secs(75) >= mix.deadline {
            return;
        }
        tokio::time::sleep(Duration::from_secs(70)).await;
        let env = set_password_env(&made_up_ticket(), target.id, "Walnut-Ferry-Never-4");
        let reply = c.call("User", "SetPassword", &env).await;
        match &reply {
            Reply::Answer { status: 200, body } if has(body, "SoInvalidTicketException") => {
                mix.note("idle_answered")
            }
            Reply::Closed | Reply::Answer { status: 408, .. } => mix.note("closed_by_server"),
            _ => mix.unexpected("a request after idling", &reply),
        }
    }
}
