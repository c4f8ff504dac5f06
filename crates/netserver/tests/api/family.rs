//! The rest of the User agent's password family over real HTTP: success and each failure.

use accounts::{NewUser, PasswordPolicy, Right, Secret, Settings, Timestamp, UserType};
use server::ServerConfig;
use store::conformance::AuditTrail;

use crate::helpers::*;

fn body(op: &str, fields: &[(&str, &str)]) -> String {
    let inner: String = fields
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", escape(v)))
        .collect();
    format!("<{op} xmlns=\"{NS}\">{inner}</{op}>")
}

async fn call(app: &TestApp, op: &str, fields: &[(&str, &str)], ticket: &str) -> Answer {
    Answer::read(
        &app.soap11("User", op, &body(op, fields), Some(ticket))
            .await,
    )
}

#[tokio::test]
async fn set_password_from_name() {
    let app = spawn_app().await;
    app.add_user("bob", &[], "b-secret-pw-1").await;
    let t = app.admin_ticket().await;
    call(
        &app,
        "SetPasswordFromName",
        &[("AssociateName", "BOB"), ("Password", "fresh-secret-2")],
        &t,
    )
    .await
    .assert_success();
    assert!(app.login("bob", "fresh-secret-2").await.is_some());
    let a = call(
        &app,
        "SetPasswordFromName",
        &[("AssociateName", "nobody"), ("Password", "fresh-secret-2")],
        &t,
    )
    .await;
    a.assert_exception("SoNotFoundException");
    assert!(a.message.unwrap().contains("nobody"));
    call(
        &app,
        "SetPasswordFromName",
        &[("Password", "fresh-secret-2")],
        &t,
    )
    .await
    .assert_exception("SoArgumentException");
}

#[tokio::test]
async fn change_password_by_the_user_needs_the_old_one() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.login("bob", "b-secret-pw-1").await.unwrap();
    let wrong = call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", "nope-nope-1"),
            ("NewPassword", "fresh-secret-2"),
        ],
        &t,
    )
    .await;
    wrong.assert_exception("SoWrongPasswordException");
    let events = app
        .store
        .recent_audit(accounts::DEFAULT_TENANT, 1)
        .await
        .unwrap();
    assert_eq!(events[0].outcome.as_str(), "old_password_wrong");
    let blank = call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", ""),
            ("NewPassword", "fresh-secret-2"),
        ],
        &t,
    )
    .await;
    blank.assert_exception("SoWrongPasswordException");
    call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", "b-secret-pw-1"),
            ("NewPassword", "fresh-secret-2"),
        ],
        &t,
    )
    .await
    .assert_success();
    assert!(app.login("bob", "fresh-secret-2").await.is_some());
}

#[tokio::test]
async fn change_password_by_an_admin_may_leave_the_old_one_blank() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.admin_ticket().await;
    call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", ""),
            ("NewPassword", "fresh-secret-2"),
        ],
        &t,
    )
    .await
    .assert_success();
    // An old password given by an admin is still checked.
    call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", "wrong-old-9"),
            ("NewPassword", "fresh-secret-3"),
        ],
        &t,
    )
    .await
    .assert_exception("SoWrongPasswordException");
    call(
        &app,
        "ChangePasswordFromName",
        &[("AssociateName", "bob"), ("NewPassword", "fresh-secret-4")],
        &t,
    )
    .await
    .assert_success();
    assert!(app.login("bob", "fresh-secret-4").await.is_some());
}

#[tokio::test]
async fn change_password_on_others_follows_the_admin_rules() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    app.add_user("carol", &[], "c-secret-pw-1").await;
    app.add_user("ua", &[Right::AdminUsers], "ua-secret-pw-9")
        .await;
    let carol = app.login("carol", "c-secret-pw-1").await.unwrap();
    call(
        &app,
        "ChangePassword",
        &[("AssociateId", &bob), ("NewPassword", "fresh-secret-2")],
        &carol,
    )
    .await
    .assert_exception("SoAccessDeniedException");
    let ua = app.login("ua", "ua-secret-pw-9").await.unwrap();
    call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &app.admin_id.to_string()),
            ("NewPassword", "fresh-secret-2"),
        ],
        &ua,
    )
    .await
    .assert_exception("SoAccessDeniedException");
    call(
        &app,
        "ChangePassword",
        &[("AssociateId", "0"), ("NewPassword", "fresh-secret-2")],
        &ua,
    )
    .await
    .assert_exception("SoArgumentException");
}

