//! Installation modes and application tokens: on-site ignores tokens; Online requires a
//! registered, unrevoked one on every call, and opens the User agent only when enabled
//! and only to apps with user management. Also `netserver app …` through the binary.

use std::process::Stdio;

use accounts::{Mode, Settings, Timestamp};
use netserver::client::Client;
use server::ServerConfig;
use soap::SoapVersion;

use crate::helpers::*;
use crate::support::{bootstrap_password, change_admin_password, err, out, serve_to, Env};

fn online(user_agent_enabled: bool) -> Settings {
    Settings {
        mode: Mode::Online,
        user_agent_enabled,
        ..Settings::default()
    }
}

fn client(app: &TestApp, token: Option<&str>) -> Client {
    Client::new(&app.base, SoapVersion::V11, token.map(str::to_owned)).unwrap()
}

async fn register(app: &TestApp, name: &str, user_management: bool) -> String {
    let (_, token) = app
        .accounts
        .add_app(
            accounts::DEFAULT_TENANT,
            name,
            user_management,
            Timestamp::now(),
        )
        .await
        .unwrap();
    token.expose().to_owned()
}

/// The exception type of a log-in the server refused with an error.
async fn login_refusal(c: &Client) -> String {
    match c.login("admin", &ADMIN_PASSWORD.into()).await {
        Err(e) => e,
        Ok(other) => panic!("log-in was not refused: {other:?}"),
    }
}

async fn set_password_error(c: &Client, ticket: &str, id: i32) -> (String, String) {
    let answer = c
        .set_password(&ticket.into(), id, &"a-fresh-password-9".into())
        .await
        .unwrap();
    assert!(!answer.succeeded && !answer.response, "{answer:?}");
    let e = answer.error.expect("an ExceptionInfo");
    (e.exception_type, e.message)
}

#[tokio::test]
async fn onsite_does_not_look_at_tokens() {
    let app = spawn_app().await;
    for token in [None, Some("made-up-token"), Some("")] {
        let c = client(&app, token);
        let login = c.login("admin", &ADMIN_PASSWORD.into()).await.unwrap();
        let ticket = login.expect("log-in succeeds").ticket;
        let answer = c
            .set_password(&ticket, app.admin_id, &ADMIN_PASSWORD.into())
            .await
            .unwrap();
        assert!(answer.succeeded && answer.response, "{answer:?}");
    }
}

#[tokio::test]
async fn online_without_a_token_is_refused_on_both_agents() {
    let app = spawn_app_with(ServerConfig::default(), online(true)).await;
    // The raw log-in answer: Succeeded=false, the ExceptionInfo, no ticket.
    let reply = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", ADMIN_PASSWORD),
            None,
        )
        .await;
    let a = Answer::read(&reply);
    assert_eq!(a.status, 200);
    assert_eq!(a.succeeded.as_deref(), Some("false"), "{}", a.body);
    assert_eq!(
        a.exception_type.as_deref(),
        Some("SoApplicationTokenRequiredException")
    );
    assert!(a.body.contains("app_token_missing"), "{}", a.body);
    assert!(a
        .body
        .contains("<AuthenticationSucceeded>false</AuthenticationSucceeded>"));
    assert!(!a.body.contains("7T:"));

    let e = login_refusal(&client(&app, None)).await;
    assert!(e.starts_with("SoApplicationTokenRequiredException"), "{e}");
    let e = login_refusal(&client(&app, Some("  "))).await;
    assert!(e.starts_with("SoApplicationTokenRequiredException"), "{e}");

    // SetPassword: the application is checked before the ticket.
    let (kind, _) = set_password_error(&client(&app, None), "7T:bm9wZQ==", app.admin_id).await;
    assert_eq!(kind, "SoApplicationTokenRequiredException");
    let token = register(&app, "tool", true).await;
    let ticket = client(&app, Some(&token))
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .unwrap()
        .ticket;
    let (kind, _) = set_password_error(&client(&app, None), ticket.expose(), app.admin_id).await;
    assert_eq!(kind, "SoApplicationTokenRequiredException");
    // In SOAP 1.2 too.
    let reply = app
        .soap12(
            "User",
            "SetPassword",
            &set_password_body(&app.admin_id.to_string(), "a-fresh-password-9"),
            Some(ticket.expose()),
        )
        .await;
    Answer::read(&reply).assert_exception("SoApplicationTokenRequiredException");
}

