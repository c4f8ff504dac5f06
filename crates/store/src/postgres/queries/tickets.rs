//! Tickets: insert, look-up, renewal, purge.

use super::*;

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
