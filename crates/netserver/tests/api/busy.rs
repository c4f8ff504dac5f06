//! The bounded hashing queue: with one hashing thread and a bound shorter than one hash, a
//! flood of log-ins (or password changes) is answered `SoTooManyAttemptsException`
//! (`server_busy`) without waiting its turn, and a normal log-in after it still succeeds.
//! The real Argon2id parameters, so that a hash takes long enough for the flood to queue.

use std::time::Duration;

use accounts::{KdfParams, NewUser, Right, Secret, Settings, Timestamp, UserType};
use netserver::wiring;
use server::ServerConfig;
use store::StoreOptions;

use crate::helpers::*;

const FLOOD: usize = 16;

pub(crate) struct Busy {
    pub(crate) node: Node,
    accounts: accounts::Accounts,
    _dir: tempfile::TempDir,
}

/// One hashing thread with real Argon2id parameters; work that would wait at all behind
/// a hash is refused.
pub(crate) async fn spawn_one_thread_tiny_queue(config: ServerConfig) -> Busy {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("busy.db").display());
    let store = wiring::open_store(&url, &StoreOptions::default())
        .await
        .unwrap();
    let settings = Settings {
        hash_queue_max_wait: Duration::from_millis(1),
        login_rate_per_minute: 0,
        ..Settings::default()
    };
    let accounts = wiring::domain(store, KdfParams::default(), 1, settings).unwrap();
    let running = wiring::start("127.0.0.1:0", accounts.clone(), config)
        .await
        .unwrap();
    Busy {
        node: Node::new(format!("http://{}", running.addr)),
        accounts,
        _dir: dir,
    }
}

pub(crate) async fn add(b: &Busy, name: &str, rights: &[Right], password: &str) -> i32 {
    let user = NewUser {
        name: name.into(),
        full_name: String::new(),
        user_type: UserType::Internal,
        rights: rights.to_vec(),
        password: Some(Secret::new(password)),
        must_change: false,
    };
    b.accounts
        .add_user(accounts::DEFAULT_TENANT, user, Timestamp::now())
        .await
        .unwrap()
        .id
}

/// Sorts the answers of a flood: (refused as busy, answered otherwise).
fn tally(answers: &[Answer], ordinary: impl Fn(&Answer) -> bool) -> (usize, usize) {
    let mut busy = 0;
    for a in answers {
        if a.exception_type.as_deref() == Some("SoTooManyAttemptsException") {
            assert!(
                a.body.contains("server_busy"),
                "no specific code: {}",
                a.body
            );
            busy += 1;
        } else {
            assert!(
                ordinary(a),
                "neither busy nor an ordinary answer: {}",
                a.body
            );
        }
    }
    (busy, answers.len() - busy)
}

#[tokio::test]
async fn a_log_in_flood_is_refused_as_busy_and_a_normal_log_in_after_it_succeeds() {
    let b = spawn_one_thread_tiny_queue(ServerConfig::default()).await;
    add(&b, "alma", &[], "Legit-Orchid-Password-1").await;
    let answers = flood(&b, |node, i| async move {
        let body = auth_body(&format!("guess-{i}"), "Wrong-Password-9");
        Answer::read(
            &node
                .soap11("SoPrincipal", "AuthenticateUsernamePassword", &body, None)
                .await,
        )
    })
    .await;
    let (busy, failed) = tally(&answers, |a| {
        a.succeeded.as_deref() == Some("true")
            && a.body
                .contains("<AuthenticationSucceeded>false</AuthenticationSucceeded>")
    });
    assert!(
        busy >= FLOOD / 2,
        "{busy} of {FLOOD} refused as busy, {failed} hashed"
    );
    assert!(failed >= 1, "the first log-in finds the thread free");
    assert!(b
        .node
        .login("alma", "Legit-Orchid-Password-1")
        .await
        .is_some());
}

#[tokio::test]
async fn a_password_change_flood_is_refused_as_busy_too() {
    let b = spawn_one_thread_tiny_queue(ServerConfig::default()).await;
    add(&b, "chief", &[Right::AdminAll], "Boss-Admin-Password-1").await;
    let ids = [
        add(&b, "member1", &[], "First-Person-Password-1").await,
        add(&b, "member2", &[], "Second-Person-Password-1").await,
    ];
    let ticket = b
        .node
        .login("chief", "Boss-Admin-Password-1")
        .await
        .unwrap();
    let answers = flood(&b, |node, i| {
        let ticket = ticket.clone();
        let id = ids[i % ids.len()].to_string();
        async move {
            node.set_password(Some(&ticket), &id, &format!("Fresh-Password-{i}-x"))
                .await
        }
    })
    .await;
    let (busy, done) = tally(&answers, |a| a.succeeded.as_deref() == Some("true"));
    assert!(
        busy >= FLOOD / 2,
        "{busy} of {FLOOD} refused as busy, {done} done"
    );
    b.node
        .set_password(Some(&ticket), &ids[0].to_string(), "Calm-Password-After-1")
        .await
        .assert_success();
}

/// Runs `call(node, i)` for `i` in `0..FLOOD` at once, each on its own task and
/// connection, and collects the answers.
async fn flood<F, Fut>(b: &Busy, call: F) -> Vec<Answer>
where
    F: Fn(Node, usize) -> Fut,
    Fut: std::future::Future<Output = Answer> + Send + 'static,
{
    let tasks: Vec<_> = (0..FLOOD)
        .map(|i| tokio::spawn(call(Node::new(b.node.base.clone()), i)))
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}
