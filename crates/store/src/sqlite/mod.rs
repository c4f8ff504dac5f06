//! `Store` on SQLite (rusqlite, bundled SQLite).
//!
//! A file database is put in WAL mode with `synchronous = FULL` (every commit on disk
//! before it returns: docs/reliability.md), a 5 s busy timeout and foreign keys on, then
//! migrated (`migrate`); commands that only read open it read-only (`open`). The shared
//! queries (`crate::queries`) run through `dialect`, blocking, on tokio's blocking pool
//! through a small connection pool (`pool`, up to four connections, see there for why);
//! point reads run on the calling worker (`Pool::read`).
//! `sqlite::memory:` keeps its database in a single connection, so it works from many
//! tasks at once (they take turns) and vanishes with the store.

mod dialect;
pub(crate) mod error;
mod file_mode;
mod migrate;
mod name_fold;
mod open;
pub(crate) mod pool;
mod value;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use accounts::{
    AppRecord, AppStore, Associate, AssociateId, AuditEvent, AuditFilter, AuditStore,
    CredentialStore, DirectoryStore, FailureRecorded, LockoutSettings, Login, NewApp, NewAssociate,
    PasswordChange, Readiness, StoreError, Tenant, TenantId, TenantStore, TicketRecord,
    TicketStore, Timestamp,
};
use async_trait::async_trait;
use rusqlite::Connection;

use crate::error::OpenError;
use crate::queries;
use dialect::{begin, complete, on};
use error::describe;
use pool::Pool;

pub struct SqliteStore {
    pool: Arc<Pool>,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pool.path() {
            Some(path) => f.debug_struct("SqliteStore").field("path", &path).finish(),
            None => f
                .debug_struct("SqliteStore")
                .field("path", &":memory:")
                .finish(),
        }
    }
}

impl SqliteStore {
    /// Opens (creating the file, mode 0600, never a missing directory), sets WAL +
    /// synchronous(FULL) + busy_timeout(5s) + foreign_keys, runs migrations. A file or directory this process may not write is
    /// refused as such ([`OpenError::NotWritable`]).
    ///
    /// Blocking: from async code call it through `spawn_blocking`, or use [`crate::open`].
    pub fn open(path: &Path) -> Result<SqliteStore, OpenError> {
        let dir = open::directory(path)?;
        file_mode::prepare(path);
        let mut conn = pool::connect(path).map_err(|e| {
            open::failed(path, &dir, e, |path, detail| OpenError::Open {
                path,
                detail,
            })
        })?;
        open::check_writable(&conn, path, &dir)?;
        let configure = |e: rusqlite::Error| {
            open::failed(path, &dir, e, |path, detail| OpenError::Configure {
                path,
                detail,
            })
        };
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(configure)?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Still correct (busy timeout serialises access), only less concurrent.
            tracing::warn!(path = %path.display(), mode, "SQLite refused WAL journal mode");
        }
        // Take and release the write lock: a directory that refuses the `-wal` file shows
        // here, before any migration.
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK")
            .map_err(configure)?;
        migrate::migrate(&mut conn)?;
        tracing::debug!(path = %path.display(), "opened SQLite store");
        Ok(SqliteStore {
            pool: Arc::new(Pool::file(
                path.to_path_buf(),
                conn,
                pool::MAX_FILE_CONNECTIONS,
                pool::Access::ReadWrite,
            )),
        })
    }

    /// A private in-memory database in one connection; gone when the store is dropped.
    pub fn open_in_memory() -> Result<SqliteStore, OpenError> {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|e| OpenError::Open {
            path: path.to_path_buf(),
            detail: describe(&e),
        })?;
        pool::configure(&conn).map_err(|e| OpenError::Configure {
            path: path.to_path_buf(),
            detail: describe(&e),
        })?;
        migrate::migrate(&mut conn)?;
        Ok(SqliteStore {
            pool: Arc::new(Pool::memory(conn)),
        })
    }
}

#[async_trait]
impl Readiness for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        // Through the write queue: a probe answers what the next write would meet.
        self.pool.write(dialect::ping).await
    }
}

#[async_trait]
impl TenantStore for SqliteStore {
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, StoreError> {
        let name = name.to_owned();
        self.pool
            .read(move |c| complete(queries::tenant_by_name(&mut on(c), &name)))
            .await
    }

    async fn insert_tenant(&self, name: &str, created_at: Timestamp) -> Result<Tenant, StoreError> {
        let name = name.to_owned();
        self.pool
            .write(move |c| complete(queries::insert_tenant(&mut on(c), &name, created_at)))
            .await
    }

    async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        self.pool
            .run(|c| complete(queries::list_tenants(&mut on(c))))
            .await
    }
}

#[async_trait]
impl DirectoryStore for SqliteStore {
    async fn associate_by_id(&self, id: AssociateId) -> Result<Option<Associate>, StoreError> {
        self.pool
            .read(move |c| complete(queries::associate_by_id(&mut on(c), id)))
            .await
    }

