//! What a successful log-in writes (the upgraded hash, the lifted lock, the ticket, the
//! audit record) and the audited creation of an associate: each one transaction, all or
//! nothing.

use accounts::Login;

use super::*;

fn lock_settings() -> LockoutSettings {
    LockoutSettings {
        threshold: 1,
        window: std::time::Duration::from_secs(900),
        base_delay: std::time::Duration::from_secs(60),
        max_delay: std::time::Duration::from_secs(3600),
    }
}

fn login(id: AssociateId, ticket_id: &str) -> Login {
    Login {
        associate_id: id,
        rehash: Some(HASH_B.to_owned()),
        clear_lock: true,
        ticket: Some(ticket(ticket_id, id, 9_000)),
        audit: Some(event(2_000, "AuthenticateUsernamePassword")),
    }
}

/// Every part of a log-in lands; a log-in without a ticket or record (a password proved
/// on a call) writes only the hash and the lock, and another associate is untouched.
pub async fn login_commits_rehash_lock_ticket_and_audit_together(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let b = insert(&store, person("b")).await;
    let s = lock_settings();
    store
        .record_login_failure(a.id, Timestamp(1_000), &s)
        .await
        .expect("record")
        .expect("exists");
    assert!(!stored(&store, a.id).await.lock.is_clear());

    store.commit_login(login(a.id, "a-1")).await.expect("login");
    let got = stored(&store, a.id).await;
    assert_eq!(got.password_hash.as_deref(), Some(HASH_B));
    assert!(got.lock.is_clear());
    assert!(has_ticket(&store, "a-1").await);
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0], event(2_000, "AuthenticateUsernamePassword"));

    let bare = Login {
        associate_id: b.id,
        rehash: Some(HASH_B.to_owned()),
        clear_lock: false,
        ticket: None,
        audit: None,
    };
    store.commit_login(bare).await.expect("bare login");
    assert_eq!(
        stored(&store, b.id).await.password_hash.as_deref(),
        Some(HASH_B)
    );
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert_eq!(trail.len(), 1, "no record without one asked for");
    assert_eq!(
        stored(&store, a.id).await.password_hash.as_deref(),
        Some(HASH_B)
    );
}

/// A log-in whose ticket the store refuses (its id is taken) writes nothing: the hash
/// and the lock stay, no record is added.
pub async fn a_login_that_cannot_be_written_writes_nothing(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    store
        .insert_ticket(ticket("taken", a.id, 9_000))
        .await
        .expect("insert");
    store
        .record_login_failure(a.id, Timestamp(1_000), &lock_settings())
        .await
        .expect("record")
        .expect("exists");

    assert!(store.commit_login(login(a.id, "taken")).await.is_err());
    let got = stored(&store, a.id).await;
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert!(!got.lock.is_clear(), "the lock is as it was");
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert!(
        trail.is_empty(),
        "no record of a log-in that did not happen"
    );
}

/// The audited insert writes the record with the new id as its target; a refused insert
/// (the name is taken) writes no record.
pub async fn audited_insert_writes_the_associate_and_its_record(store: Arc<dyn Store>) {
    let mut record = event(3_000, "user add");
    record.target = None;
    let a = store
        .insert_associate_audited(person("new"), Some(record.clone()))
        .await
        .expect("insert");
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].target, Some(a.id));
    assert_eq!(trail[0].operation, "user add");

    let again = store
        .insert_associate_audited(person("NEW"), Some(record))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert_eq!(
        trail.len(),
        1,
        "no record of an associate that was not made"
    );
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        1
    );
}
