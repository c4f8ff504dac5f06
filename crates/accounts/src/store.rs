//! The storage seam, split by capability. A backend (SQLite, PostgreSQL, the in-memory
//! test kit) implements each capability trait; an operation in `ops` asks only for the
//! capabilities it uses, and [`Store`] is all of them at once, for the wiring and for
//! `Accounts`, which hold the whole store. Secrets never cross the seam in clear:
//! passwords arrive as Argon2id PHC strings, tickets as SHA-256 digests, application
//! tokens likewise.

use async_trait::async_trait;

use crate::app::{AppRecord, NewApp};
use crate::associate::{Associate, AssociateId, NewAssociate};
use crate::audit::{AuditEvent, AuditFilter};
use crate::error::StoreError;
use crate::lockout::{FailureRecorded, LockoutSettings};
use crate::tenant::{Tenant, TenantId};
use crate::time::Timestamp;

/// A stored ticket: its public id (the GUID inside the ticket) and the SHA-256 digest of
/// its secret part. The clear secret is never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    pub id: String,
    pub digest: [u8; 32],
    pub associate_id: AssociateId,
    /// When the log-in issued it: the ticket's lifetime ceiling counts from here.
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The application (`AppRecord::id`) the ticket was obtained through, Online; `None`
    /// on-site. Every call with the ticket must come from the same application.
    pub app_id: Option<i64>,
}

/// Everything one password change writes, committed in one transaction by the backend:
/// the new hash, revocation of the target's tickets (all but `keep_ticket`), the audit record.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub associate_id: AssociateId,
    pub password_hash: String,
    pub keep_ticket: Option<String>,
    pub audit: AuditEvent,
    /// The must-change-at-next-log-in flag after the change.
    pub must_change: bool,
    /// How many replaced hashes to keep in the history (0 keeps none).
    pub history_keep: usize,
    /// Clear failed log-ins and the soft lock (an administrator imposed the password, or
    /// the user proved the old one).
    pub clear_lock: bool,
}

/// Everything a successful log-in writes, committed in one transaction by the backend:
/// the upgraded hash (when the hashing parameters changed since it was made), the
/// cleared soft lock, the new ticket and the audit record. A log-in whose audit record
/// cannot be written fails whole: no ticket without its record.
#[derive(Debug, Clone)]
pub struct Login {
    pub associate_id: AssociateId,
    /// The password re-hashed with today's parameters.
    pub rehash: Option<String>,
    /// Forget earlier failed log-ins and lift the lock.
    pub clear_lock: bool,
    /// `None` for a call that proves a password without logging in (REST `Basic`).
    pub ticket: Option<TicketRecord>,
    pub audit: Option<AuditEvent>,
}

impl Login {
    /// True when committing it would write nothing.
    pub fn is_empty(&self) -> bool {
        self.rehash.is_none() && !self.clear_lock && self.ticket.is_none() && self.audit.is_none()
    }
}

/// Whether the store can take requests now.
#[async_trait]
pub trait Readiness: Send + Sync + 'static {
    /// `Ok` when a write would get through now, within the time a request waits (the
    /// store's locks taken and released, nothing written).
    async fn ping(&self) -> Result<(), StoreError>;
}

/// The tenants of an installation.
#[async_trait]
pub trait TenantStore: Send + Sync + 'static {
    /// The built-in default tenant is always there.
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, StoreError>;
    /// `StoreError::Conflict` when the name is taken (case-insensitively).
    async fn insert_tenant(&self, name: &str, created_at: Timestamp) -> Result<Tenant, StoreError>;
    /// All tenants, the default one too, ordered by id.
    async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError>;
}

/// The associates of each tenant: lookups, creation and retirement.
#[async_trait]
pub trait DirectoryStore: Send + Sync + 'static {
    /// By id in any tenant: the caller compares `Associate::tenant` with its own.
    async fn associate_by_id(&self, id: AssociateId) -> Result<Option<Associate>, StoreError>;
    /// Case-insensitive match on the log-in name, within `tenant`.
    async fn associate_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<Associate>, StoreError>;
    /// The tenant's associates, retired too, ordered by id.
    async fn list_associates(&self, tenant: TenantId) -> Result<Vec<Associate>, StoreError>;
    async fn count_associates(&self, tenant: TenantId) -> Result<u64, StoreError>;
    /// `StoreError::Conflict` when the name is taken in the tenant (case-insensitively).
    /// `audit`, when given, is written in the same transaction with the new associate's id
    /// as its target: no associate without its record.
    async fn insert_associate_audited(
        &self,
        new: NewAssociate,
        audit: Option<AuditEvent>,
    ) -> Result<Associate, StoreError>;
    /// An associate without an audit record of its own (seeding, copies, tests).
    async fn insert_associate(&self, new: NewAssociate) -> Result<Associate, StoreError> {
        self.insert_associate_audited(new, None).await
    }
    /// Marks retired and revokes all its tickets; false when no such associate.
    async fn retire_associate(&self, id: AssociateId) -> Result<bool, StoreError>;
}

