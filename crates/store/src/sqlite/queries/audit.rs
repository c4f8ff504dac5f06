//! The audit trail: recording, reading, the retention sweep.

use super::*;

pub(crate) fn record_audit(conn: &Connection, event: &AuditEvent) -> Result<()> {
    write_audit(conn, event)
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
/// One batch of the retention sweep: the `limit` oldest records, found by the time index.
pub(crate) fn purge_audit_before(conn: &Connection, before: Timestamp, limit: u32) -> Result<u64> {
    let n = exec(
        conn,
        "purge audit",
        "DELETE FROM audit WHERE id IN
           (SELECT id FROM audit WHERE at < ?1 ORDER BY at LIMIT ?2)",
        params![before.0, limit],
    )?;
    Ok(n as u64)
}
