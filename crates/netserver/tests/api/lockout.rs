//! Brute-force protection over real HTTP: the per-associate soft lock (answered exactly
//! like a wrong password) and the per-address log-in rate limit. Where time matters the
//! domain is called directly with the time passed in.

use std::time::Duration;

use accounts::{
    Accounts, AuditEvent, CallContext, KdfParams, LockoutSettings, Outcome, Secret, Settings,
    Timestamp,
};
use server::ServerConfig;
use store::conformance::AuditTrail;

use crate::helpers::*;
use crate::support::Env;

const PW: &str = "kestrel-harbour-7";

/// Threshold 3, first lock 60 s, at most 240 s; no rate limit unless asked.
fn settings(rate: u32) -> Settings {
    Settings {
        lockout: LockoutSettings {
            threshold: 3,
            window: Duration::from_secs(900),
            base_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(240),
        },
        login_rate_per_minute: rate,
        ..Settings::default()
    }
}

async fn app_with_carl(rate: u32) -> (TestApp, i32) {
    let app = spawn_app_with(ServerConfig::default(), settings(rate)).await;
    let carl = app.add_user("carl", &[], PW).await;
    (app, carl)
}

async fn login_body(app: &TestApp, name: &str, password: &str) -> String {
    let reply = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body(name, password),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Each answer carries its own operation id; everything else must be identical.
    mask_operation_id(&reply.body)
}

fn at(now: i64) -> CallContext {
    CallContext {
        tenant: accounts::DEFAULT_TENANT,
        credentials: None,
        app_token: None,
        client: None,
        now: Timestamp(now),
        operation_id: format!("lockout-test-{now}"),
    }
}

async fn direct(accounts: &Accounts, password: &str, now: i64) -> bool {
    accounts
        .authenticate("carl", &Secret::new(password), &at(now))
        .await
        .unwrap()
        .is_some()
}

async fn audit(app: &TestApp) -> Vec<AuditEvent> {
    app.store
        .recent_audit(accounts::DEFAULT_TENANT, 1_000)
        .await
        .unwrap()
}

fn outcome_for(events: &[AuditEvent], target: i32, code: &str) -> usize {
    events
        .iter()
        .filter(|e| e.target == Some(target) && e.outcome == Outcome::Failure(code.into()))
        .count()
}

