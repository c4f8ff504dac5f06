//! `User.svc`: the User agent's operations.

use accounts::{Accounts, CallContext, Secret};
use soap::{Operation, SoapError};

use crate::agents::{Body, Reply};

/// `SetPassword(AssociateId, Password) → Response: boolean`.
pub async fn set_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let associate_id = op.int("AssociateId")?;
    let password = op.text("Password").map(Secret::new);
    let result = accounts
        .set_password(ctx, associate_id, password.as_ref())
        .await;
    Ok(Reply {
        result: result.map(|()| Body::boolean("SetPasswordResponse", true)),
        fallback: Body::boolean("SetPasswordResponse", false),
    })
}
