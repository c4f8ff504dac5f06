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

fn begin(conn: &mut Connection) -> Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| backend("begin transaction", &e))
}

fn commit(tx: Transaction<'_>) -> Result<()> {
    tx.commit().map_err(|e| backend("commit", &e))
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
    conn.execute(
        "INSERT INTO audit (at, actor, target, operation, outcome, client, app, operation_id, tenant_id)
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
        ],
    )
    .map_err(|e| backend("insert audit", &e))?;
    Ok(())
}

pub(crate) fn associate_by_id(conn: &Connection, id: AssociateId) -> Result<Option<Associate>> {
    optional_row(
        conn,
        "select associate",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE id = ?1"),
        [id],
        rows::associate,
    )
}

pub(crate) fn tenant_by_name(conn: &Connection, name: &str) -> Result<Option<Tenant>> {
    optional_row(
        conn,
        "select tenant by name",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE name_key = ?1"),
        [name_key(name)],
        rows::tenant,
    )
}

pub(crate) fn insert_tenant(conn: &Connection, name: &str, at: Timestamp) -> Result<Tenant> {
    conn.execute(
        "INSERT INTO tenants (name, name_key, created_at) VALUES (?1, ?2, ?3)",
        params![name, name_key(name), at.0],
    )
    .map_err(|e| {
        if is_unique_violation(&e, &["tenants.name_key"]) {
            StoreError::Conflict
        } else {
            backend("insert tenant", &e)
        }
    })?;
    Ok(Tenant {
        id: conn.last_insert_rowid(),
        name: name.to_owned(),
        created_at: at,
    })
}

pub(crate) fn list_tenants(conn: &Connection) -> Result<Vec<Tenant>> {
    all_rows(
        conn,
        "list tenants",
        &format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"),
        [],
        rows::tenant,
    )
}

pub(crate) fn associate_by_name(
    conn: &Connection,
    tenant: TenantId,
    name: &str,
) -> Result<Option<Associate>> {
    optional_row(
        conn,
        "select associate by name",
        &format!(
            "SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = ?1 AND name_key = ?2"
        ),
        params![tenant, name_key(name)],
        rows::associate,
    )
}

pub(crate) fn list_associates(conn: &Connection, tenant: TenantId) -> Result<Vec<Associate>> {
    all_rows(
        conn,
        "list associates",
        &format!("SELECT {ASSOCIATE_COLUMNS} FROM associates WHERE tenant_id = ?1 ORDER BY id"),
        [tenant],
        rows::associate,
    )
}

pub(crate) fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
        .map(drop)
        .map_err(|e| backend("ping", &e))
}

pub(crate) fn count_associates(conn: &Connection, tenant: TenantId) -> Result<u64> {
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM associates WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .map_err(|e| backend("count associates", &e))?;
    u64::try_from(n).map_err(|_| StoreError::Backend("count associates: negative count".into()))
}

fn is_name_conflict(e: &rusqlite::Error) -> bool {
    is_unique_violation(e, &["associates.name_key"])
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

pub(crate) fn insert_associate(
    conn: &mut Connection,
    new: &NewAssociate,
    now: Timestamp,
) -> Result<Associate> {
    let tx = begin(conn)?;
    tx.execute(
        "INSERT INTO associates
             (name, name_key, full_name, user_type, rights, retired, password_hash, created_at,
              must_change, tenant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9)",
        params![
            new.name,
            name_key(&new.name),
            new.full_name,
            new.user_type.as_str(),
            encode_rights(&new.rights),
            new.password_hash,
            now.0,
            new.must_change,
            new.tenant,
        ],
    )
    .map_err(|e| {
        if is_name_conflict(&e) {
            StoreError::Conflict
        } else {
            backend("insert associate", &e)
        }
    })?;
    let id = AssociateId::try_from(tx.last_insert_rowid()).map_err(|_| {
        StoreError::Backend("insert associate: the associate id range is exhausted".into())
    })?;
    let inserted = associate_by_id(&tx, id)?.ok_or_else(|| {
        StoreError::Backend("insert associate: the new row cannot be read back".into())
    })?;
    commit(tx)?;
    Ok(inserted)
}

pub(crate) fn retire_associate(conn: &mut Connection, id: AssociateId) -> Result<bool> {
    let tx = begin(conn)?;
    let updated = tx
        .execute("UPDATE associates SET retired = 1 WHERE id = ?1", [id])
        .map_err(|e| backend("retire associate", &e))?;
    if updated == 0 {
        return Ok(false); // dropping `tx` rolls back
    }
    tx.execute("DELETE FROM tickets WHERE associate_id = ?1", [id])
        .map_err(|e| backend("revoke tickets", &e))?;
    commit(tx)?;
    Ok(true)
}

pub(crate) fn update_password_hash(conn: &Connection, id: AssociateId, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE associates SET password_hash = ?1 WHERE id = ?2",
        params![hash, id],
    )
    .map_err(|e| backend("update password hash", &e))?;
    Ok(())
}

