//! Must-change after an administrator's set, and the password history.

use super::*;
use crate::error::AccountError;
use crate::ops::TargetRef;
use crate::policy::PolicyViolation;

fn pw(s: &str) -> Secret {
    Secret::new(s)
}

#[tokio::test]
async fn an_imposed_password_must_be_changed_before_anything_else() {
    let mut settings = settings();
    settings.policy.must_change_on_admin_set = true;
    let f = fixture_with(settings);
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let admins = f.ticket("useradmin").await;
    let imposed = pw("Imposed-Password-77");
    let as_admin = call(Some(&admins), T0);
    let target = TargetRef::Id(Some(bob.id));
    f.accounts
        .set_password_of(&as_admin, target, Some(&imposed), "SetPassword")
        .await
        .unwrap();
    assert!(f.stored(&bob).await.must_change);

    let later = T0.plus(secs(60));
    let ticket = f
        .login_as(&call(None, later), "bob", "Imposed-Password-77")
        .await;
    let as_bob = call(ticket.as_ref(), later);
    let blocked = f.accounts.can_change_password(&as_bob, Some(bob.id)).await;
    assert!(matches!(blocked, Err(AccountError::PasswordChangeRequired)));
    // Nor may Bob change anyone else's password first.
    let fresh = pw("Fresh-Choice-12");
    let other = f.accounts.change_password(
        &as_bob,
        TargetRef::Name(Some("useradmin")),
        Some(&imposed),
        Some(&fresh),
        "ChangePasswordFromName",
    );
    assert!(matches!(
        other.await,
        Err(AccountError::PasswordChangeRequired)
    ));

    let mine = pw("Fresh-Choice-12");
    f.accounts
        .change_own_password(&as_bob, Some(&imposed), Some(&mine), "ChangeOwnPassword")
        .await
        .unwrap();
    assert!(!f.stored(&bob).await.must_change);
    // The session the change was made from goes on, now unrestricted.
    assert!(f
        .accounts
        .can_change_password(&as_bob, Some(bob.id))
        .await
        .unwrap());
}

#[tokio::test]
async fn without_the_setting_an_imposed_password_need_not_be_changed() {
    let f = fixture();
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let admins = f.ticket("useradmin").await;
    let as_admin = call(Some(&admins), T0);
    let target = TargetRef::Id(Some(bob.id));
    let imposed = pw("Imposed-Password-77");
    f.accounts
        .set_password_of(&as_admin, target, Some(&imposed), "SetPassword")
        .await
        .unwrap();
    assert!(!f.stored(&bob).await.must_change);
}

#[tokio::test]
async fn a_recent_password_is_refused_an_older_one_is_not() {
    let mut settings = settings();
    settings.policy.history = 2;
    let f = fixture_with(settings);
    let bob = f.user("bob", &[]).await;
    let mut ticket = f.ticket("bob").await;
    let mut current = GOOD.to_owned();
    let change = |ticket: Secret, old: String, new: &'static str| {
        let accounts = f.accounts.clone();
        async move {
            let ctx = call(Some(&ticket), T0);
            let (old, new) = (pw(&old), pw(new));
            accounts
                .change_own_password(&ctx, Some(&old), Some(&new), "ChangeOwnPassword")
                .await
        }
    };
    // The current password is the newest of the two the history covers.
    let same = change(ticket.clone(), current.clone(), GOOD).await;
    let reused = |r: &Result<(), AccountError>| {
        matches!(
            r,
            Err(AccountError::PasswordRejected {
                violation: PolicyViolation::Reused { last: 2 },
                ..
            })
        )
    };
    assert!(reused(&same), "{same:?}");
    for next in ["Second-Choice-22", "Third-Choice-33"] {
        change(ticket.clone(), current.clone(), next).await.unwrap();
        current = next.to_owned();
        ticket = f.login_as(&call(None, T0), "bob", next).await.unwrap();
    }
    let recent = change(ticket.clone(), current.clone(), "Second-Choice-22").await;
    assert!(reused(&recent), "{recent:?}");
    // The first password is now three back: allowed again.
    change(ticket, current, GOOD).await.unwrap();
    assert!(f.login_as(&call(None, T0), "bob", GOOD).await.is_some());
    let history = {
        use crate::store::CredentialStore;
        f.store.password_history(bob.id, 10).await.unwrap()
    };
    assert_eq!(
        history.len(),
        1,
        "history 2 keeps the current and one before"
    );
}

#[tokio::test]
async fn a_policy_violation_is_refused_and_audited_without_the_password() {
    let f = fixture();
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let admins = f.ticket("useradmin").await;
    let ctx = call(Some(&admins), T0);
    let target = TargetRef::Id(Some(bob.id));
    let short = pw("Sh0rt!");
    let refused = f
        .accounts
        .set_password_of(&ctx, target, Some(&short), "SetPassword")
        .await;
    assert!(matches!(
        refused,
        Err(AccountError::PasswordRejected {
            violation: PolicyViolation::TooShort { .. },
            ..
        })
    ));
    let trail = f.trail(DEFAULT_TENANT).await;
    let last = &trail[0];
    assert_eq!(last.operation, "SetPassword");
    assert_eq!(last.target, Some(bob.id));
    assert!(!format!("{trail:?}").contains("Sh0rt!"));
}
