//! `/health/ready` answers what a request would meet: while another connection holds the
//! database locked (SQLite `BEGIN EXCLUSIVE`, PostgreSQL `LOCK TABLE … IN ACCESS EXCLUSIVE
//! MODE`), calls fail with `store_unavailable` and readiness is 503 within the store's own
//! timeout; once the lock is released both recover.

use std::time::{Duration, Instant};

use accounts::Settings;
use server::ServerConfig;
use store::testdb::TestDb;
use store::StoreOptions;

use crate::helpers::*;

/// SQLite's busy timeout, which every write waits before it gives up.
const SQLITE_BUSY: Duration = Duration::from_secs(5);
/// The PostgreSQL store deadline these tests run with.
const PG_TIMEOUT: Duration = Duration::from_millis(1_000);

async fn ready_status(node: &Node) -> u16 {
    let r = node
        .http
        .get(node.url("/health/ready"))
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// Readiness while locked: 503, within the timeout and a margin.
async fn not_ready_within(node: &Node, timeout: Duration) {
    let started = Instant::now();
    assert_eq!(ready_status(node).await, 503);
    assert!(
        started.elapsed() < timeout + Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// A log-in (it writes a ticket) answers `store_unavailable` while locked.
async fn login_is_unavailable(node: &Node) {
    let login = node
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", ADMIN_PASSWORD),
            None,
        )
        .await;
    let answer = Answer::read(&login);
    answer.assert_exception_nil("SoStoreUnavailableException");
    assert!(answer.body.contains("store_unavailable"), "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_file_locked_by_another_connection_is_not_ready_until_released() {
    let app = spawn_app().await;
    assert_eq!(ready_status(&app).await, 200);

    let holder = rusqlite::Connection::open(&app.db_path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    not_ready_within(&app, SQLITE_BUSY).await;
    login_is_unavailable(&app).await;
    // Readiness requests at once share one probe and all answer 503.
    let started = Instant::now();
    let (a, b, c) = tokio::join!(ready_status(&app), ready_status(&app), ready_status(&app));
    assert_eq!((a, b, c), (503, 503, 503));
    assert!(started.elapsed() < SQLITE_BUSY * 2 + Duration::from_secs(5));

    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(ready_status(&app).await, 200);
    assert!(app.login("admin", ADMIN_PASSWORD).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_table_locked_by_another_session_is_not_ready_until_released() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_on(
        &db.url,
        &StoreOptions {
            timeout: PG_TIMEOUT,
        },
        ServerConfig::default(),
        Settings::default(),
        dir,
        Default::default(),
    )
    .await;
    assert_eq!(ready_status(&app).await, 200);

    let (holder, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    for table in ["tickets", "associates"] {
        holder
            .batch_execute(&format!(
                "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
            ))
            .await
            .unwrap();
        not_ready_within(&app, PG_TIMEOUT).await;
        login_is_unavailable(&app).await;

        holder.batch_execute("ROLLBACK").await.unwrap();
        assert_eq!(ready_status(&app).await, 200, "{table}");
        assert!(app.login("admin", ADMIN_PASSWORD).await.is_some());
    }
    drop(holder);
}
