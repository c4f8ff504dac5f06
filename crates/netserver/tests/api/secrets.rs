//! Secrets only where they belong: answers carrying a ticket or a generated password are
//! never stored by a cache, and a ticket in use still expires at its ceiling.

use std::time::Duration;

use accounts::{CallContext, Secret, Settings, Timestamp};
use server::ServerConfig;

use crate::helpers::*;

/// Posts a SOAP 1.1 call and returns the answer's headers and body.
async fn call(
    app: &TestApp,
    agent: &str,
    op: &str,
    body: &str,
    ticket: Option<&str>,
) -> (reqwest::header::HeaderMap, String) {
    let resp = app.soap11_response(agent, op, body, ticket).await;
    let headers = resp.headers().clone();
    (headers, resp.text().await.unwrap())
}

#[track_caller]
fn assert_not_cacheable(headers: &reqwest::header::HeaderMap, what: &str) {
    let get = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(get("cache-control").as_deref(), Some("no-store"), "{what}");
    assert_eq!(get("pragma").as_deref(), Some("no-cache"), "{what}");
}

#[tokio::test]
async fn answers_carrying_a_ticket_or_a_generated_password_are_not_cacheable() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "plain-user-pw-1").await;
    let (headers, body) = call(
        &app,
        "SoPrincipal",
        "AuthenticateUsernamePassword",
        &auth_body("admin", ADMIN_PASSWORD),
        None,
    )
    .await;
    assert!(body.contains(">true</AuthenticationSucceeded>"), "{body}");
    assert_not_cacheable(&headers, "log-in");
    let ticket = app.admin_ticket().await;
    let generated = format!(
        "<SetGeneratedPassword xmlns=\"{NS}\"><AssociateId>{bob}</AssociateId></SetGeneratedPassword>"
    );
    let (headers, body) = call(
        &app,
        "User",
        "SetGeneratedPassword",
        &generated,
        Some(&ticket),
    )
    .await;
    assert!(body.contains(">true</Succeeded>"), "{body}");
    assert_not_cacheable(&headers, "generated password");
    // A refusal too: the rule is every SOAP answer, not a list to keep up to date.
    let (headers, _) = call(&app, "User", "SetGeneratedPassword", &generated, None).await;
    assert_not_cacheable(&headers, "refusal");
}

/// The GUID part of a ticket (`7T:` + base64 of `{GUID};secret`): the store's key.
fn ticket_id(ticket: &Secret) -> String {
    use base64::Engine;
    let b64 = ticket.expose().strip_prefix("7T:").unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.split(';').next().unwrap().to_owned()
}

fn at(now: Timestamp, ticket: &Secret) -> CallContext {
    CallContext {
        tenant: accounts::DEFAULT_TENANT,
        credentials: Some(accounts::Credentials::Ticket(ticket.clone())),
        app_token: None,
        client: None,
        operation_id: "test".into(),
        now,
    }
}

/// The bootstrap admin's log-in at `now`, through the domain.
async fn admin_login_at(app: &TestApp, now: Timestamp) -> accounts::Authenticated {
    app.accounts
        .authenticate(
            "admin",
            &Secret::new(ADMIN_PASSWORD),
            &at(now, &Secret::new("")),
        )
        .await
        .unwrap()
        .unwrap()
}

/// Through the real store with the time passed in: HTTP calls take the wall clock.
#[tokio::test]
async fn a_ticket_in_constant_use_expires_at_its_ceiling() {
    let settings = Settings {
        ticket_ttl: Duration::from_secs(600),
        ticket_max_lifetime: Duration::from_secs(1800),
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let t0 = Timestamp(1_000_000);
    let login = admin_login_at(&app, t0).await;
    let ticket = login.ticket;
    // Used every 300 s, the sliding expiry alone would keep it alive for ever.
    for step in 1..=5 {
        let now = t0.plus(Duration::from_secs(300 * step));
        let used = app.accounts.principal(&at(now, &ticket)).await;
        assert!(used.is_ok(), "at +{}: {:?}", 300 * step, used.err());
    }
    let id = ticket_id(&ticket);
    let stored = app.store.ticket(&id).await.unwrap().unwrap();
    assert_eq!(stored.created_at, t0);
    assert!(
        stored.expires_at <= t0.plus(Duration::from_secs(1800)),
        "renewed past the ceiling: {stored:?}"
    );
    let just_before = app
        .accounts
        .principal(&at(t0.plus(Duration::from_secs(1799)), &ticket))
        .await;
    assert!(just_before.is_ok(), "{:?}", just_before.err());
    let at_ceiling = app
        .accounts
        .principal(&at(t0.plus(Duration::from_secs(1800)), &ticket))
        .await;
    assert_eq!(at_ceiling.unwrap_err().code(), "ticket_expired");
}

#[tokio::test]
async fn a_lifetime_longer_than_the_ceiling_is_cut_to_it_at_issue() {
    let settings = Settings {
        ticket_ttl: Duration::from_secs(7200),
        ticket_max_lifetime: Duration::from_secs(3600),
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let t0 = Timestamp(2_000_000);
    let login = admin_login_at(&app, t0).await;
    assert_eq!(login.expires_at, t0.plus(Duration::from_secs(3600)));
    let late = app
        .accounts
        .principal(&at(t0.plus(Duration::from_secs(3600)), &login.ticket))
        .await;
    assert_eq!(late.unwrap_err().code(), "ticket_expired");
}
