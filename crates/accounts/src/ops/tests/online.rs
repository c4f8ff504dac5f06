//! Online mode: every call names a registered application by its token; the User agent
//! answers only when enabled and only user-management applications, and a ticket works
//! only through the application it was obtained through.

use super::*;
use crate::error::AccountError;
use crate::settings::Mode;

fn online(user_agent_enabled: bool) -> Fixture {
    let mut settings = settings();
    settings.mode = Mode::Online;
    settings.user_agent_enabled = user_agent_enabled;
    fixture_with(settings)
}

/// A call at [`T0`] through the application with `token`.
fn through(token: Option<&Secret>, ticket: Option<&Secret>) -> CallContext {
    CallContext {
        app_token: token.cloned(),
        ..call(ticket, T0)
    }
}

impl Fixture {
    async fn app(&self, name: &str, user_management: bool) -> Secret {
        let added = self
            .accounts
            .add_app(DEFAULT_TENANT, name, user_management, T0);
        added.await.unwrap().1
    }
}

#[tokio::test]
async fn a_log_in_needs_a_registered_unrevoked_token() {
    let f = online(true);
    f.user("bob", &[]).await;
    let token = f.app("Tool", true).await;
    let good = Secret::new(GOOD);
    let bare = through(None, None);
    let missing = f.accounts.authenticate("bob", &good, &bare);
    assert!(matches!(missing.await, Err(AccountError::AppTokenMissing)));
    let forged = Secret::new("not-a-registered-token");
    let ctx = through(Some(&forged), None);
    let unknown = f.accounts.authenticate("bob", &good, &ctx);
    assert!(matches!(unknown.await, Err(AccountError::AppTokenInvalid)));
    assert!(f
        .login_as(&through(Some(&token), None), "bob", GOOD)
        .await
        .is_some());

    assert!(f
        .accounts
        .revoke_app(DEFAULT_TENANT, "TOOL", T0)
        .await
        .unwrap());
    let ctx = through(Some(&token), None);
    let revoked = f.accounts.authenticate("bob", &good, &ctx);
    assert!(matches!(revoked.await, Err(AccountError::AppTokenInvalid)));
    let outcomes = f.outcomes().await;
    assert!(outcomes.contains(&(
        "AuthenticateUsernamePassword".into(),
        "app_token_invalid".into()
    )));
}

#[tokio::test]
async fn a_partner_application_logs_in_but_gets_no_user_agent() {
    let f = online(true);
    let bob = f.user("bob", &[]).await;
    let partner = f.app("Partner", false).await;
    let ctx = through(Some(&partner), None);
    let ticket = f.login_as(&ctx, "bob", GOOD).await.unwrap();
    let call = through(Some(&partner), Some(&ticket));
    let refused = f.accounts.can_change_password(&call, Some(bob.id)).await;
    assert!(matches!(refused, Err(AccountError::PartnerAppRestricted)));
}

#[tokio::test]
async fn the_user_agent_is_off_unless_enabled() {
    let f = online(false);
    let bob = f.user("bob", &[]).await;
    let tool = f.app("Tool", true).await;
    let ticket = f.login_as(&through(Some(&tool), None), "bob", GOOD).await;
    let call = through(Some(&tool), ticket.as_ref());
    let off = f.accounts.can_change_password(&call, Some(bob.id)).await;
    assert!(matches!(off, Err(AccountError::UserAgentDisabled)));
}

#[tokio::test]
async fn a_ticket_works_only_through_the_application_it_came_from() {
    let f = online(true);
    let bob = f.user("bob", &[]).await;
    let tool = f.app("Tool", true).await;
    let other = f.app("Other Tool", true).await;
    let ticket = f.login_as(&through(Some(&tool), None), "bob", GOOD).await;
    let ticket = ticket.unwrap();
    let own = through(Some(&tool), Some(&ticket));
    assert!(f
        .accounts
        .can_change_password(&own, Some(bob.id))
        .await
        .unwrap());
    let elsewhere = through(Some(&other), Some(&ticket));
    let refused = f
        .accounts
        .can_change_password(&elsewhere, Some(bob.id))
        .await;
    assert!(matches!(refused, Err(AccountError::TicketAppMismatch)));
}

#[tokio::test]
async fn on_site_tokens_are_not_looked_at() {
    let f = fixture();
    f.user("bob", &[]).await;
    let forged = Secret::new("anything");
    assert!(f
        .login_as(&through(Some(&forged), None), "bob", GOOD)
        .await
        .is_some());
    assert!(f
        .login_as(&through(None, None), "bob", GOOD)
        .await
        .is_some());
}
