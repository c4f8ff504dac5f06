//! `store::copy::copy` over real databases: SQLite files on both sides, and SQLite to and
//! from PostgreSQL when `NETSERVER_TEST_POSTGRES` is set (see `store::testdb`). Each test
//! fills a source through the `Store` trait, copies it and reads both sides back whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use accounts::{
    AuditEvent, LockoutSettings, NewApp, NewAssociate, Outcome, PasswordChange, Right, Store,
    TicketRecord, Timestamp, UserType, DEFAULT_TENANT,
};
use store::copy::{self, CopyError, Options, Progress, Side, Table};
use store::OpenError;

use store::testdb::{connect, TestDb};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

fn associate(tenant: i64, name: &str) -> NewAssociate {
    NewAssociate {
        tenant,
        name: name.into(),
        full_name: format!("{name} Testsson"),
        user_type: UserType::Internal,
        rights: vec![Right::AdminUsers],
        password_hash: Some(HASH.into()),
        must_change: false,
        created_at: Timestamp(1_700_000_000),
    }
}

fn event(tenant: i64, at: i64, operation: &str) -> AuditEvent {
    AuditEvent {
        tenant,
        at: Timestamp(at),
        actor: Some(1),
        target: Some(2),
        operation: operation.into(),
        outcome: Outcome::Failure("ticket_invalid".into()),
        client: Some("127.0.0.1".into()),
        app: Some("Admin Tool".into()),
        operation_id: Some("0123456789abcdef0123456789abcdef".into()),
    }
}

/// An installation with something in every table and every column: two tenants, a locked
/// associate, a retired one without a password, one that must change it, password
/// history, a revoked app, audit records of which the oldest were swept (so the audit
/// sequence is ahead of its largest id), and tickets.
async fn populate(s: &Arc<dyn Store>) {
    let cust = s
        .insert_tenant("Cust12345", Timestamp(1_000))
        .await
        .unwrap();
    let alice = s
        .insert_associate(NewAssociate {
            rights: vec![Right::AdminAll],
            ..associate(DEFAULT_TENANT, "Alice")
        })
        .await
        .unwrap();
    let bob = s
        .insert_associate(NewAssociate {
            must_change: true,
            user_type: UserType::External,
            ..associate(cust.id, "Bøb")
        })
        .await
        .unwrap();
    let carol = s
        .insert_associate(NewAssociate {
            password_hash: None,
            rights: vec![],
            ..associate(DEFAULT_TENANT, "carol")
        })
        .await
        .unwrap();
    assert!(s.retire_associate(carol.id).await.unwrap());
    let settings = LockoutSettings {
        threshold: 1,
        ..LockoutSettings::default()
    };
    s.record_login_failure(bob.id, Timestamp::now(), &settings)
        .await
        .unwrap();
    assert!(s
        .commit_password_change(PasswordChange {
            associate_id: alice.id,
            password_hash: format!("{HASH}2"),
            keep_ticket: None,
            audit: event(DEFAULT_TENANT, 10, "SetPassword"),
            must_change: false,
            history_keep: 3,
            clear_lock: true,
        })
        .await
        .unwrap());
    let mut app_ids = Vec::new();
    for (tenant, name, digest) in [(DEFAULT_TENANT, "Admin Tool", 7u8), (cust.id, "Portal", 8)] {
        let app = s
            .insert_app(NewApp {
                tenant,
                name: name.into(),
                digest: [digest; 32],
                user_management: digest == 7,
                created_at: Timestamp(2_000),
            })
            .await
            .unwrap();
        app_ids.push(app.id);
    }
    assert!(s
        .revoke_app(cust.id, "portal", Timestamp(3_000))
        .await
        .unwrap());
    for at in [1, 2, 20, 30] {
        s.record_audit(event(cust.id, at, "AuthenticateUsernamePassword"))
            .await
            .unwrap();
    }
    assert_eq!(s.purge_audit_before(Timestamp(5), 1_000).await.unwrap(), 2);
    s.record_audit(AuditEvent {
        actor: None,
        target: None,
        client: None,
        app: None,
        operation_id: None,
        outcome: Outcome::Success,
        ..event(DEFAULT_TENANT, 40, "user add")
    })
    .await
    .unwrap();
    let far = Timestamp::now().0 + 3_600;
    // One ticket obtained through an application (Online), one without (on-site).
    for (id, who, app_id) in [
        ("t-alice", alice.id, Some(app_ids[0])),
        ("t-bob", bob.id, None),
    ] {
        s.insert_ticket(TicketRecord {
            id: id.into(),
            digest: [9; 32],
            associate_id: who,
            created_at: Timestamp(50),
            expires_at: Timestamp(far),
            app_id,
        })
        .await
        .unwrap();
    }
}