pub(crate) fn commit_password_change(
    conn: &mut Connection,
    change: &PasswordChange,
) -> Result<bool> {
    let tx = begin(conn)?;
    let old: Option<Option<String>> = optional_row(
        &tx,
        "read password hash",
        "SELECT password_hash FROM associates WHERE id = ?1",
        [change.associate_id],
        |r| r.get(0).map_err(|e| backend("read password hash", &e)),
    )?;
    let Some(old) = old else {
        return Ok(false); // dropping `tx` rolls back; no audit row either
    };
    tx.execute(
        "UPDATE associates SET password_hash = ?1, must_change = ?2 WHERE id = ?3",
        params![
            change.password_hash,
            change.must_change,
            change.associate_id
        ],
    )
    .map_err(|e| backend("update password hash", &e))?;
    remember(&tx, change, old.as_deref())?;
    if change.clear_lock {
        clear_lock(&tx, change.associate_id)?;
    }
    tx.execute(
        "DELETE FROM tickets WHERE associate_id = ?1 AND (?2 IS NULL OR id <> ?2)",
        params![change.associate_id, change.keep_ticket],
    )
    .map_err(|e| backend("revoke tickets", &e))?;
    write_audit(&tx, &change.audit)?;
    commit(tx)?;
    Ok(true)
}

/// Moves the replaced hash into the history and trims it to `history_keep` entries.
fn remember(tx: &Connection, change: &PasswordChange, old: Option<&str>) -> Result<()> {
    if let (Some(old), true) = (old, change.history_keep > 0) {
        tx.execute(
            "INSERT INTO password_history (associate_id, password_hash, replaced_at) VALUES (?1, ?2, ?3)",
            params![change.associate_id, old, change.audit.at.0],
        )
        .map_err(|e| backend("remember password hash", &e))?;
    }
    let keep = i64::try_from(change.history_keep).unwrap_or(i64::MAX);
    tx.execute(
        "DELETE FROM password_history WHERE associate_id = ?1 AND id NOT IN
             (SELECT id FROM password_history WHERE associate_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![change.associate_id, keep],
    )
    .map_err(|e| backend("trim password history", &e))?;
    Ok(())
}

pub(crate) fn password_history(
    conn: &Connection,
    id: AssociateId,
    limit: u32,
) -> Result<Vec<String>> {
    all_rows(
        conn,
        "read password history",
        "SELECT password_hash FROM password_history WHERE associate_id = ?1 ORDER BY id DESC LIMIT ?2",
        params![id, limit],
        |r| r.get(0).map_err(|e| backend("read password history", &e)),
    )
}

const CLEAR_LOCK: &str = "UPDATE associates
     SET failed_logins = 0, first_failure_at = NULL, locked_until = NULL WHERE id = ?1";

fn clear_lock(conn: &Connection, id: AssociateId) -> Result<usize> {
    conn.execute(CLEAR_LOCK, [id])
        .map_err(|e| backend("clear failed log-ins", &e))
}

/// One `BEGIN IMMEDIATE` transaction: read the state, apply the domain's rule, write it.
/// The write lock is taken up front, so concurrent failures queue and each one counts.
pub(crate) fn record_login_failure(
    conn: &mut Connection,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(conn)?;
    let before = optional_row(
        &tx,
        "read failed log-ins",
        &format!("SELECT {LOCK_COLUMNS} FROM associates WHERE id = ?1"),
        [id],
        rows::lock_state,
    )?;
    let Some(before) = before else {
        return Ok(None);
    };
    let after = before.after_failure(now, settings);
    if after != before {
        tx.execute(
            "UPDATE associates SET failed_logins = ?1, first_failure_at = ?2, locked_until = ?3
             WHERE id = ?4",
            params![
                after.failed_logins,
                after.first_failure_at.map(|t| t.0),
                after.locked_until.map(|t| t.0),
                id
            ],
        )
        .map_err(|e| backend("record failed log-in", &e))?;
    }
    commit(tx)?;
    Ok(Some(FailureRecorded { before, after }))
}

pub(crate) fn clear_login_failures(conn: &Connection, id: AssociateId) -> Result<bool> {
    Ok(clear_lock(conn, id)? > 0)
}

pub(crate) fn set_must_change(conn: &Connection, id: AssociateId, value: bool) -> Result<()> {
    conn.execute(
        "UPDATE associates SET must_change = ?1 WHERE id = ?2",
        params![value, id],
    )
    .map_err(|e| backend("set must-change", &e))?;
    Ok(())
}

pub(crate) fn insert_ticket(conn: &Connection, t: &TicketRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            t.id,
            t.digest,
            t.associate_id,
            t.created_at.0,
            t.expires_at.0
        ],
    )
    .map_err(|e| backend("insert ticket", &e))?;
    Ok(())
}

