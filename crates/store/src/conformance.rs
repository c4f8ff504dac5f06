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
    AppRecord, AssociateId, AuditEvent, AuditFilter, LockState, LockoutSettings, NewApp,
    NewAssociate, Outcome, PasswordChange, Right, Store, StoreError, TicketRecord, Timestamp,
    UserType, DEFAULT_TENANT,
};

/// Generates one `#[tokio::test]` per conformance check. `$factory` is a path to an
/// `async fn() -> (G, Arc<dyn Store>)`; `G` is dropped at the end of the test.
///
/// With an explicit list after a `;`, only those checks are generated. With `optional`
/// before the path, `$factory` returns `Option<(G, Arc<dyn Store>)>` and a test whose
/// factory answers `None` (its database is not configured) returns without checking.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!($factory;
            associate_round_trip,
            name_lookup_is_case_insensitive,
            duplicate_name_is_conflict,
            list_is_ordered_by_id_and_counted,
            retire_revokes_tickets,
            tickets_round_trip,
            ticket_errors,
            password_change_revokes_other_tickets_and_audits,
            password_change_for_unknown_associate_changes_nothing,
            update_password_hash_keeps_tickets,
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
            concurrent_login_failures_all_count,
            tenants_round_trip,
            names_are_unique_per_tenant_and_lookups_scoped,
            ping_answers,
        );
    };
    (optional $factory:path) => {
        $crate::conformance_tests!(@each optional $factory;
            associate_round_trip,
            name_lookup_is_case_insensitive,
            duplicate_name_is_conflict,
            list_is_ordered_by_id_and_counted,
            retire_revokes_tickets,
            tickets_round_trip,
            ticket_errors,
            password_change_revokes_other_tickets_and_audits,
            password_change_for_unknown_associate_changes_nothing,
            update_password_hash_keeps_tickets,
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
            concurrent_login_failures_all_count,
            tenants_round_trip,
            names_are_unique_per_tenant_and_lookups_scoped,
            ping_answers,
        );
    };
    (@each optional $factory:path; $($check:ident),+ $(,)?) => {
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
    ($factory:path; $($check:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let (_guard, store) = $factory().await;
                $crate::conformance::$check(store).await;
            }
        )+
    };
}

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

async fn has_ticket(store: &Arc<dyn Store>, id: &str) -> bool {
    store.ticket(id).await.expect("ticket failed").is_some()
}

/// A reachable store answers the readiness ping, before and after writes.
pub async fn ping_answers(store: Arc<dyn Store>) {
    store.ping().await.expect("ping on a fresh store");
    insert(&store, person("Pinger")).await;
    store.ping().await.expect("ping after a write");
}

/// Inserted associates come back whole, by id, with ids from 1 up.
pub async fn associate_round_trip(store: Arc<dyn Store>) {
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        0
    );
    assert!(store
        .list_associates(DEFAULT_TENANT)
        .await
        .expect("list")
        .is_empty());

    let a = insert(
        &store,
        NewAssociate {
            tenant: DEFAULT_TENANT,
            name: "Alice".into(),
            full_name: "Alice Liddell".into(),
            user_type: UserType::Internal,
            rights: vec![Right::AdminUsers, Right::AdminAll],
            password_hash: Some(HASH_A.into()),
            must_change: false,
        },
    )
    .await;
    assert!(a.id >= 1, "ids start at 1, got {}", a.id);
    assert_eq!(a.name, "Alice");
    assert_eq!(a.full_name, "Alice Liddell");
    assert_eq!(a.user_type, UserType::Internal);
    assert_eq!(a.rights, vec![Right::AdminAll, Right::AdminUsers]);
    assert!(!a.retired);
    assert_eq!(a.password_hash.as_deref(), Some(HASH_A));

    let b = insert(
        &store,
        NewAssociate {
            tenant: DEFAULT_TENANT,
            name: "robot".into(),
            full_name: String::new(),
            user_type: UserType::System,
            rights: vec![],
            password_hash: None,
            must_change: false,
        },
    )
    .await;
    assert!(b.id > a.id);
    assert_eq!(b.rights, vec![]);
    assert_eq!(b.password_hash, None);

    assert_eq!(store.associate_by_id(a.id).await.expect("by id"), Some(a));
    assert_eq!(
        store.associate_by_id(b.id).await.expect("by id"),
        Some(b.clone())
    );
    for missing in [0, -1, b.id + 1000, AssociateId::MAX, AssociateId::MIN] {
        assert_eq!(store.associate_by_id(missing).await.expect("by id"), None);
    }

    for t in [
        UserType::Internal,
        UserType::Resource,
        UserType::External,
        UserType::System,
    ] {
        let mut new = person(&format!("type-{}", t.as_str()));
        new.user_type = t;
        new.rights = vec![Right::AdminUsers];
        let got = insert(&store, new).await;
        let again = store.associate_by_id(got.id).await.expect("by id");
        assert_eq!(again.as_ref().map(|x| x.user_type), Some(t));
        assert_eq!(again.map(|x| x.rights), Some(vec![Right::AdminUsers]));
    }
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        6
    );
}

