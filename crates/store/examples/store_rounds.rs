//! How fast a store answers what one SetPassword asks of it.
//!
//! ```sh
//! NETSERVER_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run -p store --example store_rounds -- postgres [ROUNDS]
//! cargo run -p store --example store_rounds -- sqlite [ROUNDS]
//! ```
//!
//! `postgres` is a throw-away database on the server of `NETSERVER_TEST_POSTGRES`,
//! `sqlite` a file in a temporary directory. A round is the store's part of a
//! SetPassword: the caller's ticket and associate, the target, and the one-transaction
//! change (new hash, history, revoked tickets, audit record). ROUNDS rounds (default
//! 1000) run from 1 task, then spread over 8 tasks on 8 associates; the rounds per second
//! of each are printed. No hashing: this is the store alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark run: a failed unwrap stops it with the cause

use std::sync::Arc;
use std::time::Instant;

use accounts::{
    AuditEvent, NewAssociate, Outcome, PasswordChange, Store, TicketRecord, Timestamp, UserType,
    DEFAULT_TENANT,
};
use store::testdb::TestDb;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$\
                    aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map_or("sqlite", String::as_str);
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let pg = if backend == "postgres" {
        Some(TestDb::create().await.expect("NETSERVER_TEST_POSTGRES"))
    } else {
        None
    };
    let url = match &pg {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let store = store::open(&url).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(setup(&store, i).await);
    }
    for tasks in [1usize, 8] {
        let started = Instant::now();
        let mut running = Vec::new();
        for &(id, ref ticket) in ids.iter().take(tasks) {
            let store = Arc::clone(&store);
            let ticket = ticket.clone();
            let n = rounds / tasks;
            running.push(tokio::spawn(async move {
                for seq in 0..n {
                    round(&store, id, &ticket, seq).await;
                }
            }));
        }
        for task in running {
            task.await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{backend}: {tasks} task(s): {rounds} rounds in {secs:.2} s = {:.0} rounds/s",
            rounds as f64 / secs
        );
    }
    drop(store);
    drop(pg);
}

async fn setup(store: &Arc<dyn Store>, i: usize) -> (i32, String) {
    let a = store
        .insert_associate(NewAssociate {
            tenant: DEFAULT_TENANT,
            name: format!("bench{i}"),
            full_name: format!("Bench {i}"),
            user_type: UserType::Internal,
            rights: vec![],
            password_hash: Some(HASH.into()),
            must_change: false,
            created_at: Timestamp(1_700_000_000),
        })
        .await
        .unwrap();
    let ticket = format!("bench-ticket-{i}");
    store
        .insert_ticket(TicketRecord {
            id: ticket.clone(),
            digest: [7; 32],
            associate_id: a.id,
            created_at: Timestamp(1_700_000_000),
            expires_at: Timestamp(4_000_000_000),
            app_id: None,
        })
        .await
        .unwrap();
    (a.id, ticket)
}

async fn round(store: &Arc<dyn Store>, id: i32, ticket: &str, seq: usize) {
    let t = store.ticket(ticket).await.unwrap().unwrap();
    let caller = store
        .associate_by_id(t.associate_id)
        .await
        .unwrap()
        .unwrap();
    let target = store.associate_by_id(id).await.unwrap().unwrap();
    assert!(store
        .commit_password_change(PasswordChange {
            associate_id: target.id,
            password_hash: format!("{HASH}{seq}"),
            keep_ticket: Some(ticket.to_owned()),
            audit: AuditEvent {
                tenant: DEFAULT_TENANT,
                at: Timestamp(1_700_000_000),
                actor: Some(caller.id),
                target: Some(target.id),
                operation: "SetPassword".into(),
                outcome: Outcome::Success,
                client: Some("127.0.0.1".into()),
                app: None,
                operation_id: None,
            },
            must_change: false,
            history_keep: 3,
            clear_lock: false,
        })
        .await
        .unwrap());
}
