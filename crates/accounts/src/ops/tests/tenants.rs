//! Tenant isolation: names, tickets and targets of one tenant mean nothing in another.

use super::*;
use crate::error::AccountError;
use crate::ops::TargetRef;

/// A call at [`T0`] in `tenant`.
fn in_tenant(tenant: TenantId, ticket: Option<&Secret>) -> CallContext {
    CallContext {
        tenant,
        ..call(ticket, T0)
    }
}

#[tokio::test]
async fn the_same_name_is_two_associates_in_two_tenants() {
    let f = fixture();
    let (acme, _, _) = f.accounts.add_tenant("Cust12345", T0).await.unwrap();
    let here = f.user("bob", &[]).await;
    let there = f.user_in(acme.id, "BOB", &[]).await;
    assert_ne!(here.id, there.id);
    let tenant = f.accounts.resolve_tenant(Some("cust12345")).await.unwrap();
    assert_eq!(tenant, acme.id);
    let unknown = f.accounts.resolve_tenant(Some("Cust9")).await;
    assert!(matches!(unknown, Err(AccountError::TenantNotFound(_))));
    assert_eq!(
        f.accounts.resolve_tenant(None).await.unwrap(),
        DEFAULT_TENANT
    );
}

#[tokio::test]
async fn a_ticket_is_no_ticket_in_another_tenant() {
    let f = fixture();
    let (acme, _, _) = f.accounts.add_tenant("Cust12345", T0).await.unwrap();
    let bob = f.user_in(acme.id, "bob", &[]).await;
    let ctx = in_tenant(acme.id, None);
    let ticket = f.login_as(&ctx, "bob", GOOD).await.unwrap();
    let home = in_tenant(acme.id, Some(&ticket));
    assert_eq!(
        f.accounts.principal(&home).await.unwrap().associate.id,
        bob.id
    );
    let elsewhere = in_tenant(DEFAULT_TENANT, Some(&ticket));
    let refused = f.accounts.principal(&elsewhere).await;
    assert!(matches!(refused, Err(AccountError::TicketInvalid)));
    // Nor does the name log in at the default tenant.
    assert!(f.login_as(&call(None, T0), "bob", GOOD).await.is_none());
}

#[tokio::test]
async fn an_administrator_cannot_reach_another_tenants_associate() {
    let f = fixture();
    let (acme, _, _) = f.accounts.add_tenant("Cust12345", T0).await.unwrap();
    let theirs = f.user_in(acme.id, "carol", &[]).await;
    f.user("root", &[Right::AdminAll]).await;
    let ticket = f.ticket("root").await;
    let ctx = call(Some(&ticket), T0);
    let new = Secret::new("Heron-Estuary-31");
    let by_id = f
        .accounts
        .set_password_of(
            &ctx,
            TargetRef::Id(Some(theirs.id)),
            Some(&new),
            "SetPassword",
        )
        .await;
    assert!(matches!(by_id, Err(AccountError::AssociateNotFound(id)) if id == theirs.id));
    let by_name = f
        .accounts
        .set_password_of(
            &ctx,
            TargetRef::Name(Some("carol")),
            Some(&new),
            "SetPasswordFromName",
        )
        .await;
    assert!(matches!(
        by_name,
        Err(AccountError::AssociateNameNotFound(_))
    ));
    // Each tenant's trail holds its own records only.
    let theirs_trail = f.trail(acme.id).await;
    assert!(theirs_trail.iter().all(|e| e.tenant == acme.id));
    assert!(!theirs_trail
        .iter()
        .any(|e| e.operation.starts_with("SetPassword")));
}