    async fn associate_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError> {
        let name = name.to_owned();
        self.pool
            .read(move |c| complete(queries::associate_by_name(&mut on(c), tenant, &name)))
            .await
    }

    async fn list_associates(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError> {
        self.pool
            .run(move |c| complete(queries::list_associates(&mut on(c), tenant)))
            .await
    }

    async fn count_associates(&self, tenant: TenantId) -> Result<u64, StoreError> {
        self.pool
            .run(move |c| complete(queries::count_associates(&mut on(c), tenant)))
            .await
    }

    async fn insert_associate_audited(
        &self,
        new: NewAssociate,
        audit: Option<AuditEvent>,
    ) -> Result<Associate, StoreError> {
        self.pool
            .write(move |c| complete(queries::insert_associate(begin(c)?, &new, audit)))
            .await
    }

    async fn retire_associate(&self, id: AssociateId) -> Result<bool, StoreError> {
        self.pool
            .write(move |c| complete(queries::retire_associate(begin(c)?, id)))
            .await
    }
}

#[async_trait]
impl CredentialStore for SqliteStore {
    async fn commit_login(&self, login: Login) -> Result<(), StoreError> {
        self.pool
            .write(move |c| complete(queries::commit_login(begin(c)?, &login)))
            .await
    }

    async fn commit_password_change(&self, change: PasswordChange) -> Result<bool, StoreError> {
        self.pool
            .write(move |c| complete(queries::commit_password_change(begin(c)?, &change)))
            .await
    }

    async fn password_history(
        &self,
        id: AssociateId,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        self.pool
            .run(move |c| complete(queries::password_history(&mut on(c), id, limit)))
            .await
    }

    async fn record_login_failure(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        let settings = settings.clone();
        self.pool
            .write(move |c| complete(queries::record_login_failure(begin(c)?, id, now, &settings)))
            .await
    }

    async fn record_refused_login(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
        locked: bool,
        event: AuditEvent,
    ) -> Result<Option<FailureRecorded>, StoreError> {
        let settings = settings.clone();
        self.pool
            .write(move |c| {
                complete(queries::record_refused_login(
                    begin(c)?,
                    id,
                    now,
                    &settings,
                    locked,
                    event,
                ))
            })
            .await
    }

    async fn clear_login_failures(&self, id: AssociateId) -> Result<bool, StoreError> {
        self.pool
            .write(move |c| complete(queries::clear_login_failures(&mut on(c), id)))
            .await
    }
}

#[async_trait]
impl TicketStore for SqliteStore {
    async fn insert_ticket(&self, ticket: TicketRecord) -> Result<(), StoreError> {
        self.pool
            .write(move |c| complete(queries::insert_ticket(&mut on(c), &ticket)))
            .await
    }

    async fn ticket(&self, id: &str) -> Result<Option<TicketRecord>, StoreError> {
        let id = id.to_owned();
        self.pool
            .read(move |c| complete(queries::ticket(&mut on(c), &id)))
            .await
    }

    async fn renew_ticket(&self, id: &str, expires_at: Timestamp) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.pool
            .write(move |c| complete(queries::renew_ticket(&mut on(c), &id, expires_at)))
            .await
    }

    async fn purge_expired_tickets(&self, now: Timestamp, limit: u32) -> Result<u64, StoreError> {
        self.pool
            .write(move |c| complete(queries::purge_expired_tickets(&mut on(c), now, limit)))
            .await
    }
}

#[async_trait]
impl AppStore for SqliteStore {
    async fn insert_app(&self, app: NewApp) -> Result<AppRecord, StoreError> {
        self.pool
            .write(move |c| complete(queries::insert_app(&mut on(c), &app)))
            .await
    }

    async fn app_by_digest(&self, digest: &[u8; 32]) -> Result<Option<AppRecord>, StoreError> {
        let digest = *digest;
        self.pool
            .read(move |c| complete(queries::app_by_digest(&mut on(c), &digest)))
            .await
    }

    async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError> {
        self.pool
            .run(move |c| complete(queries::list_apps(&mut on(c), tenant)))
            .await
    }

    async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let name = name.to_owned();
        self.pool
            .write(move |c| complete(queries::revoke_app(&mut on(c), tenant, &name, at)))
            .await
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn record_audit(&self, event: AuditEvent) -> Result<(), StoreError> {
        self.pool
            .write(move |c| complete(queries::record_audit(&mut on(c), &event)))
            .await
    }

    async fn audit_query(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.pool
            .run(move |c| complete(queries::audit_query(&mut on(c), tenant, &filter)))
            .await
    }

    async fn purge_audit_before(&self, before: Timestamp, limit: u32) -> Result<u64, StoreError> {
        self.pool
            .write(move |c| complete(queries::purge_audit_before(&mut on(c), before, limit)))
            .await
    }
}
