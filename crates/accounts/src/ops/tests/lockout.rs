//! The soft lock through the operations: failed log-ins lock at the threshold, a locked
//! associate is refused even with the right password, the lock runs out, and a wrong old
//! password counts like a failed log-in.

use super::*;
use crate::error::AccountError;

#[tokio::test]
async fn failures_lock_at_the_threshold_and_the_lock_runs_out() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    for i in 0..3 {
        let at = call(None, T0.plus(secs(i)));
        assert!(f.login_as(&at, "bob", "wrong-password").await.is_none());
    }
    let lock = f.stored(&bob).await.lock;
    assert_eq!(lock.failed_logins, 3);
    assert_eq!(lock.locked_until, Some(T0.plus(secs(2 + 60))));

    // Locked: the right password is refused too, and counts nothing more.
    let during = call(None, T0.plus(secs(30)));
    assert!(f.login_as(&during, "bob", GOOD).await.is_none());
    assert_eq!(f.stored(&bob).await.lock, lock);

    // Once the lock has run out, the right password gets in and clears the failures.
    let after = call(None, T0.plus(secs(62)));
    assert!(f.login_as(&after, "bob", GOOD).await.is_some());
    assert!(f.stored(&bob).await.lock.is_clear());

    let login = "AuthenticateUsernamePassword".to_owned();
    let outcomes: Vec<String> = f.outcomes().await.into_iter().map(|(_, o)| o).collect();
    assert_eq!(
        outcomes,
        [
            "success", // the fixture's user add
            "login_failed",
            "login_failed",
            "account_locked",
            "login_locked",
            "success"
        ]
    );
    assert!(f.outcomes().await[1..].iter().all(|(op, _)| *op == login));
}

#[tokio::test]
async fn an_unknown_name_is_refused_like_a_wrong_password() {
    let f = fixture();
    f.user("bob", &[]).await;
    let ctx = call(None, T0);
    assert!(f.login_as(&ctx, "nobody", GOOD).await.is_none());
    assert!(f.login_as(&ctx, "bob", "wrong-password").await.is_none());
    let trail = f.trail(DEFAULT_TENANT).await;
    assert_eq!(trail[0].outcome.as_str(), "login_failed");
    assert_eq!(trail[1].outcome.as_str(), "login_failed");
    assert_eq!(trail[1].target, None, "an unknown name has no target");
}

#[tokio::test]
async fn failures_older_than_the_window_start_the_count_again() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    let window = f.accounts.settings().lockout.window.as_secs();
    for at in [0, 1, window + 10] {
        let ctx = call(None, T0.plus(secs(at)));
        assert!(f.login_as(&ctx, "bob", "wrong-password").await.is_none());
    }
    let lock = f.stored(&bob).await.lock;
    assert_eq!(lock.failed_logins, 1);
    assert_eq!(lock.locked_until, None);
}

#[tokio::test]
async fn a_wrong_old_password_counts_towards_the_lock_and_a_locked_owner_cannot_change() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    let ticket = f.ticket("bob").await;
    let ctx = call(Some(&ticket), T0);
    let wrong = Secret::new("wrong-password");
    let new = Secret::new("Heron-Estuary-31");
    for _ in 0..3 {
        let r = f
            .accounts
            .change_own_password(&ctx, Some(&wrong), Some(&new), "ChangeOwnPassword");
        assert!(matches!(r.await, Err(AccountError::OldPasswordWrong)));
    }
    assert!(f.stored(&bob).await.lock.is_locked(T0));
    let trail = f.outcomes().await;
    assert!(trail.contains(&("lockout".into(), "account_locked".into())));
    // Locked, even the right old password is refused.
    let right = Secret::new(GOOD);
    let r = f
        .accounts
        .change_own_password(&ctx, Some(&right), Some(&new), "ChangeOwnPassword");
    assert!(matches!(r.await, Err(AccountError::OldPasswordWrong)));
}

#[tokio::test]
async fn an_administrator_lifts_the_lock() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    for i in 0..3 {
        let ctx = call(None, T0.plus(secs(i)));
        f.login_as(&ctx, "bob", "wrong-password").await;
    }
    assert!(f.stored(&bob).await.lock.is_locked(T0.plus(secs(3))));
    let was = f
        .accounts
        .unlock_user(DEFAULT_TENANT, "BOB", T0)
        .await
        .unwrap();
    assert!(
        was.lock.is_locked(T0.plus(secs(3))),
        "answers the state before"
    );
    assert!(f.stored(&bob).await.lock.is_clear());
    let ctx = call(None, T0.plus(secs(4)));
    assert!(f.login_as(&ctx, "bob", GOOD).await.is_some());
}
