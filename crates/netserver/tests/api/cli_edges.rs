//! The edges an operator meets first, over the real binary: configuration values out of
//! range, stores that cannot be opened as asked, closed pipes, repeated verbs, unhelpful
//! errors and the help text.

use crate::support::{err, out, Env};

/// Each numeric key out of its range stops `serve` before it touches the store, naming
/// the key; the lowest accepted values start it.
#[test]
fn serve_refuses_numeric_keys_out_of_range_by_name() {
    for (section, expected) in [
        (
            "[soap]\nmax_message_bytes = 0",
            "[soap] max_message_bytes = 0 is out of range",
        ),
        (
            "[tickets]\nlifetime_seconds = 0",
            "[tickets] lifetime_seconds = 0 is out of range",
        ),
        ("[kdf]\nworkers = 0", "[kdf] workers = 0 is out of range"),
        (
            "[kdf]\nmemory_kib = 0",
            "[kdf] memory_kib = 0 is out of range",
        ),
        (
            "[soap]\nmax_depth = 2",
            "[soap] max_depth = 2 is out of range",
        ),
    ] {
        let env = Env::with_config(section);
        let o = env.run(&["serve", "--listen", "127.0.0.1:0"], "");
        assert!(!o.status.success(), "{section}: {}", out(&o));
        let e = err(&o);
        assert!(
            e.contains(expected) && e.contains("netserver.toml"),
            "{section}: {e}"
        );
        assert!(!out(&o).contains("Created associate"), "{}", out(&o));
        assert!(!env.db().exists(), "{section}: the store was created");
    }
}

/// A store URL in a directory that does not exist: refused with the directory named,
/// nothing created, by `serve` and by a verb that writes.
#[test]
fn a_missing_directory_is_named_and_never_created() {
    let env = Env::new();
    let missing = env.dir.path().join("no/such/dir");
    let url = format!("sqlite://{}", missing.join("x.db").display());
    for args in [
        &["serve", "--listen", "127.0.0.1:0"][..],
        &["user", "add", "bob", "--no-password"][..],
        &["user", "list"][..],
    ] {
        let o = env.run(&[args, &["--database", &url]].concat(), "");
        assert!(!o.status.success(), "{args:?}");
        let e = err(&o);
        assert!(
            e.contains(&format!(
                "the directory {} does not exist",
                missing.display()
            )),
            "{args:?}: {e}"
        );
        assert!(!out(&o).contains("Created associate"), "{}", out(&o));
    }
    assert!(!env.dir.path().join("no").exists());
}

/// `serve` takes its port before anything else: with the port in use it stops without
/// creating a store or printing an administrator's password.
#[test]
fn serve_binds_its_port_before_it_creates_a_store() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let env = Env::new();
    let o = env.run(&["serve", "--listen", &address], "");
    assert!(!o.status.success());
    assert!(
        err(&o).contains(&format!("cannot listen on {address}")),
        "{}",
        err(&o)
    );
    assert!(!out(&o).contains("Created associate"), "{}", out(&o));
    assert!(!env.db().exists(), "the store was created");
    assert!(!env.password_file().exists(), "a password file was written");
}

