//! Durable storage for netserver: implementations of [`accounts::Store`].
//!
//! The backend is chosen by the scheme of a database URL (see [`open`]):
//!
//! | URL | backend |
//! |---|---|
//! | `sqlite://PATH` | SQLite file at `PATH` (`sqlite://data/ns.db` is relative, `sqlite:///var/lib/ns.db` absolute) |
//! | `sqlite::memory:` (or `sqlite://:memory:`) | private in-memory SQLite database, gone when the store is dropped |
//! | `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (or `postgresql://…`) | PostgreSQL database `DB`, which must exist |
//!
//! Each backend lives in its own module (`sqlite`, `postgres`) with its own forward-only
//! migrations, connection handling and dialect. What does not depend on the backend is
//! written once: the tables' columns and row codecs (`schema`), the statement layer the
//! backends implement (`sql`), and every query and multi-statement flow (`queries`).
//! Every backend must pass the same [`conformance`] suite, which talks only to
//! `Arc<dyn Store>`.
//!
//! [`copy`] moves a whole installation between stores (`netserver store copy`): bulk,
//! table-level work that has no place in the request path's `Store` traits.
//!
//! Error texts never carry bound parameter values (names, hashes, ticket ids) and never
//! echo a database URL, which may hold credentials: only its scheme is named.

use std::sync::Arc;
use std::time::Duration;

use accounts::Store;

// Test support compiled into the library so that every backend's tests (and the
// server's) share it: its checks fail by panicking, as tests do. No request path calls it.
#[doc(hidden)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub mod conformance;
pub mod copy;
mod error;
mod location;
mod name_fold;
mod postgres;
mod queries;
mod schema;
mod sql;
mod sqlite;
// Test support, as `conformance`: fails loudly (panics) rather than skip silently in CI.
#[doc(hidden)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub mod testdb;

pub use error::OpenError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use location::Location;

/// Settings of a store that are not part of its URL.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The longest one store operation may take, waiting for a connection included,
    /// before it fails as `StoreError::Unavailable` (PostgreSQL; SQLite has its busy timeout).
    pub timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            timeout: Duration::from_secs(5),
        }
    }
}

/// The database file a `sqlite://PATH` URL names; `None` for any other URL (an
/// in-memory SQLite database, PostgreSQL, or a URL that does not parse).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    match location::parse(url) {
        Ok(Location::SqliteFile(path)) => Some(path),
        _ => None,
    }
}

/// Opens the store named by `url` with default options; see [`open_with`].
pub async fn open(url: &str) -> Result<Arc<dyn Store>, OpenError> {
    open_with(url, &StoreOptions::default()).await
}

/// Opens the store named by `url` for a command that only reads: a SQLite file is opened
/// read-only (it must exist, at this build's schema; nothing is created or migrated, and
/// a write-protected file still opens). PostgreSQL is opened as by [`open_with`]: what
/// the connection may do is the database's grants to decide.
pub async fn open_read_only(
    url: &str,
    options: &StoreOptions,
) -> Result<Arc<dyn Store>, OpenError> {
    match location::parse(url)? {
        Location::SqliteFile(path) => {
            let store = tokio::task::spawn_blocking(move || SqliteStore::open_read_only(&path))
                .await
                .map_err(|e| OpenError::Task(e.to_string()))??;
            Ok(Arc::new(store))
        }
        _ => open_with(url, options).await,
    }
}

/// Opens the store named by `url`, creating and migrating the database as needed (a
/// SQLite file is created, never a missing directory).
///
/// Supported: `sqlite://PATH`, `sqlite::memory:`, `postgres://…`. Any other scheme is refused with an
/// error naming the supported ones. Must be called inside a tokio runtime; the blocking
/// open runs on tokio's blocking pool.
pub async fn open_with(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>, OpenError> {
    match location::parse(url)? {
        Location::Postgres(url) => Ok(Arc::new(PostgresStore::open_with(&url.0, options).await?)),
        Location::SqliteFile(path) => open_sqlite(move || SqliteStore::open(&path)).await,
        Location::SqliteMemory => open_sqlite(SqliteStore::open_in_memory).await,
    }
}

/// Runs a (blocking) SQLite open on tokio's blocking pool.
async fn open_sqlite<F>(open: F) -> Result<Arc<dyn Store>, OpenError>
where
    F: FnOnce() -> Result<SqliteStore, OpenError> + Send + 'static,
{
    let store = tokio::task::spawn_blocking(open)
        .await
        .map_err(|e| OpenError::Task(e.to_string()))??;
    Ok(Arc::new(store))
}
