//! Throw-away PostgreSQL databases for tests (this crate's and the server's integration
//! tests); not for production use.
//!
//! Needs `NETSERVER_TEST_POSTGRES`, a URL of an existing database on a server where that
//! user may create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`). Each
//! [`TestDb`] is a database `ns_test_<random>` there, dropped when the value is dropped.
//! Without the variable [`TestDb::create`] says why it skips and answers `None`, except
//! when `CI` is set: then it panics, so CI cannot skip silently.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::{Client, Config, NoTls};

/// The environment variable naming the maintenance URL.
pub const VAR: &str = "NETSERVER_TEST_POSTGRES";

/// The maintenance URL, or `None` (after saying why) when the tests should skip.
pub fn maintenance_url() -> Option<String> {
    match std::env::var(VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("{VAR} is not set, and CI is: the PostgreSQL tests must run in CI");
            }
            eprintln!(
                "skipped: set {VAR} (e.g. postgres://postgres@127.0.0.1:5432/postgres) \
                 to run the PostgreSQL tests"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `db` (query parameters kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").expect("a URL with '://'") + 3;
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    match query {
        Some(q) => format!("{}/{db}?{q}", &base[..path]),
        None => format!("{}/{db}", &base[..path]),
    }
}

/// A plain client for `url`, its connection driven on a spawned task.
pub async fn connect(url: &str) -> Client {
    let config = Config::from_str(url).expect("a valid PostgreSQL URL");
    let (client, connection) = config.connect(NoTls).await.expect("connect to PostgreSQL");
    tokio::spawn(connection);
    client
}

/// A name no other test process or test picks: process id, time and a counter.
fn unique_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "ns_test_{:x}_{:x}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A database created for one test; dropped (with its connections) when this is dropped.
pub struct TestDb {
    maintenance: String,
    pub name: String,
    /// The URL of the test's database.
    pub url: String,
}

impl TestDb {
    /// `None` when PostgreSQL tests are not configured (see the module docs).
    pub async fn create() -> Option<TestDb> {
        let maintenance = maintenance_url()?;
        let name = unique_name();
        let admin = connect(&maintenance).await;
        // Concurrent CREATE DATABASE from the same template may collide; retry briefly.
        let mut attempt = 0;
        loop {
            match admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
            {
                Ok(()) => break,
                Err(e) if attempt < 20 => {
                    attempt += 1;
                    eprintln!("CREATE DATABASE retry {attempt}: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot create the test database: {e}"),
            }
        }
        let url = with_database(&maintenance, &name);
        Some(TestDb {
            maintenance,
            name,
            url,
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let maintenance = self.maintenance.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop may run inside a test's runtime: use a runtime of its own on another thread.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let admin = connect(&maintenance).await;
                admin.batch_execute(&sql).await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}
