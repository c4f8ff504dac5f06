//! The conformance suite on SQLite (a fresh temporary file per test, and in memory), plus
//! SQLite-specific checks: reopening, migrations, URL parsing, decoding of damaged rows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use accounts::{
    NewAssociate, Right, Store, StoreError, TicketRecord, Timestamp, UserType, DEFAULT_TENANT,
};
use store::conformance::AuditTrail;
use store::{OpenError, SqliteStore};

async fn fresh_file() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("ns.db").display());
    let store = store::open(&url).await.expect("open");
    (dir, store)
}

async fn fresh_memory() -> ((), Arc<dyn Store>) {
    (
        (),
        store::open("sqlite::memory:").await.expect("open memory"),
    )
}

mod file {
    store::conformance_tests!(super::fresh_file);
}

mod memory {
    store::conformance_tests!(super::fresh_memory);
}

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

#[tokio::test]
async fn reopening_keeps_data_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/ns.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let url = format!("sqlite://{}", path.display());

    let first = store::open(&url).await.unwrap();
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

    let second = store::open(&url).await.unwrap();
    assert_eq!(
        second
            .associate_by_name(DEFAULT_TENANT, "alice")
            .await
            .unwrap(),
        Some(a.clone())
    );
    assert!(second.ticket("t").await.unwrap().is_some());
    // Ids are never reused, even after the newest row is deleted.
    let b = second
        .insert_associate(NewAssociate {
            tenant: DEFAULT_TENANT,
            name: "b".into(),
            ..alice()
        })
        .await
        .unwrap();
    assert!(b.id > a.id);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM associates WHERE id = ?1", [b.id])
        .unwrap();
    let c = second
        .insert_associate(NewAssociate {
            tenant: DEFAULT_TENANT,
            name: "c".into(),
            ..alice()
        })
        .await
        .unwrap();
    assert!(c.id > b.id);
    drop(second);

    // The blocking constructor agrees and is idempotent too.
    let third = SqliteStore::open(&path).unwrap();
    drop(third);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, vec![1, 2, 3, 4, 5, 6, 7, 8]);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
}

#[tokio::test]
async fn relative_paths_work() {
    let dir = tempfile::tempdir().unwrap();
    // The relative path is resolved against the current directory; use one that points
    // into the temp dir without changing the process's directory.
    let cwd = std::env::current_dir().unwrap();
    let rel = pathdiff(dir.path(), &cwd).join("rel.db");
    let store = store::open(&format!("sqlite://{}", rel.display()))
        .await
        .unwrap();
    store.insert_associate(alice()).await.unwrap();
    assert!(dir.path().join("rel.db").exists());
}

/// `target` relative to `base` via `..` components (both absolute).
fn pathdiff(target: &std::path::Path, base: &std::path::Path) -> std::path::PathBuf {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = std::path::PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ns.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(e, OpenError::SchemaTooNew { found: 999, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("999"), "{e}");
}

#[tokio::test]
async fn open_refuses_bad_urls_clearly() {
    let cases = [
        ("mssql://ns:s3cret@db.example/ns", "'mssql'"),
        ("mysql://x", "'mysql'"),
        ("ns.db", "no scheme"),
        ("", "no scheme"),
        ("sqlite://", "path is empty"),
        ("sqlite:ns.db", "'//'"),
        ("sqlite://ns.db?mode=rwc", "query parameters"),
    ];
    for (url, expected) in cases {
        let e = match store::open(url).await {
            Ok(_) => panic!("{url} must be refused"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(expected), "{url}: {e}");
        assert!(
            e.contains("sqlite://PATH") && e.contains("sqlite::memory:"),
            "{url}: {e}"
        );
        assert!(!e.contains("s3cret"), "{e}");
    }
}

#[tokio::test]
async fn an_unopenable_path_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let path = blocker.join("ns.db");
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(e, OpenError::NotADirectory { .. }), "{e:?}");
    assert!(
        e.to_string().contains(&blocker.display().to_string()),
        "{e}"
    );

    let not_a_db = dir.path().join("garbage.db");
    std::fs::write(&not_a_db, vec![0x5a; 8192]).unwrap();
    let e = SqliteStore::open(&not_a_db).unwrap_err();
    assert!(e.to_string().contains("garbage.db"), "{e}");
}

