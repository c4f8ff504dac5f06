//! `SoPrincipal.svc`: log-in.

use accounts::{Accounts, CallContext, Secret};
use soap::{Operation, SoapError};

use crate::agents::{Body, Reply};

/// `AuthenticateUsernamePassword(UserName, Password) → AuthenticateResponse`. A failed
/// log-in (a locked associate too) is not an error: it answers
/// `AuthenticationSucceeded=false`. The per-address rate limit is: `Err(TooManyAttempts)`
/// answers the same empty `AuthenticateResponse` beside `Succeeded=false` and an
/// `ExceptionInfo` (or a fault, by setting), like every other domain error.
pub async fn authenticate_username_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let user = op.text("UserName").unwrap_or("");
    let password = Secret::new(op.text("Password").unwrap_or(""));
    let result = accounts.authenticate(user, &password, ctx).await;
    Ok(Reply {
        result: result.map(|login| Body::Authenticate(login.map(Box::new))),
        fallback: Body::Authenticate(None),
    })
}
