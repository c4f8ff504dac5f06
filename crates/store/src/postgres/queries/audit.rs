//! The audit trail: recording, reading, the retention sweep.

use super::*;

pub(crate) async fn record_audit(c: &Client, event: &AuditEvent) -> Result<()> {
    write_audit(c, event).await
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
/// One batch of the retention sweep: the `limit` oldest records, found by the time index;
/// rows another node's sweep holds are skipped.
pub(crate) async fn purge_audit_before(c: &Client, before: Timestamp, limit: u32) -> Result<u64> {
    execute(
        c,
        "purge audit",
        "DELETE FROM audit WHERE id IN
           (SELECT id FROM audit WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)",
        &[&before.0, &i64::from(limit)],
    )
    .await
}
