//! The audit trail: recent events, filtered queries, the retention sweep.

use super::*;

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

/// The retention sweep deletes strictly older records, at most `limit` per call, and
/// answers how many.
pub async fn audit_purge_deletes_only_older_records(store: Arc<dyn Store>) {
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100), 100)
            .await
            .expect("purge"),
        0
    );
    for (at, op) in [(10, "old"), (99, "older"), (100, "edge"), (200, "new")] {
        store.record_audit(event(at, op)).await.expect("record");
    }
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100), 100)
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
    for at in 0..5 {
        store
            .record_audit(event(at, "batch"))
            .await
            .expect("record");
    }
    let mut batches = Vec::new();
    loop {
        let n = store
            .purge_audit_before(Timestamp(100), 2)
            .await
            .expect("purge");
        batches.push(n);
        if n < 2 {
            break;
        }
    }
    assert_eq!(batches, [2, 2, 1], "at most `limit` per purge");
    let left: Vec<String> = store
        .recent_audit(DEFAULT_TENANT, 10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(left, ["new", "edge"], "batches keep what is not old enough");
    assert_eq!(
        store
            .purge_audit_before(Timestamp(100), 100)
            .await
            .expect("purge"),
        0
    );
}
