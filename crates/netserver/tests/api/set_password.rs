//! SetPassword's semantics over real HTTP: success, every refusal, revocation, audit.

use accounts::{Outcome, Right, Settings, Timestamp};
use server::ServerConfig;
use store::conformance::AuditTrail;

use crate::helpers::*;

#[tokio::test]
async fn admin_sets_a_password_and_only_the_new_one_works() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    app.set_password(Some(&ticket), &bob.to_string(), "b-secret-pw-2")
        .await
        .assert_success();
    assert!(app.login("bob", "b-secret-pw-2").await.is_some());
    assert!(app.login("bob", "b-secret-pw-1").await.is_none());
}

#[tokio::test]
async fn set_password_over_soap12_answers_in_soap12() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    let reply = app
        .soap12(
            "User",
            "SetPassword",
            &set_password_body(&bob.to_string(), "b-secret-pw-2"),
            Some(&ticket),
        )
        .await;
    assert!(reply.content_type.starts_with("application/soap+xml"));
    let answer = Answer::read(&reply);
    answer.assert_success();
    assert_eq!(answer.envelope_ns, SOAP12);
}

#[tokio::test]
async fn a_password_change_revokes_the_targets_tickets() {
    let app = spawn_app().await;
    let bob = app
        .add_user("bob", &[Right::AdminUsers], "b-secret-pw-1")
        .await;
    let carol = app.add_user("carol", &[], "c-secret-pw-1").await;
    let bobs_ticket = app.login("bob", "b-secret-pw-1").await.unwrap();
    let admin = app.admin_ticket().await;
    app.set_password(Some(&admin), &bob.to_string(), "b-secret-pw-2")
        .await
        .assert_success();
    app.set_password(Some(&bobs_ticket), &carol.to_string(), "c-secret-pw-2")
        .await
        .assert_exception("SoInvalidTicketException");
    // The admin's own ticket survives.
    app.set_password(Some(&admin), &carol.to_string(), "c-secret-pw-3")
        .await
        .assert_success();
}

#[tokio::test]
async fn setting_your_own_password_keeps_your_ticket() {
    let app = spawn_app().await;
    let admin = app.admin_ticket().await;
    let other = app.admin_ticket().await;
    app.set_password(Some(&admin), &app.admin_id.to_string(), "root-secret-pw-2")
        .await
        .assert_success();
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    app.set_password(Some(&admin), &bob.to_string(), "b-secret-pw-2")
        .await
        .assert_success();
    app.set_password(Some(&other), &bob.to_string(), "b-secret-pw-3")
        .await
        .assert_exception("SoInvalidTicketException");
}

#[tokio::test]
async fn success_and_failure_are_audited_without_the_password() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    app.set_password(Some(&ticket), &bob.to_string(), "secret-audit-pw")
        .await
        .assert_success();
    app.set_password(Some(&ticket), &bob.to_string(), "short")
        .await
        .assert_exception("SoPasswordPolicyException");
    let events = app
        .store
        .recent_audit(accounts::DEFAULT_TENANT, 10)
        .await
        .unwrap();
    let sets: Vec<_> = events
        .iter()
        .filter(|e| e.operation == "SetPassword")
        .collect();
    assert_eq!(sets.len(), 2, "{events:?}");
    assert_eq!(
        sets[0].outcome,
        Outcome::Failure("password_too_short".into())
    );
    assert_eq!(sets[1].outcome, Outcome::Success);
    assert_eq!(sets[1].actor, Some(app.admin_id));
    assert_eq!(sets[1].target, Some(bob));
    assert_eq!(sets[1].client.as_deref(), Some("127.0.0.1"));
    assert!(sets[1].at.0 > 0);
    let db = std::fs::read(&app.db_path).unwrap();
    assert!(!db.windows(15).any(|w| w == b"secret-audit-pw"));
}

#[tokio::test]
async fn missing_or_bad_credentials_are_refused() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let id = bob.to_string();
    app.set_password(None, &id, "new-password-1")
        .await
        .assert_exception("SoInvalidTicketException");
    app.set_password(Some(""), &id, "new-password-1")
        .await
        .assert_exception("SoInvalidTicketException");
    app.set_password(Some("7T:1234abcxyzExample=="), &id, "new-password-1")
        .await
        .assert_exception("SoInvalidTicketException");
    // A well-shaped ticket whose secret is wrong.
    let real = app.admin_ticket().await;
    let forged = forge(&real);
    app.set_password(Some(&forged), &id, "new-password-1")
        .await
        .assert_exception("SoInvalidTicketException");
    assert!(
        app.login("bob", "b-secret-pw-1").await.is_some(),
        "nothing may have changed"
    );
}

/// Same GUID, different secret.
fn forge(ticket: &str) -> String {
    use base64::Engine;
    let b64 = ticket.strip_prefix("7T:").unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (guid, _) = text.split_once(';').unwrap();
    let forged = format!("{guid};AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    format!(
        "7T:{}",
        base64::engine::general_purpose::STANDARD.encode(forged)
    )
}