/// Runs `cmd` as a user who may not write what the test protected: the test's own user
/// when it is not root (the modes then apply to it), else `nobody`, since root writes
/// through any mode.
fn unprivileged(env: &Env, cmd: &mut std::process::Command) {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    if std::fs::metadata(env.dir.path()).unwrap().uid() == 0 {
        cmd.uid(65_534).gid(65_534);
    }
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A store the process may not write: the commands that only read still work (they open
/// it read-only), and one that writes says that the file and its directory must be
/// writable.
#[test]
fn a_read_only_store_serves_the_commands_that_only_read() {
    let env = Env::new();
    let add = env.run(&["user", "add", "bob", "--no-password"], "");
    assert!(add.status.success(), "{}", err(&add));
    let run = |args: &[&str]| {
        let mut cmd = env.cmd();
        unprivileged(&env, &mut cmd);
        crate::support::run_with_stdin(cmd.args(args), "")
    };
    set_mode(env.dir.path(), 0o755);
    for (file_mode, dir_mode) in [(0o444, 0o555), (0o444, 0o777), (0o644, 0o555)] {
        set_mode(&env.db(), file_mode);
        set_mode(env.dir.path(), dir_mode);
        for args in [
            &["user", "list"][..],
            &["audit"][..],
            &["app", "list"][..],
            &["tenant", "list"][..],
        ] {
            let o = run(args);
            assert!(
                o.status.success(),
                "{args:?} {file_mode:o}/{dir_mode:o}: {}",
                err(&o)
            );
        }
        assert!(out(&run(&["user", "list"])).contains("bob"));
        assert!(out(&run(&["audit"])).contains("user add"));
        let o = run(&["user", "add", "carl", "--no-password"]);
        assert!(!o.status.success(), "{file_mode:o}/{dir_mode:o}");
        let e = err(&o);
        assert!(
            e.contains(&env.db().display().to_string())
                && e.contains(&format!(
                    "the file and its directory {} must be writable",
                    env.dir.path().display()
                )),
            "{file_mode:o}/{dir_mode:o}: {e}"
        );
    }
    set_mode(env.dir.path(), 0o700);
}

/// A command that only reads does not create a store where there is none.
#[test]
fn reading_commands_do_not_create_a_store() {
    let env = Env::new();
    for args in [
        &["user", "list"][..],
        &["audit"][..],
        &["tenant", "list"][..],
    ] {
        let o = env.run(args, "");
        assert!(!o.status.success(), "{args:?}");
        assert!(
            err(&o).contains(&format!(
                "there is no SQLite database at {}",
                env.db().display()
            )),
            "{args:?}: {}",
            err(&o)
        );
    }
    assert!(!env.db().exists());
}

/// `--tenant` where it means nothing is refused with the reason, before or after the
/// subcommand; where it works (user, app, audit) it is taken either way.
#[test]
fn the_tenant_flag_is_refused_where_it_means_nothing() {
    let env = Env::new();
    assert!(env.run(&["tenant", "add", "Cust1"], "").status.success());
    for (args, why) in [
        (
            &["serve", "--tenant", "Cust1"][..],
            "it serves every tenant",
        ),
        (
            &["--tenant", "Cust1", "serve"][..],
            "it serves every tenant",
        ),
        (
            &["policy", "show", "--tenant", "Cust1"][..],
            "the same for every tenant",
        ),
        (
            &["--tenant", "Cust1", "policy", "show"][..],
            "the same for every tenant",
        ),
        (
            &["tenant", "list", "--tenant", "Cust1"][..],
            "it lists every tenant",
        ),
        (
            &["--tenant", "Cust1", "tenant", "list"][..],
            "it lists every tenant",
        ),
        (
            &[
                "--tenant", "Cust1", "client", "login", "--url", "http://x", "--user", "u",
            ][..],
            "--url",
        ),
    ] {
        let o = env.run(args, "");
        assert!(!o.status.success(), "{args:?}");
        let e = err(&o);
        assert!(
            e.contains("--tenant means nothing to `netserver ") && e.contains(why),
            "{args:?}: {e}"
        );
    }
    let o = env.run(&["--listen", "127.0.0.1:1", "user", "list"], "");
    assert!(
        err(&o).contains("--listen means nothing to `netserver user`"),
        "{}",
        err(&o)
    );
    let o = env.run(
        &["--tenant", "Cust1", "user", "list", "--tenant", "Cust1"],
        "",
    );
    assert!(err(&o).contains("--tenant is given twice"), "{}", err(&o));
    for args in [
        &["--tenant", "Cust1", "user", "list"][..],
        &["user", "--tenant", "Cust1", "list"][..],
        &["user", "list", "--tenant", "Cust1"][..],
        &["audit", "--tenant", "Cust1"][..],
    ] {
        let o = env.run(args, "");
        assert!(o.status.success(), "{args:?}: {}", err(&o));
    }
    assert!(out(&env.run(&["user", "list", "--tenant", "Cust1"], "")).contains("admin"));
    assert!(!out(&env.run(&["user", "list"], "")).contains("admin"));
}

/// Every flag of every subcommand has a help line, and a subcommand lists only the
/// shared flags it reads.
#[test]
fn help_lists_each_subcommand_s_own_flags_each_with_a_line() {
    let env = Env::new();
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["serve"],
            &["--config", "--database", "--listen"],
            &["--tenant"],
        ),
        (
            &["user", "add"],
            &["--full-name", "--tenant", "--database"],
            &["--listen"],
        ),
        (
            &["user", "list"],
            &["--tenant", "--database"],
            &["--listen"],
        ),
        (&["user", "retire"], &["--tenant"], &["--listen"]),
        (
            &["app", "add"],
            &["--user-management", "--tenant"],
            &["--listen"],
        ),
        (&["app", "revoke"], &["--tenant"], &["--listen"]),
        (
            &["tenant", "add"],
            &["--listen", "--database"],
            &["--tenant"],
        ),
        (
            &["tenant", "list"],
            &["--database"],
            &["--tenant", "--listen"],
        ),
        (
            &["audit"],
            &["--tenant", "--since", "--json"],
            &["--listen"],
        ),
        (
            &["policy", "check"],
            &["--config", "--full-name", "--user"],
            &["--database", "--tenant", "--listen"],
        ),
        (
            &["policy", "show"],
            &["--config"],
            &["--database", "--tenant", "--listen"],
        ),
        (
            &["client", "login"],
            &["--url", "--user", "--password-stdin", "--app-token"],
            &["--database", "--config", "--tenant", "--listen"],
        ),
        (
            &["client", "set-password"],
            &["--url", "--ticket", "--associate-id"],
            &["--database", "--config", "--tenant", "--listen"],
        ),
        (
            &["store", "copy"],
            &["--from", "--to", "--database"],
            &["--tenant", "--listen"],
        ),
    ];
    for (command, listed, absent) in cases {
        let o = env.run(&[*command, &["--help"][..]].concat(), "");
        assert!(o.status.success(), "{command:?}");
        let help = out(&o);
        for flag in *listed {
            assert!(
                help.contains(&format!("{flag} ")),
                "{command:?} lists {flag}: {help}"
            );
        }
        for flag in *absent {
            assert!(
                !help.contains(flag),
                "{command:?} does not list {flag}: {help}"
            );
        }
        // An option line is the flag, its value name, then its help: none ends at the flag.
        for line in help.lines().filter(|l| l.trim_start().starts_with('-')) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let described = words
                .iter()
                .skip(1)
                .any(|w| !w.starts_with('<') && !w.starts_with('-'));
            assert!(described, "{command:?}: no help for `{}`", line.trim());
        }
        for line in help.lines().skip_while(|l| *l != "Arguments:").skip(1) {
            if line.is_empty() {
                break;
            }
            assert!(
                line.split_whitespace().count() > 1,
                "{command:?}: no help for `{line}`"
            );
        }
    }
}