/// Log-in names match case-insensitively, beyond ASCII too, and keep their spelling.
pub async fn name_lookup_is_case_insensitive(store: Arc<dyn Store>) {
    let alice = insert(&store, person("Alice")).await;
    let ase = insert(&store, person("ÅSE")).await;
    let aeoa = insert(&store, person("ÆØÅ-Ölund")).await;

    for name in ["Alice", "alice", "ALICE", "aLiCe"] {
        let got = store
            .associate_by_name(DEFAULT_TENANT, name)
            .await
            .expect("by name");
        assert_eq!(got.map(|a| a.id), Some(alice.id), "lookup {name}");
    }
    for name in ["ÅSE", "åse", "Åse"] {
        let got = store
            .associate_by_name(DEFAULT_TENANT, name)
            .await
            .expect("by name");
        let got = got.unwrap_or_else(|| panic!("lookup {name} found nothing"));
        assert_eq!(got.id, ase.id);
        assert_eq!(got.name, "ÅSE", "the stored spelling is kept");
    }
    let got = store
        .associate_by_name(DEFAULT_TENANT, "æøå-ölund")
        .await
        .expect("by name");
    assert_eq!(got.map(|a| a.id), Some(aeoa.id));

    for name in ["", "alic", "alice ", "%", "_lice", "ase", "A%"] {
        assert_eq!(
            store
                .associate_by_name(DEFAULT_TENANT, name)
                .await
                .expect("by name"),
            None,
            "lookup {name:?} must not match"
        );
    }
}

/// A taken name, in any case, is `StoreError::Conflict` and writes nothing.
pub async fn duplicate_name_is_conflict(store: Arc<dyn Store>) {
    let bob = insert(&store, person("Bob")).await;
    insert(&store, person("ÅSE")).await;
    for name in ["Bob", "BOB", "bob", "åse", "Åse"] {
        match store.insert_associate(person(name)).await {
            Err(StoreError::Conflict) => {}
            other => panic!("inserting {name} again: expected Conflict, got {other:?}"),
        }
    }
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        2
    );
    let carol = insert(&store, person("Carol")).await;
    assert!(carol.id > bob.id);
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        3
    );
}

/// `list_associates` returns everyone, retired too, by ascending id.
pub async fn list_is_ordered_by_id_and_counted(store: Arc<dyn Store>) {
    let names = ["delta", "alpha", "Charlie", "bravo", "echo"];
    let mut ids = Vec::new();
    for name in names {
        ids.push(insert(&store, person(name)).await.id);
    }
    assert!(store.retire_associate(ids[1]).await.expect("retire"));
    let listed = store.list_associates(DEFAULT_TENANT).await.expect("list");
    assert_eq!(listed.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
    assert_eq!(
        listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        names
    );
    assert!(listed[1].retired);
    assert_eq!(listed.iter().filter(|a| a.retired).count(), 1);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        5
    );
}

/// Retiring marks the associate and revokes its tickets; unknown ids give false.
pub async fn retire_revokes_tickets(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let b = insert(&store, person("b")).await;
    for t in [
        ticket("a-1", a.id, 9_000),
        ticket("a-2", a.id, 9_000),
        ticket("b-1", b.id, 9_000),
    ] {
        store.insert_ticket(t).await.expect("insert ticket");
    }
    assert!(store.retire_associate(a.id).await.expect("retire"));
    let got = store
        .associate_by_id(a.id)
        .await
        .expect("by id")
        .expect("still there");
    assert!(got.retired);
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert!(!has_ticket(&store, "a-1").await);
    assert!(!has_ticket(&store, "a-2").await);
    assert!(
        has_ticket(&store, "b-1").await,
        "other associates' tickets stay"
    );
    let b_now = store
        .associate_by_id(b.id)
        .await
        .expect("by id")
        .expect("b");
    assert!(!b_now.retired);
    let by_name = store
        .associate_by_name(DEFAULT_TENANT, "A")
        .await
        .expect("by name");
    assert!(by_name.is_some_and(|x| x.retired));

    assert!(
        store.retire_associate(a.id).await.expect("retire again"),
        "still exists"
    );
    for unknown in [0, -5, b.id + 100] {
        assert!(!store
            .retire_associate(unknown)
            .await
            .expect("retire unknown"));
    }
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        2
    );
}

