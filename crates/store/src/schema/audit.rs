//! `audit`: the columns, the row as an [`AuditEvent`] and back.

use accounts::{AuditEvent, Outcome};

use super::{col, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Int),
    col("tenant_id", Ty::Int),
    col("at", Ty::Int),
    col("actor", Ty::Int32),
    col("target", Ty::Int32),
    col("operation", Ty::Text),
    col("outcome", Ty::Text),
    col("client", Ty::Text),
    col("app", Ty::Text),
    col("operation_id", Ty::Text),
];

pub(crate) fn audit_event(r: &Cols<'_>) -> Result<AuditEvent> {
    Ok(AuditEvent {
        at: r.time("at")?,
        actor: r.opt_int("actor")?,
        target: r.opt_int("target")?,
        operation: r.text("operation")?,
        outcome: Outcome::parse(&r.text("outcome")?),
        client: r.opt_text("client")?,
        app: r.opt_text("app")?,
        operation_id: r.opt_text("operation_id")?,
        tenant: r.int("tenant_id")?,
    })
}

pub(crate) fn new_audit_event(e: &AuditEvent) -> Fields<'_> {
    vec![
        ("tenant_id", e.tenant.into()),
        ("at", e.at.into()),
        ("actor", e.actor.into()),
        ("target", e.target.into()),
        ("operation", e.operation.as_str().into()),
        ("outcome", e.outcome.as_str().into()),
        ("client", e.client.as_deref().into()),
        ("app", e.app.as_deref().into()),
        ("operation_id", e.operation_id.as_deref().into()),
    ]
}
