//! Crash consistency: a real `netserver serve` under a SetPassword storm is killed with
//! SIGKILL at a random moment and started again on the same store, several times per
//! backend. After each restart every associate logs in with exactly one of the passwords
//! ever sent to it, and that one is its last acknowledged password or the one that was in
//! flight after it; every acknowledged change has its audit record (by operation id) and
//! the success records of each associate number exactly the changes that were applied.
//!
//! Design: 8 clients each own 2 associates and set their passwords in turn, one request
//! at a time, so each associate has at most one change in flight when the server dies and
//! "sent after the last acknowledged one" means exactly that change. Passwords are unique
//! and known, so a log-in says which change is in force. The kill delays and passwords come
//! from a seed, printed first: `NETSERVER_CRASH_SEED=<seed>` replays a run's choices (the
//! machine's timing still varies).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use store::testdb::TestDb;

use crate::helpers::{set_password_body, Answer, Node, NS, SOAP11};
use crate::support::{err, out, Env};

const CLIENTS: usize = 8;
const PER_CLIENT: usize = 2;
const KILLS: usize = 8;
/// A kill lands this long after the storm starts, drawn uniformly.
const KILL_AFTER_MS: std::ops::Range<u64> = 20..1_500;
const ADMIN_PASSWORD: &str = "Crash-Admin-Pw-7391";
/// Cheap hashing (every log-in check is a hash), no lockout or log-in rate limit (the
/// checks try many wrong passwords from one address), audit records kept forever.
const CONFIG: &str = "[kdf]\nmemory_kib = 8\niterations = 1\nworkers = 2\n\
    [lockout]\nthreshold = 0\nlogin_attempts_per_minute_per_address = 0\n\
    [audit]\nretention_days = 0\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_nine_during_a_set_password_storm_loses_nothing_acknowledged() {
    let env = Env::with_config(CONFIG);
    storm_and_kill("sqlite", &env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill_nine_during_a_set_password_storm_loses_nothing_acknowledged() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let mut env = Env::with_config(CONFIG);
    env.database = Some(db.url.clone());
    storm_and_kill("postgres", &env).await;
}

/// What the test knows of one associate's passwords.
struct Target {
    id: i32,
    name: String,
    /// Every password applied so far, in order (the first one from `user add`), then the
    /// ones sent in the running round. After a round's check the list ends at the one in
    /// force, so `len() - 1` is the number of changes applied since the associate was made.
    passwords: Vec<String>,
    /// The index in `passwords` of the one in force at the last check.
    current: usize,
    /// The index of the last acknowledged password of this round (`current` if none).
    acked: usize,
    /// Sent but never applied (in flight at a kill that came first): never logs in.
    dead: Vec<String>,
    /// The operation ids of every acknowledged change.
    acked_ops: Vec<String>,
}

/// What one round's kill found, for the printed summary.
#[derive(Default)]
struct Round {
    acknowledged: usize,
    in_flight: usize,
    applied_unanswered: usize,
}

async fn storm_and_kill(backend: &str, env: &Env) {
    let seed = seed();
    println!("crash {backend}: seed {seed} (replay with NETSERVER_CRASH_SEED={seed})");
    let mut rng = SplitMix(seed);
    let tag = rng.next() as u32;
    add(
        env,
        "crashadmin",
        ADMIN_PASSWORD,
        &["--rights", "admin-users"],
    );
    let mut targets: Vec<Target> = (0..CLIENTS * PER_CLIENT)
        .map(|i| {
            let name = format!("storm{i:02}");
            let first = password(tag, i, 0);
            let id = add(env, &name, &first, &[]);
            Target {
                id,
                name,
                passwords: vec![first],
                current: 0,
                acked: 0,
                dead: Vec::new(),
                acked_ops: Vec::new(),
            }
        })
        .collect();

    let started = Instant::now();
    let mut serving = Serving::start(env);
    for kill in 1..=KILLS {
        let Serving { process, node } = serving;
        let after = Duration::from_millis(
            KILL_AFTER_MS.start + rng.next() % (KILL_AFTER_MS.end - KILL_AFTER_MS.start),
        );
        let ticket = node
            .login("crashadmin", ADMIN_PASSWORD)
            .await
            .expect("the administrator logs in");
        let killer = async {
            tokio::time::sleep(after).await;
            process.kill()
        };
        let (status, ()) = tokio::join!(killer, storm(&node, &ticket, tag, &mut targets));
        assert_eq!(
            status.signal(),
            Some(9),
            "the server died of SIGKILL: {status:?}"
        );
        serving = Serving::start(env);
        let round = check_round(&serving.node, &mut targets).await;
        check_audit(env, &targets);
        println!(
            "crash {backend}: kill {kill} at {} ms: {} acknowledged, {} in flight ({} applied \
             though unanswered, {} not applied); after restart every associate logs in with \
             exactly its expected password and the audit trail matches",
            after.as_millis(),
            round.acknowledged,
            round.in_flight,
            round.applied_unanswered,
            round.in_flight - round.applied_unanswered,
        );
    }
    check_history(&serving.node, &targets).await;
    println!(
        "crash {backend}: {KILLS} kills in {} s; no older or unsent password logs in",
        started.elapsed().as_secs()
    );
}

