//! Registered applications and their token digests.

use super::*;

pub(super) fn app(name: &str, seed: u8, user_management: bool) -> NewApp {
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
