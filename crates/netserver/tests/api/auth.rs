//! Log-in at SoPrincipal.svc and the life of a ticket.

use std::time::Duration;

use accounts::{CallContext, Right, Secret, Settings, Timestamp};
use server::ServerConfig;

use crate::helpers::*;

#[tokio::test]
async fn login_returns_a_carrier_and_a_ticket() {
    let app = spawn_app().await;
    let reply = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("ADMIN", ADMIN_PASSWORD),
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("text/xml"),
        "{}",
        reply.content_type
    );
    let doc = roxmltree::Document::parse(&reply.body).unwrap();
    assert_eq!(
        text(&doc, "AuthenticationSucceeded").as_deref(),
        Some("true")
    );
    assert_eq!(text(&doc, "Succeeded").as_deref(), Some("true"));
    assert_eq!(text(&doc, "AssociateId").unwrap(), app.admin_id.to_string());
    assert_eq!(text(&doc, "Associate").as_deref(), Some("admin"));
    assert_eq!(text(&doc, "UserType").as_deref(), Some("InternalAssociate"));
    assert_eq!(text(&doc, "FullName").as_deref(), Some("admin Testsson"));
    assert_eq!(text(&doc, "FunctionRights").as_deref(), Some("admin-all"));
    let ticket = text(&doc, "Ticket").unwrap();
    assert!(ticket.starts_with("7T:"), "{ticket}");
    // The ticket is stored only as a digest: its secret appears nowhere in the database file.
    let db = std::fs::read(&app.db_path).unwrap();
    let wal = std::fs::read(app.db_path.with_extension("db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(!contains(&bytes, ticket.as_bytes()));
        assert!(!contains(&bytes, ADMIN_PASSWORD.as_bytes()));
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", "nope-nope"),
            None,
        )
        .await;
    let unknown = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("nobody", "nope-nope"),
            None,
        )
        .await;
    assert_eq!(wrong.status, unknown.status);
    // Alike but for the operation id, which every answer has its own of.
    assert_eq!(
        mask_operation_id(&wrong.body),
        mask_operation_id(&unknown.body)
    );
    let doc = roxmltree::Document::parse(&wrong.body).unwrap();
    assert_eq!(
        text(&doc, "AuthenticationSucceeded").as_deref(),
        Some("false")
    );
    assert_eq!(text(&doc, "Ticket"), None);
}

#[tokio::test]
async fn login_works_over_soap12() {
    let app = spawn_app().await;
    let reply = app
        .soap12(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", ADMIN_PASSWORD),
            None,
        )
        .await;
    assert!(
        reply.content_type.starts_with("application/soap+xml"),
        "{}",
        reply.content_type
    );
    let doc = roxmltree::Document::parse(&reply.body).unwrap();
    assert_eq!(doc.root_element().tag_name().namespace(), Some(SOAP12));
    assert_eq!(
        text(&doc, "AuthenticationSucceeded").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn retired_users_cannot_log_in() {
    let app = spawn_app().await;
    app.add_user("gone", &[], "pw-g-secret-1").await;
    assert!(app.login("gone", "pw-g-secret-1").await.is_some());
    app.accounts
        .retire_user(accounts::DEFAULT_TENANT, "gone", Timestamp::now())
        .await
        .unwrap();
    assert!(app.login("gone", "pw-g-secret-1").await.is_none());
}

#[tokio::test]
async fn tickets_expire_and_slide_with_time_passed_in() {
    let settings = Settings {
        ticket_ttl: Duration::from_secs(600),
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let t0 = Timestamp(1_000_000);
    let ctx = |now: Timestamp, ticket: &Secret| CallContext {
        tenant: accounts::DEFAULT_TENANT,
        credentials: Some(accounts::Credentials::Ticket(ticket.clone())),
        app_token: None,
        client: None,
        operation_id: "test".into(),
        now,
    };
    let login = app
        .accounts
        .authenticate(
            "admin",
            &Secret::new(ADMIN_PASSWORD),
            &ctx(t0, &Secret::new("")),
        )
        .await
        .unwrap()
        .unwrap();
    let ticket = login.ticket;
    assert!(app
        .accounts
        .principal(&ctx(t0.plus(Duration::from_secs(599)), &ticket))
        .await
        .is_ok());
    // That use slid the expiry to t0+599+600; 1000 s after t0 it is still valid.
    assert!(app
        .accounts
        .principal(&ctx(t0.plus(Duration::from_secs(1000)), &ticket))
        .await
        .is_ok());
    let late = app
        .accounts
        .principal(&ctx(t0.plus(Duration::from_secs(1000 + 600)), &ticket))
        .await;
    assert_eq!(late.unwrap_err().code(), "ticket_expired");
}

#[tokio::test]
async fn expired_ticket_is_refused_over_soap() {
    let settings = Settings {
        ticket_ttl: Duration::from_secs(1),
        renew_tickets: false,
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let target = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    app.clock.advance(Duration::from_secs(2));
    app.set_password(Some(&ticket), &target.to_string(), "new-password-1")
        .await
        .assert_exception("SoTicketExpiredException");
}

#[tokio::test]
async fn user_names_match_case_insensitively() {
    let app = spawn_app().await;
    app.add_user("Åsa", &[Right::AdminUsers], "asa-password-1")
        .await;
    assert!(app.login("åSA", "asa-password-1").await.is_some());
}
