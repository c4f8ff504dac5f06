//! The conformance suite on PostgreSQL, plus PostgreSQL-specific checks: reopening,
//! migrations under concurrent opens, URL errors.
//!
//! Needs `NETSERVER_TEST_POSTGRES`, a URL of an existing database on a server where that
//! user may create databases (e.g. `postgres://postgres@127.0.0.1:5432/postgres`). Each
//! test creates its own database `ns_test_<random>` there and drops it at the end. Without
//! the variable every test says why it skips and passes, except when `CI` is set: then it
//! fails, so CI cannot skip silently.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use accounts::{NewAssociate, Right, Store, TicketRecord, Timestamp, UserType, DEFAULT_TENANT};
use store::testdb::{connect, with_database, TestDb};
use store::{OpenError, PostgresStore};

async fn fresh() -> Option<(TestDb, Arc<dyn Store>)> {
    let db = TestDb::create().await?;
    let store = store::open(&db.url).await.expect("open");
    Some((db, store))
}

store::conformance_tests!(optional fresh);

fn alice() -> NewAssociate {
    NewAssociate {
        tenant: DEFAULT_TENANT,
        name: "Alice".into(),
        full_name: "Alice Liddell".into(),
        user_type: UserType::Internal,
        rights: vec![Right::AdminAll],
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        must_change: false,
        created_at: Timestamp(1_700_000_000),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_keeps_data_and_does_not_migrate_again() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let first = store::open(&db.url).await.unwrap();
    let a = first.insert_associate(alice()).await.unwrap();
    first
        .insert_ticket(TicketRecord {
            id: "t".into(),
            digest: [1; 32],
            associate_id: a.id,
            created_at: Timestamp(1),
            expires_at: Timestamp(2),
            app_id: None,
        })
        .await
        .unwrap();
    drop(first);

    let second = store::open(&db.url).await.unwrap();
    assert_eq!(
        second
            .associate_by_name(DEFAULT_TENANT, "alice")
            .await
            .unwrap(),
        Some(a.clone())
    );
    assert!(second.ticket("t").await.unwrap().is_some());
    let tenants = second.list_tenants().await.unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!((tenants[0].id, tenants[0].name.as_str()), (1, "default"));
    // Ids are never reused, even after the newest row is deleted.
    let b = second
        .insert_associate(NewAssociate {
            name: "b".into(),
            ..alice()
        })
        .await
        .unwrap();
    assert!(b.id > a.id);
    let sql = connect(&db.url).await;
    sql.execute("DELETE FROM associates WHERE id = $1", &[&b.id])
        .await
        .unwrap();
    let c = second
        .insert_associate(NewAssociate {
            name: "c".into(),
            ..alice()
        })
        .await
        .unwrap();
    assert!(c.id > b.id);
    drop(second);

    let versions: Vec<i64> = sql
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, vec![1, 2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_opening_a_new_database_at_once_migrate_it_once() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let opens = (0..4).map(|_| {
        let url = db.url.clone();
        tokio::spawn(async move { store::open(&url).await.map(|_| ()) })
    });
    for open in opens.collect::<Vec<_>>() {
        open.await.unwrap().expect("every concurrent open succeeds");
    }
    let sql = connect(&db.url).await;
    let n: i64 = sql
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 3, "each of the three versions recorded once");
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    drop(store::open(&db.url).await.unwrap());
    connect(&db.url)
        .await
        .execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
            &[],
        )
        .await
        .unwrap();
    match store::open(&db.url).await {
        Err(OpenError::SchemaTooNew { found: 999, .. }) => {}
        other => panic!("expected SchemaTooNew, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn url_errors_do_not_echo_credentials() {
    // Needs no server: nothing listens on port 1, and a malformed URL never connects.
    for url in [
        "postgres://ns:s3cret@127.0.0.1:1/ns?connect_timeout=2",
        "postgresql://ns:s3cret@127.0.0.1:1/ns?connect_timeout=2",
        "postgres://ns:s3cret@127.0.0.1:notaport/ns",
        "postgres://ns:s3cret@127.0.0.1/ns?nosuchoption=s3cret",
        "postgres:ns:s3cret@127.0.0.1/ns",
    ] {
        let e = match store::open(url).await {
            Ok(_) => panic!("{url} must be refused"),
            Err(e) => e,
        };
        assert!(
            matches!(e, OpenError::Connect(_) | OpenError::BadPostgresUrl),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(!text.contains("s3cret"), "{text}");
        assert!(!format!("{e:?}").contains("s3cret"), "{e:?}");
    }
}

#[tokio::test]
async fn stores_are_debug_without_secrets() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = PostgresStore::open(&db.url).await.unwrap();
    let text = format!("{store:?}");
    assert!(
        text.contains("PostgresStore") && !text.contains(&db.name),
        "{text}"
    );
}

#[tokio::test]
async fn database_names_are_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://u@h:5432/postgres", "x"),
        "postgres://u@h:5432/x"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    assert_eq!(
        with_database("postgresql://h/db?sslmode=disable", "x"),
        "postgresql://h/x?sslmode=disable"
    );
}

#[tokio::test]
async fn damaged_rows_are_backend_errors_naming_the_column_not_the_value() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let store = store::open(&db.url).await.unwrap();
    let a = store.insert_associate(alice()).await.unwrap();
    let sql = connect(&db.url).await;
    sql.execute(
        "UPDATE associates SET rights = 'root-of-all' WHERE id = $1",
        &[&a.id],
    )
    .await
    .unwrap();
    match store.associate_by_id(a.id).await {
        Err(accounts::StoreError::Backend(text)) => {
            assert!(text.contains("associates.rights"), "{text}");
            assert!(!text.contains("root-of-all"), "{text}");
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    // The schema itself refuses a digest that is not 32 bytes, without echoing it.
    let e = sql
        .execute(
            "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at)
             VALUES ('short', '\\x0102', $1, 1, 2)",
            &[&a.id],
        )
        .await
        .unwrap_err();
    assert!(e.as_db_error().is_some(), "{e}");
}

/// A store as version 1 left it (names keyed by lower case) with two names that fold
/// together: the name-fold migration refuses it, names both and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_name_fold_migration_refuses_names_that_fold_together() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    drop(store::open(&db.url).await.unwrap());
    let sql = connect(&db.url).await;
    sql.batch_execute(
        "DELETE FROM schema_migrations WHERE version = 3;
         INSERT INTO associates (name, name_key, full_name, user_type, rights)
             VALUES ('boss', 'boss', '', 'internal', ''),
                    ('Straße', 'straße', '', 'internal', ''),
                    ('ｂｏｓｓ', 'ｂｏｓｓ', '', 'internal', '');",
    )
    .await
    .unwrap();
    let Err(e) = store::open(&db.url).await else {
        panic!("the store opened with two names that fold together");
    };
    let text = e.to_string();
    assert!(
        matches!(e, OpenError::Migration { version: 3, .. }),
        "{text}"
    );
    assert!(
        text.contains("\"boss\" (id 1), \"ｂｏｓｓ\" (id 3) all fold to \"boss\""),
        "{text}"
    );
    assert!(!text.contains("Straße"), "{text}");
    let key: String = sql
        .query_one("SELECT name_key FROM associates WHERE id = 2", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(key, "straße", "nothing rewritten");

    sql.execute("UPDATE associates SET name = 'boss2' WHERE id = 3", &[])
        .await
        .unwrap();
    let store = store::open(&db.url).await.unwrap();
    let found = store
        .associate_by_name(DEFAULT_TENANT, "STRASSE")
        .await
        .unwrap();
    assert_eq!(found.map(|a| a.id), Some(2));
}
