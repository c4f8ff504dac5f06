//! Password changes and the soft lock: the one-transaction change, the history,
//! must-change, failed log-ins.

use accounts::{
    AssociateId, AuditEvent, FailureRecorded, LockoutSettings, Login, PasswordChange, Timestamp,
};

use super::{insert_sql, insert_ticket, select, write_audit};
use crate::schema::{self, Table};
use crate::sql::{Exec, Query, Result, Tx, Value};

/// One transaction: the re-hash, the cleared lock, the ticket and the audit record of a
/// successful log-in, each when asked for.
pub(crate) async fn commit_login(mut tx: impl Tx, login: &Login) -> Result<()> {
    let id = login.associate_id;
    if let Some(hash) = &login.rehash {
        let q = Query::new(
            "update password hash",
            Table::Associates,
            "UPDATE associates SET password_hash = ?1 WHERE id = ?2",
        );
        tx.exec(&q, &[hash.as_str().into(), id.into()]).await?;
    }
    if login.clear_lock {
        clear_lock(&mut tx, id).await?;
    }
    if let Some(ticket) = &login.ticket {
        insert_ticket(&mut tx, ticket).await?;
    }
    if let Some(event) = &login.audit {
        write_audit(&mut tx, event).await?;
    }
    tx.commit().await
}

/// One transaction: lock the row and read the old hash, write the new one, keep the old
/// in the history, clear the lock if asked, revoke the other tickets, audit. False (and
/// nothing written, no audit record either) when the associate does not exist.
pub(crate) async fn commit_password_change(
    mut tx: impl Tx,
    change: &PasswordChange,
) -> Result<bool> {
    let id = change.associate_id;
    let sql = select(Table::Associates, "WHERE id = ?1 FOR UPDATE");
    let read = Query::new("read password hash", Table::Associates, &sql);
    let old = tx
        .query_opt(&read, &[id.into()], |r| r.opt_text("password_hash"))
        .await?;
    let Some(old) = old else {
        return Ok(false); // dropping `tx` rolls back
    };
    let update = Query::new(
        "update password hash",
        Table::Associates,
        "UPDATE associates SET password_hash = ?1, must_change = ?2 WHERE id = ?3",
    );
    let values: [Value<'_>; 3] = [
        change.password_hash.as_str().into(),
        change.must_change.into(),
        id.into(),
    ];
    tx.exec(&update, &values).await?;
    remember(&mut tx, change, old.as_deref()).await?;
    if change.clear_lock {
        clear_lock(&mut tx, id).await?;
    }
    let revoke = Query::new(
        "revoke tickets",
        Table::Tickets,
        "DELETE FROM tickets
         WHERE associate_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR id <> CAST(?2 AS TEXT))",
    );
    let keep = change.keep_ticket.as_deref();
    tx.exec(&revoke, &[id.into(), keep.into()]).await?;
    write_audit(&mut tx, &change.audit).await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves the replaced hash into the history and trims it to `history_keep` entries.
async fn remember(tx: &mut impl Exec, change: &PasswordChange, old: Option<&str>) -> Result<()> {
    let id = change.associate_id;
    if let (Some(old), true) = (old, change.history_keep > 0) {
        let entry = schema::new_history_entry(id, old, change.audit.at);
        let (sql, values) = insert_sql(Table::PasswordHistory, entry);
        let q = Query::new("remember password hash", Table::PasswordHistory, &sql);
        tx.exec(&q, &values).await?;
    }
    let trim = Query::new(
        "trim password history",
        Table::PasswordHistory,
        "DELETE FROM password_history WHERE associate_id = ?1 AND id NOT IN
             (SELECT id FROM password_history WHERE associate_id = ?1
              ORDER BY id DESC LIMIT ?2)",
    );
    tx.exec(&trim, &[id.into(), change.history_keep.into()])
        .await?;
    Ok(())
}

pub(crate) async fn password_history(
    db: &mut impl Exec,
    id: AssociateId,
    limit: u32,
) -> Result<Vec<String>> {
    let sql = select(
        Table::PasswordHistory,
        "WHERE associate_id = ?1 ORDER BY id DESC LIMIT ?2",
    );
    let q = Query::new("read password history", Table::PasswordHistory, &sql);
    db.query_all(&q, &[id.into(), limit.into()], schema::history_hash)
        .await
}

/// One transaction: lock the row, read the state, apply the domain's rule, write it.
/// Concurrent failures queue on the lock, so each one counts.
pub(crate) async fn record_login_failure(
    mut tx: impl Tx,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let recorded = count_failure(&mut tx, id, now, settings).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// A refused log-in: the failure counted and the audit record written in one
/// transaction (one commit, as for an unknown name's audit record alone).
pub(crate) async fn record_refused_login(
    mut tx: impl Tx,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
    locked: bool,
    mut event: AuditEvent,
) -> Result<Option<FailureRecorded>> {
    let recorded = count_failure(&mut tx, id, now, settings).await?;
    event.outcome = accounts::LoginRefusal::of(recorded.as_ref(), locked).outcome();
    write_audit(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Reads the associate's lock state (locking its row), applies the domain's rule and
/// writes it back, inside the caller's transaction.
async fn count_failure(
    tx: &mut impl Exec,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let sql = select(Table::Associates, "WHERE id = ?1 FOR UPDATE");
    let read = Query::new("read failed log-ins", Table::Associates, &sql);
    let Some(before) = tx
        .query_opt(&read, &[id.into()], schema::lock_state)
        .await?
    else {
        return Ok(None);
    };
    let after = before.after_failure(now, settings);
    if after != before {
        let write = Query::new(
            "record failed log-in",
            Table::Associates,
            "UPDATE associates SET failed_logins = ?1, first_failure_at = ?2, locked_until = ?3
             WHERE id = ?4",
        );
        let values: [Value<'_>; 4] = [
            after.failed_logins.into(),
            after.first_failure_at.into(),
            after.locked_until.into(),
            id.into(),
        ];
        tx.exec(&write, &values).await?;
    }
    Ok(Some(FailureRecorded { before, after }))
}

async fn clear_lock(db: &mut impl Exec, id: AssociateId) -> Result<u64> {
    let q = Query::new(
        "clear failed log-ins",
        Table::Associates,
        "UPDATE associates SET failed_logins = 0, first_failure_at = NULL, locked_until = NULL
         WHERE id = ?1",
    );
    db.exec(&q, &[id.into()]).await
}

pub(crate) async fn clear_login_failures(db: &mut impl Exec, id: AssociateId) -> Result<bool> {
    Ok(clear_lock(db, id).await? > 0)
}