/// Fills the store with `n` associates and as many audit records, more output than a
/// pipe holds, so that a reader who stops early leaves the command writing into a
/// closed pipe.
fn a_long_listing(env: &Env, n: i32) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", env.db().display());
        let store = store::open(&url).await.unwrap();
        for i in 0..n {
            let a = store
                .insert_associate(accounts::NewAssociate {
                    tenant: accounts::DEFAULT_TENANT,
                    name: format!("user{i:05}"),
                    full_name: format!("User Number {i:05}"),
                    user_type: accounts::UserType::Internal,
                    rights: vec![],
                    password_hash: None,
                    must_change: false,
                    created_at: accounts::Timestamp(1_700_000_000),
                })
                .await
                .unwrap();
            store
                .record_audit(accounts::AuditEvent {
                    tenant: accounts::DEFAULT_TENANT,
                    at: accounts::Timestamp(1_700_000_000 + i64::from(i)),
                    actor: None,
                    target: Some(a.id),
                    operation: "user add".into(),
                    outcome: accounts::Outcome::Success,
                    client: Some("cli".into()),
                    app: None,
                    operation_id: None,
                })
                .await
                .unwrap();
        }
    });
}

/// `netserver audit | head -1` and `netserver user list | head -1`: the reader goes
/// away after a line; the command ends quietly, with status 0 and nothing on stderr.
#[test]
fn a_reader_that_stops_early_ends_the_listing_quietly() {
    use std::io::BufRead;
    let env = Env::new();
    a_long_listing(&env, 1500);
    for args in [
        &["audit", "--limit", "5000"][..],
        &["audit", "--json", "--limit", "5000"][..],
        &["user", "list"][..],
    ] {
        let mut child = env
            .cmd()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{args:?}");
        // The reader (and with it the pipe's only read end) is gone here.
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        assert!(err(&o).is_empty(), "{args:?}: {}", err(&o));
    }
}

