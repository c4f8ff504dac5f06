//! Tenants: SuperOffice Online serves many customers from one installation, each named by
//! the first segment of its paths (`/Cust12345/Remote/Services88/User.svc`). Associates,
//! their tickets, applications and the audit trail all belong to one tenant; nothing of
//! one tenant is visible or usable at another. Paths without a customer segment (on-site
//! installations) reach the built-in default tenant.

use crate::time::Timestamp;

/// A tenant's id in the store.
pub type TenantId = i64;

/// The built-in tenant of paths without a customer segment; created by the store's schema.
pub const DEFAULT_TENANT: TenantId = 1;

/// A tenant; its name is the path segment, matched case-insensitively.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub created_at: Timestamp,
}

/// Longest tenant name accepted.
pub const TENANT_NAME_MAX: usize = 64;

/// Whether `name` can be a tenant's name: 1 to 64 ASCII letters, digits, `-` or `_`, so
/// that it is a path segment as it stands.
pub fn valid_tenant_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= TENANT_NAME_MAX
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_path_segments() {
        assert!(valid_tenant_name("Cust12345"));
        assert!(valid_tenant_name("acme_test-2"));
        assert!(!valid_tenant_name(""));
        assert!(!valid_tenant_name("a/b"));
        assert!(!valid_tenant_name("a b"));
        assert!(!valid_tenant_name("Åse"));
        assert!(!valid_tenant_name(&"x".repeat(65)));
    }
}
