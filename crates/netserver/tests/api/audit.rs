//! The audit trail and operation ids over real HTTP and through the binary: the id a
//! caller gets (`ExtraInfo` and `X-Operation-Id`) is the one in the audit record and in
//! the log line, and no password or ticket reaches the store, the log or `netserver audit`.

use std::process::Stdio;

use accounts::{AuditEvent, AuditFilter, Outcome, Right, Settings, Timestamp};
use netserver::wiring;
use server::ServerConfig;
use store::conformance::AuditTrail;

use crate::helpers::*;
use crate::support::{err, out, serve_to, Env};

/// Status, `X-Operation-Id` and body of one SOAP 1.1 call.
async fn call(
    app: &TestApp,
    agent: &str,
    op: &str,
    body: &str,
    ticket: Option<&str>,
) -> (u16, Option<String>, String) {
    let resp = app.soap11_response(agent, op, body, ticket).await;
    let status = resp.status().as_u16();
    let id = resp
        .headers()
        .get("x-operation-id")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, id, resp.text().await.unwrap())
}

/// The `OperationId` entry of the `ExtraInfo` header, read as a client would.
fn extra_info_operation_id(body: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(body).unwrap();
    let extra = doc
        .descendants()
        .find(|n| n.has_tag_name((NS, "ExtraInfo")))?;
    extra
        .children()
        .filter(|n| n.has_tag_name((NS, "ExtraInfoNameValuePair")))
        .find(|pair| {
            pair.children()
                .any(|k| k.has_tag_name((NS, "Key")) && k.text() == Some("OperationId"))
        })
        .and_then(|pair| {
            pair.children()
                .find(|v| v.has_tag_name((NS, "Value")))
                .and_then(|v| v.text())
                .map(str::to_owned)
        })
}

fn is_operation_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

async fn records_of(app: &TestApp, id: &str) -> Vec<AuditEvent> {
    let all = AuditFilter {
        since: None,
        associate_id: None,
        limit: 1_000,
    };
    let events = app
        .store
        .audit_query(accounts::DEFAULT_TENANT, all)
        .await
        .unwrap();
    events
        .into_iter()
        .filter(|e| e.operation_id.as_deref() == Some(id))
        .collect()
}

#[tokio::test]
async fn the_operation_id_in_extra_info_and_header_is_the_audited_one() {
    let app = spawn_app().await;
    // Success: a log-in.
    let (status, header, body) = call(
        &app,
        "SoPrincipal",
        "AuthenticateUsernamePassword",
        &auth_body("admin", ADMIN_PASSWORD),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let login_id = header.expect("X-Operation-Id");
    assert!(is_operation_id(&login_id), "{login_id}");
    assert_eq!(extra_info_operation_id(&body).as_deref(), Some(&*login_id));
    let doc = roxmltree::Document::parse(&body).unwrap();
    let ticket = text(&doc, "Ticket").unwrap();
    let records = records_of(&app, &login_id).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].operation, "AuthenticateUsernamePassword");
    assert_eq!(records[0].outcome, Outcome::Success);
    assert_eq!(records[0].actor, Some(app.admin_id));
    assert_eq!(records[0].client.as_deref(), Some("127.0.0.1"));
    assert_eq!(records[0].app, None, "on-site installations know no app");

    // Failure as ExceptionInfo: SetPassword on an associate that does not exist.
    let (status, header, body) = call(
        &app,
        "User",
        "SetPassword",
        &set_password_body("9999", "unused-pw-123456"),
        Some(&ticket),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let failed_id = header.expect("X-Operation-Id");
    assert!(is_operation_id(&failed_id));
    assert_ne!(failed_id, login_id, "each request has its own id");
    assert!(body.contains("<Succeeded xmlns=\"") && body.contains(">false</Succeeded>"));
    assert_eq!(extra_info_operation_id(&body).as_deref(), Some(&*failed_id));
    let records = records_of(&app, &failed_id).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].operation, "SetPassword");
    assert!(matches!(records[0].outcome, Outcome::Failure(_)));
    assert_eq!(records[0].target, Some(9999));

    // A protocol fault still carries the header (nothing is audited: no operation ran).
    let (status, header, _) = call(&app, "User", "SetPassword", "<broken", None).await;
    assert_eq!(status, 500);
    assert!(is_operation_id(&header.expect("X-Operation-Id on a fault")));
}

