//! Tenants: resolving a request's customer segment, and the CLI's `tenant add|list`.

use crate::associate::Associate;
use crate::error::{AccountError, StoreError};
use crate::ops::Accounts;
use crate::secret::Secret;
use crate::tenant::{valid_tenant_name, Tenant, TenantId, DEFAULT_TENANT, TENANT_NAME_MAX};
use crate::time::Timestamp;

impl Accounts {
    /// The tenant a request (or a CLI command) names: the default tenant without a name,
    /// else the tenant of that name, matched case-insensitively.
    pub async fn resolve_tenant(&self, name: Option<&str>) -> Result<TenantId, AccountError> {
        let Some(name) = name.map(str::trim) else {
            return Ok(DEFAULT_TENANT);
        };
        if !valid_tenant_name(name) {
            let shown: String = name.chars().take(TENANT_NAME_MAX).collect();
            return Err(AccountError::TenantNotFound(shown));
        }
        let found = self.store.tenant_by_name(name).await?;
        found
            .map(|t| t.id)
            .ok_or_else(|| AccountError::TenantNotFound(name.to_owned()))
    }

    /// Creates a tenant and its first administrator `admin` (right `admin-all`) with a
    /// random password, returned once for the operator to read.
    pub async fn add_tenant(
        &self,
        name: &str,
        now: Timestamp,
    ) -> Result<(Tenant, Associate, Secret), AccountError> {
        let name = name.trim();
        if !valid_tenant_name(name) {
            return Err(AccountError::TenantNameInvalid(name.to_owned()));
        }
        let tenant = self
            .store
            .insert_tenant(name, now)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => AccountError::TenantNameTaken(name.to_owned()),
                other => AccountError::from(other),
            })?;
        self.audit_admin(tenant.id, "tenant add", None, now).await?;
        let (admin, password) = self
            .bootstrap_admin(tenant.id, now, false)
            .await?
            .ok_or_else(|| AccountError::Internal("a new tenant already has associates".into()))?;
        Ok((tenant, admin, password))
    }

    /// Every tenant, the default one first.
    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, AccountError> {
        Ok(self.store.list_tenants().await?)
    }
}
