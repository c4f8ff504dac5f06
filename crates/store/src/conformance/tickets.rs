//! Tickets: storing, finding, renewing and purging them.

use super::*;

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
            .purge_expired_tickets(Timestamp(1_000), 100)
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        store
            .purge_expired_tickets(Timestamp(5_000), 100)
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
            .purge_expired_tickets(Timestamp(5_000), 100)
            .await
            .expect("purge"),
        0
    );
}

/// The sweep's batches: each purge deletes at most `limit` expired tickets, longest
/// expired first, until none is left; live tickets (also one expiring exactly at `now`)
/// stay through every batch.
pub async fn ticket_purge_works_in_batches(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let now = Timestamp(10_000);
    let expired: Vec<String> = (0..8).map(|i| format!("expired-{i}")).collect();
    for (i, id) in expired.iter().enumerate() {
        let at = now.0 - 100 + i64::try_from(i).expect("small");
        store
            .insert_ticket(ticket(id, a.id, at))
            .await
            .expect("insert");
    }
    let live = ["live-at-now", "live-later"];
    for (id, at) in live.iter().zip([now.0, now.0 + 3_600]) {
        store
            .insert_ticket(ticket(id, a.id, at))
            .await
            .expect("insert");
    }
    let purge = |limit| {
        let store = store.clone();
        async move {
            store
                .purge_expired_tickets(now, limit)
                .await
                .expect("purge")
        }
    };
    assert_eq!(purge(3).await, 3);
    for (i, id) in expired.iter().enumerate() {
        assert_eq!(has_ticket(&store, id).await, i >= 3, "oldest first: {id}");
    }
    assert_eq!(purge(3).await, 3);
    assert_eq!(purge(3).await, 2, "the last batch is the rest");
    assert_eq!(purge(3).await, 0);
    for id in &expired {
        assert!(!has_ticket(&store, id).await, "{id}");
    }
    for id in live {
        assert!(has_ticket(&store, id).await, "{id} is not expired");
    }
    assert_eq!(purge(1).await, 0, "a one-row batch finds nothing left");
}

/// A ticket records the application it was obtained through (or none, on-site); a
/// ticket naming an application that does not exist is refused.
pub async fn tickets_keep_their_application(store: Arc<dyn Store>) {
    let a = insert(&store, person("a")).await;
    let partner = store
        .insert_app(super::apps::app("partner", 1, false))
        .await
        .expect("insert app");
    let with_app = TicketRecord {
        app_id: Some(partner.id),
        ..ticket("with-app", a.id, 9_000)
    };
    store.insert_ticket(with_app.clone()).await.expect("insert");
    let onsite = ticket("without-app", a.id, 9_000);
    store.insert_ticket(onsite.clone()).await.expect("insert");
    assert_eq!(store.ticket("with-app").await.expect("get"), Some(with_app));
    assert_eq!(
        store.ticket("without-app").await.expect("get"),
        Some(onsite)
    );
    store
        .renew_ticket("with-app", Timestamp(9_500))
        .await
        .expect("renew");
    let renewed = store.ticket("with-app").await.expect("get").expect("there");
    assert_eq!(renewed.app_id, Some(partner.id), "renewal keeps the app");
    let e = store
        .insert_ticket(TicketRecord {
            app_id: Some(partner.id + 1_000),
            ..ticket("unknown-app", a.id, 9_000)
        })
        .await
        .expect_err("a ticket of an unknown application must fail");
    assert!(matches!(e, StoreError::Backend(_)), "{e:?}");
    assert!(!has_ticket(&store, "unknown-app").await);
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