#[tokio::test]
async fn unknown_and_revoked_tokens_are_refused() {
    let app = spawn_app_with(ServerConfig::default(), online(true)).await;
    let e = login_refusal(&client(&app, Some("not-a-registered-token"))).await;
    assert!(e.starts_with("SoInvalidApplicationTokenException"), "{e}");

    let token = register(&app, "crm", true).await;
    let c = client(&app, Some(&token));
    let ticket = c
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .expect("log-in with a registered token")
        .ticket;
    app.accounts
        .revoke_app(accounts::DEFAULT_TENANT, "CRM", Timestamp::now())
        .await
        .unwrap();
    let e = login_refusal(&c).await;
    assert!(e.starts_with("SoInvalidApplicationTokenException"), "{e}");
    assert!(!e.contains(&token), "{e}");
    let (kind, message) = set_password_error(&c, ticket.expose(), app.admin_id).await;
    assert_eq!(kind, "SoInvalidApplicationTokenException");
    assert!(!message.contains(&token));
    // A wrong password with a good token is still an ordinary failed log-in.
    let good = register(&app, "crm2", false).await;
    let failed = client(&app, Some(&good))
        .login("admin", &"wrong-password-1".into())
        .await
        .unwrap();
    assert!(failed.is_none());
}

#[tokio::test]
async fn partner_apps_log_in_but_may_not_manage_users() {
    let app = spawn_app_with(ServerConfig::default(), online(true)).await;
    let token = register(&app, "partner", false).await;
    let c = client(&app, Some(&token));
    let ticket = c
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .expect("partner apps may log in")
        .ticket;
    let (kind, message) = set_password_error(&c, ticket.expose(), app.admin_id).await;
    assert_eq!(kind, "SoAccessDeniedException");
    assert!(message.contains("partner"), "{message}");
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[
                ("Content-Type", "text/xml; charset=utf-8"),
                ("SOAPAction", &format!("\"{NS}/User/ChangeOwnPassword\"")),
            ],
            format!(
                "<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header><ApplicationToken xmlns=\"{NS}\">{token}</ApplicationToken><Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket></Credentials></s:Header><s:Body><ChangeOwnPassword xmlns=\"{NS}\"><OldPassword>{ADMIN_PASSWORD}</OldPassword><NewPassword>another-pw-77</NewPassword></ChangeOwnPassword></s:Body></s:Envelope>",
                ticket.expose()
            ),
        )
        .await;
    let a = Answer::read(&reply);
    a.assert_exception("SoAccessDeniedException");
    assert!(a.body.contains("partner_app_restricted"), "{}", a.body);
}

