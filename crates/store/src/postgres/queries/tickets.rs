//! Tickets: insert, look-up, renewal, purge.

use super::*;

pub(crate) async fn insert_ticket(c: &Client, t: &TicketRecord) -> Result<()> {
    execute(
        c,
        "insert ticket",
        "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at, app_id)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &t.id,
            &&t.digest[..],
            &t.associate_id,
            &t.created_at.0,
            &t.expires_at.0,
            &t.app_id,
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

/// One batch of the sweep: the `limit` longest-expired tickets, found by the expiry index.
/// Rows locked by another transaction (another node's sweep) are skipped, not waited for.
pub(crate) async fn purge_expired_tickets(c: &Client, now: Timestamp, limit: u32) -> Result<u64> {
    execute(
        c,
        "purge tickets",
        "DELETE FROM tickets WHERE id IN
           (SELECT id FROM tickets WHERE expires_at < $1 ORDER BY expires_at LIMIT $2
            FOR UPDATE SKIP LOCKED)",
        &[&now.0, &i64::from(limit)],
    )
    .await
}
