//! Tickets: insert, look-up, renewal, purge.

use accounts::{TicketRecord, Timestamp};

use super::{insert_sql, select};
use crate::schema::{self, Table};
use crate::sql::{Exec, Query, Result};

pub(crate) async fn insert_ticket(db: &mut impl Exec, t: &TicketRecord) -> Result<()> {
    let (sql, values) = insert_sql(Table::Tickets, schema::new_ticket(t));
    db.exec(&Query::new("insert ticket", Table::Tickets, &sql), &values)
        .await?;
    Ok(())
}

pub(crate) async fn ticket(db: &mut impl Exec, id: &str) -> Result<Option<TicketRecord>> {
    let sql = select(Table::Tickets, "WHERE id = ?1");
    let q = Query::new("select ticket", Table::Tickets, &sql);
    db.query_opt(&q, &[id.into()], schema::ticket).await
}

pub(crate) async fn renew_ticket(
    db: &mut impl Exec,
    id: &str,
    expires_at: Timestamp,
) -> Result<()> {
    let q = Query::new(
        "renew ticket",
        Table::Tickets,
        "UPDATE tickets SET expires_at = ?1 WHERE id = ?2",
    );
    db.exec(&q, &[expires_at.into(), id.into()]).await?;
    Ok(())
}

/// One batch of the sweep: the `limit` longest-expired tickets, found by the expiry index.
/// Rows another node's sweep holds are skipped, not waited for.
pub(crate) async fn purge_expired_tickets(
    db: &mut impl Exec,
    now: Timestamp,
    limit: u32,
) -> Result<u64> {
    let q = Query::new(
        "purge tickets",
        Table::Tickets,
        "DELETE FROM tickets WHERE id IN
           (SELECT id FROM tickets WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2
            FOR UPDATE SKIP LOCKED)",
    );
    db.exec(&q, &[now.into(), limit.into()]).await
}
