//! `User.svc`: the User agent's password family. Each adapter extracts its parameters,
//! calls the domain, and names the body to answer with (and the one sent beside an
//! `ExceptionInfo` when the call failed).

use accounts::{AccountError, Accounts, CallContext, Secret, TargetRef};
use soap::{Operation, SoapError};

use crate::agents::{Body, Reply};

/// Dispatches a User agent operation; `None` when the name is not one of ours.
pub async fn call(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Option<Result<Reply, SoapError>> {
    let reply = match op.name.as_str() {
        "SetPassword" => set_password(accounts, op, ctx, by_id(op)).await,
        "SetPasswordFromName" => set_password(accounts, op, ctx, Ok(by_name(op))).await,
        "ChangePassword" => change_password(accounts, op, ctx, by_id(op)).await,
        "ChangePasswordFromName" => change_password(accounts, op, ctx, Ok(by_name(op))).await,
        "ChangeOwnPassword" => change_own_password(accounts, op, ctx).await,
        "CanChangePassword" => can_change_password(accounts, op, ctx).await,
        "IsPasswordValid" | "IsPasswordValidWithReason" => {
            is_password_valid(accounts, op, ctx).await
        }
        "SetGeneratedPassword" => set_generated(accounts, op, ctx, by_id(op)).await,
        "SetGeneratedPasswordFromName" => set_generated(accounts, op, ctx, Ok(by_name(op))).await,
        "GetSupportedChangePasswordTypes" => supported_types(accounts, op, ctx).await,
        _ => return None,
    };
    Some(reply)
}

fn by_id(op: &Operation) -> Result<TargetRef<'_>, SoapError> {
    Ok(TargetRef::Id(op.int("AssociateId")?))
}

fn by_name(op: &Operation) -> TargetRef<'_> {
    TargetRef::Name(op.text("AssociateName"))
}

fn secret(op: &Operation, name: &str) -> Option<Secret> {
    op.text(name).map(Secret::new)
}

fn response_element(op: &Operation) -> &'static str {
    match op.name.as_str() {
        "SetPassword" => "SetPasswordResponse",
        "SetPasswordFromName" => "SetPasswordFromNameResponse",
        "ChangePassword" => "ChangePasswordResponse",
        "ChangePasswordFromName" => "ChangePasswordFromNameResponse",
        "ChangeOwnPassword" => "ChangeOwnPasswordResponse",
        "CanChangePassword" => "CanChangePasswordResponse",
        "IsPasswordValid" => "IsPasswordValidResponse",
        "IsPasswordValidWithReason" => "IsPasswordValidWithReasonResponse",
        "SetGeneratedPassword" => "SetGeneratedPasswordResponse",
        "SetGeneratedPasswordFromName" => "SetGeneratedPasswordFromNameResponse",
        _ => "GetSupportedChangePasswordTypesResponse",
    }
}

/// A boolean operation's reply: `true` on success, `false` beside an ExceptionInfo.
fn boolean(op: &Operation, result: Result<bool, AccountError>) -> Reply {
    let element = response_element(op);
    Reply {
        result: result.map(|v| Body::boolean(element, v)),
        fallback: Body::boolean(element, false),
    }
}

async fn set_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
    target: Result<TargetRef<'_>, SoapError>,
) -> Result<Reply, SoapError> {
    let password = secret(op, "Password");
    let result = accounts
        .set_password_of(ctx, target?, password.as_ref(), &op.name)
        .await;
    Ok(boolean(op, result.map(|()| true)))
}

async fn change_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
    target: Result<TargetRef<'_>, SoapError>,
) -> Result<Reply, SoapError> {
    let (old, new) = (secret(op, "OldPassword"), secret(op, "NewPassword"));
    let result = accounts
        .change_password(ctx, target?, old.as_ref(), new.as_ref(), &op.name)
        .await;
    Ok(boolean(op, result.map(|()| true)))
}

async fn change_own_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let (old, new) = (secret(op, "OldPassword"), secret(op, "NewPassword"));
    let result = accounts
        .change_own_password(ctx, old.as_ref(), new.as_ref())
        .await;
    Ok(boolean(op, result.map(|()| true)))
}

async fn can_change_password(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let id = op.int("AssociateId")?;
    Ok(boolean(op, accounts.can_change_password(ctx, id).await))
}

/// IsPasswordValid answers the verdict; IsPasswordValidWithReason adds the reason.
/// `Type` and `PersonId` are accepted and checked for shape; the policy is per associate.
async fn is_password_valid(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let id = op.int("AssociateId")?;
    op.int("PersonId")?;
    let password = secret(op, "Password");
    let result = accounts
        .validate_password(ctx, id, password.as_ref(), &op.name)
        .await;
    if op.name == "IsPasswordValid" {
        return Ok(boolean(op, result.map(|v| v.valid)));
    }
    Ok(Reply {
        result: result.map(|v| Body::Validation {
            valid: v.valid,
            reason: v.reason,
        }),
        fallback: Body::Nil {
            element: response_element(op),
        },
    })
}

async fn set_generated(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
    target: Result<TargetRef<'_>, SoapError>,
) -> Result<Reply, SoapError> {
    let element = response_element(op);
    let result = accounts
        .set_generated_password(ctx, target?, &op.name)
        .await;
    Ok(Reply {
        result: result.map(|pw| Body::Text { element, value: pw }),
        fallback: Body::Nil { element },
    })
}

async fn supported_types(
    accounts: &Accounts,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let id = op.int("AssociateId")?;
    let element = response_element(op);
    let result = accounts.supported_change_types(ctx, id).await;
    Ok(Reply {
        result: result.map(Body::ChangeTypes),
        fallback: Body::Nil { element },
    })
}
