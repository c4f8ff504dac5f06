//! Tenants, and names scoped to them.

use super::apps::app;
use super::*;

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