#[tokio::test]
async fn change_own_password_keeps_the_callers_ticket_and_revokes_the_others() {
    let app = spawn_app().await;
    app.add_user("bob", &[], "b-secret-pw-1").await;
    let first = app.login("bob", "b-secret-pw-1").await.unwrap();
    let second = app.login("bob", "b-secret-pw-1").await.unwrap();
    let own = format!(
        "<ChangeOwnPassword xmlns=\"{NS}\"><OldPassword>b-secret-pw-1</OldPassword><NewPassword>fresh-secret-2</NewPassword></ChangeOwnPassword>"
    );
    Answer::read(
        &app.soap12("User", "ChangeOwnPassword", &own, Some(&first))
            .await,
    )
    .assert_success();
    let probe = [("AssociateId", "1")];
    let a = call(&app, "CanChangePassword", &probe, &second).await;
    assert_eq!(
        a.exception_type.as_deref(),
        Some("SoInvalidTicketException"),
        "{}",
        a.body
    );
    let b = call(&app, "CanChangePassword", &probe, &first).await;
    assert_eq!(b.succeeded.as_deref(), Some("true"), "{}", b.body);
    let wrong = call(
        &app,
        "ChangeOwnPassword",
        &[
            ("OldPassword", "b-secret-pw-1"),
            ("NewPassword", "fresh-secret-3"),
        ],
        &first,
    )
    .await;
    wrong.assert_exception("SoWrongPasswordException");
}

#[tokio::test]
async fn can_change_password_answers_by_the_same_rules() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    app.add_user("ua", &[Right::AdminUsers], "ua-secret-pw-9")
        .await;
    let admin_id = app.admin_id.to_string();
    let bob_t = app.login("bob", "b-secret-pw-1").await.unwrap();
    let ua_t = app.login("ua", "ua-secret-pw-9").await.unwrap();
    let admin_t = app.admin_ticket().await;
    let ask = |t: &str, id: &str| {
        let (t, id) = (t.to_owned(), id.to_owned());
        let app = &app;
        async move { call(app, "CanChangePassword", &[("AssociateId", &id)], &t).await }
    };
    assert_eq!(ask(&bob_t, &bob).await.response.as_deref(), Some("true"));
    assert_eq!(
        ask(&bob_t, &admin_id).await.response.as_deref(),
        Some("false")
    );
    assert_eq!(ask(&ua_t, &bob).await.response.as_deref(), Some("true"));
    assert_eq!(
        ask(&ua_t, &admin_id).await.response.as_deref(),
        Some("false")
    );
    assert_eq!(ask(&admin_t, &bob).await.response.as_deref(), Some("true"));
    ask(&admin_t, "999")
        .await
        .assert_exception("SoNotFoundException");
}

#[tokio::test]
async fn is_password_valid_gives_the_policy_verdict_and_reason() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.admin_ticket().await;
    let valid = |id: &str, pw: &str| {
        vec![
            ("AssociateId", id.to_owned()),
            ("Type", "InternalAssociate".into()),
            ("PersonId", "0".into()),
            ("Password", pw.to_owned()),
        ]
    };
    let run = |op: &'static str, f: Vec<(&'static str, String)>| {
        let t = t.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(app, op, &fields, &t).await
        }
    };
    assert_eq!(
        run("IsPasswordValid", valid("0", "short"))
            .await
            .response
            .as_deref(),
        Some("false")
    );
    assert_eq!(
        run("IsPasswordValid", valid("0", "long-enough-9"))
            .await
            .response
            .as_deref(),
        Some("true")
    );
    let r = run("IsPasswordValidWithReason", valid("0", "short")).await;
    assert_eq!(r.succeeded.as_deref(), Some("true"));
    let doc = roxmltree::Document::parse(&r.body).unwrap();
    assert_eq!(text(&doc, "Result").as_deref(), Some("false"));
    assert!(text(&doc, "Reason").unwrap().contains('8'));
    let named = run("IsPasswordValidWithReason", valid(&bob, "xx-bob-xx-99")).await;
    let doc = roxmltree::Document::parse(&named.body).unwrap();
    assert_eq!(
        text(&doc, "Result").as_deref(),
        Some("false"),
        "{}",
        named.body
    );
    assert!(
        text(&doc, "Reason").unwrap().contains("name"),
        "{}",
        named.body
    );
    let common = run("IsPasswordValidWithReason", valid("0", "password1")).await;
    assert_eq!(
        text(&roxmltree::Document::parse(&common.body).unwrap(), "Result").as_deref(),
        Some("false")
    );
    run("IsPasswordValid", valid("x", "whatever"))
        .await
        .assert_fault(500, "AssociateId");
}

#[tokio::test]
async fn set_generated_password_returns_a_password_that_works() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.admin_ticket().await;
    let a = call(&app, "SetGeneratedPassword", &[("AssociateId", &bob)], &t).await;
    assert_eq!(a.succeeded.as_deref(), Some("true"), "{}", a.body);
    let generated = a.response.unwrap();
    assert!(generated.chars().count() >= 16);
    assert!(app.login("bob", &generated).await.is_some());
    let b = call(
        &app,
        "SetGeneratedPasswordFromName",
        &[("AssociateName", "bob")],
        &t,
    )
    .await;
    let again = b.response.unwrap();
    assert_ne!(again, generated);
    assert!(app.login("bob", &again).await.is_some());
    let bob_t = app.login("bob", &again).await.unwrap();
    let refused = call(
        &app,
        "SetGeneratedPassword",
        &[("AssociateId", &bob)],
        &bob_t,
    )
    .await;
    assert_eq!(
        refused.exception_type.as_deref(),
        Some("SoAccessDeniedException")
    );
    assert!(
        refused.body.contains("nil=\"true\""),
        "Response is nil on failure: {}",
        refused.body
    );
}

