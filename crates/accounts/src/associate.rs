//! Associates (SuperOffice's name for users) with their user type and functional rights.

use std::fmt;
use std::str::FromStr;

use crate::lockout::LockState;
use crate::tenant::TenantId;
use crate::time::Timestamp;

pub type AssociateId = i32;

/// SuperOffice's user types; the names are the WSDL's `UserType` enum values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserType {
    Internal,
    Resource,
    External,
    System,
}

impl UserType {
    /// The value as the WSDL's `UserType` enum spells it.
    pub fn wsdl_name(self) -> &'static str {
        match self {
            UserType::Internal => "InternalAssociate",
            UserType::Resource => "ResourceAssociate",
            UserType::External => "ExternalAssociate",
            UserType::System => "SystemAssociate",
        }
    }
    /// The short name used in the store and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Internal => "internal",
            UserType::Resource => "resource",
            UserType::External => "external",
            UserType::System => "system",
        }
    }
}

impl FromStr for UserType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "internal" => Ok(UserType::Internal),
            "resource" => Ok(UserType::Resource),
            "external" => Ok(UserType::External),
            "system" => Ok(UserType::System),
            other => Err(format!(
                "unknown user type '{other}' (expected internal, resource, external or system)"
            )),
        }
    }
}

/// Functional rights, keyed as SuperOffice keys them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Right {
    /// General administrator: everything, including other administrators.
    AdminAll,
    /// User administrator: create, modify and retire users, set their passwords.
    AdminUsers,
}

impl Right {
    pub fn as_str(self) -> &'static str {
        match self {
            Right::AdminAll => "admin-all",
            Right::AdminUsers => "admin-users",
        }
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Right {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin-all" => Ok(Right::AdminAll),
            "admin-users" => Ok(Right::AdminUsers),
            other => Err(format!(
                "unknown functional right '{other}' (expected admin-all or admin-users)"
            )),
        }
    }
}

/// Parses a comma-separated list such as `admin-users,admin-all`; empty items are skipped.
pub fn parse_rights(list: &str) -> Result<Vec<Right>, String> {
    let mut rights: Vec<Right> = list
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(Right::from_str)
        .collect::<Result<_, _>>()?;
    rights.sort();
    rights.dedup();
    Ok(rights)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Associate {
    pub id: AssociateId,
    /// The tenant it belongs to; it is unknown at every other.
    pub tenant: TenantId,
    /// Log-in name; unique case-insensitively within its tenant.
    pub name: String,
    pub full_name: String,
    pub user_type: UserType,
    pub rights: Vec<Right>,
    pub retired: bool,
    /// Argon2id PHC string; `None` for an associate that cannot log in with a password.
    pub password_hash: Option<String>,
    /// Must change the password at the next log-in: until then its tickets only open
    /// ChangeOwnPassword / ChangePassword on itself.
    pub must_change: bool,
    /// Failed log-ins and the soft lock (see `lockout`).
    pub lock: LockState,
}

impl Associate {
    pub fn has_right(&self, right: Right) -> bool {
        self.rights.contains(&right)
    }
    /// May this associate manage other users' passwords at all?
    pub fn is_user_admin(&self) -> bool {
        self.has_right(Right::AdminAll) || self.has_right(Right::AdminUsers)
    }
}

#[derive(Debug, Clone)]
pub struct NewAssociate {
    pub tenant: TenantId,
    pub name: String,
    pub full_name: String,
    pub user_type: UserType,
    pub rights: Vec<Right>,
    pub password_hash: Option<String>,
    pub must_change: bool,
    /// When it was added: the caller's clock, so that a store never reads one.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_parse_case_insensitively_and_dedup() {
        assert_eq!(
            parse_rights("Admin-Users, admin-all,admin-users").unwrap(),
            vec![Right::AdminAll, Right::AdminUsers]
        );
        assert!(parse_rights("root").unwrap_err().contains("root"));
        assert_eq!(parse_rights("").unwrap(), vec![]);
    }

    #[test]
    fn user_types_round_trip() {
        for t in [
            UserType::Internal,
            UserType::Resource,
            UserType::External,
            UserType::System,
        ] {
            assert_eq!(t.as_str().parse::<UserType>().unwrap(), t);
        }
        assert!("robot".parse::<UserType>().is_err());
    }
}
