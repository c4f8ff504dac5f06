//! `apps`: the columns, the row as an [`AppRecord`], the row a [`NewApp`] inserts.

use accounts::{AppRecord, NewApp};

use super::{col, name_key, secret, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Int),
    col("tenant_id", Ty::Int),
    col("name", Ty::Text),
    col("name_key", Ty::Text),
    secret("digest", Ty::Blob),
    col("user_management", Ty::Bool),
    col("created_at", Ty::Int),
    col("revoked_at", Ty::Int),
];

pub(crate) fn app(r: &Cols<'_>) -> Result<AppRecord> {
    Ok(AppRecord {
        id: r.int("id")?,
        name: r.text("name")?,
        digest: r.bytes("digest")?,
        user_management: r.bool("user_management")?,
        created_at: r.time("created_at")?,
        revoked_at: r.opt_time("revoked_at")?,
        tenant: r.int("tenant_id")?,
    })
}

pub(crate) fn new_app(new: &NewApp) -> Fields<'_> {
    vec![
        ("tenant_id", new.tenant.into()),
        ("name", new.name.as_str().into()),
        ("name_key", name_key(&new.name).into()),
        ("digest", new.digest.as_slice().into()),
        ("user_management", new.user_management.into()),
        ("created_at", new.created_at.into()),
    ]
}
