//! Associates: insert, look-up, listing, retirement; and the readiness ping.

use super::*;

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
            created_at: Timestamp(1_700_000_000),
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
            created_at: Timestamp(1_700_000_000),
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

/// Names are one name when their NFKC case folds are equal: fullwidth letters, the long
/// s and `ß` find (and block) the plain spelling, which is kept as written.
pub async fn look_alike_names_are_one_name(store: Arc<dyn Store>) {
    let boss = insert(&store, person("boss")).await;
    for name in ["ｂｏｓｓ", "boſs", "BOSS", "Ｂｏｓｓ"] {
        let got = store
            .associate_by_name(DEFAULT_TENANT, name)
            .await
            .expect("by name");
        assert_eq!(got.map(|a| a.id), Some(boss.id), "lookup {name:?}");
        match store.insert_associate(person(name)).await {
            Err(StoreError::Conflict) => {}
            other => panic!("inserting {name:?} beside boss: expected Conflict, got {other:?}"),
        }
    }
    let strasse = insert(&store, person("Straße")).await;
    let got = store
        .associate_by_name(DEFAULT_TENANT, "STRASSE")
        .await
        .expect("by name")
        .expect("Straße found as STRASSE");
    assert_eq!((got.id, got.name.as_str()), (strasse.id, "Straße"));
    assert_eq!(
        store.count_associates(DEFAULT_TENANT).await.expect("count"),
        2
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
    let got = stored(&store, a.id).await;
    assert!(got.retired);
    assert_eq!(got.password_hash.as_deref(), Some(HASH_A));
    assert!(!has_ticket(&store, "a-1").await);
    assert!(!has_ticket(&store, "a-2").await);
    assert!(
        has_ticket(&store, "b-1").await,
        "other associates' tickets stay"
    );
    let b_now = stored(&store, b.id).await;
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
