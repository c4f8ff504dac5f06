//! The hashing queue's two lanes over HTTP: one hashing thread, the real Argon2id
//! parameters and a bound shorter than one hash, so that each lane admits a job only when
//! none of its own is ahead. Clients are told apart by `X-Forwarded-For` from a trusted
//! proxy (the test's own address). A flood of failing log-ins from one address fills the
//! normal lane and is refused as busy, while a user whose address logged in before is
//! admitted every time; and the priority lane's own bound still refuses its excess.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use accounts::Right;
use server::{ServerConfig, TrustedProxies};

use crate::busy::{add, spawn_one_thread_tiny_queue, Busy};
use crate::helpers::*;

const PW: &str = "Legit-Orchid-Password-1";
const ATTACKER: &str = "203.0.113.66";
const USER: &str = "198.51.100.7";

/// The busy tests' server, behind a trusted proxy at 127.0.0.1, with one administrator.
async fn spawn() -> Busy {
    let config = ServerConfig {
        trusted_proxies: TrustedProxies::parse(&["127.0.0.1"]).unwrap(),
        ..ServerConfig::default()
    };
    let busy = spawn_one_thread_tiny_queue(config).await;
    add(&busy, "alma", &[Right::AdminAll], PW).await;
    busy
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Succeeded,
    Failed,
    Busy,
}

/// A log-in from `client` (as the trusted proxy forwards it).
async fn login(node: &Node, client: &str, name: &str, pw: &str) -> Outcome {
    let action = format!("\"{NS}/SoPrincipal/AuthenticateUsernamePassword\"");
    let headers = [
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", action.as_str()),
        ("X-Forwarded-For", client),
    ];
    let reply = node
        .post(
            "/Remote/Services88/SoPrincipal.svc",
            &headers,
            envelope(SOAP11, None, &auth_body(name, pw)),
        )
        .await;
    let answer = Answer::read(&reply);
    match answer.exception_type.as_deref() {
        Some("SoTooManyAttemptsException") if answer.body.contains("server_busy") => Outcome::Busy,
        Some(other) => panic!("unexpected exception {other}: {}", answer.body),
        None if answer.body.contains("<AuthenticationSucceeded>true<") => Outcome::Succeeded,
        None if answer.body.contains("<AuthenticationSucceeded>false<") => Outcome::Failed,
        None => panic!("no log-in answer: {}", answer.body),
    }
}

/// Failing log-ins from the attacker's address over `connections` connections, each
/// sending the next as soon as the last is answered, until `stop`.
struct Flood {
    stop: Arc<AtomicBool>,
    busy: Arc<AtomicUsize>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

fn flood(base: &str, connections: usize) -> Flood {
    let stop = Arc::new(AtomicBool::new(false));
    let busy = Arc::new(AtomicUsize::new(0));
    let tasks = (0..connections)
        .map(|c| {
            let (stop, busy) = (stop.clone(), busy.clone());
            let node = Node::new(base.to_owned());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let name = format!("guess-{c}-{n}");
                    match login(&node, ATTACKER, &name, "Wrong-Password-9").await {
                        Outcome::Busy => {
                            busy.fetch_add(1, Ordering::SeqCst);
                        }
                        Outcome::Failed => {}
                        Outcome::Succeeded => panic!("a guess succeeded"),
                    }
                }
            })
        })
        .collect();
    Flood { stop, busy, tasks }
}

impl Flood {
    /// Waits (up to a generous minute) until `more` further flood log-ins were refused.
    async fn refused(&self, more: usize) {
        let target = self.busy.load(Ordering::SeqCst) + more;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while self.busy.load(Ordering::SeqCst) < target {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the flood is not being refused"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn end(self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            t.await.unwrap();
        }
    }
}

#[tokio::test]
async fn a_known_users_log_in_is_admitted_while_a_flood_of_failures_is_refused() {
    let l = spawn().await;
    // The user's address logged in before: it is in good standing.
    assert_eq!(login(&l.node, USER, "alma", PW).await, Outcome::Succeeded);
    let f = flood(&l.node.base, 16);
    for _ in 0..5 {
        f.refused(3).await;
        assert_eq!(
            login(&l.node, USER, "alma", PW).await,
            Outcome::Succeeded,
            "refused while the flood ran"
        );
    }
    f.refused(3).await;
    f.end().await;
}

#[tokio::test]
async fn the_priority_lane_refuses_its_own_excess_as_busy() {
    let l = spawn().await;
    let addresses: Vec<String> = (1..=4).map(|n| format!("198.51.100.{n}")).collect();
    for a in &addresses {
        assert_eq!(login(&l.node, a, "alma", PW).await, Outcome::Succeeded);
    }
    // Four log-ins at once from each address in good standing: all in the priority lane,
    // which admits one only when no other priority log-in is ahead of it.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let node = Node::new(l.node.base.clone());
            let client = addresses[i % addresses.len()].clone();
            tokio::spawn(async move { login(&node, &client, "alma", PW).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    let busy = outcomes.iter().filter(|o| **o == Outcome::Busy).count();
    let ok = outcomes
        .iter()
        .filter(|o| **o == Outcome::Succeeded)
        .count();
    assert_eq!(busy + ok, 16, "{outcomes:?}");
    assert!(busy >= 8, "{outcomes:?}");
    assert!(ok >= 1, "{outcomes:?}");
    // After the burst, the lane is free again.
    assert_eq!(
        login(&l.node, &addresses[0], "alma", PW).await,
        Outcome::Succeeded
    );
}
