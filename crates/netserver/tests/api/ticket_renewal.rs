//! A ticket in constant use lives to its ceiling: the once-a-minute renewal still takes
//! the last, shorter step up to the ceiling.

use std::time::Duration;

use accounts::{CallContext, Secret, Settings, Timestamp};
use server::ServerConfig;

use crate::helpers::*;

fn at(now: i64, ticket: &Secret) -> CallContext {
    CallContext {
        tenant: accounts::DEFAULT_TENANT,
        credentials: Some(accounts::Credentials::Ticket(ticket.clone())),
        app_token: None,
        client: None,
        operation_id: format!("renewal-{now}"),
        now: Timestamp(now),
    }
}

/// Lifetime 120 s, ceiling 300 s, used every 59–61 s: the renewals at +61 and +122 end at
/// +242, less than a minute before the ceiling; the use at +181 must still carry the
/// ticket to +300 (it used to expire at +242 while in use).
#[tokio::test]
async fn a_ticket_used_every_minute_lives_to_its_ceiling() {
    let settings = Settings {
        ticket_ttl: Duration::from_secs(120),
        ticket_max_lifetime: Duration::from_secs(300),
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let t0 = 3_000_000;
    let login = app
        .accounts
        .authenticate(
            "admin",
            &Secret::new(ADMIN_PASSWORD),
            &at(t0, &Secret::new("")),
        )
        .await
        .unwrap()
        .unwrap();
    let ticket = login.ticket;
    for (step, offset) in [61, 122, 181, 240, 299].into_iter().enumerate() {
        let used = app.accounts.principal(&at(t0 + offset, &ticket)).await;
        assert!(used.is_ok(), "use {step} at +{offset}: {:?}", used.err());
    }
    let expired = app.accounts.principal(&at(t0 + 300, &ticket)).await;
    assert_eq!(expired.unwrap_err().code(), "ticket_expired");
}