pub(crate) fn ticket(conn: &Connection, id: &str) -> Result<Option<TicketRecord>> {
    optional_row(
        conn,
        "select ticket",
        &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"),
        [id],
        rows::ticket,
    )
}

pub(crate) fn renew_ticket(conn: &Connection, id: &str, expires_at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET expires_at = ?1 WHERE id = ?2",
        params![expires_at.0, id],
    )
    .map_err(|e| backend("renew ticket", &e))?;
    Ok(())
}

pub(crate) fn purge_expired_tickets(conn: &Connection, now: Timestamp) -> Result<u64> {
    let n = conn
        .execute("DELETE FROM tickets WHERE expires_at < ?1", [now.0])
        .map_err(|e| backend("purge tickets", &e))?;
    u64::try_from(n).map_err(|_| StoreError::Backend("purge tickets: count out of range".into()))
}

pub(crate) fn insert_app(conn: &Connection, new: &NewApp) -> Result<AppRecord> {
    conn.execute(
        "INSERT INTO apps (name, name_key, digest, user_management, created_at, tenant_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new.name,
            name_key(&new.name),
            new.digest,
            new.user_management,
            new.created_at.0,
            new.tenant,
        ],
    )
    .map_err(|e| {
        if is_unique_violation(&e, &["apps.name_key", "apps.digest"]) {
            StoreError::Conflict
        } else {
            backend("insert app", &e)
        }
    })?;
    let id = conn.last_insert_rowid();
    optional_row(
        conn,
        "select app",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE id = ?1"),
        [id],
        rows::app,
    )?
    .ok_or_else(|| StoreError::Backend("insert app: the new row cannot be read back".into()))
}

pub(crate) fn app_by_digest(conn: &Connection, digest: &[u8; 32]) -> Result<Option<AppRecord>> {
    optional_row(
        conn,
        "select app by digest",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE digest = ?1"),
        [&digest[..]],
        rows::app,
    )
}

pub(crate) fn list_apps(conn: &Connection, tenant: TenantId) -> Result<Vec<AppRecord>> {
    all_rows(
        conn,
        "list apps",
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE tenant_id = ?1 ORDER BY id"),
        [tenant],
        rows::app,
    )
}

pub(crate) fn revoke_app(
    conn: &Connection,
    tenant: TenantId,
    name: &str,
    at: Timestamp,
) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE apps SET revoked_at = COALESCE(revoked_at, ?1)
             WHERE tenant_id = ?2 AND name_key = ?3",
            params![at.0, tenant, name_key(name)],
        )
        .map_err(|e| backend("revoke app", &e))?;
    Ok(n > 0)
}

pub(crate) fn record_audit(conn: &Connection, event: &AuditEvent) -> Result<()> {
    write_audit(conn, event)
}

pub(crate) fn recent_audit(
    conn: &Connection,
    tenant: TenantId,
    limit: u32,
) -> Result<Vec<AuditEvent>> {
    all_rows(
        conn,
        "select audit",
        &format!(
            "SELECT {AUDIT_COLUMNS} FROM audit WHERE tenant_id = ?1
             ORDER BY at DESC, id DESC LIMIT ?2"
        ),
        params![tenant, limit],
        rows::audit_event,
    )
}

pub(crate) fn audit_query(
    conn: &Connection,
    tenant: TenantId,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>> {
    all_rows(
        conn,
        "query audit",
        &format!(
            "SELECT {AUDIT_COLUMNS} FROM audit
             WHERE tenant_id = ?4
               AND (?1 IS NULL OR at >= ?1)
               AND (?2 IS NULL OR actor = ?2 OR target = ?2)
             ORDER BY at DESC, id DESC LIMIT ?3"
        ),
        params![
            filter.since.map(|t| t.0),
            filter.associate_id,
            filter.limit,
            tenant
        ],
        rows::audit_event,
    )
}

/// The retention sweep: the one statement that deletes audit rows.
pub(crate) fn purge_audit_before(conn: &Connection, before: Timestamp) -> Result<u64> {
    let n = conn
        .execute("DELETE FROM audit WHERE at < ?1", [before.0])
        .map_err(|e| backend("purge audit", &e))?;
    Ok(n as u64)
}
