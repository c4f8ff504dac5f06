//! The audit trail: recording, reading, the retention sweep.

use accounts::{AuditEvent, AuditFilter, TenantId, Timestamp};

use super::{select, write_audit};
use crate::schema::{self, Table};
use crate::sql::{Exec, Query, Result, Value};

pub(crate) async fn record_audit(db: &mut impl Exec, event: &AuditEvent) -> Result<()> {
    write_audit(db, event).await
}

pub(crate) async fn audit_query(
    db: &mut impl Exec,
    tenant: TenantId,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>> {
    let sql = select(
        Table::Audit,
        "WHERE tenant_id = ?4
           AND (CAST(?1 AS BIGINT) IS NULL OR at >= CAST(?1 AS BIGINT))
           AND (CAST(?2 AS INTEGER) IS NULL
                OR actor = CAST(?2 AS INTEGER) OR target = CAST(?2 AS INTEGER))
         ORDER BY at DESC, id DESC LIMIT ?3",
    );
    let q = Query::new("query audit", Table::Audit, &sql);
    let values: [Value<'_>; 4] = [
        filter.since.into(),
        filter.associate_id.into(),
        filter.limit.into(),
        tenant.into(),
    ];
    db.query_all(&q, &values, schema::audit_event).await
}

/// One batch of the retention sweep, the one statement that deletes audit rows: the
/// `limit` oldest records, found by the time index; rows another node's sweep holds are
/// skipped.
pub(crate) async fn purge_audit_before(
    db: &mut impl Exec,
    before: Timestamp,
    limit: u32,
) -> Result<u64> {
    let q = Query::new(
        "purge audit",
        Table::Audit,
        "DELETE FROM audit WHERE id IN
           (SELECT id FROM audit WHERE at < ?1 ORDER BY at LIMIT ?2 FOR UPDATE SKIP LOCKED)",
    );
    db.exec(&q, &[before.into(), limit.into()]).await
}
