//! `Store` on PostgreSQL (tokio-postgres, no TLS).
//!
//! The database named by the URL must exist; its schema is created and migrated on open
//! (`migrate`). The shared queries (`crate::queries`) run on a small pool of connections
//! (`pool`) opened on demand, each keeping its prepared statements (`dialect`). Many server nodes may share one database: every multi-statement write is one
//! transaction and read-modify-write sequences lock their row.
//!
//! Every operation runs under a deadline (`StoreOptions::timeout`) that covers waiting for a
//! pooled connection, connecting and the statements: when the database is down, unreachable
//! or stalled, the caller gets `StoreError::Unavailable` in bounded time instead of hanging,
//! and the connection involved is discarded, with the statements prepared on it. Nothing
//! else is kept across requests, so when the database returns the next operation simply
//! opens a new connection.

mod dialect;
pub(crate) mod error;
mod migrate;
mod name_fold;
pub(crate) mod pool;
mod value;

use std::fmt;
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use accounts::{
    AppRecord, AppStore, Associate, AssociateId, AuditEvent, AuditFilter, AuditStore,
    CredentialStore, DirectoryStore, FailureRecorded, LockoutSettings, Login, NewApp, NewAssociate,
    PasswordChange, Readiness, StoreError, Tenant, TenantId, TenantStore, TicketRecord,
    TicketStore, Timestamp,
};
use async_trait::async_trait;
use tokio_postgres::Config;

use crate::error::OpenError;
use crate::queries;
use crate::StoreOptions;
use error::describe;
use pool::Pool;

pub struct PostgresStore {
    pool: Pool,
    timeout: Duration,
}

/// Runs `$body` (an expression using the checked-out connection `$conn`) under the
/// store's deadline. The connection goes back to the pool only when the body finished;
/// one abandoned at the deadline may be mid-statement and is dropped instead.
macro_rules! with_conn {
    ($self:ident, $what:literal, |$conn:ident| $body:expr) => {
        $self
            .deadline($what, async {
                #[allow(unused_mut)]
                let mut $conn = $self.pool.get().await?;
                let result = $body.await;
                $conn.finished();
                result
            })
            .await
    };
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
        PostgresStore::open_with(url, &StoreOptions::default()).await
    }

    /// As [`PostgresStore::open`], with the deadline of each operation from `options`.
    pub async fn open_with(url: &str, options: &StoreOptions) -> Result<PostgresStore, OpenError> {
        let mut config = Config::from_str(url).map_err(|_| OpenError::BadPostgresUrl)?;
        pool::refuse_tls(&config)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.timeout);
        }
        let mut first = pool::connect(&config).await.map_err(|e| {
            OpenError::Connect(format!("at {}: {}", pool::address(&config), describe(&e)))
        })?;
        migrate::migrate(&mut first).await?;
        tracing::debug!("opened PostgreSQL store");
        Ok(PostgresStore {
            pool: Pool::new(config, first, pool::MAX_CONNECTIONS),
            timeout: options.timeout,
        })
    }

    /// `work` or, when it takes longer than the store's timeout, `StoreError::Unavailable`
    /// naming the operation.
    async fn deadline<T>(
        &self,
        what: &str,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::Unavailable(format!(
                "{what}: no answer from PostgreSQL within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }
}

#[async_trait]
impl Readiness for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        with_conn!(self, "ping", |c| dialect::ping(&mut c.client))
    }
}

#[async_trait]
impl TenantStore for PostgresStore {
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, StoreError> {
        with_conn!(self, "tenant by name", |c| queries::tenant_by_name(
            &mut c.db(),
            name
        ))
    }

    async fn insert_tenant(&self, name: &str, created_at: Timestamp) -> Result<Tenant, StoreError> {
        with_conn!(self, "insert tenant", |c| queries::insert_tenant(
            &mut c.db(),
            name,
            created_at
        ))
    }

    async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        with_conn!(self, "list tenants", |c| queries::list_tenants(&mut c.db()))
    }
}

#[async_trait]
impl DirectoryStore for PostgresStore {
    async fn associate_by_id(&self, id: AssociateId) -> Result<Option<Associate>, StoreError> {
        with_conn!(self, "associate by id", |c| queries::associate_by_id(
            &mut c.db(),
            id
        ))
    }

    async fn associate_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError> {
        with_conn!(self, "associate by name", |c| queries::associate_by_name(
            &mut c.db(),
            tenant,
            name
        ))
    }

