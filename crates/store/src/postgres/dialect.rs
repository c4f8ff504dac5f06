//! PostgreSQL's side of [`crate::sql`]: the connection and transaction types that run the
//! shared statements, and the dialect of the SQL itself (`?N` placeholders become `$N`).
//! How values bind and columns read is in `value`.
//!
//! Each pooled connection ([`Session`]) keeps the statements prepared on it, keyed by
//! their SQL: a statement is parsed and planned once per connection, and every later run
//! is one round trip (bind and execute) instead of two. A statement whose run fails is
//! forgotten and prepared again next time, so that one invalidated by a schema change
//! does not keep failing.

use std::collections::HashMap;

use accounts::StoreError;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Statement, Transaction};

use super::error::{backend, is_unique_violation};
use crate::sql::{Cols, Decode, Exec, Query, Result, Tx, Value};

/// Statements kept per connection; past this many (never reached by the store's fixed
/// set of statements) the cache starts over.
const MAX_STATEMENTS: usize = 256;

/// A pooled connection: the client and the statements prepared on it.
pub(crate) struct Session {
    pub(crate) client: Client,
    statements: Statements,
}

impl Session {
    pub(crate) fn new(client: Client) -> Session {
        Session {
            client,
            statements: Statements::default(),
        }
    }

    /// Opens a transaction on this connection.
    pub(crate) async fn begin(&mut self) -> Result<PgTx<'_>> {
        let tx = self
            .client
            .transaction()
            .await
            .map_err(|e| backend("begin transaction", &e))?;
        Ok(PgTx {
            tx,
            statements: &mut self.statements,
        })
    }

    /// The shared statements' handle on this connection, outside a transaction.
    pub(crate) fn db(&mut self) -> PgDb<'_> {
        PgDb {
            client: &mut self.client,
            statements: &mut self.statements,
        }
    }
}

/// Statements on a connection outside a transaction (each commits on its own).
pub(crate) struct PgDb<'a> {
    client: &'a mut Client,
    statements: &'a mut Statements,
}

/// A transaction, rolled back when dropped uncommitted.
pub(crate) struct PgTx<'a> {
    tx: Transaction<'a>,
    statements: &'a mut Statements,
}

/// What a readiness probe meets: the lock every write takes on each table (ROW
/// EXCLUSIVE, which waits behind another session's `LOCK TABLE … IN EXCLUSIVE MODE` or
/// stronger, and behind a migration), in a transaction that is rolled back; nothing
/// written.
pub(crate) async fn ping(client: &mut Client) -> Result<()> {
    let tx = client
        .transaction()
        .await
        .map_err(|e| backend("begin transaction", &e))?;
    tx.batch_execute(
        "LOCK TABLE tenants, associates, tickets, password_history, apps, audit \
         IN ROW EXCLUSIVE MODE",
    )
    .await
    .map_err(|e| backend("ping", &e))?;
    tx.rollback()
        .await
        .map_err(|e| backend("ping: roll back", &e))
}

/// The SQL as PostgreSQL takes it: `?N` placeholders written `$N`.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct Statements(HashMap<String, Statement>);

impl Statements {
    /// The statement for `q`, prepared on `c`'s connection now if it was not before.
    async fn prepared<C: GenericClient + Sync>(
        &mut self,
        c: &C,
        q: &Query<'_>,
    ) -> Result<Statement> {
        if let Some(statement) = self.0.get(q.sql) {
            return Ok(statement.clone());
        }
        let statement = c
            .prepare(&numbered(q.sql))
            .await
            .map_err(|e| backend(q.what, &e))?;
        if self.0.len() >= MAX_STATEMENTS {
            self.0.clear();
        }
        self.0.insert(q.sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// The error of a failed run of `q`, whose statement is forgotten.
    fn failed(&mut self, q: &Query<'_>, e: &tokio_postgres::Error) -> StoreError {
        self.0.remove(q.sql);
        if is_unique_violation(e, q.table.name(), q.unique) {
            StoreError::Conflict
        } else {
            backend(q.what, e)
        }
    }
}

fn bind<'a>(params: &'a [Value<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

async fn exec<C: GenericClient + Sync>(
    c: &C,
    statements: &mut Statements,
    q: &Query<'_>,
    params: &[Value<'_>],
) -> Result<u64> {
    let statement = statements.prepared(c, q).await?;
    let bound = bind(params);
    c.execute(&statement, &bound)
        .await
        .map_err(|e| statements.failed(q, &e))
}

async fn query_opt<C: GenericClient + Sync, T>(
    c: &C,
    statements: &mut Statements,
    q: &Query<'_>,
    params: &[Value<'_>],
    decode: Decode<T>,
) -> Result<Option<T>> {
    let statement = statements.prepared(c, q).await?;
    let bound = bind(params);
    let row = c
        .query_opt(&statement, &bound)
        .await
        .map_err(|e| statements.failed(q, &e))?;
    row.map(|r| decode(&Cols::new(&r, q.table))).transpose()
}

async fn query_all<C: GenericClient + Sync, T>(
    c: &C,
    statements: &mut Statements,
    q: &Query<'_>,
    params: &[Value<'_>],
    decode: Decode<T>,
) -> Result<Vec<T>> {
    let statement = statements.prepared(c, q).await?;
    let bound = bind(params);
    let rows = c
        .query(&statement, &bound)
        .await
        .map_err(|e| statements.failed(q, &e))?;
    rows.iter()
        .map(|r| decode(&Cols::new(r, q.table)))
        .collect()
}

macro_rules! exec_on {
    ($ty:ident, |$s:ident| $client:expr) => {
        impl Exec for $ty<'_> {
            async fn exec(&mut self, q: &Query<'_>, params: &[Value<'_>]) -> Result<u64> {
                let $s = self;
                exec($client, $s.statements, q, params).await
            }

            async fn query_opt<T: Send>(
                &mut self,
                q: &Query<'_>,
                params: &[Value<'_>],
                decode: Decode<T>,
            ) -> Result<Option<T>> {
                let $s = self;
                query_opt($client, $s.statements, q, params, decode).await
            }

            async fn query_all<T: Send>(
                &mut self,
                q: &Query<'_>,
                params: &[Value<'_>],
                decode: Decode<T>,
            ) -> Result<Vec<T>> {
                let $s = self;
                query_all($client, $s.statements, q, params, decode).await
            }
        }
    };
}

exec_on!(PgDb, |s| &*s.client);
exec_on!(PgTx, |s| &s.tx);

impl Tx for PgTx<'_> {
    async fn commit(self) -> Result<()> {
        self.tx.commit().await.map_err(|e| backend("commit", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_with_dollars() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ?1 AND (CAST(?12 AS TEXT) IS NULL)"),
            "SELECT a FROM t WHERE b = $1 AND (CAST($12 AS TEXT) IS NULL)"
        );
    }
}
