//! Database outages on PostgreSQL, played with a [`Gate`] between the server and the
//! machine's PostgreSQL: requests fail fast with `store_unavailable`, readiness says not
//! ready, nothing is half-written, and the same server serves again once the database
//! is back, without a restart.

use std::str::FromStr;
use std::time::{Duration, Instant};

use accounts::Settings;
use server::ServerConfig;
use store::testdb::TestDb;
use store::StoreOptions;
use tokio_postgres::config::Host;

use crate::gate::{Gate, Mode};
use crate::helpers::*;

/// The store deadline these tests run with; a stalled database must answer within it.
const TIMEOUT: Duration = Duration::from_millis(1_000);

/// A server whose store reaches a fresh PostgreSQL database through a gate.
async fn app_behind_gate() -> Option<(TestDb, Gate, TestApp)> {
    let db = TestDb::create().await?;
    let config = tokio_postgres::Config::from_str(&db.url).unwrap();
    let target = pg_target(&db).await;
    let gate = Gate::open_to(target).await;
    let user = config.get_user().unwrap_or("postgres");
    let url = format!("postgres://{user}@{}/{}", gate.addr, db.name);
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_on(
        &url,
        &StoreOptions { timeout: TIMEOUT },
        ServerConfig::default(),
        Settings::default(),
        dir,
        Default::default(),
    )
    .await;
    Some((db, gate, app))
}

