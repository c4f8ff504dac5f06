//! Tickets: insert, look-up, renewal, purge.

use super::*;

pub(crate) fn insert_ticket(conn: &Connection, t: &TicketRecord) -> Result<()> {
    exec(
        conn,
        "insert ticket",
        "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at, app_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            t.id,
            t.digest,
            t.associate_id,
            t.created_at.0,
            t.expires_at.0,
            t.app_id
        ],
    )?;
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
    exec(
        conn,
        "renew ticket",
        "UPDATE tickets SET expires_at = ?1 WHERE id = ?2",
        params![expires_at.0, id],
    )?;
    Ok(())
}

/// One batch of the sweep: the `limit` longest-expired tickets, found by the expiry index.
pub(crate) fn purge_expired_tickets(conn: &Connection, now: Timestamp, limit: u32) -> Result<u64> {
    let n = exec(
        conn,
        "purge tickets",
        "DELETE FROM tickets WHERE id IN
           (SELECT id FROM tickets WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2)",
        params![now.0, limit],
    )?;
    u64::try_from(n).map_err(|_| StoreError::Backend("purge tickets: count out of range".into()))
}