/// A SQLite file URL in `dir`.
fn sqlite(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

/// A filled SQLite source.
async fn source(dir: &tempfile::TempDir) -> String {
    let url = sqlite(dir, "source.db");
    populate(&store::open(&url).await.unwrap()).await;
    url
}

fn options(with_tickets: bool, force: bool) -> Options {
    Options {
        with_tickets,
        force,
        // Small batches, so that every table takes several.
        batch_rows: 2,
    }
}

/// Adds associates named `names` to the store at `url` (closed again afterwards).
async fn add_associates(url: &str, names: &[&str]) {
    let target = store::open(url).await.unwrap();
    for name in names {
        target
            .insert_associate(associate(DEFAULT_TENANT, name))
            .await
            .unwrap();
    }
}

/// A copy with [`options`] that reports no progress.
async fn quiet_copy(
    from: &str,
    to: &str,
    with_tickets: bool,
    force: bool,
) -> Result<copy::Report, CopyError> {
    copy::copy(
        from,
        to,
        &options(with_tickets, force),
        &mut copy::NoProgress,
    )
    .await
}

/// Records what a copy told its progress.
#[derive(Default)]
struct Seen(Vec<(Table, u64, u64)>);

impl Progress for Seen {
    fn table_started(&mut self, table: Table, rows: u64) {
        self.0.push((table, rows, 0));
    }
    fn rows_copied(&mut self, table: Table, rows: u64) {
        let last = self.0.last_mut().unwrap();
        assert_eq!(last.0, table);
        last.2 += rows;
    }
    fn table_done(&mut self, table: Table) {
        let last = self.0.last().unwrap();
        assert_eq!((last.0, last.1), (table, last.2), "all rows reported");
    }
}

/// Copies `from` into `to` and checks that the target now holds exactly the source's rows
/// (tickets only `with_tickets`) and that the report counts them.
async fn copy_and_compare(from: &str, to: &str, with_tickets: bool) {
    let mut seen = Seen::default();
    let report = copy::copy(from, to, &options(with_tickets, false), &mut seen)
        .await
        .unwrap();
    let mut source = copy::read_everything(from).await.unwrap();
    let target = copy::read_everything(to).await.unwrap();
    assert_eq!(source.tickets.len(), 2);
    if !with_tickets {
        source.tickets.clear();
    }
    assert_eq!(target, source);
    let expected_tables = if with_tickets { 6 } else { 5 };
    assert_eq!(seen.0.len(), expected_tables);
    for count in &report.counts {
        match count.table {
            Table::Tickets if !with_tickets => assert_eq!(count.target, None),
            _ => assert_eq!(count.target, Some(count.source), "{count:?}"),
        }
    }
    assert!(report.replaced.is_empty());
}

/// New rows in the copy get ids past every id the source ever handed out.
async fn new_ids_follow_the_copied_ones(to: &str) {
    let target = store::open(to).await.unwrap();
    let next = target
        .insert_associate(associate(DEFAULT_TENANT, "newcomer"))
        .await
        .unwrap();
    assert_eq!(next.id, 4);
    let tenant = target.insert_tenant("Later", Timestamp(1)).await.unwrap();
    assert_eq!(tenant.id, 3);
    target
        .record_audit(event(DEFAULT_TENANT, 50, "later"))
        .await
        .unwrap();
    let audit = copy::read_everything(to).await.unwrap().audit;
    let ids: Vec<i64> = audit.iter().map(|a| a.int("id").unwrap()).collect();
    // 1 is the SetPassword record, 2 and 3 were swept, 6 is `user add`; the new one is 7.
    assert_eq!(ids, vec![1, 4, 5, 6, 7], "{audit:?}");
}

#[tokio::test]
async fn sqlite_to_sqlite_copies_everything_but_tickets_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    copy_and_compare(&from, &to, false).await;
    new_ids_follow_the_copied_ones(&to).await;
}

