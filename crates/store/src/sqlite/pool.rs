//! A small pool of SQLite connections, used from tokio's blocking pool, except for point
//! reads (`Pool::read`), which run on the calling thread when a connection is idle.
//!
//! Design: a semaphore with `max` permits bounds how many connections exist and how many
//! blocking tasks touch the database at once; idle connections wait in a
//! `Mutex<Vec<Connection>>` and new ones are opened lazily up to `max`. Every connection is
//! equal: WAL lets readers run beside the one writer, writers take the write lock up front
//! (`BEGIN IMMEDIATE`, or a single autocommit statement) and queue on the 5 s busy timeout,
//! so no transaction ever has to upgrade a read lock, the classic source of
//! "database is locked" under WAL. An in-memory database lives in exactly one connection,
//! so its pool has one permit and never opens another.
//!
//! A connection is handed back by a guard's `Drop`, so a panicking query does not lose it
//! (which for an in-memory database would lose the data); rusqlite rolls back an
//! unfinished transaction when it is dropped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use accounts::StoreError;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use super::error::describe;

/// How long a connection waits for another's write lock before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per file database: enough readers beside the writer for a small server.
pub(crate) const MAX_FILE_CONNECTIONS: usize = 4;

/// How the connections of a file database are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    ReadWrite,
    /// Every connection read-only: writes fail with SQLite's "readonly database".
    ReadOnly,
    /// Read-only, and SQLite told that nobody changes the file meanwhile, so that it
    /// needs no `-shm` file (which a write-protected directory cannot hold).
    Immutable,
}

pub(crate) struct Pool {
    /// `None` for an in-memory database, which cannot open further connections.
    path: Option<PathBuf>,
    access: Access,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    /// One writer at a time from this process (see [`Pool::write`]).
    writer: Semaphore,
    /// The connection for point reads on the async workers (see [`Pool::read`]); `None`
    /// for an in-memory database or when it could not be opened.
    reader: Option<Mutex<Connection>>,
}

