//! `tickets`: the columns, the row as a [`TicketRecord`] and back.

use accounts::TicketRecord;

use super::{col, secret, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Text),
    secret("digest", Ty::Blob),
    col("associate_id", Ty::Int32),
    col("created_at", Ty::Int),
    col("expires_at", Ty::Int),
    col("app_id", Ty::Int),
];

pub(crate) fn ticket(r: &Cols<'_>) -> Result<TicketRecord> {
    Ok(TicketRecord {
        id: r.text("id")?,
        digest: r.bytes("digest")?,
        associate_id: r.int("associate_id")?,
        created_at: r.time("created_at")?,
        expires_at: r.time("expires_at")?,
        app_id: r.opt_int("app_id")?,
    })
}

pub(crate) fn new_ticket(t: &TicketRecord) -> Fields<'_> {
    vec![
        ("id", t.id.as_str().into()),
        ("digest", t.digest.as_slice().into()),
        ("associate_id", t.associate_id.into()),
        ("created_at", t.created_at.into()),
        ("expires_at", t.expires_at.into()),
        ("app_id", t.app_id.into()),
    ]
}
