//! The statements behind each `Store` method, as plain blocking functions over a
//! connection. `mod.rs` runs them on the blocking pool. Every multi-statement write is one
//! `BEGIN IMMEDIATE` transaction.

use accounts::{
    AppRecord, Associate, AssociateId, AuditEvent, AuditFilter, FailureRecorded, LockoutSettings,
    NewApp, NewAssociate, PasswordChange, StoreError, Tenant, TenantId, TicketRecord, Timestamp,
};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::rows::{
    self, backend, encode_rights, name_key, APP_COLUMNS, ASSOCIATE_COLUMNS, AUDIT_COLUMNS,
    LOCK_COLUMNS, TENANT_COLUMNS, TICKET_COLUMNS,
};

type Result<T> = std::result::Result<T, StoreError>;

mod apps;
mod audit;
mod directory;
mod passwords;
mod tickets;

pub(crate) use apps::*;
pub(crate) use audit::*;
pub(crate) use directory::*;
pub(crate) use passwords::*;
pub(crate) use tickets::*;

fn begin(conn: &mut Connection) -> Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| backend("begin transaction", &e))
}

fn commit(tx: Transaction<'_>) -> Result<()> {
    tx.commit().map_err(|e| backend("commit", &e))
}

/// Runs one statement through the connection's statement cache, so that its SQL is parsed
/// once per connection rather than on every call (on the SetPassword path that parsing
/// was a visible share of the work besides the hash); the number of rows it changed.
fn exec(conn: &Connection, what: &str, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
    cached(conn, sql, params).map_err(|e| backend(what, &e))
}

/// [`exec`] without the error mapping, for statements that look at the error themselves.
fn cached(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(params))
}

/// The error of a failed `INSERT`: a clash on one of the unique `columns`
/// (`table.column`) is [`StoreError::Conflict`], anything else a failure of `what`.
fn insert_error(
    what: &'static str,
    columns: &'static [&'static str],
) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| {
        if is_unique_violation(&e, columns) {
            StoreError::Conflict
        } else {
            backend(what, &e)
        }
    }
}

/// Runs a query expected to return at most one row, decoding it with `decode`.
fn optional_row<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    params: impl rusqlite::Params,
    decode: fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_row(params, |row| Ok(decode(row))).optional())
        .map_err(|e| backend(what, &e))?
        .transpose()
}

/// Runs a query and decodes every row with `decode`.
fn all_rows<T>(
    conn: &Connection,
    what: &str,
    sql: &str,
    params: impl rusqlite::Params,
    decode: fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(|e| backend(what, &e))?;
    let rows = stmt
        .query_map(params, |row| Ok(decode(row)))
        .map_err(|e| backend(what, &e))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(|e| backend(what, &e))??);
    }
    Ok(out)
}

fn write_audit(conn: &Connection, event: &AuditEvent) -> Result<()> {
    exec(conn, "insert audit", "INSERT INTO audit (at, actor, target, operation, outcome, client, app, operation_id, tenant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            event.at.0,
            event.actor,
            event.target,
            event.operation,
            event.outcome.as_str(),
            event.client,
            event.app,
            event.operation_id,
            event.tenant,
        ])?;
    Ok(())
}

/// A UNIQUE constraint failure on one of `columns` (`table.column`).
fn is_unique_violation(e: &rusqlite::Error, columns: &[&str]) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && msg
                    .as_deref()
                    .is_some_and(|m| columns.iter().any(|c| m.contains(c)))
        }
        _ => false,
    }
}
