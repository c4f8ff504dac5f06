//! Many writers at once on one store.

use super::*;

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
                keep_ticket: Some(id.clone()),
                audit: event(i as i64, "SetPassword"),
                ..super::change(a.id, HASH_B, 0, false, 0)
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