/// An associate's password and what hangs on it: the hash, its history, the
/// must-change flag and the soft lock that failed proofs of it build up.
#[async_trait]
pub trait CredentialStore: Send + Sync + 'static {
    /// Applies a `Login` atomically (nothing when it is empty).
    async fn commit_login(&self, login: Login) -> Result<(), StoreError>;
    /// Applies a `PasswordChange` atomically; false (and nothing written) when the
    /// associate does not exist.
    async fn commit_password_change(&self, change: PasswordChange) -> Result<bool, StoreError>;
    /// Hashes replaced by earlier changes, newest first, at most `limit`.
    async fn password_history(
        &self,
        id: AssociateId,
        limit: u32,
    ) -> Result<Vec<String>, StoreError>;

    /// Counts one failed log-in at `now`: reads the associate's `LockState`, applies
    /// `LockState::after_failure` and writes it back in ONE transaction, so concurrent
    /// failures (from any number of server nodes sharing the store) all count. `None` when
    /// no such associate.
    async fn record_login_failure(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Result<Option<FailureRecorded>, StoreError>;
    /// A refused log-in of an existing associate in ONE transaction: the failure counted
    /// as [`CredentialStore::record_login_failure`] counts it, and `event` (the log-in's
    /// audit record) written with the outcome [`crate::LoginRefusal::of`] gives for that
    /// count and `locked`. One commit, like the refusal of an unknown name (its audit
    /// record alone), so that the time of the answer tells neither the name's existence
    /// nor its lock.
    async fn record_refused_login(
        &self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
        locked: bool,
        event: AuditEvent,
    ) -> Result<Option<FailureRecorded>, StoreError>;
    /// Forgets failed log-ins and lifts the lock; false when no such associate.
    async fn clear_login_failures(&self, id: AssociateId) -> Result<bool, StoreError>;
}

/// Log-in tickets (by digest, never in clear).
#[async_trait]
pub trait TicketStore: Send + Sync + 'static {
    async fn insert_ticket(&self, ticket: TicketRecord) -> Result<(), StoreError>;
    async fn ticket(&self, id: &str) -> Result<Option<TicketRecord>, StoreError>;
    /// Slides the expiry of a ticket that was just used.
    async fn renew_ticket(&self, id: &str, expires_at: Timestamp) -> Result<(), StoreError>;
    /// Deletes at most `limit` of the tickets that expired before `now` (strictly), in
    /// one short statement, and answers how many. The sweeper repeats it until fewer than
    /// `limit` come back, so that no single delete holds the table for long; on a shared
    /// store, rows another node is deleting at the same moment are skipped, not waited for.
    async fn purge_expired_tickets(&self, now: Timestamp, limit: u32) -> Result<u64, StoreError>;
}

/// Registered applications and their token digests (Online).
#[async_trait]
pub trait AppStore: Send + Sync + 'static {
    /// Registers an application; `StoreError::Conflict` when the name (case-insensitively,
    /// in its tenant) or the digest is taken.
    async fn insert_app(&self, app: NewApp) -> Result<AppRecord, StoreError>;
    /// The application whose token has this SHA-256 digest, revoked ones too, in any
    /// tenant: the caller compares `AppRecord::tenant` with its own.
    async fn app_by_digest(&self, digest: &[u8; 32]) -> Result<Option<AppRecord>, StoreError>;
    /// The tenant's applications, revoked too, ordered by id.
    async fn list_apps(&self, tenant: TenantId) -> Result<Vec<AppRecord>, StoreError>;
    /// Marks the application named `name` (case-insensitively) revoked at `at`, keeping an
    /// earlier revocation time; false when the tenant has no such application.
    async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
}

/// The append-only audit trail.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    async fn record_audit(&self, event: AuditEvent) -> Result<(), StoreError>;
    /// The tenant's audit events that pass `filter`, newest first (by time, then by insertion).
    async fn audit_query(
        &self,
        tenant: TenantId,
        filter: AuditFilter,
    ) -> Result<Vec<AuditEvent>, StoreError>;
    /// The retention sweep: deletes at most `limit` of the events older than `before`
    /// (strictly), oldest first, in one short statement, and answers how many; repeated
    /// like [`TicketStore::purge_expired_tickets`]. Nothing else ever updates or deletes
    /// an audit record.
    async fn purge_audit_before(&self, before: Timestamp, limit: u32) -> Result<u64, StoreError>;
}

/// The whole store: every capability. Implemented for anything that has them all, so a
/// backend implements only the capability traits.
pub trait Store:
    Readiness + TenantStore + DirectoryStore + CredentialStore + TicketStore + AppStore + AuditStore
{
}

impl<T> Store for T where
    T: Readiness
        + TenantStore
        + DirectoryStore
        + CredentialStore
        + TicketStore
        + AppStore
        + AuditStore
        + ?Sized
{
}
