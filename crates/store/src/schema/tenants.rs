//! `tenants`: the columns, the row as a [`Tenant`], the row a new tenant inserts.

use accounts::{Tenant, Timestamp};

use super::{col, name_key, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Int),
    col("name", Ty::Text),
    col("name_key", Ty::Text),
    col("created_at", Ty::Int),
];

pub(crate) fn tenant(r: &Cols<'_>) -> Result<Tenant> {
    Ok(Tenant {
        id: r.int("id")?,
        name: r.text("name")?,
        created_at: r.time("created_at")?,
    })
}

pub(crate) fn new_tenant(name: &str, created_at: Timestamp) -> Fields<'_> {
    vec![
        ("name", name.into()),
        ("name_key", name_key(name).into()),
        ("created_at", created_at.into()),
    ]
}
