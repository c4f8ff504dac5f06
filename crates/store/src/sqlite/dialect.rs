//! SQLite's side of [`crate::sql`]: the connection and transaction types that run the
//! shared statements (how values bind and columns read is in `value`), and the one
//! dialect difference in the SQL itself: `FOR UPDATE` is dropped, since SQLite has no row
//! locks and a write transaction holds the database's write lock from `BEGIN IMMEDIATE`.
//!
//! rusqlite is synchronous, so every future here is ready the first time it is polled:
//! the pool's blocking thread runs a shared query or flow with [`complete`].

use std::borrow::Cow;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use accounts::StoreError;
use rusqlite::Connection;

use super::error::{backend, is_unique_violation};
use crate::sql::{Cols, Decode, Exec, Query, Result, Tx, Value};

/// Statements on a connection outside a transaction (each commits on its own).
pub(crate) struct SqliteDb<'c>(&'c mut Connection);

/// The shared statements' handle on `conn`.
pub(crate) fn on(conn: &mut Connection) -> SqliteDb<'_> {
    SqliteDb(conn)
}

/// A `BEGIN IMMEDIATE` transaction, rolled back when dropped uncommitted.
pub(crate) struct SqliteTx<'c> {
    conn: &'c mut Connection,
    open: bool,
}

/// Runs a shared query or flow over a SQLite handle to its end on this thread.
pub(crate) fn complete<T>(work: impl Future<Output = Result<T>>) -> Result<T> {
    struct Idle;
    impl Wake for Idle {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Idle));
    match pin!(work).poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(result) => result,
        // Unreachable with the handles above, which never wait.
        Poll::Pending => Err(StoreError::Backend(
            "a SQLite statement did not complete synchronously".into(),
        )),
    }
}

/// What a readiness probe meets first: the write lock (`BEGIN IMMEDIATE`, waiting up to
/// the busy timeout as every write does) and a read of a table; rolled back, nothing
/// written.
pub(crate) fn ping(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| backend("ping: take the write lock", &e))?;
    tx.query_row("SELECT COUNT(*) FROM tenants", [], |r| r.get::<_, i64>(0))
        .map_err(|e| backend("ping: read", &e))?;
    tx.rollback().map_err(|e| backend("ping: roll back", &e))
}

/// The SQL as SQLite takes it: without the row-locking clauses.
fn native(sql: &str) -> Cow<'_, str> {
    if sql.contains("FOR UPDATE") {
        Cow::Owned(
            sql.replace("FOR UPDATE SKIP LOCKED", "")
                .replace("FOR UPDATE", ""),
        )
    } else {
        Cow::Borrowed(sql)
    }
}

fn failed(q: &Query<'_>, e: &rusqlite::Error) -> StoreError {
    if is_unique_violation(e, q.table.name(), q.unique) {
        StoreError::Conflict
    } else {
        backend(q.what, e)
    }
}

/// Statements go through the connection's statement cache: each SQL text is parsed once
/// per connection.
fn exec(conn: &Connection, q: &Query<'_>, params: &[Value<'_>]) -> Result<u64> {
    let mut stmt = conn
        .prepare_cached(&native(q.sql))
        .map_err(|e| failed(q, &e))?;
    let n = stmt
        .execute(rusqlite::params_from_iter(params))
        .map_err(|e| failed(q, &e))?;
    Ok(n as u64)
}

/// Runs a query, decoding at most `max` rows.
fn query<T>(
    conn: &Connection,
    q: &Query<'_>,
    params: &[Value<'_>],
    decode: Decode<T>,
    max: usize,
) -> Result<Vec<T>> {
    let mut stmt = conn
        .prepare_cached(&native(q.sql))
        .map_err(|e| failed(q, &e))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params))
        .map_err(|e| failed(q, &e))?;
    let mut out = Vec::new();
    while out.len() < max {
        let Some(row) = rows.next().map_err(|e| failed(q, &e))? else {
            break;
        };
        out.push(decode(&Cols::new(row, q.table))?);
    }
    Ok(out)
}

macro_rules! exec_on {
    ($ty:ident, |$s:ident| $conn:expr) => {
        impl Exec for $ty<'_> {
            async fn exec(&mut self, q: &Query<'_>, params: &[Value<'_>]) -> Result<u64> {
                let $s = self;
                exec($conn, q, params)
            }

            async fn query_opt<T: Send>(
                &mut self,
                q: &Query<'_>,
                params: &[Value<'_>],
                decode: Decode<T>,
            ) -> Result<Option<T>> {
                let $s = self;
                Ok(query($conn, q, params, decode, 1)?.pop())
            }

            async fn query_all<T: Send>(
                &mut self,
                q: &Query<'_>,
                params: &[Value<'_>],
                decode: Decode<T>,
            ) -> Result<Vec<T>> {
                let $s = self;
                query($conn, q, params, decode, usize::MAX)
            }
        }
    };
}

exec_on!(SqliteDb, |s| &*s.0);
exec_on!(SqliteTx, |s| &*s.conn);

/// Opens a write transaction on `conn`, taking the write lock now (`BEGIN IMMEDIATE`).
pub(crate) fn begin(conn: &mut Connection) -> Result<SqliteTx<'_>> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| backend("begin transaction", &e))?;
    Ok(SqliteTx { conn, open: true })
}

impl Tx for SqliteTx<'_> {
    async fn commit(mut self) -> Result<()> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| backend("commit", &e))?;
        self.open = false;
        Ok(())
    }
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            // A failed rollback leaves the transaction open; the pool's lease sees that
            // and does not hand the connection on.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