/// A source whose every audit record was swept: its sequence is all that remembers them.
async fn swept_source(dir: &tempfile::TempDir) -> String {
    let url = sqlite(dir, "swept.db");
    let s = store::open(&url).await.unwrap();
    for at in 1..=3 {
        s.record_audit(event(DEFAULT_TENANT, at, "x"))
            .await
            .unwrap();
    }
    assert_eq!(s.purge_audit_before(Timestamp(10), 1_000).await.unwrap(), 3);
    url
}

/// The next audit record at `url` gets id 4, not a reused 1.
async fn next_audit_id_is_four(url: &str) {
    let s = store::open(url).await.unwrap();
    s.record_audit(event(DEFAULT_TENANT, 20, "y"))
        .await
        .unwrap();
    let audit = copy::read_everything(url).await.unwrap().audit;
    assert_eq!(
        audit
            .iter()
            .map(|a| a.int("id").unwrap())
            .collect::<Vec<_>>(),
        vec![4]
    );
}

#[tokio::test]
async fn ids_swept_from_the_source_are_not_handed_out_again() {
    let dir = tempfile::tempdir().unwrap();
    let from = swept_source(&dir).await;
    let to = sqlite(&dir, "target.db");
    quiet_copy(&from, &to, false, false).await.unwrap();
    next_audit_id_is_four(&to).await;
}

#[tokio::test]
async fn sqlite_to_sqlite_with_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    copy_and_compare(&from, &to, true).await;
    let target = store::open(&to).await.unwrap();
    assert_eq!(
        target.ticket("t-bob").await.unwrap().unwrap().digest,
        [9; 32]
    );
}

#[tokio::test]
async fn a_target_with_data_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    let target = store::open(&to).await.unwrap();
    target
        .insert_associate(associate(DEFAULT_TENANT, "someone"))
        .await
        .unwrap();
    target.record_audit(event(1, 1, "x")).await.unwrap();
    target.record_audit(event(1, 2, "y")).await.unwrap();
    let before = copy::read_everything(&to).await.unwrap();

    let e = quiet_copy(&from, &to, false, false).await.unwrap_err();
    assert!(
        matches!(&e, CopyError::TargetNotEmpty(t) if *t == [(Table::Associates, 1), (Table::Audit, 2)]),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("table associates has 1 row") && text.contains("--force"),
        "{text}"
    );
    assert_eq!(copy::read_everything(&to).await.unwrap(), before);

    // A tenant alone makes a target non-empty too.
    let dir2 = tempfile::tempdir().unwrap();
    let to2 = sqlite(&dir2, "t.db");
    store::open(&to2)
        .await
        .unwrap()
        .insert_tenant("Other", Timestamp(1))
        .await
        .unwrap();
    let e = quiet_copy(&from, &to2, false, false).await.unwrap_err();
    assert!(
        matches!(&e, CopyError::TargetNotEmpty(t) if *t == [(Table::Tenants, 1)]),
        "{e:?}"
    );
}

#[tokio::test]
async fn force_replaces_the_targets_data() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    let target = store::open(&to).await.unwrap();
    target.insert_tenant("Gone", Timestamp(1)).await.unwrap();
    drop(target);
    add_associates(&to, &["x1", "x2", "x3", "x4", "x5", "x6"]).await;
    let report = quiet_copy(&from, &to, true, true).await.unwrap();
    assert_eq!(
        report.replaced,
        vec![(Table::Tenants, 1), (Table::Associates, 6)]
    );
    assert_eq!(
        copy::read_everything(&to).await.unwrap(),
        copy::read_everything(&from).await.unwrap()
    );
    // SQLite never hands out an id twice: x1…x6 had 1…6.
    let next = store::open(&to)
        .await
        .unwrap()
        .insert_associate(associate(DEFAULT_TENANT, "later"))
        .await
        .unwrap();
    assert_eq!(next.id, 7);
}

/// Runs raw SQL on a SQLite file (to build a target that misbehaves).
fn sqlite_exec(url: &str, sql: &str) {
    let path = url.strip_prefix("sqlite://").unwrap();
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

#[tokio::test]
async fn a_failure_half_way_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    add_associates(&to, &["keeper"]).await;
    sqlite_exec(
        &to,
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
         BEGIN SELECT RAISE(ABORT, 'audit is read-only here'); END;",
    );
    // The wipe and the tables before audit are rolled back with it.
    assert_refused_at_audit(&from, &to, "cannot write table audit").await;
}

