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

pub(crate) async fn tenant_by_name(c: &Client, name: &str) -> Result<Option<Tenant>> {
    optional_row(
        c,
        "select tenant by name",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE name_key = $1"),
        &[&name_key(name)],
        rows::tenant,
    )
    .await
}

pub(crate) async fn insert_tenant(c: &Client, name: &str, at: Timestamp) -> Result<Tenant> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO tenants (name, name_key, created_at) VALUES ($1, $2, $3)
                 RETURNING {TENANT_COLUMNS}"
            ),
            &[&name, &name_key(name), &at.0],
        )
        .await
        .map_err(|e| {
            if is_unique_violation(&e, &["tenants_name_key_key"]) {
                StoreError::Conflict
            } else {
                backend("insert tenant", &e)
            }
        })?;
    rows::tenant(&row)
}

pub(crate) async fn list_tenants(c: &Client) -> Result<Vec<Tenant>> {
    all_rows(
        c,
        "list tenants",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"),
        &[],
        rows::tenant,
    )
    .await
}

pub(crate) async fn associate_by_id(c: &Client, id: AssociateId) -> Result<Option<Associate>> {
    optional_row(
        c,
        "select associate",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE id = $1"),
        &[&id],
        rows::associate,
    )
    .await
}

pub(crate) async fn associate_by_name(
    c: &Client,
    tenant: TenantId,
    name: &str,
) -> Result<Option<Associate>> {
    optional_row(
        c,
        "select associate by name",
        &format!(
            "SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = $1 AND name_key = $2"
        ),
        &[&tenant, &name_key(name)],
        rows::associate,
    )
    .await
}

pub(crate) async fn list_associates(c: &Client, tenant: TenantId) -> Result<Vec<Associate>> {
    all_rows(
        c,
        "list associates",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = $1 ORDER BY id"),
        &[&tenant],
        rows::associate,
    )
    .await
}

pub(crate) async fn ping(c: &Client) -> Result<()> {
    c.simple_query("SELECT 1")
        .await
        .map(drop)
        .map_err(|e| backend("ping", &e))
}

pub(crate) async fn count_associates(c: &Client, tenant: TenantId) -> Result<u64> {
    let row = c
        .query_one(
            "SELECT COUNT(*) FROM associates WHERE tenant_id = $1",
            &[&tenant],
        )
        .await
        .map_err(|e| backend("count associates", &e))?;
    let n: i64 = row
        .try_get(0)
        .map_err(|_| StoreError::Backend("count associates: cannot decode the count".into()))?;
    u64::try_from(n).map_err(|_| StoreError::Backend("count associates: negative count".into()))
}

pub(crate) async fn insert_associate(
    c: &Client,
    new: &NewAssociate,
    now: Timestamp,
) -> Result<Associate> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO associates
                     (name, name_key, full_name, user_type, rights, retired, password_hash,
                      created_at, must_change, tenant_id)
                 VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8, $9)
                 RETURNING {ASSOCIATE_COLUMNS}"
            ),
            &[
                &new.name,
                &name_key(&new.name),
                &new.full_name,
                &new.user_type.as_str(),
                &encode_rights(&new.rights),
                &new.password_hash,
                &now.0,
                &new.must_change,
                &new.tenant,
            ],
        )
        .await
        .map_err(|e| {
            if is_unique_violation(&e, &["associates_tenant_name_key"]) {
                StoreError::Conflict
            } else {
                backend("insert associate", &e)
            }
        })?;
    rows::associate(&row)
}

pub(crate) async fn retire_associate(c: &mut Client, id: AssociateId) -> Result<bool> {
    let tx = begin(c).await?;
    let updated = execute(
        &tx,
        "retire associate",
        "UPDATE associates SET retired = TRUE WHERE id = $1",
        &[&id],
    )
    .await?;
    if updated == 0 {
        return Ok(false); // dropping `tx` rolls back
    }
    execute(
        &tx,
        "revoke tickets",
        "DELETE FROM tickets WHERE associate_id = $1",
        &[&id],
    )
    .await?;
    commit(tx).await?;
    Ok(true)
}

pub(crate) async fn update_password_hash(c: &Client, id: AssociateId, hash: &str) -> Result<()> {
    execute(
        c,
        "update password hash",
        "UPDATE associates SET password_hash = $1 WHERE id = $2",
        &[&hash, &id],
    )
    .await?;
    Ok(())
}