impl Pool {
    /// A pool over a file database whose first, already configured connection is `first`.
    pub(crate) fn file(path: PathBuf, first: Connection, max: usize, access: Access) -> Pool {
        let reader = match connect_with(&path, access) {
            Ok(conn) => Some(Mutex::new(conn)),
            Err(e) => {
                tracing::warn!(error = %describe(&e), "no reader connection; reads use the pool");
                None
            }
        };
        Pool {
            reader,
            path: Some(path),
            access,
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(max.max(1))),
            writer: Semaphore::new(1),
        }
    }

    /// A pool over the single connection holding an in-memory database.
    pub(crate) fn memory(only: Connection) -> Pool {
        Pool {
            path: None,
            access: Access::ReadWrite,
            idle: Mutex::new(vec![only]),
            permits: Arc::new(Semaphore::new(1)),
            writer: Semaphore::new(1),
            reader: None,
        }
    }

    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` with a connection on tokio's blocking pool.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Backend("the connection pool is closed".into()))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut lease = pool.checkout()?;
            f(lease.conn()?)
        })
        .await
        .map_err(|e| {
            StoreError::Backend(if e.is_panic() {
                "a database task panicked".into()
            } else {
                "a database task was cancelled".into()
            })
        })?
    }

    /// Runs a write transaction as [`Pool::run`] does, after this process's earlier writes.
    /// SQLite has one write lock; connections of one process that race for it would spin
    /// in the busy handler (sleeping and retrying), leaving a blocking thread idle while
    /// the next write waits. Queued here instead, each write starts when the previous one
    /// ends. Other processes (the admin CLI) still meet the busy timeout.
    pub(crate) async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let _turn = self
            .writer
            .acquire()
            .await
            .map_err(|_| StoreError::Backend("the connection pool is closed".into()))?;
        self.run(f).await
    }

    /// Runs a short point read (one indexed lookup, no write) on the calling async worker,
    /// on the pool's reader connection. Such a read takes a few microseconds and, in WAL
    /// mode, never waits for a writer, so running it inline costs far less than the two
    /// thread hand-offs of the blocking pool; the ticket check of every request is one.
    /// Two workers reading through two connections at once would also meet on SQLite's
    /// process-wide lock of the file and put a thread to sleep; instead, a worker that
    /// finds the reader busy yields to its other tasks and tries again a moment later.
    /// Without a reader connection (in-memory databases) it is [`Pool::run`].
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(reader) = &self.reader else {
            return self.run(f).await;
        };
        let mut f = f;
        loop {
            match try_read(reader, f) {
                Ok(result) => return result,
                Err(back) => f = back,
            }
            tokio::task::yield_now().await;
        }
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Connection>> {
        // A poisoned lock only means another thread panicked while pushing or popping; the
        // vector itself is still sound.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn checkout(&self) -> Result<Lease<'_>, StoreError> {
        let conn = match self.idle().pop() {
            Some(conn) => conn,
            None => match &self.path {
                Some(path) => {
                    tracing::debug!(path = %path.display(), "opening another SQLite connection");
                    connect_with(path, self.access).map_err(|e| {
                        StoreError::Backend(format!("cannot open a connection: {}", describe(&e)))
                    })?
                }
                None => {
                    return Err(StoreError::Backend(
                        "the in-memory database connection is missing".into(),
                    ))
                }
            },
        };
        Ok(Lease {
            pool: self,
            conn: Some(conn),
        })
    }
}

/// Runs `f` on the reader connection if it is free now; hands `f` back if it is busy.
fn try_read<T, F>(reader: &Mutex<Connection>, f: F) -> Result<Result<T, StoreError>, F>
where
    F: FnOnce(&mut Connection) -> Result<T, StoreError>,
{
    let mut conn = match reader.try_lock() {
        Ok(guard) => guard,
        // A panic during an earlier read leaves the connection usable: rusqlite resets
        // statements when they are dropped.
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return Err(f),
    };
    Ok(f(&mut conn))
}

/// A checked-out connection; goes back to the idle list when dropped.
struct Lease<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Lease<'_> {
    fn conn(&mut self) -> Result<&mut Connection, StoreError> {
        self.conn
            .as_mut()
            .ok_or_else(|| StoreError::Backend("connection lease is empty".into()))
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if !conn.is_autocommit() {
            // Only reachable if a transaction escaped its guard; never hand it on open.
            if conn.execute_batch("ROLLBACK").is_err() && self.pool.path.is_some() {
                return; // drop the connection; a fresh one is opened when needed
            }
        }
        self.pool.idle().push(conn);
    }
}

/// Statements kept prepared per connection.
const STATEMENT_CACHE: usize = 64;

/// Opens one connection to a file database and configures it (busy timeout, foreign keys).
/// The journal mode (WAL) is a property of the file, set once by `SqliteStore::open`.
pub(crate) fn connect(path: &Path) -> rusqlite::Result<Connection> {
    connect_with(path, Access::ReadWrite)
}

/// Opens one connection to a file database as `access` says and configures it.
pub(crate) fn connect_with(path: &Path, access: Access) -> rusqlite::Result<Connection> {
    // No SQLITE_OPEN_URI but for `immutable`, which only a URI can say: a path that
    // happens to start with "file:" stays a path.
    let conn = match access {
        Access::ReadWrite => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
        Access::ReadOnly => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
        Access::Immutable => Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?,
    };
    configure(&conn)?;
    Ok(conn)
}

/// `file:PATH?immutable=1`, the path percent-encoded but for unreserved bytes and `/`.
fn immutable_uri(path: &Path) -> String {
    use std::fmt::Write;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    let mut uri = String::from("file:");
    for &b in &bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Per-connection settings: busy timeout, foreign-key enforcement, `synchronous = FULL`,
/// and a statement cache large enough for every statement the store runs (rusqlite keeps
/// 16 by default).
///
/// `FULL` in WAL mode syncs the WAL to disk at every commit, before the commit returns:
/// a change the server acknowledged survives a power loss or an OS crash, not only a
/// killed process (`NORMAL` would sync only at checkpoints, and a power loss could take
/// back the last acknowledged password changes, putting old passwords back in force).
/// SQLite's compiled-in default is the same today; it is said here so that it stays a
/// decision (docs/reliability.md).
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every connection of a file store commits durably (see [`configure`]).
    #[test]
    fn file_connections_sync_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("durable.db");
        for access in [Access::ReadWrite, Access::ReadOnly] {
            let conn = connect_with(&path, access).unwrap();
            let level: i64 = conn
                .query_row("PRAGMA synchronous", [], |r| r.get(0))
                .unwrap();
            assert_eq!(level, 2, "synchronous = FULL for {access:?}");
        }
    }
}