/// Tickets: insert, fetch, renew, purge of those expired before `now`.
pub async fn tickets_round_trip(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let t1 = ticket("3f2504e0-4f89-11d3-9a0c-0305e82c3301", a.id, 2_000);
    store.insert_ticket(t1.clone()).await.expect("insert");
    assert_eq!(store.ticket(&t1.id).await.expect("get"), Some(t1.clone()));
    assert_eq!(store.ticket("nope").await.expect("get"), None);
    assert_eq!(store.ticket("").await.expect("get"), None);

    store
        .renew_ticket(&t1.id, Timestamp(5_000))
        .await
        .expect("renew");
    let renewed = store
        .ticket(&t1.id)
        .await
        .expect("get")
        .expect("still there");
    assert_eq!(renewed.expires_at, Timestamp(5_000));
    assert_eq!(renewed.created_at, t1.created_at);
    assert_eq!(renewed.digest, t1.digest);
    store
        .renew_ticket("nope", Timestamp(5_000))
        .await
        .expect("renew unknown is fine");

    store
        .insert_ticket(ticket("t2", a.id, 3_000))
        .await
        .expect("insert");
    store
        .insert_ticket(ticket("t3", a.id, 4_999))
        .await
        .expect("insert");
    store
        .insert_ticket(ticket("t4", a.id, 5_001))
        .await
        .expect("insert");
    assert_eq!(
        store
            .purge_expired_tickets(Timestamp(1_000))
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        store
            .purge_expired_tickets(Timestamp(5_000))
            .await
            .expect("purge"),
        2
    );
    assert!(
        has_ticket(&store, &t1.id).await,
        "expiring exactly now is not yet expired"
    );
    assert!(!has_ticket(&store, "t2").await);
    assert!(!has_ticket(&store, "t3").await);
    assert!(has_ticket(&store, "t4").await);
    assert_eq!(
        store
            .purge_expired_tickets(Timestamp(5_000))
            .await
            .expect("purge"),
        0
    );
}

/// Ticket writes that break the schema fail, and the error text names no value.
pub async fn ticket_errors(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    store
        .insert_ticket(ticket("dup-ticket-id", a.id, 9_000))
        .await
        .expect("insert");
    let e = store
        .insert_ticket(ticket("dup-ticket-id", a.id, 9_000))
        .await
        .expect_err("a duplicate ticket id must fail");
    assert!(matches!(e, StoreError::Backend(_)), "{e:?}");
    assert!(!e.to_string().contains("dup-ticket-id"), "{e}");

    let e = store
        .insert_ticket(ticket("leak-check-ticket-id", 987_654, 9_000))
        .await
        .expect_err("a ticket of an unknown associate must fail");
    assert!(matches!(e, StoreError::Backend(_)), "{e:?}");
    let text = e.to_string();
    assert!(
        !text.contains("leak-check-ticket-id") && !text.contains("987654"),
        "{text}"
    );
    assert!(!has_ticket(&store, "leak-check-ticket-id").await);
}

/// One password change: new hash, other tickets revoked, kept one survives, audit row.
pub async fn password_change_revokes_other_tickets_and_audits(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let b = insert(&store, person("b")).await;
    for t in [
        ticket("a-keep", a.id, 9_000),
        ticket("a-other-1", a.id, 9_000),
        ticket("a-other-2", a.id, 9_000),
        ticket("b-1", b.id, 9_000),
    ] {
        store.insert_ticket(t).await.expect("insert ticket");
    }
    let audit = AuditEvent {
        tenant: DEFAULT_TENANT,
        at: Timestamp(100),
        actor: Some(b.id),
        target: Some(a.id),
        operation: "SetPassword".into(),
        outcome: Outcome::Success,
        client: Some("203.0.113.9".into()),
        app: None,
        operation_id: Some("0123456789abcdef0123456789abcdef".into()),
    };
    let change = PasswordChange {
        associate_id: a.id,
        password_hash: HASH_B.into(),
        must_change: false,
        history_keep: 0,
        clear_lock: false,
        keep_ticket: Some("a-keep".into()),
        audit: audit.clone(),
    };
    assert!(store.commit_password_change(change).await.expect("change"));
    let got = store
        .associate_by_id(a.id)
        .await
        .expect("by id")
        .expect("a");
    assert_eq!(got.password_hash.as_deref(), Some(HASH_B));
    assert!(has_ticket(&store, "a-keep").await);
    assert!(!has_ticket(&store, "a-other-1").await);
    assert!(!has_ticket(&store, "a-other-2").await);
    assert!(has_ticket(&store, "b-1").await);
    let b_now = store
        .associate_by_id(b.id)
        .await
        .expect("by id")
        .expect("b");
    assert_eq!(b_now.password_hash.as_deref(), Some(HASH_A));
    assert_eq!(
        store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit"),
        vec![audit.clone()]
    );

    // Keeping a ticket of someone else keeps nothing of the target's.
    store
        .insert_ticket(ticket("a-3", a.id, 9_000))
        .await
        .expect("insert");
    let second = PasswordChange {
        associate_id: a.id,
        password_hash: HASH_A.into(),
        must_change: false,
        history_keep: 0,
        clear_lock: false,
        keep_ticket: Some("b-1".into()),
        audit: event(200, "SetPassword"),
    };
    assert!(store.commit_password_change(second).await.expect("change"));
    assert!(!has_ticket(&store, "a-3").await);
    assert!(!has_ticket(&store, "a-keep").await);
    assert!(has_ticket(&store, "b-1").await);

    let third = PasswordChange {
        associate_id: b.id,
        password_hash: HASH_B.into(),
        must_change: false,
        history_keep: 0,
        clear_lock: false,
        keep_ticket: None,
        audit: event(300, "SetPassword"),
    };
    assert!(store.commit_password_change(third).await.expect("change"));
    assert!(
        !has_ticket(&store, "b-1").await,
        "no kept ticket revokes all"
    );
    assert_eq!(
        store
            .recent_audit(DEFAULT_TENANT, 10)
            .await
            .expect("audit")
            .len(),
        3
    );
}