#[tokio::test]
async fn a_caller_without_rights_is_refused() {
    let app = spawn_app().await;
    app.add_user("plain", &[], "pl-secret-pw-9").await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.login("plain", "pl-secret-pw-9").await.unwrap();
    let a = app
        .set_password(Some(&ticket), &bob.to_string(), "new-password-1")
        .await;
    a.assert_exception("SoAccessDeniedException");
    assert!(a.message.unwrap().contains("admin-users"));
    assert!(app.login("bob", "b-secret-pw-1").await.is_some());
}

#[tokio::test]
async fn a_user_admin_may_not_touch_a_general_admin() {
    let app = spawn_app().await;
    app.add_user("useradmin", &[Right::AdminUsers], "ua-secret-pw-9")
        .await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.login("useradmin", "ua-secret-pw-9").await.unwrap();
    app.set_password(Some(&ticket), &app.admin_id.to_string(), "hijacked-pw")
        .await
        .assert_exception("SoAccessDeniedException");
    assert!(app.login("admin", ADMIN_PASSWORD).await.is_some());
    // But an ordinary user's password is theirs to set.
    app.set_password(Some(&ticket), &bob.to_string(), "b-secret-pw-2")
        .await
        .assert_success();
}

#[tokio::test]
async fn bad_targets_are_refused() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    app.set_password(Some(&ticket), "0", "new-password-1")
        .await
        .assert_exception("SoArgumentException");
    app.set_password(Some(&ticket), "-5", "new-password-1")
        .await
        .assert_exception("SoArgumentException");
    let a = app
        .set_password(Some(&ticket), "999", "new-password-1")
        .await;
    a.assert_exception("SoNotFoundException");
    assert!(a.message.unwrap().contains("999"));
    app.add_user("gone", &[], "gn-secret-pw-9").await;
    let gone = app
        .accounts
        .retire_user(accounts::DEFAULT_TENANT, "gone", Timestamp::now())
        .await
        .unwrap();
    app.set_password(Some(&ticket), &gone.id.to_string(), "new-password-1")
        .await
        .assert_exception("SoAssociateRetiredException");
    let no_id =
        format!("<SetPassword xmlns=\"{NS}\"><Password>new-password-1</Password></SetPassword>");
    Answer::read(
        &app.soap11("User", "SetPassword", &no_id, Some(&ticket))
            .await,
    )
    .assert_exception("SoArgumentException");
}

#[tokio::test]
async fn passwords_outside_the_policy_are_refused() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let id = bob.to_string();
    let ticket = app.admin_ticket().await;
    let empty = app.set_password(Some(&ticket), &id, "").await;
    empty.assert_exception("SoPasswordPolicyException");
    assert!(empty.message.unwrap().contains("empty"));
    let short = app.set_password(Some(&ticket), &id, "1234567").await;
    short.assert_exception("SoPasswordPolicyException");
    assert!(short.message.unwrap().contains('8'));
    let long = "x".repeat(257);
    app.set_password(Some(&ticket), &id, &long)
        .await
        .assert_exception("SoPasswordPolicyException");
    app.set_password(Some(&ticket), &id, &"é".repeat(256))
        .await
        .assert_success();
    let nil = format!(
        "<SetPassword xmlns=\"{NS}\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><AssociateId>{id}</AssociateId><Password i:nil=\"true\"/></SetPassword>"
    );
    Answer::read(&app.soap11("User", "SetPassword", &nil, Some(&ticket)).await)
        .assert_exception("SoPasswordPolicyException");
}

#[tokio::test]
async fn passwords_are_nfkc_normalised() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    // U+FB01 (the "fi" ligature) is set; plain "fi" then logs in, and vice versa.
    app.set_password(Some(&ticket), &bob.to_string(), "\u{FB01}nancial-1")
        .await
        .assert_success();
    assert!(app.login("bob", "financial-1").await.is_some());
}

#[tokio::test]
async fn the_policy_lengths_are_settings() {
    let mut settings = Settings::default();
    settings.policy.min_len = 12;
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let bob = app.add_user("bob", &[], "b-secret-pw-long").await;
    let ticket = app.admin_ticket().await;
    let a = app
        .set_password(Some(&ticket), &bob.to_string(), "eleven-char")
        .await;
    a.assert_exception("SoPasswordPolicyException");
    assert!(a.message.unwrap().contains("12"));
}

#[tokio::test]
async fn fault_mode_sends_the_same_error_as_a_soap_fault() {
    let config = ServerConfig {
        faults: true,
        ..ServerConfig::default()
    };
    let app = spawn_app_with(config, Settings::default()).await;
    let a = app
        .set_password(Some("7T:bm9wZQ=="), "1", "new-password-1")
        .await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(
        a.exception_type.as_deref(),
        Some("SoInvalidTicketException"),
        "{}",
        a.body
    );
    assert!(
        a.fault_code.as_deref().unwrap().ends_with("Client"),
        "{}",
        a.body
    );
    assert!(a.fault_reason.unwrap().contains("ticket"));
}