/// The seed from `NETSERVER_CRASH_SEED`, else a new one from the clock.
fn seed() -> u64 {
    match std::env::var("NETSERVER_CRASH_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("NETSERVER_CRASH_SEED={s} is not a number")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    }
}

/// splitmix64: a small, good-enough generator that replays from its seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The `n`th password of associate `i`: unique in the run, and nothing the policy refuses.
fn password(tag: u32, i: usize, n: usize) -> String {
    format!("Kv{tag:08x}-{i:02}-{n:05}q")
}

/// `user add NAME` with `password`; the new associate's id.
fn add(env: &Env, name: &str, password: &str, extra: &[&str]) -> i32 {
    let mut args = vec!["user", "add", name, "--password-stdin"];
    args.extend_from_slice(extra);
    let o = env.run(&args, &format!("{password}\n"));
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    text.rsplit("with id ")
        .next()
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in: {text}"))
}

/// A `serve` process on the store and the client that reaches it.
struct Serving {
    process: Process,
    node: Node,
}

/// A child process, killed with SIGKILL when dropped (also when a test fails).
struct Process(Option<Child>);

impl Serving {
    fn start(env: &Env) -> Serving {
        let mut child = env
            .cmd()
            .env("NETSERVER_LOG", "warn")
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let process = Process(Some(child));
        let mut reader = BufReader::new(stdout);
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "serve exited before listening: {lines:?}"
            );
            if let Some(url) = line.trim_end().strip_prefix("netserver listening on ") {
                return Serving {
                    process,
                    node: Node::new(url.to_owned()),
                };
            }
            lines.push(line.trim_end().to_owned());
        }
    }
}