    async fn list_associates(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError> {
        with_conn!(self, "list associates", |c| queries::list_associates(
            &mut c.db(),
            tenant
        ))
    }

    async fn count_associates(&self, tenant: TenantId) -> Result<u64, StoreError> {
        with_conn!(self, "count associates", |c| queries::count_associates(
            &mut c.db(),
            tenant
        ))
    }

    async fn insert_associate_audited(
        &self,
        new: NewAssociate,
        audit: Option<AuditEvent>,
    ) -> Result<Associate, StoreError> {
        with_conn!(self, "insert associate", |c| {
            async { queries::insert_associate(c.begin().await?, &new, audit).await }
        })
    }

    async fn retire_associate(&self, id: AssociateId) -> Result<bool, StoreError> {
        with_conn!(self, "retire associate", |c| async {
            queries::retire_associate(c.begin().await?, id).await
        })
    }
}

#[async_trait]
impl CredentialStore for PostgresStore {
    async fn commit_login(&self, login: Login) -> Result<(), StoreError> {
        with_conn!(self, "commit log-in", |c| {
            async { queries::commit_login(c.begin().await?, &login).await }
        })
    }

    async fn commit_password_change(&self, change: PasswordChange) -> Result<bool, StoreError> {
        with_conn!(self, "commit password change", |c| {
            async { queries::commit_password_change(c.begin().await?, &change).await }
        })
    }

    async fn password_history(
        &self,
        id: AssociateId,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        with_conn!(self, "password history", |c| queries::password_history(
            &mut c.db(),
            id,
            limit
        ))
    }

    async fn record_login_failure(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        with_conn!(self, "record login failure", |c| {
            async { queries::record_login_failure(c.begin().await?, id, now, settings).await }
        })
    }

    async fn record_refused_login(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
        locked: bool,
        event: AuditEvent,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        with_conn!(self, "record refused log-in", |c| {
            async {
                queries::record_refused_login(c.begin().await?, id, now, settings, locked, event)
                    .await
            }
        })
    }

    async fn clear_login_failures(&self, id: AssociateId) -> Result<bool, StoreError> {
        with_conn!(self, "clear login failures", |c| {
            queries::clear_login_failures(&mut c.db(), id)
        })
    }
}

#[async_trait]
impl TicketStore for PostgresStore {
    async fn insert_ticket(&self, ticket: TicketRecord) -> Result<(), StoreError> {
        with_conn!(self, "insert ticket", |c| queries::insert_ticket(
            &mut c.db(),
            &ticket
        ))
    }

    async fn ticket(&self, id: &str) -> Result<Option<TicketRecord>, StoreError> {
        with_conn!(self, "ticket", |c| queries::ticket(&mut c.db(), id))
    }

    async fn renew_ticket(&self, id: &str, expires_at: Timestamp) -> Result<(), StoreError> {
        with_conn!(self, "renew ticket", |c| queries::renew_ticket(
            &mut c.db(),
            id,
            expires_at
        ))
    }

    async fn purge_expired_tickets(&self, now: Timestamp, limit: u32) -> Result<u64, StoreError> {
        with_conn!(self, "purge expired tickets", |c| {
            queries::purge_expired_tickets(&mut c.db(), now, limit)
        })
    }
}

#[async_trait]
impl AppStore for PostgresStore {
    async fn insert_app(&self, app: NewApp) -> Result<AppRecord, StoreError> {
        with_conn!(self, "insert app", |c| queries::insert_app(
            &mut c.db(),
            &app
        ))
    }

    async fn app_by_digest(&self, digest: &[u8; 32]) -> Result<Option<AppRecord>, StoreError> {
        with_conn!(self, "app by digest", |c| queries::app_by_digest(
            &mut c.db(),
            digest
        ))
    }

    async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError> {
        with_conn!(self, "list apps", |c| queries::list_apps(
            &mut c.db(),
            tenant
        ))
    }

    async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        with_conn!(self, "revoke app", |c| queries::revoke_app(
            &mut c.db(),
            tenant,
            name,
            at
        ))
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn record_audit(&self, event: AuditEvent) -> Result<(), StoreError> {
        with_conn!(self, "record audit", |c| queries::record_audit(
            &mut c.db(),
            &event
        ))
    }

    async fn audit_query(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        with_conn!(self, "audit query", |c| queries::audit_query(
            &mut c.db(),
            tenant,
            &filter
        ))
    }

    async fn purge_audit_before(&self, before: Timestamp, limit: u32) -> Result<u64, StoreError> {
        with_conn!(self, "purge audit before", |c| queries::purge_audit_before(
            &mut c.db(),
            before,
            limit
        ))
    }
}