#[tokio::test]
async fn a_count_mismatch_fails_and_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    store::open(&to).await.unwrap();
    // A target that silently drops one audit record.
    sqlite_exec(
        &to,
        "CREATE TRIGGER drop_one BEFORE INSERT ON audit WHEN NEW.id = 4
         BEGIN SELECT RAISE(IGNORE); END;",
    );
    let e = quiet_copy(&from, &to, false, false).await.unwrap_err();
    let CopyError::CountMismatch(m) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (m[0].table, m[0].source, m[0].target, m.len()),
        (Table::Audit, 4, 3, 1)
    );
    assert!(e.to_string().contains("nothing was committed"), "{e}");
    let after = copy::read_everything(&to).await.unwrap();
    assert!(after.associates.is_empty() && after.audit.is_empty());
}

#[tokio::test]
async fn refusals_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    let none = &mut copy::NoProgress;
    let o = options(false, false);

    let missing = sqlite(&dir, "typo.db");
    let e = copy::copy(&missing, &to, &o, none).await.unwrap_err();
    assert!(matches!(e, CopyError::SourceMissing(_)), "{e:?}");
    assert!(!dir.path().join("typo.db").exists(), "no empty source made");
    assert!(!dir.path().join("target.db").exists(), "target untouched");

    let e = copy::copy(&from, &from, &o, none).await.unwrap_err();
    assert!(matches!(e, CopyError::SameDatabase), "{e:?}");
    let dotted = format!("sqlite://{}/./source.db", dir.path().display());
    let e = copy::copy(&from, &dotted, &o, none).await.unwrap_err();
    assert!(matches!(e, CopyError::SameDatabase), "{e:?}");

    let e = copy::copy(&from, "sqlite::memory:", &o, none)
        .await
        .unwrap_err();
    assert!(matches!(e, CopyError::InMemory(Side::Target)), "{e:?}");
    let e = copy::copy("sqlite::memory:", &to, &o, none)
        .await
        .unwrap_err();
    assert!(matches!(e, CopyError::InMemory(Side::Source)), "{e:?}");

    let e = copy::copy(&from, "mysql://u:hunter2@db/x", &o, none)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CopyError::Open {
                side: Side::Target,
                error: OpenError::UnsupportedScheme(_)
            }
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("target") && text.contains("'mysql'"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");

    let e = copy::copy("nonsense", &to, &o, none).await.unwrap_err();
    assert!(
        matches!(
            e,
            CopyError::Open {
                side: Side::Source,
                ..
            }
        ),
        "{e:?}"
    );

    // Nothing listens on port 1.
    let e = copy::copy(
        &from,
        "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=5",
        &o,
        none,
    )
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(
        matches!(
            e,
            CopyError::Open {
                side: Side::Target,
                error: OpenError::Connect(_)
            }
        ),
        "{e:?}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

#[tokio::test]
async fn a_damaged_source_row_names_its_column_not_its_value() {
    for (damage, column) in [
        (
            "UPDATE associates SET created_at = 'secret-ish' WHERE name = 'Alice'",
            "associates.created_at",
        ),
        (
            "UPDATE associates SET id = 3000000000 WHERE name = 'carol'",
            "associates.id",
        ),
        ("UPDATE apps SET created_at = 1.5", "apps.created_at"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let from = source(&dir).await;
        sqlite_exec(&from, &format!("PRAGMA foreign_keys = OFF; {damage};"));
        let to = sqlite(&dir, "target.db");
        let e = quiet_copy(&from, &to, false, false).await.unwrap_err();
        assert!(matches!(e, CopyError::Read { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains(column), "{text}");
        assert!(
            !text.contains("secret-ish") && !text.contains("3000000000"),
            "{text}"
        );
        let after = copy::read_everything(&to).await.unwrap();
        assert!(after.associates.is_empty(), "nothing committed");
    }
}

#[tokio::test]
async fn a_target_locked_by_another_writer_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let from = source(&dir).await;
    let to = sqlite(&dir, "target.db");
    drop(store::open(&to).await.unwrap());
    let path = to.strip_prefix("sqlite://").unwrap().to_owned();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Opening the target (its migration check) waits the busy timeout (5 s) for the
    // write lock, then gives up.
    let e = quiet_copy(&from, &to, false, false).await.unwrap_err();
    assert!(
        matches!(
            e,
            CopyError::Open {
                side: Side::Target,
                ..
            }
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("cannot open the target database") && text.contains("database is locked"),
        "{text}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
}

#[tokio::test]
async fn reading_everything_of_a_missing_file_makes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = copy::read_everything(&sqlite(&dir, "none.db"))
        .await
        .unwrap_err();
    assert!(matches!(e, CopyError::SourceMissing(_)), "{e:?}");
    assert!(!dir.path().join("none.db").exists());
}

/// Rows read from a store print `<redacted>` for hashes and digests (but not for NULL).
#[tokio::test]
async fn debug_of_rows_hides_hashes_and_digests() {
    let dir = tempfile::tempdir().unwrap();
    let all = copy::read_everything(&source(&dir).await).await.unwrap();
    let associate = format!("{:?}", all.associates[0]);
    assert!(
        !associate.contains("argon2") && associate.contains("password_hash: \"<redacted>\""),
        "{associate}"
    );
    assert!(!all.apps.is_empty() && !all.tickets.is_empty());
    for row in all.apps.iter().chain(&all.tickets) {
        let text = format!("{row:?}");
        assert!(text.contains("digest: \"<redacted>\""), "{text}");
        assert!(!text.contains("Blob"), "{text}");
    }
    let history = format!("{:?}", all.password_history);
    assert!(!history.contains("argon2"), "{history}");
}

mod postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_to_postgres_and_back() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let from = source(&dir).await;
        copy_and_compare(&from, &db.url, true).await;
        // A round trip returns the very same rows.
        let back = sqlite(&dir, "back.db");
        copy_and_compare(&db.url, &back, true).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn swept_ids_are_not_handed_out_again_in_postgres_nor_back() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let from = swept_source(&dir).await;
        quiet_copy(&from, &db.url, false, false).await.unwrap();
        // PostgreSQL's sequence, not its (empty) table, carries the high-water mark back.
        let back = sqlite(&dir, "back.db");
        quiet_copy(&db.url, &back, false, false).await.unwrap();
        next_audit_id_is_four(&db.url).await;
        next_audit_id_is_four(&back).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_sequences_continue_past_the_copied_ids() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let from = source(&dir).await;
        copy_and_compare(&from, &db.url, false).await;
        new_ids_follow_the_copied_ones(&db.url).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_postgres_target_with_data_is_refused_then_replaced_with_force() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let from = source(&dir).await;
        add_associates(&db.url, &["x1", "x2", "x3", "x4", "x5", "x6"]).await;
        let e = quiet_copy(&from, &db.url, false, false).await.unwrap_err();
        assert!(
            matches!(&e, CopyError::TargetNotEmpty(t) if *t == [(Table::Associates, 6)]),
            "{e:?}"
        );
        let report = quiet_copy(&from, &db.url, false, true).await.unwrap();
        assert_eq!(report.replaced, vec![(Table::Associates, 6)]);
        let mut expected = copy::read_everything(&from).await.unwrap();
        expected.tickets.clear();
        assert_eq!(copy::read_everything(&db.url).await.unwrap(), expected);
        new_ids_follow_the_copied_ones(&db.url).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failure_leaves_the_postgres_target_as_it_was() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let from = source(&dir).await;
        add_associates(&db.url, &["keeper"]).await;
        connect(&db.url)
            .await
            .batch_execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
                   $$ BEGIN RAISE EXCEPTION 'audit is read-only here'; END $$;
                 CREATE TRIGGER refuse_audit BEFORE INSERT ON audit
                   FOR EACH ROW EXECUTE FUNCTION refuse();",
            )
            .await
            .unwrap();
        assert_refused_at_audit(&from, &db.url, "audit is read-only here").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_postgres_database_on_both_sides_is_refused() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let e = quiet_copy(&db.url, &db.url, false, true).await.unwrap_err();
        assert!(matches!(e, CopyError::SameDatabase), "{e:?}");
    }
}

/// A forced copy into `to`, whose audit table refuses inserts, fails at that table with a
/// message containing `says`, and leaves `to` exactly as it was.
async fn assert_refused_at_audit(from: &str, to: &str, says: &str) {
    let before = copy::read_everything(to).await.unwrap();
    let e = quiet_copy(from, to, true, true).await.unwrap_err();
    assert!(
        matches!(
            e,
            CopyError::Write {
                table: Table::Audit,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains(says), "{e}");
    assert_eq!(copy::read_everything(to).await.unwrap(), before);
}
