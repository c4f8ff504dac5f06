//! Who may set or change whose password: user administrators over ordinary users, the
//! privilege guard around general administrators, and everyone over themselves.

use super::*;
use crate::error::AccountError;
use crate::ops::TargetRef;

fn pw(s: &str) -> Secret {
    Secret::new(s)
}

#[tokio::test]
async fn a_user_administrator_sets_an_ordinary_users_password() {
    let f = fixture();
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let ticket = f.ticket("useradmin").await;
    let ctx = call(Some(&ticket), T0.plus(secs(5)));
    let new = pw("Heron-Estuary-31");
    let target = TargetRef::Id(Some(bob.id));
    f.accounts
        .set_password_of(&ctx, target, Some(&new), "SetPassword")
        .await
        .unwrap();
    assert!(f.login_as(&ctx, "bob", "Heron-Estuary-31").await.is_some());
    assert!(f.login_as(&ctx, "bob", GOOD).await.is_none());
}

#[tokio::test]
async fn only_a_general_administrator_sets_a_general_administrators_password() {
    let f = fixture();
    let root = f.user("root", &[Right::AdminAll]).await;
    f.user("useradmin", &[Right::AdminUsers]).await;
    f.user("other-root", &[Right::AdminAll]).await;
    let new = pw("Heron-Estuary-31");
    let target = TargetRef::Id(Some(root.id));

    let ticket = f.ticket("useradmin").await;
    let by_useradmin = call(Some(&ticket), T0);
    let refused = f
        .accounts
        .set_password_of(&by_useradmin, target, Some(&new), "SetPassword")
        .await;
    assert!(matches!(refused, Err(AccountError::PrivilegeGuard)));

    let ticket = f.ticket("other-root").await;
    let by_root = call(Some(&ticket), T0);
    f.accounts
        .set_password_of(&by_root, target, Some(&new), "SetPassword")
        .await
        .unwrap();
    let trail = f.outcomes().await;
    assert!(trail.contains(&("SetPassword".into(), "privilege_guard".into())));
    assert_eq!(
        trail.last().unwrap(),
        &("SetPassword".into(), "success".into())
    );
}

#[tokio::test]
async fn an_ordinary_user_sets_nobodys_password_and_changes_only_its_own() {
    let f = fixture();
    let bob = f.user("bob", &[]).await;
    let carol = f.user("carol", &[]).await;
    let ticket = f.ticket("bob").await;
    let ctx = call(Some(&ticket), T0);
    let new = pw("Heron-Estuary-31");
    let old = pw(GOOD);

    let set = f
        .accounts
        .set_password_of(
            &ctx,
            TargetRef::Id(Some(carol.id)),
            Some(&new),
            "SetPassword",
        )
        .await;
    assert!(matches!(
        set,
        Err(AccountError::RightMissing("admin-users"))
    ));
    let other = TargetRef::Id(Some(carol.id));
    let change = f
        .accounts
        .change_password(&ctx, other, Some(&old), Some(&new), "ChangePassword")
        .await;
    assert!(matches!(change, Err(AccountError::RightMissing(_))));
    assert!(!f
        .accounts
        .can_change_password(&ctx, Some(carol.id))
        .await
        .unwrap());
    assert!(f
        .accounts
        .can_change_password(&ctx, Some(bob.id))
        .await
        .unwrap());

    f.accounts
        .change_own_password(&ctx, Some(&old), Some(&new), "ChangeOwnPassword")
        .await
        .unwrap();
    assert!(f.login_as(&ctx, "bob", "Heron-Estuary-31").await.is_some());
}

#[tokio::test]
async fn ones_own_change_needs_the_old_password_an_administrators_does_not() {
    let f = fixture();
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let new = pw("Heron-Estuary-31");
    let bobs = f.ticket("bob").await;
    let as_bob = call(Some(&bobs), T0);
    let wrong = f
        .accounts
        .change_own_password(
            &as_bob,
            Some(&pw("not-the-password")),
            Some(&new),
            "ChangeOwnPassword",
        )
        .await;
    assert!(matches!(wrong, Err(AccountError::OldPasswordWrong)));
    let none = f
        .accounts
        .change_own_password(&as_bob, None, Some(&new), "ChangeOwnPassword")
        .await;
    assert!(matches!(none, Err(AccountError::OldPasswordWrong)));

    let admins = f.ticket("useradmin").await;
    let as_admin = call(Some(&admins), T0);
    let target = TargetRef::Name(Some("BOB"));
    f.accounts
        .change_password(
            &as_admin,
            target,
            None,
            Some(&new),
            "ChangePasswordFromName",
        )
        .await
        .unwrap();
    // Bob's tickets went with the old password.
    let revoked = f.accounts.principal(&as_bob).await;
    assert!(matches!(revoked, Err(AccountError::TicketInvalid)));
    assert_eq!(f.stored(&bob).await.lock, Default::default());
}

#[tokio::test]
async fn a_retired_target_or_caller_is_refused() {
    let f = fixture();
    f.user("useradmin", &[Right::AdminUsers]).await;
    let bob = f.user("bob", &[]).await;
    let ticket = f.ticket("useradmin").await;
    let ctx = call(Some(&ticket), T0);
    f.accounts
        .retire_user(DEFAULT_TENANT, "bob", T0)
        .await
        .unwrap();
    let set = f
        .accounts
        .set_password_of(
            &ctx,
            TargetRef::Id(Some(bob.id)),
            Some(&pw("x")),
            "SetPassword",
        )
        .await;
    assert!(matches!(set, Err(AccountError::AssociateRetired(id)) if id == bob.id));

    f.accounts
        .retire_user(DEFAULT_TENANT, "useradmin", T0)
        .await
        .unwrap();
    let gone = f.accounts.principal(&ctx).await;
    assert!(matches!(gone, Err(AccountError::TicketInvalid)));
}
