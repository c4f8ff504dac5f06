//! `netserver store copy` as an operator runs it: an installation made with the real CLI
//! and server in a SQLite file, copied, and then used through a server on the copy.
//! PostgreSQL targets need `NETSERVER_TEST_POSTGRES` (see `store::testdb`).

use std::process::{Command, Output, Stdio};

use crate::support::{err, out, run_with_stdin, serve_command, serve_to, Env, Server};

const BOB_PW: &str = "b-secret-pw-1";
const CAROL_PW: &str = "c-secret-pw-2";

/// `env`'s command with another store.
fn on(env: &Env, database: &str) -> Command {
    let mut cmd = env.cmd();
    cmd.env("NETSERVER_DATABASE", database);
    cmd
}

fn run_on(env: &Env, database: &str, args: &[&str], stdin: &str) -> Output {
    run_with_stdin(on(env, database).args(args), stdin)
}

#[track_caller]
fn ok(o: &Output) -> String {
    assert!(o.status.success(), "stdout: {}\nstderr: {}", out(o), err(o));
    out(o)
}

fn sqlite_url(env: &Env, file: &str) -> String {
    format!("sqlite://{}", env.dir.path().join(file).display())
}

/// Logs `user` in at `url`; the ticket, or `None` when refused.
fn login(env: &Env, url: &str, user: &str, password: &str) -> Option<String> {
    let o = env.login(url, user, &[], password);
    o.status.success().then(|| out(&o).trim().to_owned())
}

/// An installation in `env`'s store: bob (admin-all), carol (must change her password),
/// dave (retired), a tenant with its own admin, an application, and bob's log-in on a
/// server (an audit record and a ticket). Returns bob's ticket.
fn installation(env: &Env) -> String {
    ok(&env.run(
        &[
            "user",
            "add",
            "bob",
            "--rights",
            "admin-all",
            "--password-stdin",
        ],
        &format!("{BOB_PW}\n"),
    ));
    ok(&env.run(
        &["user", "add", "carol", "--must-change", "--password-stdin"],
        &format!("{CAROL_PW}\n"),
    ));
    ok(&env.run(&["user", "add", "dave", "--no-password"], ""));
    ok(&env.run(&["user", "retire", "dave"], ""));
    ok(&env.run(&["tenant", "add", "Cust12345"], ""));
    ok(&env.run(&["app", "add", "Admin Tool", "--user-management"], ""));
    let (server, url, _) = serve_to(env, Stdio::null(), "warn");
    let ticket = login(env, &url, "bob", BOB_PW).expect("bob logs in on the source");
    assert!(login(env, &url, "bob", "wrong-password-1").is_none());
    drop(server);
    ticket
}

/// Serves `database` from `env`'s directory.
fn serve_on(env: &Env, database: &str) -> (Server, String) {
    let (server, url, lines) = serve_command(on(env, database), Stdio::null(), "warn");
    assert!(
        !lines.iter().any(|l| l.contains("Created associate")),
        "no new administrator on a copy: {lines:?}"
    );
    (server, url)
}

/// Asserts that the copy at `database` works as the source did.
fn assert_copy_works(env: &Env, database: &str) {
    let list = ok(&run_on(env, database, &["user", "list"], ""));
    let source_list = ok(&env.run(&["user", "list"], ""));
    assert_eq!(list, source_list, "same ids, names, types, rights, states");
    assert!(
        list.contains("     1  bob") && list.contains("retired"),
        "{list}"
    );
    let tenants = ok(&run_on(env, database, &["tenant", "list"], ""));
    assert!(tenants.contains("Cust12345"), "{tenants}");
    let apps = ok(&run_on(env, database, &["app", "list"], ""));
    assert!(apps.contains("Admin Tool"), "{apps}");
    let audit = ok(&run_on(env, database, &["audit", "--limit", "1000"], ""));
    assert_eq!(
        audit,
        ok(&env.run(&["audit", "--limit", "1000"], "")),
        "the whole audit trail"
    );
    assert!(audit.contains("AuthenticateUsernamePassword") && audit.contains("login_failed"));
    let tenant_audit = &["--tenant", "Cust12345", "audit"];
    let theirs = ok(&run_on(env, database, tenant_audit, ""));
    assert_eq!(theirs, ok(&env.run(tenant_audit, "")), "the tenant's trail");
    assert!(theirs.lines().count() > 1, "{theirs}");

    let (_server, url) = serve_on(env, database);
    assert!(login(env, &url, "bob", BOB_PW).is_some(), "same password");
    assert!(login(env, &url, "bob", "wrong-password-1").is_none());
    // carol still has to change her password: her ticket opens nothing else.
    let carol = login(env, &url, "carol", CAROL_PW).expect("carol logs in");
    let refused = env.set_password(&url, &carol, "1", &[], "another-pw-77\n");
    assert!(
        err(&refused).contains("SoPasswordChangeRequiredException"),
        "{}",
        err(&refused)
    );
    assert!(login(env, &url, "dave", "").is_none(), "dave is retired");
}