/// An unknown target: false, no audit row, nothing else touched.
pub async fn password_change_for_unknown_associate_changes_nothing(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    store
        .insert_ticket(ticket("a-1", a.id, 9_000))
        .await
        .expect("insert");
    for unknown in [a.id + 100, 0, -1] {
        let change = PasswordChange {
            associate_id: unknown,
            password_hash: HASH_B.into(),
            must_change: false,
            history_keep: 0,
            clear_lock: false,
            keep_ticket: None,
            audit: event(100, "SetPassword"),
        };
        assert!(!store.commit_password_change(change).await.expect("change"));
    }
    assert!(store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .is_empty());
    assert!(has_ticket(&store, "a-1").await);
    let got = store
        .associate_by_id(a.id)
        .await
        .expect("by id")
        .expect("a");
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        1
    );
}

/// Re-hashing replaces the hash only: tickets and audit stay as they were.
pub async fn update_password_hash_keeps_tickets(store: Arc<dyn Store>) {
    let mut new = person("a");
    new.password_hash = None;
    let a = insert(&store, new).await;
    let b = insert(&store, person("b")).await;
    store
        .insert_ticket(ticket("a-1", a.id, 9_000))
        .await
        .expect("insert");

    store
        .update_password_hash(a.id, HASH_B)
        .await
        .expect("update");
    let got = store
        .associate_by_id(a.id)
        .await
        .expect("by id")
        .expect("a");
    assert_eq!(got.password_hash.as_deref(), Some(HASH_B));
    store
        .update_password_hash(a.id, HASH_A)
        .await
        .expect("update");
    let got = store
        .associate_by_id(a.id)
        .await
        .expect("by id")
        .expect("a");
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert!(has_ticket(&store, "a-1").await);
    assert!(store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .is_empty());

    store
        .update_password_hash(b.id + 100, HASH_B)
        .await
        .expect("unknown id is fine");
    let b_now = store
        .associate_by_id(b.id)
        .await
        .expect("by id")
        .expect("b");
    assert_eq!(b_now.password_hash.as_deref(), Some(HASH_A));
}