pub(crate) async fn commit_password_change(
    c: &mut Client,
    change: &PasswordChange,
) -> Result<bool> {
    let tx = begin(c).await?;
    let old: Option<Option<String>> = optional_row(
        &tx,
        "read password hash",
        "SELECT password_hash FROM associates WHERE id = $1 FOR UPDATE",
        &[&change.associate_id],
        |r| {
            r.try_get(0).map_err(|_| {
                StoreError::Backend("cannot decode column associates.password_hash".into())
            })
        },
    )
    .await?;
    let Some(old) = old else {
        return Ok(false); // dropping `tx` rolls back; no audit row either
    };
    execute(
        &tx,
        "update password hash",
        "UPDATE associates SET password_hash = $1, must_change = $2 WHERE id = $3",
        &[
            &change.password_hash,
            &change.must_change,
            &change.associate_id,
        ],
    )
    .await?;
    remember(&tx, change, old.as_deref()).await?;
    if change.clear_lock {
        clear_lock(&tx, change.associate_id).await?;
    }
    execute(
        &tx,
        "revoke tickets",
        "DELETE FROM tickets WHERE associate_id = $1 AND ($2::TEXT IS NULL OR id <> $2::TEXT)",
        &[&change.associate_id, &change.keep_ticket],
    )
    .await?;
    write_audit(&tx, &change.audit).await?;
    commit(tx).await?;
    Ok(true)
}

/// Moves the replaced hash into the history and trims it to `history_keep` entries.
async fn remember(tx: &Transaction<'_>, change: &PasswordChange, old: Option<&str>) -> Result<()> {
    if let (Some(old), true) = (old, change.history_keep > 0) {
        execute(
            tx,
            "remember password hash",
            "INSERT INTO password_history (associate_id, password_hash, replaced_at)
             VALUES ($1, $2, $3)",
            &[&change.associate_id, &old, &change.audit.at.0],
        )
        .await?;
    }
    execute(
        tx,
        "trim password history",
        "DELETE FROM password_history WHERE associate_id = $1 AND id NOT IN
             (SELECT id FROM password_history WHERE associate_id = $1 ORDER BY id DESC LIMIT $2)",
        &[&change.associate_id, &limit(change.history_keep)],
    )
    .await?;
    Ok(())
}

pub(crate) async fn password_history(c: &Client, id: AssociateId, n: u32) -> Result<Vec<String>> {
    all_rows(
        c,
        "read password history",
        "SELECT password_hash FROM password_history WHERE associate_id = $1
         ORDER BY id DESC LIMIT $2",
        &[&id, &limit(n)],
        |r| {
            r.try_get(0).map_err(|_| {
                StoreError::Backend("cannot decode column password_history.password_hash".into())
            })
        },
    )
    .await
}

async fn clear_lock<C: GenericClient>(c: &C, id: AssociateId) -> Result<u64> {
    execute(
        c,
        "clear failed log-ins",
        "UPDATE associates
         SET failed_logins = 0, first_failure_at = NULL, locked_until = NULL WHERE id = $1",
        &[&id],
    )
    .await
}

/// One transaction: lock the row, read the state, apply the domain's rule, write it.
/// Concurrent failures wait on the row lock, so each one counts.
pub(crate) async fn record_login_failure(
    c: &mut Client,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(c).await?;
    let before = optional_row(
        &tx,
        "read failed log-ins",
        &format!("SELECT {LOCK_COLUMNS} FROM associates WHERE id = $1 FOR UPDATE"),
        &[&id],
        rows::lock_state,
    )
    .await?;
    let Some(before) = before else {
        return Ok(None);
    };
    let after = before.after_failure(now, settings);
    if after != before {
        let failed = i32::try_from(after.failed_logins).unwrap_or(i32::MAX);
        execute(
            &tx,
            "record failed log-in",
            "UPDATE associates SET failed_logins = $1, first_failure_at = $2, locked_until = $3
             WHERE id = $4",
            &[
                &failed,
                &after.first_failure_at.map(|t| t.0),
                &after.locked_until.map(|t| t.0),
                &id,
            ],
        )
        .await?;
    }
    commit(tx).await?;
    Ok(Some(FailureRecorded { before, after }))
}

pub(crate) async fn clear_login_failures(c: &Client, id: AssociateId) -> Result<bool> {
    Ok(clear_lock(c, id).await? > 0)
}

pub(crate) async fn set_must_change(c: &Client, id: AssociateId, value: bool) -> Result<()> {
    execute(
        c,
        "set must-change",
        "UPDATE associates SET must_change = $1 WHERE id = $2",
        &[&value, &id],
    )
    .await?;
    Ok(())
}

