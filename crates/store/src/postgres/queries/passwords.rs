//! Password changes and the soft lock: the one-transaction change, history, must-change, failed log-ins.

use super::*;

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

/// One transaction: lock the row, read the state, apply the domain's rule, write it.
/// Concurrent failures wait on the row lock, so each one counts.
pub(crate) async fn record_login_failure(
    c: &mut Client,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(c).await?;
    let recorded = count_failure(&tx, id, now, settings).await?;
    commit(tx).await?;
    Ok(recorded)
}

/// A refused log-in: the failure counted and the audit record written in one
/// transaction (one commit, as for an unknown name's audit record alone).
pub(crate) async fn record_refused_login(
    c: &mut Client,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
    locked: bool,
    mut event: AuditEvent,
) -> Result<Option<FailureRecorded>> {
    let tx = begin(c).await?;
    let recorded = count_failure(&tx, id, now, settings).await?;
    let outcome = accounts::refusal_outcome(recorded.as_ref(), locked);
    event.outcome = accounts::Outcome::Failure(outcome.into());
    write_audit(&tx, &event).await?;
    commit(tx).await?;
    Ok(recorded)
}

/// Reads the associate's lock state (locking its row), applies the domain's rule and
/// writes it back, inside the caller's transaction.
async fn count_failure<C: GenericClient>(
    tx: &C,
    id: AssociateId,
    now: Timestamp,
    settings: &LockoutSettings,
) -> Result<Option<FailureRecorded>> {
    let before = optional_row(
        tx,
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
            tx,
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
    Ok(Some(FailureRecorded { before, after }))
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

pub(crate) async fn clear_login_failures(c: &Client, id: AssociateId) -> Result<bool> {
    Ok(clear_lock(c, id).await? > 0)
}
