//! Password changes and the soft lock: the one-transaction change, history, must-change, failed log-ins.

use super::*;

pub(crate) fn update_password_hash(conn: &Connection, id: AssociateId, hash: &str) -> Result<()> {
    exec(
        conn,
        "update password hash",
        "UPDATE associates SET password_hash = ?1 WHERE id = ?2",
        params![hash, id],
    )?;
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
    exec(
        &tx,
        "update password hash",
        "UPDATE associates SET password_hash = ?1, must_change = ?2 WHERE id = ?3",
        params![
            change.password_hash,
            change.must_change,
            change.associate_id
        ],
    )?;
    remember(&tx, change, old.as_deref())?;
    if change.clear_lock {
        clear_lock(&tx, change.associate_id)?;
    }
    exec(
        &tx,
        "revoke tickets",
        "DELETE FROM tickets WHERE associate_id = ?1 AND (?2 IS NULL OR id <> ?2)",
        params![change.associate_id, change.keep_ticket],
    )?;
    write_audit(&tx, &change.audit)?;
    commit(tx)?;
    Ok(true)
}

/// Moves the replaced hash into the history and trims it to `history_keep` entries.
fn remember(tx: &Connection, change: &PasswordChange, old: Option<&str>) -> Result<()> {
    if let (Some(old), true) = (old, change.history_keep > 0) {
        exec(tx, "remember password hash", "INSERT INTO password_history (associate_id, password_hash, replaced_at) VALUES (?1, ?2, ?3)",
            params![change.associate_id, old, change.audit.at.0])?;
    }
    let keep = i64::try_from(change.history_keep).unwrap_or(i64::MAX);
    exec(
        tx,
        "trim password history",
        "DELETE FROM password_history WHERE associate_id = ?1 AND id NOT IN
             (SELECT id FROM password_history WHERE associate_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![change.associate_id, keep],
    )?;
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

/// One `BEGIN IMMEDIATE` transaction: read the state, apply the domain's rule, write it.
/// The write lock is taken up front, so concurrent failures queue and each one counts.
pub(crate) fn record_login_failure(
    conn: &mut Connection,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(conn)?;
    let recorded = count_failure(&tx, id, now, settings)?;
    commit(tx)?;
    Ok(recorded)
}

/// A refused log-in: the failure counted and the audit record written in one
/// transaction (one commit, as for an unknown name's audit record alone).
pub(crate) fn record_refused_login(
    conn: &mut Connection,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
    locked: bool,
    mut event: AuditEvent,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(conn)?;
    let recorded = count_failure(&tx, id, now, settings)?;
    let outcome = accounts::refusal_outcome(recorded.as_ref(), locked);
    event.outcome = accounts::Outcome::Failure(outcome.into());
    write_audit(&tx, &event)?;
    commit(tx)?;
    Ok(recorded)
}

/// Reads the associate's lock state, applies the domain's rule and writes it back, inside
/// the caller's transaction.
fn count_failure(
    tx: &Connection,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let before = optional_row(
        tx,
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
        exec(
            tx,
            "record failed log-in",
            "UPDATE associates SET failed_logins = ?1, first_failure_at = ?2, locked_until = ?3
             WHERE id = ?4",
            params![
                after.failed_logins,
                after.first_failure_at.map(|t| t.0),
                after.locked_until.map(|t| t.0),
                id
            ],
        )?;
    }
    Ok(Some(FailureRecorded { before, after }))
}

const CLEAR_LOCK: &str = "UPDATE associates
     SET failed_logins = 0, first_failure_at = NULL, locked_until = NULL WHERE id = ?1";

fn clear_lock(conn: &Connection, id: AssociateId) -> Result<usize> {
    exec(conn, "clear failed log-ins", CLEAR_LOCK, [id])
}

pub(crate) fn clear_login_failures(conn: &Connection, id: AssociateId) -> Result<bool> {
    Ok(clear_lock(conn, id)? > 0)
}
