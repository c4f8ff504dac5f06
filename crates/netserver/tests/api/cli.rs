//! The `netserver` binary as an operator uses it: admin verbs on a store, `serve`, and
//! the SOAP client subcommands against the served port.

use std::path::Path;

use crate::support::{bootstrap_password, change_admin_password, err, out, serve, Env};

#[test]
fn user_add_list_retire() {
    let env = Env::new();
    let o = env.run(
        &[
            "user",
            "add",
            "bob",
            "--password-stdin",
            "--rights",
            "admin-users",
            "--full-name",
            "Bob Builder",
        ],
        "b-secret-pw-1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("Created associate 'bob' with id 1"),
        "{}",
        out(&o)
    );
    let list = env.run(&["user", "list"], "");
    let text = out(&list);
    assert!(
        text.contains("bob")
            && text.contains("Bob Builder")
            && text.contains("admin-users")
            && text.contains("active"),
        "{text}"
    );
    let o = env.run(&["user", "retire", "BOB"], "");
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&env.run(&["user", "list"], "")).contains("retired"));
    assert!(!std::fs::read(env.db())
        .unwrap()
        .windows(b"b-secret-pw-1".len())
        .any(|w| w == b"b-secret-pw-1"));
}

#[test]
fn user_errors_are_specific() {
    let env = Env::new();
    assert!(env
        .run(
            &["user", "add", "bob", "--password-stdin"],
            "b-secret-pw-1\n"
        )
        .status
        .success());
    let dup = env.run(
        &["user", "add", "BOB", "--password-stdin"],
        "b-secret-pw-1\n",
    );
    assert!(!dup.status.success());
    assert!(err(&dup).contains("already taken"), "{}", err(&dup));
    let short = env.run(&["user", "add", "carl", "--password-stdin"], "short\n");
    assert!(err(&short).contains("shorter than 8"), "{}", err(&short));
    let right = env.run(
        &["user", "add", "dan", "--rights", "root", "--password-stdin"],
        "d-secret-pw-1\n",
    );
    assert!(
        err(&right).contains("unknown functional right 'root'"),
        "{}",
        err(&right)
    );
    let nobody = env.run(&["user", "retire", "nobody"], "");
    assert!(
        err(&nobody).contains("no associate named 'nobody'"),
        "{}",
        err(&nobody)
    );
    let bad_db = env.run(&["user", "list", "--database", "mysql://x"], "");
    assert!(err(&bad_db).contains("mysql"), "{}", err(&bad_db));
}

#[test]
fn a_bad_config_file_is_reported() {
    let env = Env::new();
    std::fs::write(env.dir.path().join("netserver.toml"), "colour = 1\n").unwrap();
    let o = env.run(&["user", "list"], "");
    assert!(!o.status.success());
    assert!(err(&o).contains("colour"), "{}", err(&o));
}

#[test]
fn serve_bootstraps_an_admin_and_the_client_subcommands_use_it() {
    let env = Env::new();
    let (_server, url, lines) = serve(&env);
    let password = bootstrap_password(&env.password_file(), &lines);
    assert!(password.len() >= 20);
    let password = change_admin_password(&env, &url, &password, &[]);

    let login = env.login(&url, "admin", &[], &password);
    assert!(login.status.success(), "{}", err(&login));
    let ticket = out(&login).trim().to_owned();
    assert!(ticket.starts_with("7T:"));

    let set = env.set_password(&url, &ticket, "1", &[], "brand-new-password\n");
    assert!(set.status.success(), "{}", err(&set));
    assert!(out(&set).contains("Response: true"));

    let again = env.login(&url, "admin", &["--soap12"], "brand-new-password");
    assert!(again.status.success(), "{}", err(&again));
    let old = env.login(&url, "admin", &[], &password);
    assert!(!old.status.success());
    assert!(err(&old).contains("log-in failed"));

    let bad = env.set_password(&url, "7T:bm9wZQ==", "1", &[], "another-password\n");
    assert!(!bad.status.success());
    assert!(out(&bad).contains("Response: false"));
    assert!(
        err(&bad).contains("SoInvalidTicketException"),
        "{}",
        err(&bad)
    );
}

#[test]
fn a_second_serve_does_not_bootstrap_again() {
    let env = Env::new();
    let o = env.run(
        &["user", "add", "first", "--password-stdin"],
        "f1-secret-pw-9\n",
    );
    assert!(o.status.success());
    let (_server, _url, lines) = serve(&env);
    assert!(
        !lines.iter().any(|l| l.contains("Created associate")),
        "{lines:?}"
    );
    assert!(Path::new(&env.db()).exists());
    assert!(!env.password_file().exists());
}