#[tokio::test]
async fn application_errors_sent_as_faults_carry_the_audited_operation_id() {
    let config = ServerConfig {
        faults: true,
        ..ServerConfig::default()
    };
    let app = spawn_app_with(config, Settings::default()).await;
    let ticket = app.admin_ticket().await;
    let (status, header, body) = call(
        &app,
        "User",
        "SetPassword",
        &set_password_body("9999", "unused-pw-123456"),
        Some(&ticket),
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Fault"), "{body}");
    let id = header.expect("X-Operation-Id");
    let records = records_of(&app, &id).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].operation, "SetPassword");
    assert!(matches!(records[0].outcome, Outcome::Failure(_)));
}

#[tokio::test]
async fn the_retention_sweep_deletes_only_records_older_than_the_retention() {
    let app = spawn_app().await;
    let store = app.store.clone();
    let now = Timestamp(10_000_000);
    let day = 86_400;
    for (at, op) in [
        (now.0 - 40 * day, "old"),
        (now.0 - 30 * day, "edge"),
        (now.0 - day, "new"),
    ] {
        let event = AuditEvent {
            at: Timestamp(at),
            actor: None,
            target: None,
            operation: op.into(),
            outcome: Outcome::Success,
            client: Some("cli".into()),
            app: None,
            operation_id: None,
            tenant: accounts::DEFAULT_TENANT,
        };
        store.record_audit(event).await.unwrap();
    }
    let before = store
        .recent_audit(accounts::DEFAULT_TENANT, 1_000)
        .await
        .unwrap()
        .len();
    assert_eq!(
        wiring::sweep_audit(&*store, 0, now, wiring::SWEEP_BATCH)
            .await
            .unwrap(),
        0,
        "0 keeps forever"
    );
    assert_eq!(
        wiring::sweep_audit(&*store, 30, now, wiring::SWEEP_BATCH)
            .await
            .unwrap(),
        1
    );
    let left: Vec<String> = store
        .recent_audit(accounts::DEFAULT_TENANT, 1_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(left.len(), before - 1);
    assert!(left.contains(&"edge".to_owned()) && left.contains(&"new".to_owned()));
    assert!(!left.contains(&"old".to_owned()));
    // Swept at the real time, the 1970 records go and the fixture's own (written just
    // now, when it added the administrator) stay.
    let fresh = wiring::sweep_audit(&*store, 1, Timestamp::now(), 1)
        .await
        .unwrap();
    assert_eq!(fresh, 2);
    let kept = store
        .recent_audit(accounts::DEFAULT_TENANT, 1_000)
        .await
        .unwrap();
    assert_eq!(kept.len(), before - 3);
    assert!(kept.iter().all(|e| e.operation == "user add"));
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn netserver_audit_prints_the_trail_without_secrets_and_the_log_names_each_operation_id() {
    let env = Env::new();
    let admin_pw = "root-secret-phrase-5";
    let add = env.run(
        &[
            "user",
            "add",
            "admin",
            "--rights",
            "admin-all",
            "--password-stdin",
        ],
        &format!("{admin_pw}\n"),
    );
    assert!(add.status.success(), "{}", err(&add));
    let bob_pw = "first-secret-phrase-7";
    let add = env.run(
        &["user", "add", "bob", "--password-stdin"],
        &format!("{bob_pw}\n"),
    );
    assert!(add.status.success(), "{}", err(&add));
    let add = env.run(&["user", "add", "carol", "--no-password"], "");
    assert!(add.status.success(), "{}", err(&add));
    assert!(env.run(&["user", "retire", "carol"], "").status.success());
    assert!(env.run(&["app", "add", "tool"], "").status.success());
    let token = {
        let o = env.run(&["app", "add", "other"], "");
        out(&o).trim().to_owned()
    };
    assert!(env.run(&["app", "revoke", "other"], "").status.success());

    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, _) = serve_to(&env, Stdio::from(log), "info");
    let login = |user: &str, pw: &str| env.login(&url, user, &[], pw);
    let ok = login("admin", admin_pw);
    assert!(ok.status.success(), "{}", err(&ok));
    let ticket = out(&ok).trim().to_owned();
    let wrong_pw = "wrong-secret-phrase-9";
    assert!(!login("bob", wrong_pw).status.success());
    let new_pw = "second-secret-phrase-8";
    let set = env.set_password(&url, &ticket, "2", &[], format!("{new_pw}\n"));
    assert!(set.status.success(), "{}", err(&set));
    drop(server);

    let audit = env.run(&["audit", "--json"], "");
    assert!(audit.status.success(), "{}", err(&audit));
    let text = out(&audit);
    let lines: Vec<&str> = text.lines().collect();
    for field in [
        "\"at\":",
        "\"time\":",
        "\"actor\":",
        "\"target\":",
        "\"operation\":",
        "\"outcome\":",
        "\"client\":",
        "\"app\":",
        "\"operation_id\":",
    ] {
        assert!(lines.iter().all(|l| l.contains(field)), "{field}: {text}");
    }
    // Newest first: the password change, then the two log-ins, then the CLI's verbs.
    assert!(lines[0].contains("\"operation\":\"SetPassword\""), "{text}");
    assert!(lines[0].contains("\"outcome\":\"success\""), "{text}");
    assert!(lines[1].contains("\"operation\":\"AuthenticateUsernamePassword\""));
    assert!(lines[1].contains("\"outcome\":\"login_failed\""), "{text}");
    for verb in ["user add", "user retire", "app add", "app revoke"] {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!("\"operation\":\"{verb}\"")))
            .unwrap_or_else(|| panic!("{verb} audited: {text}"));
        assert!(
            line.contains("\"actor\":null") && line.contains("\"client\":\"cli\""),
            "{line}"
        );
        assert!(line.contains("\"operation_id\":null"), "{line}");
    }

    // Every SOAP call's record names its operation id, and the log line names it too.
    let log = std::fs::read(&log_path).unwrap();
    let soap_ids: Vec<String> = lines
        .iter()
        .filter(|l| l.contains("\"client\":\"127.0.0.1\""))
        .map(|l| {
            let start = l.find("\"operation_id\":\"").expect("an operation id") + 16;
            l[start..start + 32].to_owned()
        })
        .collect();
    assert_eq!(soap_ids.len(), 3, "{text}");
    for id in &soap_ids {
        assert!(
            contains(&log, &format!("op_id={id}")),
            "{id}: {}",
            String::from_utf8_lossy(&log)
        );
    }
    assert!(contains(&log, "operation=\"SetPassword\"") || contains(&log, "operation=SetPassword"));

    // No secret anywhere: not in the trail, the store or the log.
    let db = std::fs::read(env.db()).unwrap();
    for secret in [
        bob_pw,
        wrong_pw,
        new_pw,
        admin_pw,
        ticket.as_str(),
        token.as_str(),
    ] {
        assert!(!text.contains(secret), "secret in audit output");
        assert!(!contains(&db, secret), "secret in the store");
        assert!(!contains(&log, secret), "secret in the log");
    }
    // The ticket's secret part alone (after the prefix) is not there either.
    let ticket_tail = &ticket[ticket.len() - 16..];
    assert!(!contains(&log, ticket_tail) && !contains(&db, ticket_tail));

    // Filters: by associate, limit, since; and the table.
    let bob = env.run(&["audit", "--json", "--associate", "bob"], "");
    let bob = out(&bob);
    assert!(bob.lines().count() >= 2, "{bob}");
    assert!(bob
        .lines()
        .all(|l| l.contains("\"target\":2") || l.contains("\"actor\":2")));
    let one = env.run(&["audit", "--json", "--limit", "1"], "");
    assert_eq!(out(&one).lines().count(), 1);
    let future = env.run(&["audit", "--json", "--since", "2999-01-01T00:00:00Z"], "");
    assert!(future.status.success() && out(&future).is_empty());
    let past = env.run(&["audit", "--json", "--since", "0"], "");
    assert_eq!(out(&past).lines().count(), lines.len());
    let bad = env.run(&["audit", "--since", "yesterday"], "");
    assert!(!bad.status.success() && err(&bad).contains("--since"));
    let nobody = env.run(&["audit", "--associate", "nobody"], "");
    assert!(!nobody.status.success() && err(&nobody).contains("nobody"));
    let table = out(&env.run(&["audit"], ""));
    assert!(table.starts_with("TIME (UTC)"), "{table}");
    assert!(table.contains("SetPassword") && table.contains("user retire"));
}

#[tokio::test]
async fn admin_rights_are_still_audited_with_the_same_id_for_a_family_call() {
    let app = spawn_app().await;
    let bob = app
        .add_user("bob", &[Right::AdminUsers], "first-phrase-123")
        .await;
    let ticket = app.admin_ticket().await;
    let (_, header, body) = call(
        &app,
        "User",
        "SetPassword",
        &set_password_body(&bob.to_string(), "next-phrase-456"),
        Some(&ticket),
    )
    .await;
    let id = header.unwrap();
    assert_eq!(extra_info_operation_id(&body).as_deref(), Some(&*id));
    let records = records_of(&app, &id).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].outcome, Outcome::Success);
    assert_eq!(records[0].target, Some(bob));
}