#[tokio::test]
async fn a_locked_login_with_the_right_password_answers_exactly_like_a_wrong_one() {
    let (app, carl) = app_with_carl(0).await;
    let wrong = login_body(&app, "carl", "not-the-password").await;
    login_body(&app, "carl", "still-not-it").await;
    // The third failure locks carl.
    assert_eq!(
        login_body(&app, "carl", "nope-nope-nope").await,
        wrong,
        "a failure that locks looks like any failure"
    );
    let locked_right = login_body(&app, "carl", PW).await;
    assert_eq!(locked_right, wrong, "the lock must not show");
    assert_eq!(login_body(&app, "nobody", PW).await, wrong);
    assert!(app.login("carl", PW).await.is_none());
    let doc = roxmltree::Document::parse(&locked_right).unwrap();
    assert_eq!(
        text(&doc, "AuthenticationSucceeded").as_deref(),
        Some("false")
    );

    let lock = app.store.associate_by_id(carl).await.unwrap().unwrap().lock;
    assert_eq!(lock.failed_logins, 3);
    assert!(lock.is_locked(Timestamp::now()));

    // Audit: the failures, the one that locked, the refusals while locked; no secrets.
    let events = audit(&app).await;
    assert_eq!(outcome_for(&events, carl, "login_failed"), 2);
    assert_eq!(outcome_for(&events, carl, "account_locked"), 1);
    assert_eq!(outcome_for(&events, carl, "login_locked"), 2);
    for e in &events {
        let shown = format!("{e:?}");
        for secret in [PW, "not-the-password", "nope-nope-nope"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        if e.target == Some(carl) && e.operation != "user add" {
            assert_eq!(e.actor, None, "{e:?}");
            assert_eq!(e.operation, "AuthenticateUsernamePassword");
            assert_eq!(e.client.as_deref(), Some("127.0.0.1"));
        }
    }

    // The lock runs out after its delay (time passed in), and a success resets the count.
    let later = Timestamp::now().0 + 61;
    assert!(direct(&app.accounts, PW, later).await);
    let lock = app.store.associate_by_id(carl).await.unwrap().unwrap().lock;
    assert!(lock.is_clear(), "{lock:?}");
}

#[tokio::test]
async fn the_lock_expires_after_a_delay_that_grows_with_further_failures() {
    let (app, _carl) = app_with_carl(0).await;
    let t = 2_000_000_000;
    for i in 0..3 {
        assert!(!direct(&app.accounts, "wrong-password", t + i).await);
    }
    // Locked from t+2 for 60 s.
    assert!(!direct(&app.accounts, PW, t + 61).await);
    // A failure after the lock ran out locks it again for 120 s (from t+62)...
    assert!(!direct(&app.accounts, "wrong-password", t + 62).await);
    assert!(!direct(&app.accounts, PW, t + 62 + 119).await);
    // ...then 240 s, the maximum, and no more than that.
    assert!(!direct(&app.accounts, "wrong-password", t + 182).await);
    assert!(!direct(&app.accounts, PW, t + 182 + 239).await);
    assert!(!direct(&app.accounts, "wrong-password", t + 422).await);
    assert!(!direct(&app.accounts, PW, t + 422 + 239).await);
    assert!(direct(&app.accounts, PW, t + 422 + 240).await);
    // The success reset the count: one failure does not lock again.
    assert!(!direct(&app.accounts, "wrong-password", t + 700).await);
    assert!(direct(&app.accounts, PW, t + 701).await);
}

#[tokio::test]
async fn failures_of_an_unknown_name_lock_nobody() {
    let (app, carl) = app_with_carl(0).await;
    for _ in 0..5 {
        assert!(app.login("carl-nonexistent", PW).await.is_none());
    }
    assert!(app.login("carl", PW).await.is_some());
    let events = audit(&app).await;
    let unknown = events
        .iter()
        .filter(|e| e.target.is_none() && e.outcome == Outcome::Failure("login_failed".into()))
        .count();
    assert_eq!(unknown, 5);
    assert_eq!(outcome_for(&events, carl, "account_locked"), 0);
}

#[tokio::test]
async fn an_administrators_set_password_lifts_the_lock() {
    let (app, carl) = app_with_carl(0).await;
    let admin = app.admin_ticket().await;
    for _ in 0..3 {
        assert!(app.login("carl", "wrong-password").await.is_none());
    }
    assert!(app.login("carl", PW).await.is_none(), "locked");
    app.set_password(Some(&admin), &carl.to_string(), "brand-new-pw-2")
        .await
        .assert_success();
    assert!(app.login("carl", "brand-new-pw-2").await.is_some());

    // ChangePassword with an administrator's authority (blank old password) too.
    for _ in 0..3 {
        assert!(app.login("carl", "wrong-password").await.is_none());
    }
    assert!(
        app.login("carl", "brand-new-pw-2").await.is_none(),
        "locked"
    );
    let change = format!(
        "<ChangePassword xmlns=\"{NS}\"><AssociateId>{carl}</AssociateId><OldPassword></OldPassword><NewPassword>third-new-pw-3</NewPassword></ChangePassword>"
    );
    let reply = app
        .soap11("User", "ChangePassword", &change, Some(&admin))
        .await;
    Answer::read(&reply).assert_success();
    assert!(app.login("carl", "third-new-pw-3").await.is_some());
}

#[tokio::test]
async fn a_wrong_old_password_counts_as_a_failed_login() {
    let (app, carl) = app_with_carl(0).await;
    let ticket = app.login("carl", PW).await.unwrap();
    let change = |old: &str| {
        format!(
            "<ChangeOwnPassword xmlns=\"{NS}\"><OldPassword>{}</OldPassword><NewPassword>another-pw-3</NewPassword></ChangeOwnPassword>",
            escape(old)
        )
    };
    for _ in 0..3 {
        let reply = app
            .soap11(
                "User",
                "ChangeOwnPassword",
                &change("wrong-old"),
                Some(&ticket),
            )
            .await;
        Answer::read(&reply).assert_exception("SoWrongPasswordException");
    }
    // Locked: the log-in and even the right old password are refused.
    assert!(app.login("carl", PW).await.is_none());
    let reply = app
        .soap11("User", "ChangeOwnPassword", &change(PW), Some(&ticket))
        .await;
    Answer::read(&reply).assert_exception("SoWrongPasswordException");
    let events = audit(&app).await;
    assert!(
        events.iter().any(|e| e.target == Some(carl)
            && e.operation == "lockout"
            && e.outcome == Outcome::Failure("account_locked".into())),
        "{events:?}"
    );
    // After the delay, the right password works again.
    assert!(direct(&app.accounts, PW, Timestamp::now().0 + 61).await);
}

#[tokio::test]
async fn the_per_address_rate_limit_answers_too_many_attempts_and_recovers() {
    let (app, _carl) = app_with_carl(3).await;
    for _ in 0..3 {
        login_body(&app, "carl", "wrong-password").await;
    }
    for reply in [
        app.soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("carl", PW),
            None,
        )
        .await,
        app.soap12(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", ADMIN_PASSWORD),
            None,
        )
        .await,
    ] {
        let answer = Answer::read(&reply);
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(
            answer.succeeded.as_deref(),
            Some("false"),
            "{}",
            answer.body
        );
        assert_eq!(
            answer.exception_type.as_deref(),
            Some("SoTooManyAttemptsException"),
            "{}",
            answer.body
        );
        assert!(answer.body.contains("too_many_attempts"), "{}", answer.body);
        let doc = roxmltree::Document::parse(&answer.body).unwrap();
        assert_eq!(
            text(&doc, "AuthenticationSucceeded").as_deref(),
            Some("false")
        );
        assert!(text(&doc, "Ticket").is_none(), "{}", answer.body);
    }
    let events = audit(&app).await;
    assert!(events
        .iter()
        .any(|e| e.outcome == Outcome::Failure("too_many_attempts".into())));

    // Another address is not limited; this one recovers after the minute.
    let from = |client: &str, now: i64| CallContext {
        tenant: accounts::DEFAULT_TENANT,
        client: Some(client.into()),
        ..at(now)
    };
    let now = Timestamp::now().0;
    let admin_pw = Secret::new(ADMIN_PASSWORD);
    let other = app
        .accounts
        .authenticate("admin", &admin_pw, &from("192.0.2.7", now))
        .await;
    assert!(other.unwrap().is_some());
    let limited = app
        .accounts
        .authenticate("admin", &admin_pw, &from("127.0.0.1", now))
        .await;
    assert_eq!(limited.unwrap_err().code(), "too_many_attempts");
    let recovered = app
        .accounts
        .authenticate("admin", &admin_pw, &from("127.0.0.1", now + 61))
        .await;
    assert!(recovered.unwrap().is_some());
}