/// Audit: newest (by time, then by insertion) first, at most `limit`, fields intact.
pub async fn audit_recent_is_newest_first_and_limited(store: Arc<dyn Store>) {
    assert!(store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .is_empty());
    let failure = AuditEvent {
        tenant: DEFAULT_TENANT,
        at: Timestamp(20),
        actor: None,
        target: None,
        operation: "AuthenticateUsernamePassword".into(),
        outcome: Outcome::Failure("ticket_invalid".into()),
        client: None,
        app: None,
        operation_id: None,
    };
    let events = [
        event(10, "first"),
        event(30, "third"),
        failure.clone(),
        event(30, "fourth"),
        event(5, "oldest"),
    ];
    for e in events.iter().cloned() {
        store.record_audit(e).await.expect("record");
    }
    let ops = |v: Vec<AuditEvent>| v.into_iter().map(|e| e.operation).collect::<Vec<_>>();
    assert_eq!(
        ops(store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit")),
        [
            "fourth",
            "third",
            "AuthenticateUsernamePassword",
            "first",
            "oldest"
        ]
    );
    assert_eq!(
        ops(store.recent_audit(DEFAULT_TENANT, 2).await.expect("audit")),
        ["fourth", "third"]
    );
    assert!(store
        .recent_audit(DEFAULT_TENANT, 0)
        .await
        .expect("audit")
        .is_empty());
    let all = store
        .recent_audit(DEFAULT_TENANT, u32::MAX)
        .await
        .expect("audit");
    assert_eq!(all.len(), 5);
    assert_eq!(all[2], failure);
    assert_eq!(all[0], events[3]);
}

/// `audit_query`: since (inclusive), associate as actor or target, limit; newest first.
pub async fn audit_query_filters_and_orders(store: Arc<dyn Store>) {
    let all = AuditFilter {
        since: None,
        associate_id: None,
        limit: 100,
    };
    assert!(store
        .audit_query(DEFAULT_TENANT, all)
        .await
        .expect("query")
        .is_empty());
    let with =
        |at: i64, op: &str, actor: Option<AssociateId>, target: Option<AssociateId>| AuditEvent {
            actor,
            target,
            ..event(at, op)
        };
    let events = [
        with(10, "a", Some(1), Some(2)),
        with(20, "b", None, Some(3)),
        with(30, "c", Some(3), Some(4)),
        with(30, "d", None, None),
        with(40, "e", Some(1), Some(1)),
    ];
    for e in events.iter().cloned() {
        store.record_audit(e).await.expect("record");
    }
    let ops = |v: Vec<AuditEvent>| v.into_iter().map(|e| e.operation).collect::<Vec<_>>();
    let query = |filter: AuditFilter| {
        let store = store.clone();
        async move {
            ops(store
                .audit_query(DEFAULT_TENANT, filter)
                .await
                .expect("query"))
        }
    };
    assert_eq!(query(all).await, ["e", "d", "c", "b", "a"]);
    let since = |s: i64| AuditFilter {
        since: Some(Timestamp(s)),
        ..all
    };
    assert_eq!(query(since(30)).await, ["e", "d", "c"]);
    assert_eq!(query(since(41)).await, Vec::<String>::new());
    let of = |id: AssociateId| AuditFilter {
        associate_id: Some(id),
        ..all
    };
    assert_eq!(query(of(3)).await, ["c", "b"]);
    assert_eq!(query(of(1)).await, ["e", "a"]);
    assert_eq!(query(of(9)).await, Vec::<String>::new());
    let both = AuditFilter {
        since: Some(Timestamp(15)),
        associate_id: Some(2),
        limit: 100,
    };
    assert!(query(both).await.is_empty());
    assert_eq!(query(AuditFilter { limit: 2, ..all }).await, ["e", "d"]);
    assert!(query(AuditFilter { limit: 0, ..all }).await.is_empty());
    let got = store.audit_query(DEFAULT_TENANT, all).await.expect("query");
    assert_eq!(
        got[4], events[0],
        "every field survives, app and operation id too"
    );
    assert_eq!(got[4].operation_id.as_deref(), Some("op-a-10"));
    assert_eq!(got[4].app.as_deref(), Some("Partner app"));
}

/// The retention sweep deletes strictly older records and answers how many.
pub async fn audit_purge_deletes_only_older_records(store: Arc<dyn Store>) {
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100))
            .await
            .expect("purge"),
        0
    );
    for (at, op) in [(10, "old"), (99, "older"), (100, "edge"), (200, "new")] {
        store.record_audit(event(at, op)).await.expect("record");
    }
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100))
            .await
            .expect("purge"),
        2
    );
    let left: Vec<String> = store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(left, ["new", "edge"]);
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100))
            .await
            .expect("purge"),
        0
    );
}

/// Many tasks at once: writes and reads all succeed (no "database is locked").
pub async fn concurrent_access(store: Arc<dyn Store>) {
    const TASKS: usize = 50;
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            let a = store
                .insert_associate(person(&format!("user-{i}")))
                .await
                .map_err(|e| format!("insert {i}: {e}"))?;
            let found = store
                .associate_by_name(DEFAULT_TENANT, &format!("USER-{i}"))
                .await
                .map_err(|e| format!("by name {i}: {e}"))?;
            if found.map(|f| f.id) != Some(a.id) {
                return Err(format!("user-{i} not found by name"));
            }
            let id = format!("ticket-{i}");
            store
                .insert_ticket(ticket(&id, a.id, 9_000))
                .await
                .map_err(|e| format!("ticket {i}: {e}"))?;
            store
                .renew_ticket(&id, Timestamp(10_000))
                .await
                .map_err(|e| format!("renew {i}: {e}"))?;
            let change = PasswordChange {
                associate_id: a.id,
                password_hash: HASH_B.into(),
                must_change: false,
                history_keep: 0,
                clear_lock: false,
                keep_ticket: Some(id.clone()),
                audit: event(i as i64, "SetPassword"),
            };
            if !store
                .commit_password_change(change)
                .await
                .map_err(|e| format!("change {i}: {e}"))?
            {
                return Err(format!("change {i} found no associate"));
            }
            store
                .list_associates(DEFAULT_TENANT)
                .await
                .map_err(|e| format!("list {i}: {e}"))?;
            store
                .count_associates(DEFAULT_TENANT)
                .await
                .map_err(|e| format!("count {i}: {e}"))?;
            store
                .recent_audit(DEFAULT_TENANT, 5)
                .await
                .map_err(|e| format!("audit {i}: {e}"))?;
            Ok::<_, String>(a.id)
        }));
    }
    let mut ids = Vec::new();
    for h in handles {
        match h.await {
            Ok(Ok(id)) => ids.push(id),
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("task failed: {e}"),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), TASKS, "ids are distinct");
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        TASKS as u64
    );
    assert_eq!(
        store
            .list_associates(DEFAULT_TENANT)
            .await
            .expect("list")
            .len(),
        TASKS
    );
    assert_eq!(
        store
            .recent_audit(DEFAULT_TENANT, 1_000)
            .await
            .expect("audit")
            .len(),
        TASKS
    );
    for i in 0..TASKS {
        assert!(has_ticket(&store, &format!("ticket-{i}")).await);
    }
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

