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