#[tokio::test]
async fn the_rate_limit_is_a_fault_in_fault_mode() {
    let config = ServerConfig {
        faults: true,
        ..ServerConfig::default()
    };
    let app = spawn_app_with(config, settings(1)).await;
    login_body(&app, "admin", "wrong-password").await;
    let reply = app
        .soap11(
            "SoPrincipal",
            "AuthenticateUsernamePassword",
            &auth_body("admin", ADMIN_PASSWORD),
            None,
        )
        .await;
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert!(
        reply.body.contains("SoTooManyAttemptsException"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn netserver_user_unlock_lifts_the_lock_and_is_audited() {
    let env = Env::with_config("[kdf]\nmemory_kib = 8\niterations = 1\n[lockout]\nthreshold = 2\n");
    let o = env.run(
        &["user", "add", "dora", "--password-stdin"],
        "plover-marsh-42\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let url = format!("sqlite://{}", env.db().display());
    let lockout = LockoutSettings {
        threshold: 2,
        ..LockoutSettings::default()
    };
    let s = Settings {
        lockout,
        ..Settings::default()
    };
    let options = store::StoreOptions::default();
    let store = netserver::wiring::open_store(&url, &options).await.unwrap();
    let params = KdfParams::insecure_for_tests();
    let accounts = netserver::wiring::domain(store.clone(), params, 1, s).unwrap();
    let now = Timestamp::now().0;
    let login = |pw: &'static str| {
        let accounts = accounts.clone();
        async move {
            accounts
                .authenticate("dora", &Secret::new(pw), &at(now))
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(!login("wrong-password").await);
    assert!(!login("wrong-password").await);
    assert!(!login("plover-marsh-42").await, "locked");
    let list = env.run(&["user", "list"], "");
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("locked"),
        "{}",
        String::from_utf8_lossy(&list.stdout)
    );

    let o = env.run(&["user", "unlock", "DORA"], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("'dora'") && said.contains("was locked"),
        "{said}"
    );
    assert!(login("plover-marsh-42").await);

    let o = env.run(&["user", "unlock", "nobody"], "");
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nobody"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let events = store
        .recent_audit(accounts::DEFAULT_TENANT, 100)
        .await
        .unwrap();
    let unlock = events
        .iter()
        .find(|e| e.operation == "user unlock")
        .expect("an audit record of the unlock");
    assert_eq!(unlock.outcome, Outcome::Success);
    assert_eq!(unlock.client.as_deref(), Some("cli"));
    assert!(unlock.target.is_some());
}

#[tokio::test]
async fn the_defaults_let_normal_use_through() {
    // Defaults: 30 log-ins per minute per address; a handful of normal log-ins pass.
    let app = spawn_app().await;
    for _ in 0..5 {
        assert!(app.login("admin", ADMIN_PASSWORD).await.is_some());
    }
    assert_eq!(Settings::default().login_rate_per_minute, 30);
    assert_eq!(Settings::default().lockout.threshold, 5);
}