/// The counts table of a successful copy, and no secret anywhere in its output.
fn assert_copy_output(o: &Output, tickets: &str) {
    let text = out(o);
    for line in [
        "tenants                    2         2",
        "associates                 4         4",
        "apps                       1         1",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert!(text.contains(tickets), "{tickets:?} in {text}");
    assert!(text.contains("Counts match"), "{text}");
    let stderr = err(o);
    assert!(
        stderr.contains("copied associates: 4 rows in"),
        "a line per table when stderr is not a terminal: {stderr}"
    );
    for secret in ["$argon2", BOB_PW, "hunter2"] {
        assert!(!text.contains(secret) && !stderr.contains(secret));
    }
}

#[test]
fn a_copy_serves_the_same_users_with_their_passwords_ids_and_audit() {
    let env = Env::new();
    installation(&env);
    let target = sqlite_url(&env, "copy.db");
    let o = env.run(&["store", "copy", "--to", &target], "");
    ok(&o);
    assert_copy_output(&o, "tickets                    1         -  not copied");
    assert_copy_works(&env, &target);
}

#[test]
fn tickets_are_copied_only_with_with_tickets() {
    let env = Env::new();
    let ticket = installation(&env);

    let without = sqlite_url(&env, "without.db");
    ok(&env.run(&["store", "copy", "--to", &without], ""));
    let (server, url) = serve_on(&env, &without);
    let o = env.set_password(&url, &ticket, "2", &[], "fresh-new-pw-91\n");
    assert!(err(&o).contains("SoInvalidTicketException"), "{}", err(&o));
    drop(server);

    let with = sqlite_url(&env, "with.db");
    let o = env.run(&["store", "copy", "--to", &with, "--with-tickets"], "");
    assert_copy_output(&o, "tickets                    1         1");
    let (_server, url) = serve_on(&env, &with);
    let o = env.set_password(&url, &ticket, "2", &[], "fresh-new-pw-91\n");
    assert!(out(&o).contains("Response: true"), "{}{}", out(&o), err(&o));
}

#[test]
fn a_target_with_data_is_refused_unless_force() {
    let env = Env::new();
    installation(&env);
    let target = sqlite_url(&env, "busy.db");
    ok(&run_on(
        &env,
        &target,
        &["user", "add", "zed", "--password-stdin"],
        "z-secret-pw-3\n",
    ));
    let o = env.run(&["store", "copy", "--to", &target], "");
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("table associates has 1 row")
            && e.contains("table audit has 1 row")
            && e.contains("--force"),
        "{e}"
    );
    let list = ok(&run_on(&env, &target, &["user", "list"], ""));
    assert!(
        list.contains("zed") && !list.contains("bob"),
        "untouched: {list}"
    );

    let o = env.run(&["store", "copy", "--to", &target, "--force"], "");
    assert!(
        ok(&o).contains("Replaced the target's earlier rows (associates: 1, audit: 1)."),
        "{}",
        out(&o)
    );
    assert_copy_works(&env, &target);
    let list = ok(&run_on(&env, &target, &["user", "list"], ""));
    assert!(!list.contains("zed"), "{list}");
}

