//! The sweeper over real HTTP: tickets issued in the past (the domain called with the
//! time passed in) are gone after one sweep at a given `now`, so that they answer as
//! unknown rather than expired, while a live ticket keeps working; and `serve` sweeps at
//! start, logging the count and never a ticket.

use std::process::Stdio;
use std::time::{Duration, Instant};

use accounts::{Accounts, CallContext, KdfParams, Secret, Settings, Timestamp};
use netserver::wiring;

use crate::helpers::*;
use crate::support::{err, serve_to, Env};

const BOB_PW: &str = "osprey-lantern-42";

fn at(now: Timestamp) -> CallContext {
    CallContext {
        tenant: accounts::DEFAULT_TENANT,
        credentials: None,
        app_token: None,
        client: None,
        now,
        operation_id: format!("sweeper-test-{}", now.0),
    }
}

/// A ticket for `name`, issued by the domain at `when`.
async fn ticket_at(accounts: &Accounts, name: &str, password: &str, when: Timestamp) -> String {
    accounts
        .authenticate(name, &Secret::new(password), &at(when))
        .await
        .unwrap()
        .expect("the log-in succeeds")
        .ticket
        .expose()
        .to_owned()
}

/// Seven hours ago: beyond the default six-hour ticket lifetime.
fn long_ago() -> Timestamp {
    Timestamp(Timestamp::now().0 - 7 * 3_600)
}

#[tokio::test]
async fn one_sweep_deletes_expired_tickets_and_a_live_ticket_still_works() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], BOB_PW).await.to_string();
    let past = long_ago();
    let stale = [
        ticket_at(&app.accounts, "admin", ADMIN_PASSWORD, past).await,
        ticket_at(&app.accounts, "bob", BOB_PW, past).await,
        ticket_at(&app.accounts, "bob", BOB_PW, Timestamp(past.0 + 60)).await,
    ];
    let live = app.admin_ticket().await;
    // Before the sweep the store still knows them: expired, not unknown.
    for t in &stale {
        app.set_password(Some(t), &bob, "never-applied-1")
            .await
            .assert_exception("SoTicketExpiredException");
    }

    // Batches of one row, so that the sweep has to loop to find them all.
    let now = Timestamp::now();
    let swept = wiring::sweep(&*app.store, 0, now, 1).await;
    assert_eq!(
        swept.tickets.unwrap(),
        3,
        "exactly the three expired tickets"
    );
    assert_eq!(swept.audit.unwrap(), 0, "retention 0 keeps the audit trail");

    for t in &stale {
        app.set_password(Some(t), &bob, "never-applied-2")
            .await
            .assert_exception("SoInvalidTicketException");
    }
    app.set_password(Some(&live), &bob, "kingfisher-meadow-9")
        .await
        .assert_success();
    assert!(app.login("bob", "kingfisher-meadow-9").await.is_some());
    let again = wiring::sweep(&*app.store, 0, now, wiring::SWEEP_BATCH).await;
    assert_eq!(again.tickets.unwrap(), 0, "nothing left to sweep");
    // The live ticket survived the second sweep too.
    app.set_password(Some(&live), &bob, "heron-estuary-31")
        .await
        .assert_success();
}

#[tokio::test]
async fn a_ticket_expiring_after_now_is_kept_until_a_later_sweep() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], BOB_PW).await.to_string();
    let issued = Timestamp::now();
    let ticket = ticket_at(&app.accounts, "admin", ADMIN_PASSWORD, issued).await;
    let ttl = i64::try_from(Settings::default().ticket_ttl.as_secs()).unwrap();

    let before_expiry = Timestamp(issued.0 + ttl - 1);
    let kept = wiring::sweep_tickets(&*app.store, before_expiry, 10).await;
    assert_eq!(kept.unwrap(), 0);
    app.set_password(Some(&ticket), &bob, "plover-harbour-12")
        .await
        .assert_success();

    // The use just now slid its expiry to a fresh lifetime from the clock's time; a
    // sweep past that deletes it.
    let after_expiry = Timestamp(Timestamp::now().0 + ttl + 1);
    let gone = wiring::sweep_tickets(&*app.store, after_expiry, 10).await;
    assert_eq!(gone.unwrap(), 1);
    app.set_password(Some(&ticket), &bob, "never-applied-3")
        .await
        .assert_exception("SoInvalidTicketException");
}

#[tokio::test]
async fn serve_sweeps_at_start_and_logs_the_count_without_tickets() {
    let env = Env::new();
    let add = env.run(
        &[
            "user",
            "add",
            "admin",
            "--rights",
            "admin-all",
            "--password-stdin",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert!(add.status.success(), "{}", err(&add));
    let stale = {
        let url = format!("sqlite://{}", env.db().display());
        let store = wiring::open_store(&url, &Default::default()).await.unwrap();
        let accounts = wiring::domain(
            store,
            KdfParams::insecure_for_tests(),
            1,
            Settings::default(),
        )
        .unwrap();
        let past = long_ago();
        [
            ticket_at(&accounts, "admin", ADMIN_PASSWORD, past).await,
            ticket_at(&accounts, "admin", ADMIN_PASSWORD, Timestamp(past.0 + 1)).await,
        ]
    };

    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, _) = serve_to(&env, Stdio::from(log), "info");
    let node = Node::new(url);
    // The first sweep runs as the server starts; allow it a generous moment.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = node
            .set_password(Some(&stale[0]), "1", "never-applied-4")
            .await;
        if answer.exception_type.as_deref() == Some("SoInvalidTicketException") {
            break;
        }
        answer.assert_exception("SoTicketExpiredException");
        assert!(Instant::now() < deadline, "no sweep at start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    node.set_password(Some(&stale[1]), "1", "never-applied-5")
        .await
        .assert_exception("SoInvalidTicketException");
    let live = node.admin_ticket().await;
    node.set_password(Some(&live), "1", "sandpiper-dune-77")
        .await
        .assert_success();
    drop(server);

    let log = std::fs::read_to_string(&log_path).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("expired tickets swept"))
        .unwrap_or_else(|| panic!("no sweep line: {log}"));
    assert!(line.contains("deleted=2"), "{line}");
    for t in stale.iter().chain([&live]) {
        let id = t.trim_start_matches("7T:");
        assert!(!log.contains(id), "a ticket reached the log: {log}");
    }
}