/// Each change remembers the hash it replaced, newest first, trimmed to `history_keep`;
/// a change keeping none forgets the history.
pub async fn password_history_is_kept_and_trimmed(store: Arc<dyn Store>) {
    let a = store
        .insert_associate(person("hist"))
        .await
        .expect("insert");
    let other = store
        .insert_associate(person("other"))
        .await
        .expect("insert");
    for (i, hash) in ["h1", "h2", "h3", "h4"].iter().enumerate() {
        let at = i64::try_from(i).expect("small");
        assert!(store
            .commit_password_change(change(a.id, hash, 2, false, at))
            .await
            .expect("change"));
    }
    assert!(store
        .commit_password_change(change(other.id, "o1", 2, false, 9))
        .await
        .expect("change"));
    // Replaced, newest first: h3 (by h4), h2 (by h3); h1 and HASH_A were trimmed.
    assert_eq!(
        store.password_history(a.id, 10).await.expect("history"),
        vec!["h3", "h2"]
    );
    assert_eq!(
        store.password_history(a.id, 1).await.expect("history"),
        vec!["h3"]
    );
    assert_eq!(
        store.password_history(other.id, 10).await.expect("history"),
        vec![HASH_A]
    );
    assert!(store
        .commit_password_change(change(a.id, "h5", 0, false, 9))
        .await
        .expect("change"));
    assert!(store
        .password_history(a.id, 10)
        .await
        .expect("history")
        .is_empty());
    assert!(store
        .password_history(9999, 10)
        .await
        .expect("history")
        .is_empty());
}

/// The must-change flag is stored on insert, by a password change and by its setter.
pub async fn must_change_round_trips(store: Arc<dyn Store>) {
    let mut new = person("mc");
    new.must_change = true;
    let a = store.insert_associate(new).await.expect("insert");
    assert!(a.must_change);
    assert!(store
        .commit_password_change(change(a.id, "x", 0, false, 1))
        .await
        .expect("change"));
    let got = store.associate_by_id(a.id).await.expect("get").expect("a");
    assert!(!got.must_change);
    store.set_must_change(a.id, true).await.expect("set");
    assert!(
        store
            .associate_by_name(DEFAULT_TENANT, "MC")
            .await
            .expect("get")
            .expect("a")
            .must_change
    );
    assert!(store
        .commit_password_change(change(a.id, "y", 0, true, 2))
        .await
        .expect("change"));
    assert!(
        store
            .associate_by_id(a.id)
            .await
            .expect("get")
            .expect("a")
            .must_change
    );
}

fn lockout(threshold: u32) -> LockoutSettings {
    LockoutSettings {
        threshold,
        window: std::time::Duration::from_secs(900),
        base_delay: std::time::Duration::from_secs(60),
        max_delay: std::time::Duration::from_secs(3600),
    }
}

async fn lock_of(store: &Arc<dyn Store>, id: AssociateId) -> LockState {
    store
        .associate_by_id(id)
        .await
        .expect("get")
        .expect("associate")
        .lock
}

/// Failures are counted on the associate, lock it at the threshold, are visible on
/// `Associate::lock` and are cleared by `clear_login_failures`; unknown ids are `None`.
pub async fn login_failures_lock_and_clear(store: Arc<dyn Store>) {
    let a = insert(&store, person("lock")).await;
    let other = insert(&store, person("bystander")).await;
    assert!(a.lock.is_clear());
    let s = lockout(3);
    for i in 1..=2 {
        let r = store
            .record_login_failure(a.id, Timestamp(1_000 + i), &s)
            .await
            .expect("record")
            .expect("exists");
        assert_eq!(r.after.failed_logins, u32::try_from(i).expect("small"));
        assert!(!r.locked_now());
    }
    let r = store
        .record_login_failure(a.id, Timestamp(1_003), &s)
        .await
        .expect("record")
        .expect("exists");
    assert!(r.locked_now());
    assert_eq!(r.after.locked_until, Some(Timestamp(1_063)));
    let stored = lock_of(&store, a.id).await;
    assert_eq!(stored, r.after);
    assert_eq!(stored.first_failure_at, Some(Timestamp(1_001)));
    assert!(stored.is_locked(Timestamp(1_062)));
    // By name too, and the bystander is untouched.
    let by_name = store
        .associate_by_name(DEFAULT_TENANT, "LOCK")
        .await
        .expect("get")
        .expect("a");
    assert_eq!(by_name.lock, stored);
    assert!(lock_of(&store, other.id).await.is_clear());
    // While locked, a failure changes nothing.
    let r = store
        .record_login_failure(a.id, Timestamp(1_010), &s)
        .await
        .expect("record")
        .expect("exists");
    assert_eq!(r.before, r.after);
    assert!(!r.locked_now());

    assert!(store.clear_login_failures(a.id).await.expect("clear"));
    assert!(lock_of(&store, a.id).await.is_clear());
    assert!(!store.clear_login_failures(9_999).await.expect("clear"));
    assert!(store
        .record_login_failure(9_999, Timestamp(1), &s)
        .await
        .expect("record")
        .is_none());
}