#[tokio::test]
async fn damaged_rows_are_backend_errors_naming_the_column_not_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ns.db");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    let a = store.insert_associate(alice()).await.unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE associates SET rights = 'root-of-all' WHERE id = ?1",
        [a.id],
    )
    .unwrap();
    match store.associate_by_id(a.id).await {
        Err(StoreError::Backend(text)) => {
            assert!(text.contains("associates.rights"), "{text}");
            assert!(!text.contains("root-of-all"), "{text}");
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    assert!(store.list_associates(DEFAULT_TENANT).await.is_err());

    conn.execute(
        "UPDATE associates SET rights = 'admin-all', id = 4294967296 WHERE id = ?1",
        [a.id],
    )
    .unwrap();
    match store.list_associates(DEFAULT_TENANT).await {
        Err(StoreError::Backend(text)) => {
            assert!(text.contains("associates.id"), "{text}");
            assert!(!text.contains("4294967296"), "{text}");
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_schema_enforces_its_constraints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ns.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let bad_type = conn.execute(
        "INSERT INTO associates (name, name_key, full_name, user_type, rights)
         VALUES ('x', 'x', '', 'robot', '')",
        [],
    );
    assert!(bad_type.is_err());
    conn.execute(
        "INSERT INTO associates (name, name_key, full_name, user_type, rights)
         VALUES ('x', 'x', '', 'internal', '')",
        [],
    )
    .unwrap();
    let short_digest = conn.execute(
        "INSERT INTO tickets (id, digest, associate_id, created_at, expires_at)
         VALUES ('t', x'0102', 1, 0, 0)",
        [],
    );
    assert!(short_digest.is_err());
    let short_app_digest = conn.execute(
        "INSERT INTO apps (name, name_key, digest, user_management, created_at)
         VALUES ('a', 'a', x'0102', 0, 0)",
        [],
    );
    assert!(short_app_digest.is_err());
    let bad_flag = conn.execute(
        "INSERT INTO apps (name, name_key, digest, user_management, created_at)
         VALUES ('a', 'a', zeroblob(32), 2, 0)",
        [],
    );
    assert!(bad_flag.is_err());
}

#[tokio::test]
async fn stores_are_debug_without_secrets() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert!(format!("{store:?}").contains(":memory:"));
}

#[tokio::test]
async fn audit_rows_written_before_version_5_read_back_without_app_or_operation_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ns.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO audit (at, actor, target, operation, outcome, client)
         VALUES (5, NULL, 7, 'user add', 'success', 'cli')",
        [],
    )
    .unwrap();
    drop(conn);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    let events = store.recent_audit(DEFAULT_TENANT, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].target, Some(7));
    assert_eq!(events[0].app, None);
    assert_eq!(events[0].operation_id, None);
}

/// A store made before tenants (version 4) keeps every row, in the default tenant, and
/// its foreign keys, when version 6 rebuilds the associates and apps tables.
#[tokio::test]
async fn upgrading_to_tenants_keeps_rows_in_the_default_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER);",
        )
        .unwrap();
        for (v, sql) in [
            (1, include_str!("../src/sqlite/migrations/0001_init.sql")),
            (
                2,
                include_str!("../src/sqlite/migrations/0002_password_history.sql"),
            ),
            (3, include_str!("../src/sqlite/migrations/0003_lockout.sql")),
            (4, include_str!("../src/sqlite/migrations/0004_apps.sql")),
        ] {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [v])
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO associates (name, name_key, full_name, user_type, rights, password_hash)
                 VALUES ('Alice', 'alice', 'Alice A', 'internal', 'admin-all', 'h');
             INSERT INTO tickets VALUES ('t1', zeroblob(32), 1, 1, 99999999999);
             INSERT INTO password_history (associate_id, password_hash, replaced_at)
                 VALUES (1, 'old', 5);
             INSERT INTO apps (name, name_key, digest, user_management, created_at)
                 VALUES ('Tool', 'tool', zeroblob(32), 1, 7);
             INSERT INTO audit (at, actor, target, operation, outcome)
                 VALUES (9, 1, 1, 'user add', 'success');",
        )
        .unwrap();
    }
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    let alice = store
        .associate_by_name(DEFAULT_TENANT, "ALICE")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((alice.id, alice.tenant), (1, DEFAULT_TENANT));
    assert!(store.ticket("t1").await.unwrap().is_some());
    assert_eq!(store.password_history(1, 5).await.unwrap(), vec!["old"]);
    let apps = store.list_apps(DEFAULT_TENANT).await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].tenant, DEFAULT_TENANT);
    assert_eq!(
        store.recent_audit(DEFAULT_TENANT, 5).await.unwrap().len(),
        1
    );
    let tenants = store.list_tenants().await.unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!((tenants[0].id, tenants[0].name.as_str()), (1, "default"));
    // Foreign keys are enforced again after the migration.
    let orphan = TicketRecord {
        id: "t2".into(),
        digest: [1; 32],
        associate_id: 42,
        created_at: Timestamp(1),
        expires_at: Timestamp(2),
        app_id: None,
    };
    assert!(store.insert_ticket(orphan).await.is_err());
}