async fn ready_status(node: &Node) -> (u16, String) {
    let r = node
        .http
        .get(node.url("/health/ready"))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Asks until `probe` holds or 10 s pass; the pool may hold a connection or two that only
/// turn out broken on use.
async fn eventually<F, Fut>(mut probe: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if probe().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_database_fails_fast_and_the_node_recovers_without_restart() {
    let Some((_db, gate, app)) = app_behind_gate().await else {
        return;
    };
    let bob = app.add_user("bob", &[], "first-Secret-71").await;
    let ticket = app.admin_ticket().await;
    assert_eq!(ready_status(&app).await.0, 200);

    gate.set(Mode::Closed);
    let started = Instant::now();
    let answer = app
        .set_password(Some(&ticket), &bob.to_string(), "second-Secret-82")
        .await;
    answer.assert_exception("SoStoreUnavailableException");
    assert!(answer.body.contains("store_unavailable"), "{}", answer.body);
    assert!(
        !answer.body.contains(&gate.addr.to_string()),
        "{}",
        answer.body
    );
    assert!(started.elapsed() < TIMEOUT * 3, "{:?}", started.elapsed());
    let (status, body) = ready_status(&app).await;
    assert_eq!(
        (status, body.as_str()),
        (
            503,
            "{\"status\":\"not ready\",\"reason\":\"store unavailable\"}"
        )
    );
    let live = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(
        live.status().as_u16(),
        200,
        "liveness does not depend on the store"
    );
    let login = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("bob", "first-Secret-71"),
            None,
        )
        .await;
    Answer::read(&login).assert_exception_nil("SoStoreUnavailableException");

    gate.set(Mode::Open);
    assert!(eventually(|| async { ready_status(&app).await.0 == 200 }).await);
    // The change refused during the outage was not written: the first password still works.
    assert!(app.login("bob", "first-Secret-71").await.is_some());
    assert!(app.login("bob", "second-Secret-82").await.is_none());
    app.set_password(Some(&ticket), &bob.to_string(), "second-Secret-82")
        .await
        .assert_success();
    assert!(app.login("bob", "second-Secret-82").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_database_answers_within_the_store_timeout() {
    let Some((_db, gate, app)) = app_behind_gate().await else {
        return;
    };
    let ticket = app.admin_ticket().await;

    gate.set(Mode::Stalled);
    let started = Instant::now();
    let answer = app
        .set_password(Some(&ticket), &app.admin_id.to_string(), "new-Secret-93")
        .await;
    let took = started.elapsed();
    answer.assert_exception("SoStoreUnavailableException");
    assert!(
        took >= TIMEOUT && took < TIMEOUT * 3,
        "answered after {took:?}"
    );
    let started = Instant::now();
    assert_eq!(ready_status(&app).await.0, 503);
    assert!(started.elapsed() < TIMEOUT * 3);

    // Connections abandoned mid-statement are not reused: once the network is back, the
    // node answers from fresh ones.
    gate.set(Mode::Open);
    assert!(eventually(|| async { ready_status(&app).await.0 == 200 }).await);
    app.set_password(Some(&ticket), &app.admin_id.to_string(), "new-Secret-93")
        .await
        .assert_success();
    gate.set(Mode::Closed);
}

/// A ticket of our shape whose `{GUID}` part is `guid`.
fn ticket_with_id(guid: &str) -> String {
    use base64::Engine;
    let raw = format!("{{{guid}}};not-the-secret-of-any-ticket");
    format!(
        "7T:{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Ticket ids are random and only ever issued once, so an id the store did not have stays
/// unknown: the node remembers it and answers it without the store, as it answers ids of a
/// form it never issues. Proven by asking while the store is unreachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ticket_ids_are_answered_without_the_store() {
    let Some((_db, gate, app)) = app_behind_gate().await else {
        return;
    };
    let id = app.admin_id.to_string();
    let seen = ticket_with_id("0B4F6A52-3C1E-4F0A-9D2B-6E8A1C5D7F90");
    app.set_password(Some(&seen), &id, "new-Secret-41")
        .await
        .assert_exception("SoInvalidTicketException");

    gate.set(Mode::Closed);
    // Known to be unknown: the same answer, with no store to ask.
    app.set_password(Some(&seen), &id, "new-Secret-41")
        .await
        .assert_exception("SoInvalidTicketException");
    // Not of the issued form (lower case): refused before any store lookup.
    let lower = ticket_with_id("0b4f6a52-3c1e-4f0a-9d2b-6e8a1c5d7f90");
    app.set_password(Some(&lower), &id, "new-Secret-41")
        .await
        .assert_exception("SoInvalidTicketException");
    // An id never asked for needs the store, which is down.
    let fresh = ticket_with_id("9C2D4E6F-1A3B-4C5D-8E9F-0A1B2C3D4E5F");
    app.set_password(Some(&fresh), &id, "new-Secret-41")
        .await
        .assert_exception("SoStoreUnavailableException");

    // A real ticket is always read from the store: once it is back, it works, and its
    // revocation (by the password change below) is seen at once.
    gate.set(Mode::Open);
    assert!(eventually(|| async { ready_status(&app).await.0 == 200 }).await);
    let admin = app.admin_ticket().await;
    app.set_password(Some(&admin), &id, "new-Secret-41")
        .await
        .assert_success();
    // A change keeps the ticket it was made with and revokes its owner's others: the
    // change made with a second log-in's ticket revokes the first ticket at once.
    let second = app.login("admin", "new-Secret-41").await.unwrap();
    app.set_password(Some(&second), &id, "new-Secret-52")
        .await
        .assert_success();
    app.set_password(Some(&admin), &id, "new-Secret-63")
        .await
        .assert_exception("SoInvalidTicketException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_mode_answers_an_outage_with_a_server_fault() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let gate = Gate::open_to(pg_target(&db).await).await;
    let url = format!("postgres://postgres@{}/{}", gate.addr, db.name); // trust auth
    let config = ServerConfig {
        faults: true,
        ..ServerConfig::default()
    };
    let app = spawn_app_on(
        &url,
        &StoreOptions { timeout: TIMEOUT },
        config,
        Settings::default(),
        tempfile::tempdir().unwrap(),
        Default::default(),
    )
    .await;
    let ticket = app.admin_ticket().await;
    gate.set(Mode::Closed);
    let reply = app
        .soap12(
            "User",
            "SetPassword",
            &set_password_body("1", "whatever-pw-1"),
            Some(&ticket),
        )
        .await;
    let answer = Answer::read(&reply);
    assert_eq!(answer.status, 500, "{}", answer.body);
    assert!(
        answer.body.contains("SoStoreUnavailableException"),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("Receiver"),
        "a server-side fault: {}",
        answer.body
    );
}

async fn pg_target(db: &TestDb) -> std::net::SocketAddr {
    let config = tokio_postgres::Config::from_str(&db.url).unwrap();
    let host = match &config.get_hosts()[0] {
        Host::Tcp(h) => h.clone(),
        _ => panic!("the PostgreSQL tests need a TCP host"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let mut found = tokio::net::lookup_host(format!("{host}:{port}"))
        .await
        .unwrap();
    found.next().unwrap()
}
