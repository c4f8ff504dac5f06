//! `password_history`: the columns, the hash a row keeps, the row a password change adds.

use accounts::{AssociateId, Timestamp};

use super::{col, secret, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Int),
    col("associate_id", Ty::Int32),
    secret("password_hash", Ty::Text),
    col("replaced_at", Ty::Int),
];

pub(crate) fn history_hash(r: &Cols<'_>) -> Result<String> {
    r.text("password_hash")
}

/// `hash`, replaced at `at`, remembered for `associate`.
pub(crate) fn new_history_entry(associate: AssociateId, hash: &str, at: Timestamp) -> Fields<'_> {
    vec![
        ("associate_id", associate.into()),
        ("password_hash", hash.into()),
        ("replaced_at", at.into()),
    ]
}