#[test]
fn a_count_mismatch_fails_and_leaves_the_target_empty() {
    let env = Env::new();
    installation(&env);
    let path = env.dir.path().join("lossy.db");
    let target = format!("sqlite://{}", path.display());
    // An empty, migrated target (listings open a store read-only and create none).
    let created = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(store::open(&target));
    assert!(created.is_ok());
    // A target that silently drops one audit record.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER drop_one BEFORE INSERT ON audit WHEN NEW.id = 2
             BEGIN SELECT RAISE(IGNORE); END;",
        )
        .unwrap();
    let o = env.run(&["store", "copy", "--to", &target], "");
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    let numbers: Vec<u64> = e
        .split("error: the counts differ after the copy (audit: ")
        .nth(1)
        .and_then(|rest| rest.split_once("); nothing was committed to the target"))
        .map(|(counts, _)| {
            counts
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect()
        })
        .unwrap_or_else(|| panic!("{e}"));
    assert_eq!(numbers.len(), 2, "{e}");
    assert_eq!(numbers[0], numbers[1] + 1, "{e}");
    assert!(!out(&o).contains("Counts match"), "{}", out(&o));
    let list = ok(&run_on(&env, &target, &["user", "list"], ""));
    assert_eq!(list.lines().count(), 1, "only the heading: {list}");
}

#[test]
fn bad_urls_missing_sources_and_unreachable_targets_are_clear_errors() {
    let env = Env::new();
    installation(&env);
    let cases: [(&[&str], &str); 6] = [
        (
            &["--to", "mysql://u:hunter2@db/x"],
            "cannot open the target database: unsupported database URL scheme 'mysql'",
        ),
        (
            &[
                "--to",
                "postgres://u:hunter2@127.0.0.1:1/x?connect_timeout=5",
            ],
            "cannot open the target database: cannot connect to PostgreSQL",
        ),
        (
            &[
                "--from",
                "sqlite://nowhere/typo.db",
                "--to",
                "sqlite://t.db",
            ],
            "the source database file nowhere/typo.db does not exist",
        ),
        (
            &["--to", "sqlite::memory:"],
            "an in-memory database cannot be the target",
        ),
        (
            &["--to", "sqlite://./store.db"],
            "the source and the target are the same database",
        ),
        (&["--to", "ns.db"], "the database URL has no scheme"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["store", "copy"];
        all.extend_from_slice(args);
        let o = env.run(&all, "");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let (stdout, stderr) = (out(&o), err(&o));
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("hunter2") && !stdout.contains("hunter2"),
            "{stderr}"
        );
    }
    assert!(
        !env.dir.path().join("nowhere").exists(),
        "no source was made"
    );
    let o = env.run(&["store", "copy"], "");
    assert!(
        !o.status.success() && err(&o).contains("--to"),
        "{}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres_serves_the_same_installation() {
    let Some(db) = store::testdb::TestDb::create().await else {
        return;
    };
    let env = Env::new();
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let ticket = installation(&env);
        let o = env.run(&["store", "copy", "--to", &url, "--with-tickets"], "");
        assert_copy_output(&o, "tickets                    1         1");
        assert_copy_works(&env, &url);
        let (_server, base) = serve_on(&env, &url);
        let o = env.set_password(&base, &ticket, "2", &[], "fresh-new-pw-91\n");
        assert!(out(&o).contains("Response: true"), "{}{}", out(&o), err(&o));
        // Again: refused, then replaced.
        let o = env.run(&["store", "copy", "--to", &url], "");
        assert!(
            err(&o).contains("table associates has 4 rows"),
            "{}",
            err(&o)
        );
        let o = env.run(&["store", "copy", "--to", &url, "--force"], "");
        assert_copy_output(&o, "tickets                    1         -  not copied");
        // New associates get ids after the copied ones.
        let o = run_on(
            &env,
            &url,
            &["user", "add", "erin", "--password-stdin"],
            "e-secret-pw-5\n",
        );
        assert!(ok(&o).contains("with id 5"), "{}", out(&o));
    })
    .await
    .unwrap();
}

#[test]
fn help_never_shows_database_urls_from_the_environment() {
    let env = Env::new();
    let o = env
        .cmd()
        .env("NETSERVER_DATABASE", "postgres://u:hunter2@db/x")
        .env("NETSERVER_COPY_TO", "postgres://u:hunter3@db/y")
        .args(["store", "copy", "--help"])
        .output()
        .unwrap();
    let text = out(&o);
    assert!(text.contains("NETSERVER_COPY_TO"), "{text}");
    assert!(
        !text.contains("hunter2") && !text.contains("hunter3"),
        "{text}"
    );
}
