//! The backend conformance suite: checks every `Store` implementation must pass.
//!
//! Each check is a `pub async fn` taking a fresh, empty `Arc<dyn Store>` and panicking on
//! failure; it knows nothing of the backend. A backend's test file instantiates the whole
//! suite with [`conformance_tests!`](crate::conformance_tests), given an async factory
//! returning `(guard, Arc<dyn Store>)` (the guard keeps a temporary file or database alive
//! for the duration of one test):
//!
//! ```text
//! async fn fresh() -> (tempfile::TempDir, Arc<dyn Store>) { … }
//! store::conformance_tests!(fresh);
//! ```
//!
//! Not part of the stable API; public only so that each backend's tests can share it.

use std::sync::Arc;

use accounts::{
    AppRecord, AssociateId, AuditEvent, AuditFilter, AuditStore, LockState, LockoutSettings,
    NewApp, NewAssociate, Outcome, PasswordChange, Right, Store, StoreError, TenantId,
    TicketRecord, Timestamp, UserType, DEFAULT_TENANT,
};
use async_trait::async_trait;

/// Generates one `#[tokio::test]` per conformance check. `$factory` is a path to an
/// `async fn() -> (G, Arc<dyn Store>)`; `G` is dropped at the end of the test.
///
/// With an explicit list after a `;`, only those checks are generated. With `optional`
/// before the path, `$factory` returns `Option<(G, Arc<dyn Store>)>` and a test whose
/// factory answers `None` (its database is not configured) returns without checking.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@every [] $factory);
    };
    (optional $factory:path) => {
        $crate::conformance_tests!(@every [optional] $factory);
    };
    // The one list of every check.
    (@every [$($optional:ident)?] $factory:path) => {
        $crate::conformance_tests!(@each [$($optional)?] $factory;
            associate_round_trip,
            name_lookup_is_case_insensitive,
            duplicate_name_is_conflict,
            look_alike_names_are_one_name,
            list_is_ordered_by_id_and_counted,
            retire_revokes_tickets,
            tickets_round_trip,
            ticket_purge_works_in_batches,
            ticket_errors,
            tickets_keep_their_application,
            password_change_revokes_other_tickets_and_audits,
            password_change_for_unknown_associate_changes_nothing,
            login_commits_rehash_lock_ticket_and_audit_together,
            a_login_that_cannot_be_written_writes_nothing,
            audited_insert_writes_the_associate_and_its_record,
            audit_recent_is_newest_first_and_limited,
            audit_query_filters_and_orders,
            audit_purge_deletes_only_older_records,
            password_history_is_kept_and_trimmed,
            must_change_round_trips,
            concurrent_access,
            apps_round_trip,
            app_names_and_digests_are_unique,
            revoking_an_app_keeps_the_first_time,
            login_failures_lock_and_clear,
            password_change_clears_the_lock_when_asked,
            refused_login_counts_and_audits_in_one_go,
            concurrent_login_failures_all_count,
            tenants_round_trip,
            names_are_unique_per_tenant_and_lookups_scoped,
            ping_answers,
        );
    };
    (@each [optional] $factory:path; $($check:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let Some((_guard, store)) = $factory().await else {
                    return;
                };
                $crate::conformance::$check(store).await;
            }
        )+
    };
    (@each [] $factory:path; $($check:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let (_guard, store) = $factory().await;
                $crate::conformance::$check(store).await;
            }
        )+
    };
    ($factory:path; $($check:ident),+ $(,)?) => {
        $crate::conformance_tests!(@each [] $factory; $($check),+);
    };
}

/// The newest records of a tenant's audit trail, for checks that read what an operation
/// wrote; a shorthand for an unfiltered [`AuditStore::audit_query`].
#[async_trait]
pub trait AuditTrail {
    /// The tenant's newest `limit` audit events, newest first.
    async fn recent_audit(
        &self,
        tenant: TenantId,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, StoreError>;
}

#[async_trait]
impl<S: AuditStore + ?Sized> AuditTrail for S {
    async fn recent_audit(
        &self,
        tenant: TenantId,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let filter = AuditFilter {
            since: None,
            associate_id: None,
            limit,
        };
        self.audit_query(tenant, filter).await
    }
}

mod apps;
mod associates;
mod audit;
mod concurrency;
mod lockout;
mod login;
mod passwords;
mod tenants;
mod tickets;

pub use apps::*;
pub use associates::*;
pub use audit::*;
pub use concurrency::*;
pub use lockout::*;
pub use login::*;
pub use passwords::*;
pub use tenants::*;
pub use tickets::*;

const HASH_A: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

const HASH_B: &str = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0MTIz$bmV3aGFzaG5ld2hhc2huZXc";

fn person(name: &str) -> NewAssociate {
    NewAssociate {
        tenant: DEFAULT_TENANT,
        name: name.to_owned(),
        full_name: format!("{name} Testperson"),
        user_type: UserType::Internal,
        rights: vec![],
        password_hash: Some(HASH_A.to_owned()),
        must_change: false,
        created_at: Timestamp(1_700_000_000),
    }
}

fn ticket(id: &str, associate_id: AssociateId, expires_at: i64) -> TicketRecord {
    let mut digest = [0u8; 32];
    for (i, b) in id.bytes().enumerate() {
        digest[i % 32] ^= b;
    }
    digest[31] = 0xff;
    TicketRecord {
        id: id.to_owned(),
        digest,
        associate_id,
        created_at: Timestamp(1_000),
        expires_at: Timestamp(expires_at),
        app_id: None,
    }
}

fn event(at: i64, operation: &str) -> AuditEvent {
    AuditEvent {
        tenant: DEFAULT_TENANT,
        at: Timestamp(at),
        actor: Some(1),
        target: Some(2),
        operation: operation.to_owned(),
        outcome: Outcome::Success,
        client: Some("203.0.113.9".to_owned()),
        app: Some("Partner app".to_owned()),
        operation_id: Some(format!("op-{operation}-{at}")),
    }
}

async fn insert(store: &Arc<dyn Store>, new: NewAssociate) -> accounts::Associate {
    store
        .insert_associate(new)
        .await
        .expect("insert_associate failed")
}

/// The stored associate `id`, which the check expects to exist.
async fn stored(store: &Arc<dyn Store>, id: AssociateId) -> accounts::Associate {
    store
        .associate_by_id(id)
        .await
        .expect("associate_by_id failed")
        .expect("the associate is missing")
}

async fn has_ticket(store: &Arc<dyn Store>, id: &str) -> bool {
    store.ticket(id).await.expect("ticket failed").is_some()
}

fn change(id: AssociateId, hash: &str, keep: usize, must_change: bool, at: i64) -> PasswordChange {
    PasswordChange {
        associate_id: id,
        password_hash: hash.into(),
        keep_ticket: None,
        audit: AuditEvent {
            tenant: DEFAULT_TENANT,
            at: Timestamp(at),
            actor: Some(id),
            target: Some(id),
            operation: "ChangeOwnPassword".into(),
            outcome: Outcome::Success,
            client: None,
            app: None,
            operation_id: None,
        },
        must_change,
        history_keep: keep,
        clear_lock: false,
    }
}