#[tokio::test]
async fn supported_change_password_types() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.admin_ticket().await;
    let a = call(
        &app,
        "GetSupportedChangePasswordTypes",
        &[("AssociateId", &bob)],
        &t,
    )
    .await;
    let doc = roxmltree::Document::parse(&a.body).unwrap();
    let types: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "ChangePasswordType")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(types, ["Password"]);
    call(
        &app,
        "GetSupportedChangePasswordTypes",
        &[("AssociateId", "-1")],
        &t,
    )
    .await
    .assert_exception_nil("SoArgumentException");
}

#[tokio::test]
async fn history_refuses_recent_passwords() {
    let policy = PasswordPolicy {
        history: 3,
        ..PasswordPolicy::default()
    };
    let app = spawn_app_with(
        ServerConfig::default(),
        Settings {
            policy,
            ..Settings::default()
        },
    )
    .await;
    let bob = app.add_user("bob", &[], "first-secret-1").await.to_string();
    let t = app.admin_ticket().await;
    let set = |pw: &'static str| {
        let (t, bob) = (t.clone(), bob.clone());
        let app = &app;
        async move {
            call(
                app,
                "SetPassword",
                &[("AssociateId", &bob), ("Password", pw)],
                &t,
            )
            .await
        }
    };
    set("second-secret-2").await.assert_success();
    let same = set("second-secret-2").await;
    same.assert_exception("SoPasswordPolicyException");
    assert!(same.message.unwrap().contains('3'));
    set("first-secret-1")
        .await
        .assert_exception("SoPasswordPolicyException");
    set("third-secret-3").await.assert_success();
    set("fourth-secret-4").await.assert_success();
    // Three remembered: fourth, third, second. The first may come back.
    set("second-secret-2")
        .await
        .assert_exception("SoPasswordPolicyException");
    set("first-secret-1").await.assert_success();
}

#[tokio::test]
async fn must_change_confines_the_ticket_to_changing_the_password() {
    let app = spawn_app().await;
    let user = NewUser {
        name: "newbie".into(),
        full_name: "New Person".into(),
        user_type: UserType::Internal,
        rights: vec![Right::AdminUsers],
        password: Some(Secret::new("temporary-pw-1")),
        must_change: true,
    };
    let id = app
        .accounts
        .add_user(accounts::DEFAULT_TENANT, user, Timestamp::now())
        .await
        .unwrap()
        .id
        .to_string();
    let t = app.login("newbie", "temporary-pw-1").await.unwrap();
    let a = call(&app, "CanChangePassword", &[("AssociateId", &id)], &t).await;
    a.assert_exception("SoPasswordChangeRequiredException");
    call(
        &app,
        "SetPassword",
        &[("AssociateId", "1"), ("Password", "whatever-pw-1")],
        &t,
    )
    .await
    .assert_exception("SoPasswordChangeRequiredException");
    call(
        &app,
        "ChangeOwnPassword",
        &[
            ("OldPassword", "temporary-pw-1"),
            ("NewPassword", "chosen-secret-1"),
        ],
        &t,
    )
    .await
    .assert_success();
    let b = call(&app, "CanChangePassword", &[("AssociateId", &id)], &t).await;
    assert_eq!(b.response.as_deref(), Some("true"), "{}", b.body);
}

#[tokio::test]
async fn an_imposed_password_sets_must_change_when_configured() {
    let policy = PasswordPolicy {
        must_change_on_admin_set: true,
        ..PasswordPolicy::default()
    };
    let app = spawn_app_with(
        ServerConfig::default(),
        Settings {
            policy,
            ..Settings::default()
        },
    )
    .await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let t = app.admin_ticket().await;
    call(
        &app,
        "SetPassword",
        &[("AssociateId", &bob), ("Password", "imposed-pw-1")],
        &t,
    )
    .await
    .assert_success();
    let bob_t = app.login("bob", "imposed-pw-1").await.unwrap();
    call(
        &app,
        "IsPasswordValid",
        &[("AssociateId", "0"), ("Password", "x")],
        &bob_t,
    )
    .await
    .assert_exception("SoPasswordChangeRequiredException");
    call(
        &app,
        "ChangePassword",
        &[
            ("AssociateId", &bob),
            ("OldPassword", "imposed-pw-1"),
            ("NewPassword", "own-choice-1"),
        ],
        &bob_t,
    )
    .await
    .assert_success();
    let ok = call(
        &app,
        "IsPasswordValid",
        &[("AssociateId", "0"), ("Password", "long-enough-9")],
        &bob_t,
    )
    .await;
    assert_eq!(ok.response.as_deref(), Some("true"), "{}", ok.body);
}
