//! The statements behind each `Store` method, as async functions over a client or a
//! transaction. Every multi-statement write is one transaction; read-modify-write
//! sequences lock the associate's row first (`SELECT … FOR UPDATE`), so concurrent writers
//! (from any number of server nodes) queue on it and none is lost.

use accounts::{
    AppRecord, Associate, AssociateId, AuditEvent, AuditFilter, FailureRecorded, LockoutSettings,
    NewApp, NewAssociate, PasswordChange, StoreError, Tenant, TenantId, TicketRecord, Timestamp,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Row, Transaction};

use super::rows::{
    self, backend, encode_rights, is_unique_violation, name_key, APP_COLUMNS, ASSOCIATE_COLUMNS,
    AUDIT_COLUMNS, LOCK_COLUMNS, TENANT_COLUMNS, TICKET_COLUMNS,
};

type Result<T> = std::result::Result<T, StoreError>;
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

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

async fn begin(client: &mut Client) -> Result<Transaction<'_>> {
    client
        .transaction()
        .await
        .map_err(|e| backend("begin transaction", &e))
}

async fn commit(tx: Transaction<'_>) -> Result<()> {
    tx.commit().await.map_err(|e| backend("commit", &e))
}

/// Runs a query expected to return at most one row, decoding it with `decode`.
async fn optional_row<C: GenericClient, T>(
    c: &C,
    what: &str,
    sql: &str,
    params: Params<'_>,
    decode: fn(&Row) -> Result<T>,
) -> Result<Option<T>> {
    c.query_opt(sql, params)
        .await
        .map_err(|e| backend(what, &e))?
        .as_ref()
        .map(decode)
        .transpose()
}

/// Runs a query and decodes every row with `decode`.
async fn all_rows<C: GenericClient, T>(
    c: &C,
    what: &str,
    sql: &str,
    params: Params<'_>,
    decode: fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    c.query(sql, params)
        .await
        .map_err(|e| backend(what, &e))?
        .iter()
        .map(decode)
        .collect()
}

async fn execute<C: GenericClient>(
    c: &C,
    what: &str,
    sql: &str,
    params: Params<'_>,
) -> Result<u64> {
    c.execute(sql, params).await.map_err(|e| backend(what, &e))
}

/// The error of a failed `INSERT`: a clash on one of the unique `constraints` is
/// [`StoreError::Conflict`], anything else a failure of `what`.
fn insert_error(
    what: &'static str,
    constraints: &'static [&'static str],
) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| {
        if is_unique_violation(&e, constraints) {
            StoreError::Conflict
        } else {
            backend(what, &e)
        }
    }
}

fn limit(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

async fn write_audit<C: GenericClient>(c: &C, event: &AuditEvent) -> Result<()> {
    execute(
        c,
        "insert audit",
        "INSERT INTO audit (at, actor, target, operation, outcome, client, app, operation_id, tenant_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &event.at.0,
            &event.actor,
            &event.target,
            &event.operation,
            &event.outcome.as_str(),
            &event.client,
            &event.app,
            &event.operation_id,
            &event.tenant,
        ],
    )
    .await?;
    Ok(())
}