#[tokio::test]
async fn a_missing_directory_is_named_and_never_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such");
    let url = format!("sqlite://{}", missing.join("x.db").display());
    for e in [
        refused(store::open(&url).await),
        refused(store::open_read_only(&url, &Default::default()).await),
    ] {
        assert!(matches!(e, OpenError::NoDirectory { .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.contains(&format!(
                "the directory {} does not exist",
                missing.display()
            )),
            "{text}"
        );
    }
    assert!(!dir.path().join("no").exists());
}

#[tokio::test]
async fn read_only_opens_neither_create_nor_migrate_nor_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ns.db");
    let url = format!("sqlite://{}", path.display());
    let options = store::StoreOptions::default();

    let e = refused(store::open_read_only(&url, &options).await);
    assert!(matches!(e, OpenError::NoDatabase { .. }), "{e:?}");
    assert!(e.to_string().contains("ns.db"), "{e}");
    assert!(!path.exists());

    let writer = store::open(&url).await.unwrap();
    writer.insert_associate(alice()).await.unwrap();
    drop(writer);
    let reader = store::open_read_only(&url, &options).await.unwrap();
    let listed = reader.list_associates(DEFAULT_TENANT).await.unwrap();
    assert_eq!(listed.len(), 1);
    let write = reader
        .insert_associate(NewAssociate {
            name: "Bob".into(),
            ..alice()
        })
        .await;
    assert!(
        matches!(write, Err(StoreError::Backend(ref m)) if m.contains("readonly")),
        "{write:?}"
    );

    // A file at an older schema is not migrated by a read-only open.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM schema_migrations WHERE version > 1", [])
        .unwrap();
    drop(conn);
    let e = refused(store::open_read_only(&url, &options).await);
    assert!(
        matches!(e, OpenError::SchemaTooOld { found: 1, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("upgrades it"), "{e}");
}

fn refused(opened: Result<Arc<dyn Store>, OpenError>) -> OpenError {
    match opened {
        Ok(_) => panic!("the store opened"),
        Err(e) => e,
    }
}

/// A store at version 7 (names keyed by lower case) holding `names` in the default
/// tenant, each with the key that version gave it.
fn store_before_name_fold(path: &std::path::Path, names: &[&str]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER);",
    )
    .unwrap();
    for (v, sql) in [
        (1, include_str!("../src/sqlite/migrations/0001_init.sql")),
        (
            2,
            include_str!("../src/sqlite/migrations/0002_password_history.sql"),
        ),
        (3, include_str!("../src/sqlite/migrations/0003_lockout.sql")),
        (4, include_str!("../src/sqlite/migrations/0004_apps.sql")),
        (5, include_str!("../src/sqlite/migrations/0005_audit.sql")),
        (6, include_str!("../src/sqlite/migrations/0006_tenants.sql")),
        (
            7,
            include_str!("../src/sqlite/migrations/0007_ticket_app.sql"),
        ),
    ] {
        conn.execute_batch(sql).unwrap();
        conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [v])
            .unwrap();
    }
    for name in names {
        conn.execute(
            "INSERT INTO associates (name, name_key, full_name, user_type, rights)
                 VALUES (?1, ?2, '', 'internal', '')",
            [*name, &name.to_lowercase()],
        )
        .unwrap();
    }
}

/// Names that were distinct as lower case but fold together stop the upgrade, which
/// names them and changes nothing.
#[tokio::test]
async fn the_name_fold_migration_refuses_names_that_fold_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    store_before_name_fold(
        &path,
        &[
            "boss",
            "carol",
            "\u{ff42}\u{ff4f}\u{ff53}\u{ff53}",
            "bo\u{17f}s",
        ],
    );
    let e = SqliteStore::open(&path).unwrap_err();
    let text = e.to_string();
    assert!(
        matches!(e, OpenError::Migration { version: 8, .. }),
        "{text}"
    );
    for shown in [
        "\"boss\" (id 1)",
        "\"ｂｏｓｓ\" (id 3)",
        "\"boſs\" (id 4)",
        "fold to \"boss\"",
    ] {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    assert!(!text.contains("carol"), "{text}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let newest: i64 = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(newest, 7);
    let key: String = conn
        .query_row("SELECT name_key FROM associates WHERE id = 3", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(key, "ｂｏｓｓ", "nothing rewritten");
}

/// Without clashes the upgrade rewrites the keys: the old names are found by their folds.
#[tokio::test]
async fn the_name_fold_migration_rekeys_stored_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    store_before_name_fold(
        &path,
        &["Straße", "\u{ff42}\u{ff4f}\u{ff53}\u{ff53}", "alice"],
    );
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    for (lookup, id) in [("STRASSE", 1), ("boss", 2), ("ALİCE", 0), ("Alice", 3)] {
        let got = store
            .associate_by_name(DEFAULT_TENANT, lookup)
            .await
            .unwrap()
            .map(|a| a.id);
        assert_eq!(got, (id != 0).then_some(id), "{lookup}");
    }
    assert!(matches!(
        store
            .insert_associate(NewAssociate {
                name: "BOSS".into(),
                ..alice()
            })
            .await,
        Err(StoreError::Conflict)
    ));
}