/// `clear_lock` on a password change lifts the lock in the same transaction; without it
/// the lock stays.
pub async fn password_change_clears_the_lock_when_asked(store: Arc<dyn Store>) {
    let a = insert(&store, person("locked")).await;
    let s = lockout(1);
    store
        .record_login_failure(a.id, Timestamp(100), &s)
        .await
        .expect("record");
    assert!(lock_of(&store, a.id).await.is_locked(Timestamp(100)));
    assert!(store
        .commit_password_change(change(a.id, "k1", 0, false, 101))
        .await
        .expect("change"));
    assert!(lock_of(&store, a.id).await.is_locked(Timestamp(101)));
    let mut clearing = change(a.id, "k2", 0, false, 102);
    clearing.clear_lock = true;
    assert!(store
        .commit_password_change(clearing)
        .await
        .expect("change"));
    assert!(lock_of(&store, a.id).await.is_clear());
}

/// Many tasks recording failures at once: every one counts exactly once.
pub async fn concurrent_login_failures_all_count(store: Arc<dyn Store>) {
    const TASKS: u32 = 40;
    let a = insert(&store, person("hammered")).await;
    // A threshold above the number of tasks, so that no lock stops the counting.
    let s = lockout(TASKS + 1);
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = Arc::clone(&store);
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            store
                .record_login_failure(a.id, Timestamp(5_000 + i64::from(i % 3)), &s)
                .await
        }));
    }
    let mut seen = Vec::new();
    for h in handles {
        match h.await {
            Ok(Ok(Some(r))) => seen.push(r.after.failed_logins),
            Ok(Ok(None)) => panic!("the associate vanished"),
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("task failed: {e}"),
        }
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=TASKS).collect::<Vec<_>>(),
        "each failure saw its own count"
    );
    assert_eq!(lock_of(&store, a.id).await.failed_logins, TASKS);
    // And the next one locks.
    let r = store
        .record_login_failure(a.id, Timestamp(5_010), &s)
        .await
        .expect("record")
        .expect("exists");
    assert!(r.locked_now());
}

fn app(name: &str, seed: u8, user_management: bool) -> NewApp {
    NewApp {
        tenant: DEFAULT_TENANT,
        name: name.to_owned(),
        digest: [seed; 32],
        user_management,
        created_at: Timestamp(1_000 + i64::from(seed)),
    }
}

/// Apps come back by digest and in the list exactly as inserted.
pub async fn apps_round_trip(store: Arc<dyn Store>) {
    assert!(store
        .list_apps(DEFAULT_TENANT)
        .await
        .expect("list")
        .is_empty());
    assert_eq!(store.app_by_digest(&[7; 32]).await.expect("get"), None);
    let partner = store
        .insert_app(app("Partner", 1, false))
        .await
        .expect("insert");
    let admin = store
        .insert_app(app("Admin Tool", 2, true))
        .await
        .expect("insert");
    assert_eq!(
        partner,
        AppRecord {
            tenant: DEFAULT_TENANT,
            id: partner.id,
            name: "Partner".into(),
            digest: [1; 32],
            user_management: false,
            created_at: Timestamp(1_001),
            revoked_at: None,
        }
    );
    assert!(admin.id > partner.id);
    assert!(admin.user_management);
    assert_eq!(
        store.app_by_digest(&[2; 32]).await.expect("get"),
        Some(admin.clone())
    );
    assert_eq!(
        store.list_apps(DEFAULT_TENANT).await.expect("list"),
        vec![partner, admin]
    );
}

