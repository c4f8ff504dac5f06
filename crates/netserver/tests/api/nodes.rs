//! Scale-out: several real `netserver serve` processes on one PostgreSQL database behave
//! as one server. Tickets, passwords, revocations and soft locks are visible on every
//! node at once, because every node asks the database and keeps no copy of its own.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use accounts::DEFAULT_TENANT;
use store::conformance::AuditTrail;
use store::testdb::TestDb;

use crate::helpers::*;
use crate::support::{bootstrap_password, change_admin_password, err, Env, Server};

/// A `serve` process and the HTTP client that reaches it.
struct Proc {
    _server: Server,
    node: Node,
    /// What it printed before it listened (the bootstrap lines, if any).
    lines: Vec<String>,
}

fn spawn_serve(env: &Env) -> Child {
    env.cmd()
        .env("NETSERVER_LOG", "warn")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Reads a started `serve`'s first lines until it says where it listens.
fn listening(mut child: Child) -> Proc {
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve exited: {lines:?}"
        );
        let line = line.trim_end().to_owned();
        if let Some(url) = line.strip_prefix("netserver listening on ") {
            return Proc {
                _server: server,
                node: Node::new(url.to_owned()),
                lines,
            };
        }
        lines.push(line);
    }
}

/// The bootstrap administrator's password, if this process made the administrator
/// (from the file it names: standard output is not a terminal here).
fn admin_password(env: &Env, p: &Proc) -> Option<String> {
    p.lines
        .iter()
        .any(|l| l.starts_with("Created associate"))
        .then(|| bootstrap_password(&env.password_file(), &p.lines))
}

/// Two nodes on a fresh database (the first makes the administrator), with `config`.
async fn two_nodes(config: &str) -> Option<(TestDb, Env, Proc, Proc, String)> {
    let db = TestDb::create().await?;
    let mut env = Env::with_config(config);
    env.database = Some(db.url.clone());
    let a = listening(spawn_serve(&env));
    let b = listening(spawn_serve(&env));
    let first = admin_password(&env, &a).expect("node A made the administrator");
    assert_eq!(admin_password(&env, &b), None, "{:?}", b.lines);
    let password = change_admin_password(&env, &a.node.base, &first, &[]);
    Some((db, env, a, b, password))
}

const CHEAP: &str = "[kdf]\nmemory_kib = 8\niterations = 1\n";

fn add_user(env: &Env, name: &str, password: &str) -> i32 {
    let o = env.run(
        &["user", "add", name, "--password-stdin"],
        &format!("{password}\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    text.rsplit("with id ")
        .next()
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_passwords_and_revocations_are_shared_at_once() {
    let Some((_db, env, a, b, admin_pw)) = two_nodes(CHEAP).await else {
        return;
    };
    let bob = add_user(&env, "bob", "first-Secret-71");

    let admin_on_a = a
        .node
        .login("admin", &admin_pw)
        .await
        .expect("admin logs in on A");
    let bob_on_a = a
        .node
        .login("bob", "first-Secret-71")
        .await
        .expect("bob logs in on A");
    // Bob's ticket from A is a valid ticket on B (he lacks the right, so: access denied).
    b.node
        .set_password(Some(&bob_on_a), &bob.to_string(), "other-Secret-11")
        .await
        .assert_exception("SoAccessDeniedException");

    // The administrator's ticket from A works on B; the password set there …
    b.node
        .set_password(Some(&admin_on_a), &bob.to_string(), "second-Secret-82")
        .await
        .assert_success();
    // … logs in on A at once, the old one does not, and the tickets it revoked are
    // refused on both nodes at once.
    assert!(a.node.login("bob", "second-Secret-82").await.is_some());
    assert!(a.node.login("bob", "first-Secret-71").await.is_none());
    for node in [&a.node, &b.node] {
        node.set_password(Some(&bob_on_a), &bob.to_string(), "other-Secret-11")
            .await
            .assert_exception("SoInvalidTicketException");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_set_password_on_two_nodes_leaves_one_password_and_two_audit_records() {
    let Some((db, env, a, b, admin_pw)) = two_nodes(CHEAP).await else {
        return;
    };
    let bob = add_user(&env, "bob", "first-Secret-71");
    let on_a = a.node.login("admin", &admin_pw).await.unwrap();
    let on_b = b.node.login("admin", &admin_pw).await.unwrap();
    let id = bob.to_string();
    const ROUNDS: usize = 6;
    for round in 0..ROUNDS {
        let (pw_a, pw_b) = (
            format!("alpha-Secret-{round}a"),
            format!("beta-Secret-{round}b"),
        );
        let (ra, rb) = tokio::join!(
            a.node.set_password(Some(&on_a), &id, &pw_a),
            b.node.set_password(Some(&on_b), &id, &pw_b),
        );
        ra.assert_success();
        rb.assert_success();
        let valid_a = b.node.login("bob", &pw_a).await.is_some();
        let valid_b = a.node.login("bob", &pw_b).await.is_some();
        assert!(
            valid_a != valid_b,
            "round {round}: A's valid {valid_a}, B's valid {valid_b}"
        );
    }
    let store = store::open(&db.url).await.unwrap();
    let changes = store
        .recent_audit(DEFAULT_TENANT, 1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.operation == "SetPassword" && e.target == Some(bob))
        .count();
    assert_eq!(changes, 2 * ROUNDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soft_lock_counts_failures_from_every_node() {
    let config = format!("{CHEAP}[lockout]\nthreshold = 3\nwindow_seconds = 600\n");
    let Some((_db, env, a, b, _)) = two_nodes(&config).await else {
        return;
    };
    add_user(&env, "bob", "first-Secret-71");
    add_user(&env, "carol", "first-Secret-72");

    // Two failures, one per node, stay under the threshold of three …
    assert!(a.node.login("carol", "wrong-Secret-00").await.is_none());
    assert!(b.node.login("carol", "wrong-Secret-00").await.is_none());
    assert!(a.node.login("carol", "first-Secret-72").await.is_some());
    // … three, spread over both nodes, lock on both.
    assert!(a.node.login("bob", "wrong-Secret-00").await.is_none());
    assert!(b.node.login("bob", "wrong-Secret-00").await.is_none());
    assert!(a.node.login("bob", "wrong-Secret-00").await.is_none());
    assert!(b.node.login("bob", "first-Secret-71").await.is_none());
    assert!(a.node.login("bob", "first-Secret-71").await.is_none());
    let store = store::open(&_db.url).await.unwrap();
    let bob = store
        .associate_by_name(DEFAULT_TENANT, "bob")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bob.lock.failed_logins, 3);
    assert!(bob.lock.locked_until.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_started_at_once_on_an_empty_database_make_one_administrator() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let mut env = Env::with_config(CHEAP);
    env.database = Some(db.url.clone());
    let children: Vec<Child> = (0..3).map(|_| spawn_serve(&env)).collect();
    let procs: Vec<Proc> = children.into_iter().map(listening).collect();
    let passwords: Vec<String> = procs
        .iter()
        .filter_map(|p| admin_password(&env, p))
        .collect();
    assert_eq!(
        passwords.len(),
        1,
        "{:?}",
        procs.iter().map(|p| &p.lines).collect::<Vec<_>>()
    );
    for p in &procs {
        assert!(p.node.login("admin", &passwords[0]).await.is_some());
    }
    let store = store::open(&db.url).await.unwrap();
    assert_eq!(store.count_associates(DEFAULT_TENANT).await.unwrap(), 1);
}
