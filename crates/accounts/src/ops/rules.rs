//! The one rule set for who may change whose password, used by every changing operation
//! and by `CanChangePassword`, so the answer to "may I?" and the doing never disagree.

use crate::associate::{Associate, Right};
use crate::error::AccountError;

/// On what authority a caller changes a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// The associate itself: must prove the old password.
    Own,
    /// A user administrator: may impose a new password without the old one.
    Admin,
}

/// Administrative authority over `target`: `admin-users` or `admin-all`, and only an
/// `admin-all` caller over an `admin-all` target.
pub fn admin_over(caller: &Associate, target: &Associate) -> Result<Authority, AccountError> {
    if !caller.is_user_admin() {
        return Err(AccountError::RightMissing(Right::AdminUsers.as_str()));
    }
    if target.has_right(Right::AdminAll) && !caller.has_right(Right::AdminAll) {
        return Err(AccountError::PrivilegeGuard);
    }
    Ok(Authority::Admin)
}

/// Authority to change `target`'s password with ChangePassword: oneself, or as an admin.
pub fn change_over(caller: &Associate, target: &Associate) -> Result<Authority, AccountError> {
    if caller.id == target.id {
        return Ok(Authority::Own);
    }
    admin_over(caller, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::associate::UserType;

    fn who(id: i32, rights: &[Right]) -> Associate {
        Associate {
            tenant: crate::tenant::DEFAULT_TENANT,
            id,
            name: format!("u{id}"),
            full_name: String::new(),
            user_type: UserType::Internal,
            rights: rights.to_vec(),
            retired: false,
            password_hash: None,
            must_change: false,
            lock: Default::default(),
        }
    }

    #[test]
    fn the_rules() {
        let plain = who(1, &[]);
        let users = who(2, &[Right::AdminUsers]);
        let all = who(3, &[Right::AdminAll]);
        let other = who(4, &[]);
        assert_eq!(change_over(&plain, &plain).unwrap(), Authority::Own);
        assert_eq!(
            change_over(&plain, &other).unwrap_err().code(),
            "right_missing"
        );
        assert_eq!(change_over(&users, &other).unwrap(), Authority::Admin);
        assert_eq!(
            change_over(&users, &all).unwrap_err().code(),
            "privilege_guard"
        );
        assert_eq!(change_over(&all, &users).unwrap(), Authority::Admin);
        assert_eq!(
            admin_over(&plain, &plain).unwrap_err().code(),
            "right_missing"
        );
        assert_eq!(admin_over(&all, &all).unwrap(), Authority::Admin);
    }
}