impl Process {
    /// `kill -9`, then the exit status.
    fn kill(mut self) -> ExitStatus {
        let mut child = self.0.take().expect("a running process");
        child.kill().unwrap();
        child.wait().unwrap()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How a SetPassword request ended for the client.
enum Sent {
    /// A whole answer saying it succeeded, with its operation id.
    Acknowledged(String),
    /// No whole answer: the server died first. The change may or may not be applied.
    Unknown,
}

/// The 8 clients, each setting its associates' passwords in turn until the server dies.
async fn storm(node: &Node, ticket: &str, tag: u32, targets: &mut [Target]) {
    let clients = targets
        .chunks_mut(PER_CLIENT)
        .enumerate()
        .map(|(c, owned)| client(node, ticket, tag, c, owned));
    futures_join_all(clients).await;
}

async fn client(node: &Node, ticket: &str, tag: u32, c: usize, owned: &mut [Target]) {
    for turn in 0.. {
        let slot = turn % owned.len();
        let t = &mut owned[slot];
        let n = t.passwords.len();
        let pw = password(tag, c * PER_CLIENT + slot, n + t.dead.len());
        t.passwords.push(pw.clone());
        match send(node, ticket, t.id, &pw).await {
            Sent::Acknowledged(op) => {
                t.acked = n;
                t.acked_ops.push(op);
            }
            Sent::Unknown => return,
        }
    }
}

async fn send(node: &Node, ticket: &str, id: i32, pw: &str) -> Sent {
    let action = format!("\"{NS}/User/SetPassword\"");
    let body = crate::helpers::envelope(
        SOAP11,
        Some(ticket),
        &set_password_body(&id.to_string(), pw),
    );
    let sent = node
        .http
        .post(node.url("/Remote/Services88/User.svc"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", action)
        .body(body)
        .send()
        .await;
    let Ok(resp) = sent else {
        return Sent::Unknown;
    };
    let status = resp.status().as_u16();
    let op = resp
        .headers()
        .get("x-operation-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Ok(body) = resp.text().await else {
        return Sent::Unknown;
    };
    let reply = crate::helpers::Reply {
        status,
        content_type: String::new(),
        body,
    };
    // A whole answer must be a success: nothing else refuses these requests.
    Answer::read(&reply).assert_success();
    Sent::Acknowledged(op.expect("an X-Operation-Id header"))
}

/// Tries every password this round may have left in force; exactly one logs in, and it
/// is the last acknowledged one or the one in flight after it.
async fn check_round(node: &Node, targets: &mut [Target]) -> Round {
    let mut round = Round::default();
    let found = futures_join_all(targets.iter().map(|t| async move {
        let candidates = &t.passwords[t.current..];
        let mut logged_in = Vec::new();
        for (k, pw) in candidates.iter().enumerate() {
            if node.login(&t.name, pw).await.is_some() {
                logged_in.push(t.current + k);
            }
        }
        logged_in
    }))
    .await;
    for (t, logged_in) in targets.iter_mut().zip(found) {
        let last = t.passwords.len() - 1;
        assert!(
            last <= t.acked + 1,
            "{}: more than one change in flight",
            t.name
        );
        assert_eq!(
            logged_in.len(),
            1,
            "{}: of passwords {}..={} (last acknowledged {}), these log in: {logged_in:?}",
            t.name,
            t.current,
            last,
            t.acked
        );
        let now = logged_in[0];
        assert!(
            now == t.acked || now == t.acked + 1,
            "{}: password {now} is in force, but {} was acknowledged last",
            t.name,
            t.acked
        );
        round.acknowledged += t.acked - t.current;
        if last > t.acked {
            round.in_flight += 1;
            if now == last {
                round.applied_unanswered += 1;
            } else {
                t.dead.push(t.passwords.pop().unwrap());
            }
        }
        t.current = now;
        t.acked = now;
    }
    round
}

/// The audit trail against what the log-ins showed: for each associate, one success
/// record of SetPassword per applied change, one of them for each acknowledged operation
/// id, and no failure records.
fn check_audit(env: &Env, targets: &[Target]) {
    let o = env.run(&["audit", "--json", "--limit", "10000000"], "");
    assert!(o.status.success(), "{}", err(&o));
    let mut by_target: HashMap<i32, Vec<String>> = HashMap::new();
    for line in out(&o).lines() {
        if field(line, "operation").as_deref() != Some("SetPassword") {
            continue;
        }
        assert_eq!(
            field(line, "outcome").as_deref(),
            Some("success"),
            "a refused SetPassword: {line}"
        );
        let target: i32 = field(line, "target").unwrap().parse().unwrap();
        let op = field(line, "operation_id").expect("an operation id");
        by_target.entry(target).or_default().push(op);
    }
    for t in targets {
        let ops = by_target.remove(&t.id).unwrap_or_default();
        let unique: HashSet<&String> = ops.iter().collect();
        assert_eq!(unique.len(), ops.len(), "{}: an operation id twice", t.name);
        assert_eq!(
            ops.len(),
            t.current,
            "{}: {} changes applied, {} audit records claim one",
            t.name,
            t.current,
            ops.len()
        );
        for op in &t.acked_ops {
            assert!(
                unique.contains(op),
                "{}: acknowledged {op} has no audit record",
                t.name
            );
        }
    }
    assert!(
        by_target.is_empty(),
        "records for unknown targets: {by_target:?}"
    );
}

/// The value of `"key":` in one JSON line of `audit --json` (a string or a number).
fn field(line: &str, key: &str) -> Option<String> {
    let at = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &line[at..];
    if let Some(s) = rest.strip_prefix('"') {
        return s.find('"').map(|end| s[..end].to_owned());
    }
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    let value = &rest[..end];
    (value != "null").then(|| value.to_owned())
}

/// Once at the end: of every password ever sent to an associate, only the one in force
/// logs in.
async fn check_history(node: &Node, targets: &[Target]) {
    futures_join_all(targets.iter().map(|t| async move {
        for (k, pw) in t.passwords.iter().enumerate() {
            let logs_in = node.login(&t.name, pw).await.is_some();
            assert_eq!(logs_in, k == t.current, "{}: password {k}", t.name);
        }
        for pw in &t.dead {
            assert!(
                node.login(&t.name, pw).await.is_none(),
                "{}: a dead password",
                t.name
            );
        }
    }))
    .await;
}

/// Runs the futures concurrently on this task and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in set.iter_mut().zip(outputs.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}
