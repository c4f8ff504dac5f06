//! [`MemoryStore`]: every store capability over one locked [`State`]. Each call takes the
//! lock once and does all its writes under it, which is what a backend's transaction
//! gives: concurrent callers see a call's writes all or not at all.

use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use super::state::State;
use crate::app::{AppRecord, NewApp};
use crate::associate::{Associate, AssociateId, NewAssociate};
use crate::audit::{AuditEvent, AuditFilter};
use crate::error::StoreError;
use crate::lockout::{FailureRecorded, LockoutSettings};
use crate::store::{
    AppStore, AuditStore, CredentialStore, DirectoryStore, Login, PasswordChange, Readiness,
    TenantStore, TicketRecord, TicketStore,
};
use crate::tenant::{Tenant, TenantId};
use crate::time::Timestamp;

/// A store in memory, empty but for the default tenant; gone when dropped. For tests.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// The state, locked. A test that panicked while holding it left no half-done call
    /// behind (every call's writes cannot fail midway), so a poisoned lock is still good.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Readiness for MemoryStore {
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

#[async_trait]
impl TenantStore for MemoryStore {
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, StoreError> {
        Ok(self.state().tenant_by_name(name))
    }

    async fn insert_tenant(&self, name: &str, created_at: Timestamp) -> Result<Tenant, StoreError> {
        self.state().insert_tenant(name, created_at)
    }

    async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        Ok(self.state().tenants())
    }
}

#[async_trait]
impl DirectoryStore for MemoryStore {
    async fn associate_by_id(&self, id: AssociateId) -> Result<Option<Associate>, StoreError> {
        Ok(self.state().associate(id).cloned())
    }

    async fn associate_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError> {
        Ok(self.state().associate_by_name(tenant, name).cloned())
    }

    async fn list_associates(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError> {
        Ok(self.state().associates_of(tenant).cloned().collect())
    }

    async fn count_associates(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let count = self.state().associates_of(tenant).count();
        Ok(u64::try_from(count).unwrap_or(u64::MAX))
    }

    async fn insert_associate_audited(
        &self,
        new: NewAssociate,
        audit: Option<AuditEvent>,
    ) -> Result<Associate, StoreError> {
        let mut state = self.state();
        let associate = state.insert_associate(new)?;
        if let Some(mut event) = audit {
            event.target = Some(associate.id);
            state.record_audit(event);
        }
        Ok(associate)
    }

    async fn retire_associate(&self, id: AssociateId) -> Result<bool, StoreError> {
        Ok(self.state().retire(id))
    }
}

#[async_trait]
impl CredentialStore for MemoryStore {
    async fn commit_login(&self, login: Login) -> Result<(), StoreError> {
        self.state().commit_login(login)
    }

    async fn commit_password_change(&self, change: PasswordChange) -> Result<bool, StoreError> {
        Ok(self.state().commit_password_change(change))
    }

    async fn password_history(
        &self,
        id: AssociateId,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        Ok(self.state().password_history(id, limit))
    }

    async fn record_login_failure(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        Ok(self.state().count_failure(id, now, settings))
    }

    async fn record_refused_login(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
        locked: bool,
        event: AuditEvent,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        Ok(self.state().refuse_login(id, now, settings, locked, event))
    }

    async fn clear_login_failures(&self, id: AssociateId) -> Result<bool, StoreError> {
        Ok(self.state().clear_failures(id))
    }
}

#[async_trait]
impl TicketStore for MemoryStore {
    async fn insert_ticket(&self, ticket: TicketRecord) -> Result<(), StoreError> {
        self.state().insert_ticket(ticket)
    }

    async fn ticket(&self, id: &str) -> Result<Option<TicketRecord>, StoreError> {
        Ok(self.state().ticket(id))
    }

    async fn renew_ticket(&self, id: &str, expires_at: Timestamp) -> Result<(), StoreError> {
        self.state().renew_ticket(id, expires_at);
        Ok(())
    }

    async fn purge_expired_tickets(&self, now: Timestamp, limit: u32) -> Result<u64, StoreError> {
        Ok(self.state().purge_tickets(now, limit))
    }
}

#[async_trait]
impl AppStore for MemoryStore {
    async fn insert_app(&self, app: NewApp) -> Result<AppRecord, StoreError> {
        self.state().insert_app(app)
    }

    async fn app_by_digest(&self, digest: &[u8; 32]) -> Result<Option<AppRecord>, StoreError> {
        Ok(self.state().app_by_digest(digest))
    }

    async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError> {
        Ok(self.state().apps_of(tenant))
    }

    async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(self.state().revoke_app(tenant, name, at))
    }
}

#[async_trait]
impl AuditStore for MemoryStore {
    async fn record_audit(&self, event: AuditEvent) -> Result<(), StoreError> {
        self.state().record_audit(event);
        Ok(())
    }

    async fn audit_query(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        Ok(self.state().audit_query(tenant, &filter))
    }

    async fn purge_audit_before(&self, before: Timestamp, limit: u32) -> Result<u64, StoreError> {
        Ok(self.state().purge_audit(before, limit))
    }
}