/// A second app with the same name in any letter case, or the same digest, is a conflict
/// and writes nothing.
pub async fn app_names_and_digests_are_unique(store: Arc<dyn Store>) {
    store
        .insert_app(app("crm", 1, false))
        .await
        .expect("insert");
    assert!(matches!(
        store.insert_app(app("CRM", 2, true)).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.insert_app(app("other", 1, true)).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.list_apps(DEFAULT_TENANT).await.expect("list").len(),
        1
    );
    assert_eq!(store.app_by_digest(&[2; 32]).await.expect("get"), None);
}

/// Revocation by name (any case) sets the time once; unknown names answer false.
pub async fn revoking_an_app_keeps_the_first_time(store: Arc<dyn Store>) {
    store
        .insert_app(app("Tool", 3, true))
        .await
        .expect("insert");
    store
        .insert_app(app("Other", 4, true))
        .await
        .expect("insert");
    assert!(store
        .revoke_app(DEFAULT_TENANT, "tOOL", Timestamp(50))
        .await
        .expect("revoke"));
    assert!(store
        .revoke_app(DEFAULT_TENANT, "tool", Timestamp(60))
        .await
        .expect("revoke"));
    assert!(!store
        .revoke_app(DEFAULT_TENANT, "nobody", Timestamp(60))
        .await
        .expect("revoke"));
    let got = store
        .app_by_digest(&[3; 32])
        .await
        .expect("get")
        .expect("app");
    assert_eq!(got.revoked_at, Some(Timestamp(50)));
    let other = store
        .app_by_digest(&[4; 32])
        .await
        .expect("get")
        .expect("app");
    assert_eq!(other.revoked_at, None);
}

/// The default tenant is built in; names are unique case-insensitively.
pub async fn tenants_round_trip(store: Arc<dyn Store>) {
    let listed = store.list_tenants().await.expect("list tenants");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, DEFAULT_TENANT);
    let acme = store
        .insert_tenant("Cust12345", Timestamp(10))
        .await
        .expect("insert tenant");
    assert_ne!(acme.id, DEFAULT_TENANT);
    assert_eq!(acme.name, "Cust12345");
    assert!(matches!(
        store.insert_tenant("CUST12345", Timestamp(11)).await,
        Err(StoreError::Conflict)
    ));
    let found = store.tenant_by_name("cust12345").await.expect("by name");
    assert_eq!(found, Some(acme.clone()));
    assert_eq!(store.tenant_by_name("Cust9").await.expect("by name"), None);
    let listed = store.list_tenants().await.expect("list tenants");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1], acme);
}

/// The same associate and app names live in two tenants side by side, and every
/// tenant-scoped lookup sees only its own tenant's rows.
pub async fn names_are_unique_per_tenant_and_lookups_scoped(store: Arc<dyn Store>) {
    let other = store
        .insert_tenant("Cust2", Timestamp(1))
        .await
        .expect("insert tenant")
        .id;
    let here = insert(&store, person("Bob")).await;
    let there = insert(
        &store,
        NewAssociate {
            tenant: other,
            ..person("BOB")
        },
    )
    .await;
    assert_ne!(here.id, there.id);
    assert_eq!((here.tenant, there.tenant), (DEFAULT_TENANT, other));
    assert!(matches!(
        store
            .insert_associate(NewAssociate {
                tenant: other,
                ..person("bob")
            })
            .await,
        Err(StoreError::Conflict)
    ));
    let by_name = |t| {
        let store = store.clone();
        async move { store.associate_by_name(t, "bob").await.expect("by name") }
    };
    assert_eq!(by_name(DEFAULT_TENANT).await.map(|a| a.id), Some(here.id));
    assert_eq!(by_name(other).await.map(|a| a.id), Some(there.id));
    assert_eq!(store.count_associates(other).await.expect("count"), 1);
    assert_eq!(
        store.list_associates(other).await.expect("list"),
        vec![there.clone()]
    );
    assert_eq!(
        store.associate_by_id(there.id).await.expect("by id"),
        Some(there)
    );

    let a = store.insert_app(app("Tool", 1, true)).await.expect("app");
    let b = store
        .insert_app(NewApp {
            tenant: other,
            ..app("tool", 2, true)
        })
        .await
        .expect("same name, other tenant");
    assert_eq!((a.tenant, b.tenant), (DEFAULT_TENANT, other));
    assert!(matches!(
        store
            .insert_app(NewApp {
                tenant: other,
                ..app("TOOL", 3, false)
            })
            .await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(store.list_apps(other).await.expect("list"), vec![b.clone()]);
    assert!(store
        .revoke_app(other, "tool", Timestamp(9))
        .await
        .expect("revoke"));
    let mine = store.list_apps(DEFAULT_TENANT).await.expect("list");
    assert_eq!(mine[0].revoked_at, None);
    assert!(!store
        .revoke_app(DEFAULT_TENANT, "nothing", Timestamp(9))
        .await
        .expect("revoke"));

    store
        .record_audit(AuditEvent {
            tenant: other,
            ..event(5, "there")
        })
        .await
        .expect("audit");
    store.record_audit(event(6, "here")).await.expect("audit");
    let ops = |events: Vec<AuditEvent>| -> Vec<String> {
        events.into_iter().map(|e| e.operation).collect()
    };
    assert_eq!(
        ops(store.recent_audit(other, 10).await.expect("audit")),
        vec!["there"]
    );
    assert_eq!(
        ops(store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit")),
        vec!["here"]
    );
}
