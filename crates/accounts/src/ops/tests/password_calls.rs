//! A name and password sent on a call instead of a ticket: proved like a log-in (the
//! same refusals, the same lock), no ticket issued, on-site only.

use super::*;
use crate::associate::Right;
use crate::error::AccountError;
use crate::ops::Credentials;
use crate::settings::Mode;

/// A call at `now` that carries `name` and `password`.
fn with_password(name: &str, password: &str, now: Timestamp) -> CallContext {
    CallContext {
        credentials: Some(Credentials::Password {
            name: name.into(),
            password: Secret::new(password),
        }),
        ..call(None, now)
    }
}

#[tokio::test]
async fn the_right_password_is_a_caller_without_a_ticket() {
    let f = fixture();
    let admin = f.user("admin", &[Right::AdminUsers]).await;
    let ctx = with_password("ADMIN", GOOD, T0);
    let caller = f.accounts.principal(&ctx).await.unwrap();
    assert_eq!(caller.associate.id, admin.id);
    assert_eq!(caller.ticket_id, None);
    // No log-in record: the call's own record names the caller.
    assert_eq!(f.trail(DEFAULT_TENANT).await.len(), 1, "only the user add");

    let bob = f.user("bob", &[]).await;
    let new = Secret::new("Heron-Estuary-31");
    let target = crate::ops::TargetRef::Id(Some(bob.id));
    let set = f
        .accounts
        .set_password_of(&ctx, target, Some(&new), "SetPassword");
    set.await.unwrap();
    let last = &f.trail(DEFAULT_TENANT).await[0];
    assert_eq!((last.actor, last.target), (Some(admin.id), Some(bob.id)));
}

#[tokio::test]
async fn wrong_unknown_and_retired_read_alike_and_failures_lock() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    f.user("gone", &[]).await;
    f.accounts
        .retire_user(DEFAULT_TENANT, "gone", T0)
        .await
        .unwrap();
    for (name, password) in [("nobody", GOOD), ("gone", GOOD), ("bob", "wrong-password")] {
        let refused = f
            .accounts
            .principal(&with_password(name, password, T0))
            .await;
        assert!(
            matches!(refused, Err(AccountError::CredentialsRefused)),
            "{name}"
        );
    }
    for i in 1..3 {
        let ctx = with_password("bob", "wrong-password", T0.plus(secs(i)));
        assert!(f.accounts.principal(&ctx).await.is_err());
    }
    assert!(f.stored(&bob).await.lock.is_locked(T0.plus(secs(3))));
    // Locked: the right password is refused too.
    let locked = with_password("bob", GOOD, T0.plus(secs(4)));
    let refused = f.accounts.principal(&locked).await;
    assert!(matches!(refused, Err(AccountError::CredentialsRefused)));
    let outcomes = f.outcomes().await;
    let (op, outcome) = outcomes.last().unwrap();
    assert_eq!(
        (op.as_str(), outcome.as_str()),
        ("PasswordCredentials", "login_locked")
    );
}

#[tokio::test]
async fn a_success_lifts_an_earlier_failure_count() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    let wrong = with_password("bob", "wrong-password", T0);
    assert!(f.accounts.principal(&wrong).await.is_err());
    assert_eq!(f.stored(&bob).await.lock.failed_logins, 1);
    let right = with_password("bob", GOOD, T0.plus(secs(1)));
    f.accounts.principal(&right).await.unwrap();
    assert!(f.stored(&bob).await.lock.is_clear());
}

#[tokio::test]
async fn online_installations_refuse_a_password_on_the_call() {
    let mut settings = settings();
    settings.mode = Mode::Online;
    settings.user_agent_enabled = true;
    let f = fixture_with(settings);
    f.user("bob", &[]).await;
    let (_, token) = f
        .accounts
        .add_app(DEFAULT_TENANT, "Tool", true, T0)
        .await
        .unwrap();
    let ctx = CallContext {
        app_token: Some(token),
        ..with_password("bob", GOOD, T0)
    };
    let refused = f.accounts.principal(&ctx).await;
    assert!(matches!(
        refused,
        Err(AccountError::PasswordCredentialsRefused)
    ));
}