pub(crate) async fn insert_ticket(c: &Client, t: &TicketRecord) -> Result<()> {
    execute(
        c,
        "insert ticket",
        "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &t.id,
            &&t.digest[..],
            &t.associate_id,
            &t.created_at.0,
            &t.expires_at.0,
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn ticket(c: &Client, id: &str) -> Result<Option<TicketRecord>> {
    optional_row(
        c,
        "select ticket",
        &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"),
        &[&id],
        rows::ticket,
    )
    .await
}

pub(crate) async fn renew_ticket(c: &Client, id: &str, expires_at: Timestamp) -> Result<()> {
    execute(
        c,
        "renew ticket",
        "UPDATE tickets SET expires_at = $1 WHERE id = $2",
        &[&expires_at.0, &id],
    )
    .await?;
    Ok(())
}

pub(crate) async fn purge_expired_tickets(c: &Client, now: Timestamp) -> Result<u64> {
    execute(
        c,
        "purge tickets",
        "DELETE FROM tickets WHERE expires_at < $1",
        &[&now.0],
    )
    .await
}

pub(crate) async fn insert_app(c: &Client, new: &NewApp) -> Result<AppRecord> {
    let row = c
        .query_one(
            &format!(
                "INSERT INTO apps (name, name_key, digest, user_management, created_at, tenant_id)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING {APP_COLUMNS}"
            ),
            &[
                &new.name,
                &name_key(&new.name),
                &&new.digest[..],
                &new.user_management,
                &new.created_at.0,
                &new.tenant,
            ],
        )
        .await
        .map_err(|e| {
            if is_unique_violation(&e, &["apps_tenant_name_key", "apps_digest_key"]) {
                StoreError::Conflict
            } else {
                backend("insert app", &e)
            }
        })?;
    rows::app(&row)
}

pub(crate) async fn app_by_digest(c: &Client, digest: &[u8; 32]) -> Result<Option<AppRecord>> {
    optional_row(
        c,
        "select app by digest",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE digest = $1"),
        &[&&digest[..]],
        rows::app,
    )
    .await
}

pub(crate) async fn list_apps(c: &Client, tenant: TenantId) -> Result<Vec<AppRecord>> {
    all_rows(
        c,
        "list apps",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE tenant_id = $1 ORDER BY id"),
        &[&tenant],
        rows::app,
    )
    .await
}

pub(crate) async fn revoke_app(
    c: &Client,
    tenant: TenantId,
    name: &str,
    at: Timestamp,
) -> Result<bool> {
    let n = execute(
        c,
        "revoke app",
        "UPDATE apps SET revoked_at = COALESCE(revoked_at, $1)
         WHERE tenant_id = $2 AND name_key = $3",
        &[&at.0, &tenant, &name_key(name)],
    )
    .await?;
    Ok(n > 0)
}

pub(crate) async fn record_audit(c: &Client, event: &AuditEvent) -> Result<()> {
    write_audit(c, event).await
}

pub(crate) async fn recent_audit(c: &Client, tenant: TenantId, n: u32) -> Result<Vec<AuditEvent>> {
    all_rows(
        c,
        "select audit",
        &format!(
            "SELECT {AUDIT_COLUMNS} FROM audit WHERE tenant_id = $1
             ORDER BY at DESC, id DESC LIMIT $2"
        ),
        &[&tenant, &limit(n)],
        rows::audit_event,
    )
    .await
}

pub(crate) async fn audit_query(
    c: &Client,
    tenant: TenantId,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>> {
    all_rows(
        c,
        "query audit",
        &format!(
            "SELECT {AUDIT_COLUMNS} FROM audit
             WHERE tenant_id = $4
               AND ($1::BIGINT IS NULL OR at >= $1::BIGINT)
               AND ($2::INTEGER IS NULL OR actor = $2::INTEGER OR target = $2::INTEGER)
             ORDER BY at DESC, id DESC LIMIT $3"
        ),
        &[
            &filter.since.map(|t| t.0),
            &filter.associate_id,
            &limit(filter.limit),
            &tenant,
        ],
        rows::audit_event,
    )
    .await
}

/// The retention sweep: the one statement that deletes audit rows.
pub(crate) async fn purge_audit_before(c: &Client, before: Timestamp) -> Result<u64> {
    execute(
        c,
        "purge audit",
        "DELETE FROM audit WHERE at < $1",
        &[&before.0],
    )
    .await
}
