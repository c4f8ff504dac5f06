//! Tenants over real HTTP: each customer segment (`/Cust…/Remote/Services88/…`) is a world
//! of its own, and an unknown one is a 404 fault.

use accounts::{Mode, NewUser, Secret, Settings, TenantId, Timestamp, UserType};
use server::ServerConfig;

use crate::helpers::*;
use crate::support::{err, out, Env};

/// A SOAP 1.1 call at `/{prefix}Remote/Services88/{agent}.svc` with optional headers.
async fn call(
    app: &TestApp,
    prefix: &str,
    agent: &str,
    op: &str,
    body: &str,
    ticket: Option<&str>,
    app_token: Option<&str>,
) -> Reply {
    let mut headers = String::new();
    if let Some(t) = app_token {
        headers.push_str(&format!(
            "<ApplicationToken xmlns=\"{NS}\">{}</ApplicationToken>",
            escape(t)
        ));
    }
    if let Some(t) = ticket {
        headers.push_str(&format!(
            "<Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket></Credentials>",
            escape(t)
        ));
    }
    let env = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{SOAP11}\"><s:Header>{headers}</s:Header><s:Body>{body}</s:Body></s:Envelope>");
    let action = format!("\"{NS}/{agent}/{op}\"");
    app.post(
        &format!("/{prefix}Remote/Services88/{agent}.svc"),
        &[
            ("Content-Type", "text/xml; charset=utf-8"),
            ("SOAPAction", &action),
        ],
        env,
    )
    .await
}

