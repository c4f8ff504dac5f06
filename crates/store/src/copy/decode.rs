//! Source rows into the backend-neutral row model: one decoder per table, shared by both
//! backends through [`SourceRow`], which each implements for its own row type (and with
//! its own error text for a column it cannot read).

use super::error::CopyError;
use super::rows::{AppRow, AssociateRow, AuditRow, Batch, HistoryRow, Table, TenantRow, TicketRow};

/// A value both backends can read out of a column.
pub(crate) trait Column:
    Sized + rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>
{
}

impl<T> Column for T where T: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a> {}

/// One row read from a source table.
pub(crate) trait SourceRow {
    /// Column `idx` of a row of `table`; an error names the column, never the value.
    fn col<T: Column>(&self, table: Table, idx: usize) -> Result<T, CopyError>;
}

/// An empty batch of `table`'s rows.
pub(crate) fn empty(table: Table) -> Batch {
    match table {
        Table::Tenants => Batch::Tenants(Vec::new()),
        Table::Associates => Batch::Associates(Vec::new()),
        Table::PasswordHistory => Batch::PasswordHistory(Vec::new()),
        Table::Apps => Batch::Apps(Vec::new()),
        Table::Audit => Batch::Audit(Vec::new()),
        Table::Tickets => Batch::Tickets(Vec::new()),
    }
}

/// Decodes `r` and appends it to `batch` (whose table it is a row of).
pub(crate) fn push(batch: &mut Batch, r: &impl SourceRow) -> Result<(), CopyError> {
    match batch {
        Batch::Tenants(rows) => rows.push(TenantRow {
            id: r.col(Table::Tenants, 0)?,
            name: r.col(Table::Tenants, 1)?,
            name_key: r.col(Table::Tenants, 2)?,
            created_at: r.col(Table::Tenants, 3)?,
        }),
        Batch::Associates(rows) => {
            let t = Table::Associates;
            rows.push(AssociateRow {
                id: r.col(t, 0)?,
                tenant_id: r.col(t, 1)?,
                name: r.col(t, 2)?,
                name_key: r.col(t, 3)?,
                full_name: r.col(t, 4)?,
                user_type: r.col(t, 5)?,
                rights: r.col(t, 6)?,
                retired: r.col(t, 7)?,
                password_hash: r.col(t, 8)?,
                created_at: r.col(t, 9)?,
                must_change: r.col(t, 10)?,
                failed_logins: r.col(t, 11)?,
                first_failure_at: r.col(t, 12)?,
                locked_until: r.col(t, 13)?,
            })
        }
        Batch::PasswordHistory(rows) => {
            let t = Table::PasswordHistory;
            rows.push(HistoryRow {
                id: r.col(t, 0)?,
                associate_id: r.col(t, 1)?,
                password_hash: r.col(t, 2)?,
                replaced_at: r.col(t, 3)?,
            })
        }
        Batch::Apps(rows) => {
            let t = Table::Apps;
            rows.push(AppRow {
                id: r.col(t, 0)?,
                tenant_id: r.col(t, 1)?,
                name: r.col(t, 2)?,
                name_key: r.col(t, 3)?,
                digest: r.col(t, 4)?,
                user_management: r.col(t, 5)?,
                created_at: r.col(t, 6)?,
                revoked_at: r.col(t, 7)?,
            })
        }
        Batch::Audit(rows) => {
            let t = Table::Audit;
            rows.push(AuditRow {
                id: r.col(t, 0)?,
                tenant_id: r.col(t, 1)?,
                at: r.col(t, 2)?,
                actor: r.col(t, 3)?,
                target: r.col(t, 4)?,
                operation: r.col(t, 5)?,
                outcome: r.col(t, 6)?,
                client: r.col(t, 7)?,
                app: r.col(t, 8)?,
                operation_id: r.col(t, 9)?,
            })
        }
        Batch::Tickets(rows) => {
            let t = Table::Tickets;
            rows.push(TicketRow {
                id: r.col(t, 0)?,
                digest: r.col(t, 1)?,
                associate_id: r.col(t, 2)?,
                created_at: r.col(t, 3)?,
                expires_at: r.col(t, 4)?,
                app_id: r.col(t, 5)?,
            })
        }
    }
    Ok(())
}
