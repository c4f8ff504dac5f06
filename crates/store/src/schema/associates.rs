//! `associates`: the columns, the row as an [`Associate`] (and its lock state), and the
//! row a [`NewAssociate`] inserts.

use accounts::{parse_rights, Associate, LockState, NewAssociate, Right, UserType};

use super::{col, name_key, secret, Column, Fields};
use crate::sql::{Cols, Result, Ty};

pub(super) const COLUMNS: &[Column] = &[
    col("id", Ty::Int32),
    col("tenant_id", Ty::Int),
    col("name", Ty::Text),
    col("name_key", Ty::Text),
    col("full_name", Ty::Text),
    col("user_type", Ty::Text),
    col("rights", Ty::Text),
    col("retired", Ty::Bool),
    secret("password_hash", Ty::Text),
    col("created_at", Ty::Int),
    col("must_change", Ty::Bool),
    col("failed_logins", Ty::Int32),
    col("first_failure_at", Ty::Int),
    col("locked_until", Ty::Int),
];

pub(crate) fn associate(r: &Cols<'_>) -> Result<Associate> {
    Ok(Associate {
        id: r.int("id")?,
        name: r.text("name")?,
        full_name: r.text("full_name")?,
        user_type: r
            .text("user_type")?
            .parse::<UserType>()
            .map_err(|_| r.invalid("user_type"))?,
        rights: parse_rights(&r.text("rights")?).map_err(|_| r.invalid("rights"))?,
        retired: r.bool("retired")?,
        password_hash: r.opt_text("password_hash")?,
        must_change: r.bool("must_change")?,
        lock: lock_state(r)?,
        tenant: r.int("tenant_id")?,
    })
}

/// The failed log-ins and the soft lock of an associate's row.
pub(crate) fn lock_state(r: &Cols<'_>) -> Result<LockState> {
    Ok(LockState {
        failed_logins: r.int("failed_logins")?,
        first_failure_at: r.opt_time("first_failure_at")?,
        locked_until: r.opt_time("locked_until")?,
    })
}

/// The columns an insert sets; the others take their defaults (not retired, no failed
/// log-ins).
pub(crate) fn new_associate(new: &NewAssociate) -> Fields<'_> {
    vec![
        ("tenant_id", new.tenant.into()),
        ("name", new.name.as_str().into()),
        ("name_key", name_key(&new.name).into()),
        ("full_name", new.full_name.as_str().into()),
        ("user_type", new.user_type.as_str().into()),
        ("rights", encode_rights(&new.rights).into()),
        ("password_hash", new.password_hash.as_deref().into()),
        ("created_at", new.created_at.into()),
        ("must_change", new.must_change.into()),
    ]
}

/// The stored form of a rights list: `Right::as_str` keys, sorted, joined by commas.
fn encode_rights(rights: &[Right]) -> String {
    let mut keys: Vec<&str> = rights.iter().map(|r| r.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_encode_sorted_and_round_trip() {
        let s = encode_rights(&[Right::AdminUsers, Right::AdminAll, Right::AdminUsers]);
        assert_eq!(s, "admin-all,admin-users");
        assert_eq!(
            parse_rights(&s).unwrap(),
            vec![Right::AdminAll, Right::AdminUsers]
        );
        assert_eq!(encode_rights(&[]), "");
    }
}
