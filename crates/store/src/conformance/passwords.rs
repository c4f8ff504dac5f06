//! Password changes: the one-transaction change, history, must-change.

use super::*;

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
        keep_ticket: Some("a-keep".into()),
        audit: audit.clone(),
        ..super::change(a.id, HASH_B, 0, false, 0)
    };
    assert!(store.commit_password_change(change).await.expect("change"));
    let got = stored(&store, a.id).await;
    assert_eq!(got.password_hash.as_deref(), Some(HASH_B));
    assert!(has_ticket(&store, "a-keep").await);
    assert!(!has_ticket(&store, "a-other-1").await);
    assert!(!has_ticket(&store, "a-other-2").await);
    assert!(has_ticket(&store, "b-1").await);
    let b_now = stored(&store, b.id).await;
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
        keep_ticket: Some("b-1".into()),
        audit: event(200, "SetPassword"),
        ..super::change(a.id, HASH_A, 0, false, 0)
    };
    assert!(store.commit_password_change(second).await.expect("change"));
    assert!(!has_ticket(&store, "a-3").await);
    assert!(!has_ticket(&store, "a-keep").await);
    assert!(has_ticket(&store, "b-1").await);

    let third = PasswordChange {
        keep_ticket: None,
        audit: event(300, "SetPassword"),
        ..super::change(b.id, HASH_B, 0, false, 0)
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
            keep_ticket: None,
            audit: event(100, "SetPassword"),
            ..super::change(unknown, HASH_B, 0, false, 0)
        };
        assert!(!store.commit_password_change(change).await.expect("change"));
    }
    assert!(store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .is_empty());
    assert!(has_ticket(&store, "a-1").await);
    let got = stored(&store, a.id).await;
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        1
    );
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

/// The must-change flag is stored on insert and by every password change, either way.
pub async fn must_change_round_trips(store: Arc<dyn Store>) {
    let mut new = person("mc");
    new.must_change = true;
    let a = store.insert_associate(new).await.expect("insert");
    assert!(a.must_change);
    assert!(store
        .commit_password_change(change(a.id, "x", 0, false, 1))
        .await
        .expect("change"));
    let got = stored(&store, a.id).await;
    assert!(!got.must_change);
    assert!(store
        .commit_password_change(change(a.id, "y", 0, true, 2))
        .await
        .expect("change"));
    assert!(
        store
            .associate_by_name(DEFAULT_TENANT, "MC")
            .await
            .expect("get")
            .expect("a")
            .must_change
    );
    assert!(stored(&store, a.id).await.must_change);
}