#[tokio::test]
async fn user_management_apps_use_the_user_agent_when_it_is_enabled() {
    let app = spawn_app_with(ServerConfig::default(), online(true)).await;
    let token = register(&app, "admin-tool", true).await;
    let c = client(&app, Some(&token));
    let ticket = c
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .unwrap()
        .ticket;
    let answer = c
        .set_password(&ticket, app.admin_id, &"a-fresh-password-9".into())
        .await
        .unwrap();
    assert!(answer.succeeded && answer.response, "{answer:?}");
    assert!(c
        .login("admin", &"a-fresh-password-9".into())
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_disabled_user_agent_refuses_every_app() {
    let app = spawn_app_with(ServerConfig::default(), online(false)).await;
    let token = register(&app, "admin-tool", true).await;
    let c = client(&app, Some(&token));
    let ticket = c
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .expect("SoPrincipal stays available")
        .ticket;
    let (kind, _) = set_password_error(&c, ticket.expose(), app.admin_id).await;
    assert_eq!(kind, "SoAgentNotAvailableException");
    let partner = register(&app, "partner", false).await;
    let (kind, _) =
        set_password_error(&client(&app, Some(&partner)), ticket.expose(), app.admin_id).await;
    assert_eq!(kind, "SoAgentNotAvailableException");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn app_add_list_revoke_through_the_binary() {
    let env = Env::with_config(
        "mode = \"online\"\n[online]\nuser_agent_enabled = true\n[kdf]\nmemory_kib = 8\niterations = 1\n",
    );
    let add = env.run(&["app", "add", "Admin Tool", "--user-management"], "");
    assert!(add.status.success(), "{}", err(&add));
    let token = out(&add).trim().to_owned();
    assert_eq!(out(&add).lines().count(), 1, "{}", out(&add));
    assert!(token.len() >= 22, "{token}");
    assert!(err(&add).contains("shown only now"), "{}", err(&add));
    assert!(!err(&add).contains(&token));
    let partner = env.run(&["app", "add", "partner"], "");
    assert!(partner.status.success(), "{}", err(&partner));
    let partner_token = out(&partner).trim().to_owned();
    assert_ne!(token, partner_token);

    let dup = env.run(&["app", "add", "ADMIN TOOL"], "");
    assert!(!dup.status.success());
    assert!(err(&dup).contains("already taken"), "{}", err(&dup));

    let list = out(&env.run(&["app", "list"], ""));
    let line = |name: &str| {
        list.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing: {list}"))
            .to_owned()
    };
    assert!(line("Admin Tool").contains(" yes "), "{list}");
    assert!(line("partner").contains(" no "), "{list}");
    assert!(line("partner").trim_end().ends_with('-'), "{list}");
    assert!(!list.contains(&token) && !list.contains(&partner_token));

    let db = std::fs::read(env.db()).unwrap();
    assert!(!contains(&db, &token) && !contains(&db, &partner_token));

    let revoke = env.run(&["app", "revoke", "PARTNER"], "");
    assert!(revoke.status.success(), "{}", err(&revoke));
    let after = out(&env.run(&["app", "list"], ""));
    assert!(!line_revoked_dash(&after), "{after}");
    let nobody = env.run(&["app", "revoke", "nobody"], "");
    assert!(!nobody.status.success());
    assert!(err(&nobody).contains("no application named 'nobody'"));
    // Revoked apps stay listed (with their revocation time); the name stays taken.
    assert!(!env.run(&["app", "add", "partner"], "").status.success());
}

/// Whether the partner line still shows `-` in the REVOKED column.
fn line_revoked_dash(list: &str) -> bool {
    list.lines()
        .find(|l| l.starts_with("partner"))
        .is_some_and(|l| l.trim_end().ends_with('-'))
}

#[test]
fn the_client_sends_its_app_token_and_no_token_reaches_the_log() {
    let env = Env::with_config(
        "mode = \"online\"\n[online]\nuser_agent_enabled = true\n[kdf]\nmemory_kib = 8\niterations = 1\n",
    );
    let add = env.run(&["app", "add", "tool", "--user-management"], "");
    let token = out(&add).trim().to_owned();
    let revoked = env.run(&["app", "add", "old"], "");
    let revoked_token = out(&revoked).trim().to_owned();
    assert!(env.run(&["app", "revoke", "old"], "").status.success());

    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    // Debug logging, so that even routine refusals are written.
    let (server, url, lines) = serve_to(&env, Stdio::from(log), "debug");
    let first = bootstrap_password(&env.password_file(), &lines);
    // The printed commands carry the token Online mode needs, and work as printed.
    let commands: Vec<&String> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("netserver client"))
        .collect();
    assert_eq!(commands.len(), 2, "{lines:?}");
    assert!(
        commands.iter().all(|c| c.contains("--app-token <token>")),
        "{lines:?}"
    );
    let password = change_admin_password(&env, &url, &first, &[&format!("--app-token={token}")]);
    let login = |args: &[&str]| env.login(&url, "admin", args, &password);

    let without = login(&[]);
    assert!(!without.status.success());
    assert!(
        err(&without).contains("SoApplicationTokenRequiredException"),
        "{}",
        err(&without)
    );
    let wrong = login(&[&format!("--app-token={revoked_token}")]);
    assert!(!wrong.status.success());
    assert!(
        err(&wrong).contains("SoInvalidApplicationTokenException"),
        "{}",
        err(&wrong)
    );
    assert!(!err(&wrong).contains(&revoked_token));
    let ok = login(&[&format!("--app-token={token}"), "--soap12"]);
    assert!(ok.status.success(), "{}", err(&ok));
    let ticket = out(&ok).trim().to_owned();
    assert!(ticket.starts_with("7T:"));

    // `=`: a token may begin with `-`, which would read as a flag.
    let with_token = format!("--app-token={token}");
    let set = env.set_password(&url, &ticket, "1", &[&with_token], "brand-new-password\n");
    assert!(set.status.success(), "{}", err(&set));
    assert!(out(&set).contains("Response: true"));
    let set_without = env.set_password(&url, &ticket, "1", &[], "another-new-password\n");
    assert!(!set_without.status.success());
    assert!(err(&set_without).contains("SoApplicationTokenRequiredException"));

    drop(server);
    let log = std::fs::read(&log_path).unwrap();
    assert!(
        contains(&log, "refused"),
        "{}",
        String::from_utf8_lossy(&log)
    );
    assert!(!contains(&log, &token) && !contains(&log, &revoked_token));
    let db = std::fs::read(env.db()).unwrap();
    assert!(!contains(&db, &token) && !contains(&db, &revoked_token));
}