/// Retiring or revoking twice says it already was, succeeds, and audits once.
#[test]
fn retire_and_revoke_twice_say_so_and_audit_once() {
    let env = Env::new();
    assert!(env
        .run(&["user", "add", "bob", "--no-password"], "")
        .status
        .success());
    assert!(env.run(&["app", "add", "CRM"], "").status.success());
    let first = env.run(&["user", "retire", "bob"], "");
    assert!(
        out(&first).contains("Retired associate 'bob'"),
        "{}",
        out(&first)
    );
    let again = env.run(&["user", "retire", "BOB"], "");
    assert!(again.status.success(), "{}", err(&again));
    assert!(
        out(&again).contains("was already retired; nothing changed"),
        "{}",
        out(&again)
    );
    let first = env.run(&["app", "revoke", "CRM"], "");
    assert!(
        out(&first).contains("Revoked application 'CRM'"),
        "{}",
        out(&first)
    );
    let again = env.run(&["app", "revoke", "crm"], "");
    assert!(again.status.success(), "{}", err(&again));
    assert!(
        out(&again).contains("was already revoked; nothing changed"),
        "{}",
        out(&again)
    );
    let trail = out(&env.run(&["audit", "--json"], ""));
    for verb in ["user retire", "app revoke"] {
        let n = trail
            .lines()
            .filter(|l| l.contains(&format!("\"operation\":\"{verb}\"")))
            .count();
        assert_eq!(n, 1, "{verb}: {trail}");
    }
    let missing = env.run(&["app", "revoke", "Nope"], "");
    assert!(!missing.status.success());
}

/// `user add` refuses a taken name (or a bad right) before it asks for a password: with
/// no terminal and nothing on standard input, the answer is about the name.
#[test]
fn user_add_checks_the_name_before_the_password() {
    let env = Env::new();
    assert!(env
        .run(&["user", "add", "bob", "--no-password"], "")
        .status
        .success());
    for args in [
        &["user", "add", "BOB"][..],
        &["user", "add", "BOB", "--password-stdin"][..],
    ] {
        let o = env.run(args, "");
        assert!(!o.status.success());
        assert!(err(&o).contains("already taken"), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("password"), "{args:?}: {}", err(&o));
    }
    let o = env.run(&["user", "add", "carl", "--rights", "root"], "");
    assert!(
        err(&o).contains("unknown functional right 'root'"),
        "{}",
        err(&o)
    );
}

/// The audit table shows the names the operator typed; `--json` has ids and names.
#[test]
fn the_audit_trail_shows_names() {
    let env = Env::new();
    assert!(env
        .run(&["user", "add", "first", "--no-password"], "")
        .status
        .success());
    assert!(env
        .run(&["user", "add", "bobby", "--no-password"], "")
        .status
        .success());
    assert!(env.run(&["user", "retire", "bobby"], "").status.success());
    let table = out(&env.run(&["audit"], ""));
    let retire = table
        .lines()
        .find(|l| l.contains("user retire"))
        .expect(&table);
    assert!(retire.contains(" bobby "), "{table}");
    let json = out(&env.run(&["audit", "--json", "--associate", "bobby"], ""));
    assert!(
        json.lines()
            .all(|l| l.contains("\"target\":2,\"target_name\":\"bobby\"")
                && l.contains("\"actor_name\":null")),
        "{json}"
    );
}