async fn login_at(app: &TestApp, prefix: &str, name: &str, pw: &str) -> Option<String> {
    let reply = call(
        app,
        prefix,
        "SoPrincipal",
        "AuthenticateUsernamePassword",
        &auth_body(name, pw),
        None,
        None,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = roxmltree::Document::parse(&reply.body).unwrap();
    (text(&doc, "AuthenticationSucceeded").as_deref() == Some("true"))
        .then(|| text(&doc, "Ticket").unwrap())
}

async fn set_password_at(app: &TestApp, prefix: &str, ticket: &str, id: i32, pw: &str) -> Answer {
    let body = set_password_body(&id.to_string(), pw);
    Answer::read(
        &call(
            app,
            prefix,
            "User",
            "SetPassword",
            &body,
            Some(ticket),
            None,
        )
        .await,
    )
}

/// A tenant with its first administrator; returns (id, admin password).
async fn tenant(app: &TestApp, name: &str) -> (TenantId, String) {
    let (t, admin, pw) = app
        .accounts
        .add_tenant(name, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(admin.tenant, t.id);
    (t.id, pw.expose().to_owned())
}

async fn user_in(app: &TestApp, tenant: TenantId, name: &str, pw: &str) -> i32 {
    let user = NewUser {
        name: name.into(),
        full_name: format!("{name} Testsson"),
        user_type: UserType::Internal,
        rights: vec![],
        password: Some(Secret::new(pw)),
        must_change: false,
    };
    app.accounts
        .add_user(tenant, user, Timestamp::now())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn same_named_users_in_two_tenants_are_independent() {
    let app = spawn_app().await;
    let (a, _) = tenant(&app, "CustA").await;
    let (b, _) = tenant(&app, "CustB").await;
    let bob_a = user_in(&app, a, "bob", "alpha-pw-one-1").await;
    let bob_b = user_in(&app, b, "Bob", "beta-pw-two-2").await;
    assert_ne!(bob_a, bob_b);
    assert!(login_at(&app, "CustA/", "bob", "alpha-pw-one-1")
        .await
        .is_some());
    assert!(login_at(&app, "custa/", "BOB", "alpha-pw-one-1")
        .await
        .is_some());
    assert!(login_at(&app, "CustA/", "bob", "beta-pw-two-2")
        .await
        .is_none());
    assert!(login_at(&app, "CustB/", "bob", "beta-pw-two-2")
        .await
        .is_some());
    // Neither bob exists in the default tenant, with or without a segment.
    assert!(login_at(&app, "", "bob", "alpha-pw-one-1").await.is_none());
    assert!(login_at(&app, "Default/", "bob", "beta-pw-two-2")
        .await
        .is_none());
    // Each tenant's admin is its own; the default admin is unknown elsewhere.
    assert!(login_at(&app, "CustA/", "admin", ADMIN_PASSWORD)
        .await
        .is_none());
    assert!(login_at(&app, "", "admin", ADMIN_PASSWORD).await.is_some());
}

#[tokio::test]
async fn a_ticket_is_worthless_at_another_tenant() {
    let app = spawn_app().await;
    let (a, admin_a) = tenant(&app, "CustA").await;
    let (b, _) = tenant(&app, "CustB").await;
    let bob_a = user_in(&app, a, "bob", "alpha-pw-one-1").await;
    let bob_b = user_in(&app, b, "bob", "beta-pw-two-2").await;
    let ticket = login_at(&app, "CustA/", "admin", &admin_a).await.unwrap();
    set_password_at(&app, "CustB/", &ticket, bob_b, "stolen-pw-99")
        .await
        .assert_exception("SoInvalidTicketException");
    set_password_at(&app, "", &ticket, app.admin_id, "stolen-pw-99")
        .await
        .assert_exception("SoInvalidTicketException");
    // A default-tenant ticket is as worthless at a customer path.
    let default_ticket = app.admin_ticket().await;
    set_password_at(&app, "CustA/", &default_ticket, bob_a, "stolen-pw-99")
        .await
        .assert_exception("SoInvalidTicketException");
    // At its own tenant it works.
    set_password_at(&app, "CustA/", &ticket, bob_a, "new-a-pw-77")
        .await
        .assert_success();
    assert!(login_at(&app, "CustA/", "bob", "new-a-pw-77")
        .await
        .is_some());
    assert!(login_at(&app, "CustB/", "bob", "beta-pw-two-2")
        .await
        .is_some());
}

#[tokio::test]
async fn another_tenants_associate_id_looks_missing() {
    let app = spawn_app().await;
    let (a, admin_a) = tenant(&app, "CustA").await;
    let (b, _) = tenant(&app, "CustB").await;
    user_in(&app, a, "bob", "alpha-pw-one-1").await;
    let bob_b = user_in(&app, b, "bob", "beta-pw-two-2").await;
    let ticket = login_at(&app, "CustA/", "admin", &admin_a).await.unwrap();
    let foreign = set_password_at(&app, "CustA/", &ticket, bob_b, "taken-over-9").await;
    foreign.assert_exception("SoNotFoundException");
    let missing = set_password_at(&app, "CustA/", &ticket, 99_999, "taken-over-9").await;
    missing.assert_exception("SoNotFoundException");
    assert_eq!(
        foreign.message.unwrap().replace(&bob_b.to_string(), "N"),
        missing.message.unwrap().replace("99999", "N")
    );
    // By name too: CustB's bob is not CustA's to change.
    let body = format!(
        "<SetPasswordFromName xmlns=\"{NS}\"><AssociateName>nobody</AssociateName><Password>x-pw-long-1</Password></SetPasswordFromName>"
    );
    Answer::read(
        &call(
            &app,
            "CustA/",
            "User",
            "SetPasswordFromName",
            &body,
            Some(&ticket),
            None,
        )
        .await,
    )
    .assert_exception("SoNotFoundException");
    assert!(login_at(&app, "CustB/", "bob", "beta-pw-two-2")
        .await
        .is_some());
}

#[tokio::test]
async fn an_unknown_tenant_is_a_404_fault_in_the_requests_soap_version() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    let body = set_password_body(&app.admin_id.to_string(), "whatever-pw-1");
    let v11 = Answer::read(
        &app.post(
            "/Cust404/Remote/Services88/User.svc",
            &[("Content-Type", "text/xml")],
            envelope(SOAP11, Some(&ticket), &body),
        )
        .await,
    );
    v11.assert_fault(404, "Cust404");
    assert_eq!(v11.envelope_ns, SOAP11);
    assert_eq!(v11.exception_type.as_deref(), Some("SoNotFoundException"));
    let ct = format!("application/soap+xml; action=\"{NS}/User/SetPassword\"");
    let v12 = app
        .post(
            "/Cust404/Remote/Services88/User.svc",
            &[("Content-Type", &ct)],
            envelope(SOAP12, Some(&ticket), &body),
        )
        .await;
    assert!(
        v12.content_type.starts_with("application/soap+xml"),
        "{}",
        v12.content_type
    );
    let v12 = Answer::read(&v12);
    v12.assert_fault(404, "Cust404");
    assert_eq!(v12.envelope_ns, SOAP12);
    // Even an unreadable body at an unknown tenant is a 404, in the content type's version.
    let junk = app
        .post(
            "/Cust404/Remote/Services88/SoPrincipal.svc",
            &[("Content-Type", "application/soap+xml")],
            "not xml",
        )
        .await;
    let junk = Answer::read(&junk);
    junk.assert_fault(404, "Cust404");
    assert_eq!(junk.envelope_ns, SOAP12);
    // Nothing was changed.
    assert!(app.login("admin", ADMIN_PASSWORD).await.is_some());
}

#[tokio::test]
async fn onsite_paths_without_a_segment_reach_the_default_tenant() {
    let app = spawn_app().await;
    tenant(&app, "CustA").await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    app.set_password(Some(&ticket), &bob.to_string(), "b-new-pw-22")
        .await
        .assert_success();
    assert!(app.login("bob", "b-new-pw-22").await.is_some());
    assert!(login_at(&app, "DEFAULT/", "bob", "b-new-pw-22")
        .await
        .is_some());
}

#[tokio::test]
async fn an_app_token_is_worthless_at_another_tenant() {
    let settings = Settings {
        mode: Mode::Online,
        user_agent_enabled: true,
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let (a, admin_a) = tenant(&app, "CustA").await;
    let (b, admin_b) = tenant(&app, "CustB").await;
    let (_, token_a) = app
        .accounts
        .add_app(a, "Tool", true, Timestamp::now())
        .await
        .unwrap();
    let (_, token_b) = app
        .accounts
        .add_app(b, "tool", true, Timestamp::now())
        .await
        .unwrap();
    let login = |prefix: &'static str, pw: String, token: String| {
        let app = &app;
        async move {
            let reply = call(
                app,
                prefix,
                "SoPrincipal",
                "AuthenticateUsernamePassword",
                &auth_body("admin", &pw),
                None,
                Some(&token),
            )
            .await;
            Answer::read(&reply)
        }
    };
    let refused = login("CustB/", admin_b.clone(), token_a.expose().to_owned()).await;
    assert_eq!(
        refused.exception_type.as_deref(),
        Some("SoInvalidApplicationTokenException"),
        "{}",
        refused.body
    );
    let refused = login("", ADMIN_PASSWORD.into(), token_a.expose().to_owned()).await;
    assert_eq!(
        refused.exception_type.as_deref(),
        Some("SoInvalidApplicationTokenException")
    );
    let ok = login("CustA/", admin_a, token_a.expose().to_owned()).await;
    assert_eq!(ok.exception_type, None, "{}", ok.body);
    let ok = login("CustB/", admin_b, token_b.expose().to_owned()).await;
    assert_eq!(ok.exception_type, None, "{}", ok.body);
}

#[tokio::test]
async fn the_wsdl_address_keeps_the_customer_prefix() {
    let app = spawn_app().await;
    tenant(&app, "Cust12345").await;
    let wsdl = app
        .http
        .get(app.url("/Cust12345/Remote/Services88/User.svc?wsdl"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        wsdl.contains(&format!(
            "{}/Cust12345/Remote/Services88/User.svc",
            app.base
        )),
        "{wsdl}"
    );
}

#[test]
fn cli_tenant_add_list_and_the_tenant_flag() {
    let env = Env::new();
    let add = env.run(&["tenant", "add", "Cust777"], "");
    assert!(add.status.success(), "{}", err(&add));
    let text = out(&add);
    assert!(text.contains("Created tenant 'Cust777'"), "{text}");
    assert!(text.contains("Its password, shown only now: "), "{text}");
    let again = env.run(&["tenant", "add", "cust777"], "");
    assert!(!again.status.success());
    assert!(err(&again).contains("already taken"), "{}", err(&again));
    let bad = env.run(&["tenant", "add", "a/b"], "");
    assert!(!bad.status.success());

    let list = out(&env.run(&["tenant", "list"], ""));
    assert!(
        list.contains("default") && list.contains("Cust777"),
        "{list}"
    );

    let o = env.run(
        &[
            "--tenant",
            "Cust777",
            "user",
            "add",
            "bob",
            "--password-stdin",
        ],
        "tenant-pw-one-1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    let o = env.run(
        &["user", "add", "bob", "--password-stdin"],
        "default-pw-two-2\n",
    );
    assert!(
        o.status.success(),
        "default tenant has its own bob: {}",
        err(&o)
    );

    let here = out(&env.run(&["user", "list", "--tenant", "cust777"], ""));
    assert!(here.contains("bob") && here.contains("admin"), "{here}");
    let mut cmd = env.cmd();
    let via_env = cmd
        .args(["user", "list"])
        .env("NETSERVER_TENANT", "Cust777")
        .output()
        .unwrap();
    assert_eq!(out(&via_env), here);
    let default = out(&env.run(&["user", "list"], ""));
    assert!(
        default.contains("bob") && !default.contains("admin"),
        "{default}"
    );

    let unknown = env.run(&["user", "list", "--tenant", "Nope"], "");
    assert!(!unknown.status.success());
    assert!(err(&unknown).contains("Nope"), "{}", err(&unknown));
}
