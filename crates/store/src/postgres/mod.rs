//! `Store` on PostgreSQL (tokio-postgres, no TLS).
//!
//! The database named by the URL must exist; its schema is created and migrated on open
//! (`migrate`). Queries (`queries`) run on a small pool of connections (`pool`) opened on
//! demand. Many server nodes may share one database: every multi-statement write is one
//! transaction and read-modify-write sequences lock their row.

mod migrate;
mod pool;
mod queries;
mod rows;

use std::fmt;
use std::str::FromStr;

use accounts::{
    AppRecord, Associate, AssociateId, AuditEvent, AuditFilter, FailureRecorded, LockoutSettings,
    NewApp, NewAssociate, PasswordChange, Store, StoreError, Tenant, TenantId, TicketRecord,
    Timestamp,
};
use async_trait::async_trait;
use tokio_postgres::Config;

use crate::error::OpenError;
use pool::Pool;
use rows::describe;

pub struct PostgresStore {
    pool: Pool,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the URL or the configuration: they may hold a password.
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database named by a `postgres://` or `postgresql://` URL and runs
    /// the migrations. Errors never echo the URL.
    pub async fn open(url: &str) -> Result<PostgresStore, OpenError> {
        let config = Config::from_str(url).map_err(|_| OpenError::BadPostgresUrl)?;
        let mut first = pool::connect(&config)
            .await
            .map_err(|e| OpenError::Connect(describe(&e)))?;
        migrate::migrate(&mut first).await?;
        tracing::debug!("opened PostgreSQL store");
        Ok(PostgresStore {
            pool: Pool::new(config, first, pool::MAX_CONNECTIONS),
        })
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, StoreError> {
        queries::tenant_by_name(&*self.pool.get().await?, name).await
    }

    async fn insert_tenant(&self, name: &str, created_at: Timestamp) -> Result<Tenant, StoreError> {
        queries::insert_tenant(&*self.pool.get().await?, name, created_at).await
    }

    async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        queries::list_tenants(&*self.pool.get().await?).await
    }

    async fn associate_by_id(&self, id: AssociateId) -> Result<Option<Associate>, StoreError> {
        queries::associate_by_id(&*self.pool.get().await?, id).await
    }

    async fn associate_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError> {
        queries::associate_by_name(&*self.pool.get().await?, tenant, name).await
    }

    async fn list_associates(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError> {
        queries::list_associates(&*self.pool.get().await?, tenant).await
    }

    async fn count_associates(&self, tenant: TenantId) -> Result<u64, StoreError> {
        queries::count_associates(&*self.pool.get().await?, tenant).await
    }

    async fn insert_associate(&self, new: NewAssociate) -> Result<Associate, StoreError> {
        queries::insert_associate(&*self.pool.get().await?, &new, Timestamp::now()).await
    }

    async fn retire_associate(&self, id: AssociateId) -> Result<bool, StoreError> {
        queries::retire_associate(&mut *self.pool.get().await?, id).await
    }

    async fn update_password_hash(&self, id: AssociateId, hash: &str) -> Result<(), StoreError> {
        queries::update_password_hash(&*self.pool.get().await?, id, hash).await
    }

    async fn commit_password_change(&self, change: PasswordChange) -> Result<bool, StoreError> {
        queries::commit_password_change(&mut *self.pool.get().await?, &change).await
    }

    async fn password_history(
        &self,
        id: AssociateId,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        queries::password_history(&*self.pool.get().await?, id, limit).await
    }

    async fn set_must_change(&self, id: AssociateId, value: bool) -> Result<(), StoreError> {
        queries::set_must_change(&*self.pool.get().await?, id, value).await
    }

    async fn record_login_failure(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        queries::record_login_failure(&mut *self.pool.get().await?, id, now, settings).await
    }

    async fn clear_login_failures(&self, id: AssociateId) -> Result<bool, StoreError> {
        queries::clear_login_failures(&*self.pool.get().await?, id).await
    }

    async fn insert_ticket(&self, ticket: TicketRecord) -> Result<(), StoreError> {
        queries::insert_ticket(&*self.pool.get().await?, &ticket).await
    }

    async fn ticket(&self, id: &str) -> Result<Option<TicketRecord>, StoreError> {
        queries::ticket(&*self.pool.get().await?, id).await
    }

    async fn renew_ticket(&self, id: &str, expires_at: Timestamp) -> Result<(), StoreError> {
        queries::renew_ticket(&*self.pool.get().await?, id, expires_at).await
    }

    async fn purge_expired_tickets(&self, now: Timestamp) -> Result<u64, StoreError> {
        queries::purge_expired_tickets(&*self.pool.get().await?, now).await
    }

    async fn insert_app(&self, app: NewApp) -> Result<AppRecord, StoreError> {
        queries::insert_app(&*self.pool.get().await?, &app).await
    }

    async fn app_by_digest(&self, digest: &[u8; 32]) -> Result<Option<AppRecord>, StoreError> {
        queries::app_by_digest(&*self.pool.get().await?, digest).await
    }

    async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError> {
        queries::list_apps(&*self.pool.get().await?, tenant).await
    }

    async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        queries::revoke_app(&*self.pool.get().await?, tenant, name, at).await
    }

    async fn record_audit(&self, event: AuditEvent) -> Result<(), StoreError> {
        queries::record_audit(&*self.pool.get().await?, &event).await
    }

    async fn recent_audit(
        &self,
        tenant: TenantId,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        queries::recent_audit(&*self.pool.get().await?, tenant, limit).await
    }

    async fn audit_query(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        queries::audit_query(&*self.pool.get().await?, tenant, &filter).await
    }

    async fn purge_audit_before(&self, before: Timestamp) -> Result<u64, StoreError> {
        queries::purge_audit_before(&*self.pool.get().await?, before).await
    }
}