/// A port nobody listens on: bound, then let go.
fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

/// Errors say what went wrong: the client names the refused connection; PostgreSQL
/// errors name the address and the cause (never the password), and a URL asking for TLS
/// is told that it is not supported.
#[test]
fn connection_errors_name_the_address_and_the_cause() {
    let env = Env::new();
    let address = closed_port();
    let o = env.login(&format!("http://{address}"), "u", &[], "pw");
    assert!(!o.status.success());
    assert!(
        err(&o).contains(&address) && err(&o).contains("Connection refused"),
        "{}",
        err(&o)
    );

    let url = format!("postgres://postgres:hunter2@{address}/netserver");
    let o = env.run(&["user", "list", "--database", &url], "");
    let e = err(&o);
    assert!(
        e.contains(&format!("cannot connect to PostgreSQL at {address}"))
            && e.contains("Connection refused"),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");

    let o = env.run(
        &[
            "user",
            "list",
            "--database",
            "postgres://postgres@127.0.0.1:5432/postgres?sslmode=require",
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(
        err(&o).contains("asks for TLS (sslmode=require), which netserver does not support"),
        "{}",
        err(&o)
    );
}

/// A `NETSERVER_LOG` that is no filter is warned about, not silently dropped.
#[test]
fn a_bad_log_filter_is_warned_about() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let env = Env::new();
    for (value, expected) in [
        (
            "verbose",
            "NETSERVER_LOG='verbose': 'verbose' is neither a level",
        ),
        (
            "store=shouty",
            "NETSERVER_LOG='store=shouty' is not a log filter",
        ),
    ] {
        let o = crate::support::run_with_stdin(
            env.cmd()
                .env("NETSERVER_LOG", value)
                .args(["serve", "--listen", &address]),
            "",
        );
        assert!(err(&o).contains(expected), "{value}: {}", err(&o));
    }
    let o = crate::support::run_with_stdin(
        env.cmd()
            .env("NETSERVER_LOG", "debug")
            .args(["serve", "--listen", &address]),
        "",
    );
    assert!(!err(&o).contains("warning"), "{}", err(&o));
}

/// The log's `refused code=…` line names the call's `op_id`, as the call's `soap call`
/// line does.
#[test]
fn a_refusal_s_log_line_names_the_operation_id() {
    let env = Env::new();
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, lines) =
        crate::support::serve_to(&env, std::process::Stdio::from(log), "info");
    let first = crate::support::bootstrap_password(&env.password_file(), &lines);
    let password = crate::support::change_admin_password(&env, &url, &first, &[]);
    let login = env.login(&url, "admin", &[], &password);
    assert!(login.status.success(), "{}", err(&login));
    let ticket = out(&login).trim().to_owned();
    let short = env.set_password(&url, &ticket, "1", &[], "short\n");
    assert!(!short.status.success());
    drop(server);

    let log = std::fs::read_to_string(&log_path).unwrap();
    let refused: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" refused") && l.contains("code="))
        .collect();
    assert_eq!(refused.len(), 1, "{log}");
    // In the call's span (`call{op_id=…}:`), which every line of the call is written in.
    let op_id = refused[0]
        .split("op_id=")
        .nth(1)
        .map(|rest| rest.split(['}', ' ']).next().unwrap_or(rest))
        .unwrap_or_else(|| panic!("no op_id: {}", refused[0]));
    assert_eq!(op_id.len(), 32, "{}", refused[0]);
    let call = log
        .lines()
        .find(|l| l.contains("soap call") && l.contains(&format!("op_id={op_id}")))
        .unwrap_or_else(|| panic!("no soap call line for {op_id}: {log}"));
    assert!(
        call.contains("operation=SetPassword") || call.contains("operation=\"SetPassword\""),
        "{call}"
    );
}
