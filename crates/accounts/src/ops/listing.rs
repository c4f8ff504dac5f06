//! Reads for the administrative edge (`user list`, `app list`, `audit`, the first start's
//! "is the store empty"): one tenant's rows as the store holds them. No rule applies to
//! them, so each is one store read; they exist so that the command line goes through the
//! domain and never holds the store itself. Their errors are the store's, unmapped: the
//! operator reading them owns the store.

use crate::app::AppRecord;
use crate::associate::Associate;
use crate::audit::{AuditEvent, AuditFilter};
use crate::error::StoreError;
use crate::ops::Accounts;
use crate::tenant::TenantId;

impl Accounts {
    /// The tenant's associates, retired ones too, by id.
    pub async fn list_users(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError> {
        self.store.list_associates(tenant).await
    }

    /// The tenant's associate with this log-in name (matched case-insensitively), retired
    /// or not.
    pub async fn user_named(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError> {
        self.store.associate_by_name(tenant, name).await
    }

    /// How many associates the tenant has, retired ones too.
    pub async fn user_count(&self, tenant: TenantId) -> Result<u64, StoreError> {
        self.store.count_associates(tenant).await
    }

    /// The tenant's registered applications, revoked ones too.
    pub async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError> {
        self.store.list_apps(tenant).await
    }

    /// The tenant's audit records that pass `filter`, newest first.
    pub async fn audit_trail(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.store.audit_query(tenant, filter).await
    }
}
