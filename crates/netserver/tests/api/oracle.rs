//! No password-guessing oracle: `IsPasswordValid*` judges another associate's password by
//! the static rules only, and an administrator's password sets refused as reused are
//! limited per hour. Each call is audited.

use accounts::{AuditEvent, Outcome, PasswordPolicy, Right, Settings};
use server::ServerConfig;
use store::conformance::AuditTrail;

use crate::helpers::*;

const BOSS_PASSWORD: &str = "Quiet-Orchard-Lamp-51";

fn with_history() -> Settings {
    Settings {
        policy: PasswordPolicy {
            history: 3,
            ..PasswordPolicy::default()
        },
        ..Settings::default()
    }
}

/// IsPasswordValidWithReason of `password` for `target`: (valid, reason).
async fn verdict(app: &TestApp, ticket: &str, target: i32, password: &str) -> (bool, String) {
    let op = "IsPasswordValidWithReason";
    let body = format!(
        "<{op} xmlns=\"{NS}\"><AssociateId>{target}</AssociateId><Password>{}</Password></{op}>",
        escape(password)
    );
    let reply = app.soap11("User", op, &body, Some(ticket)).await;
    let doc = roxmltree::Document::parse(&reply.body).unwrap();
    assert_eq!(
        text(&doc, "Succeeded").as_deref(),
        Some("true"),
        "{}",
        reply.body
    );
    let valid = text(&doc, "Result").unwrap() == "true";
    (valid, text(&doc, "Reason").unwrap_or_default())
}

async fn audit_of(app: &TestApp, operation: &str) -> Vec<AuditEvent> {
    let mut events: Vec<AuditEvent> = app
        .store
        .recent_audit(accounts::DEFAULT_TENANT, 1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.operation == operation)
        .collect();
    events.reverse();
    events
}

#[tokio::test]
async fn another_associates_current_password_is_not_revealed_by_is_password_valid() {
    let app = spawn_app_with(ServerConfig::default(), with_history()).await;
    let boss = app
        .add_user("boss", &[Right::AdminAll], BOSS_PASSWORD)
        .await;
    let eve = app.add_user("eve", &[], "Plain-Cedar-Password-7").await;
    let eve_t = app.login("eve", "Plain-Cedar-Password-7").await.unwrap();
    let admin_t = app.admin_ticket().await;
    let boss_t = app.login("boss", BOSS_PASSWORD).await.unwrap();

    // A no-rights caller and an administrator: the right guess looks like any other.
    for ticket in [&eve_t, &admin_t] {
        let (valid, reason) = verdict(&app, ticket, boss, BOSS_PASSWORD).await;
        assert!(valid, "the history answered another caller: {reason}");
        let (valid, _) = verdict(&app, ticket, boss, "Some-Other-Guess-88").await;
        assert!(valid);
        // The static rules still answer.
        let (valid, reason) = verdict(&app, ticket, boss, "short").await;
        assert!(!valid && reason.contains('8'), "{reason}");
    }
    // The associate itself still hears that its password was used recently.
    let (valid, reason) = verdict(&app, &boss_t, boss, BOSS_PASSWORD).await;
    assert!(!valid, "own history not applied");
    assert!(reason.contains('3'), "{reason}");
    let (valid, _) = verdict(&app, &boss_t, boss, "Some-Other-Guess-88").await;
    assert!(valid);

    let events = audit_of(&app, "IsPasswordValidWithReason").await;
    let seen: Vec<(Option<i32>, Option<i32>, &str)> = events
        .iter()
        .map(|e| (e.actor, e.target, e.outcome.as_str()))
        .collect();
    let admin = Some(app.admin_id);
    let (eve, boss) = (Some(eve), Some(boss));
    assert_eq!(
        seen,
        vec![
            (eve, boss, "success"),
            (eve, boss, "success"),
            (eve, boss, "password_too_short"),
            (admin, boss, "success"),
            (admin, boss, "success"),
            (admin, boss, "password_too_short"),
            (boss, boss, "password_reused"),
            (boss, boss, "success"),
        ]
    );
    assert!(events.iter().all(|e| e.operation_id.is_some()));
}

#[tokio::test]
async fn is_password_valid_is_audited_too() {
    let app = spawn_app().await;
    let t = app.admin_ticket().await;
    let op = "IsPasswordValid";
    let body = format!(
        "<{op} xmlns=\"{NS}\"><AssociateId>0</AssociateId><Password>long-enough-9</Password></{op}>"
    );
    let a = Answer::read(&app.soap11("User", op, &body, Some(&t)).await);
    assert_eq!(a.response.as_deref(), Some("true"), "{}", a.body);
    let events = audit_of(&app, op).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].actor, Some(app.admin_id));
    assert_eq!(events[0].target, Some(0));
    assert_eq!(events[0].outcome, Outcome::Success);
}

#[tokio::test]
async fn an_administrators_reused_refusals_are_limited_per_hour() {
    let settings = Settings {
        reuse_refusals_per_hour: 2,
        ..with_history()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let boss = app
        .add_user("boss", &[Right::AdminAll], BOSS_PASSWORD)
        .await
        .to_string();
    let bob = app
        .add_user("bob", &[], "Plain-Maple-Password-3")
        .await
        .to_string();
    let admin_t = app.admin_ticket().await;
    // Two guesses that happen to be right: refused as reused, and counted.
    for _ in 0..2 {
        app.set_password(Some(&admin_t), &boss, BOSS_PASSWORD)
            .await
            .assert_exception("SoPasswordPolicyException");
    }
    // Past the limit every set of this administrator is refused before any password
    // work, the right guess and a fresh password alike, whoever the target.
    for (target, password) in [
        (&boss, BOSS_PASSWORD),
        (&boss, "Fresh-Unused-Password-1"),
        (&bob, "Fresh-Unused-Password-2"),
    ] {
        let a = app.set_password(Some(&admin_t), target, password).await;
        a.assert_exception("SoTooManyAttemptsException");
        assert!(
            a.body.contains("password_reuse_limit"),
            "no specific code: {}",
            a.body
        );
    }
    // The guard held: boss's password is unchanged.
    assert!(app.login("boss", BOSS_PASSWORD).await.is_some());
    // Another administrator is not held up.
    let other = app
        .add_user("other-admin", &[Right::AdminAll], "Second-Admin-Pass-9")
        .await;
    let other_t = app
        .login("other-admin", "Second-Admin-Pass-9")
        .await
        .unwrap();
    app.set_password(Some(&other_t), &bob, "Fresh-Unused-Password-3")
        .await
        .assert_success();
    let outcomes: Vec<(Option<i32>, String)> = audit_of(&app, "SetPassword")
        .await
        .into_iter()
        .map(|e| (e.actor, e.outcome.as_str().to_owned()))
        .collect();
    let admin = Some(app.admin_id);
    assert_eq!(
        outcomes,
        vec![
            (admin, "password_reused".to_owned()),
            (admin, "password_reused".to_owned()),
            (admin, "password_reuse_limit".to_owned()),
            (admin, "password_reuse_limit".to_owned()),
            (admin, "password_reuse_limit".to_owned()),
            (Some(other), "success".to_owned()),
        ]
    );
}
