//! The User agent's questions: CanChangePassword, IsPasswordValid(WithReason),
//! GetSupportedChangePasswordTypes. They answer with the same rules and policy the
//! changing operations enforce.

use crate::associate::AssociateId;
use crate::audit::Outcome;
use crate::error::AccountError;
use crate::ops::password::TargetRef;
use crate::ops::rules::change_over;
use crate::ops::{Accounts, CallContext};
use crate::secret::Secret;

/// A policy verdict with its human-readable reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub valid: bool,
    pub reason: String,
}

/// Ways a password can be changed; SuperOffice's `ChangePasswordType` values.
pub const CHANGE_BY_PASSWORD: &str = "Password";

impl Accounts {
    /// Whether the caller may change `target`'s password (ChangePassword's rules).
    pub async fn can_change_password(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
    ) -> Result<bool, AccountError> {
        let caller = self.caller(ctx).await?;
        let result = async {
            let target = self.resolve(ctx, TargetRef::Id(target)).await?;
            Ok(change_over(&caller.associate, &target).is_ok())
        }
        .await;
        self.audited(&caller, ctx, target, "CanChangePassword", result)
            .await
    }

    /// The policy verdict for `password` as `target`'s (0 or absent: no particular
    /// associate, so the name and history rules do not apply).
    ///
    /// The history rule answers only the target itself: for anyone else "used recently"
    /// would say that a guess is the target's current or a recent password, so their
    /// verdict comes from the static rules alone. Every call is audited with its verdict
    /// (`success`, or the violation's code), never the password.
    pub async fn validate_password(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
        password: Option<&Secret>,
        operation: &str,
    ) -> Result<Validation, AccountError> {
        let caller = self.caller(ctx).await?;
        let result = async {
            let associate = match target {
                Some(id) if id > 0 => Some(self.resolve(ctx, TargetRef::Id(Some(id))).await?),
                _ => None,
            };
            let pw = password.cloned().unwrap_or_else(|| Secret::new(""));
            let own = associate
                .as_ref()
                .is_some_and(|a| a.id == caller.associate.id);
            let verdict = if own {
                self.policy_verdict(associate.as_ref(), &pw).await.map(drop)
            } else {
                self.static_verdict(associate.as_ref(), &pw).await
            };
            match verdict {
                Ok(()) => Ok(Validation {
                    valid: true,
                    reason: String::new(),
                }),
                Err(AccountError::PasswordRejected { violation, reason }) => {
                    let code = violation.code();
                    let outcome = Outcome::Failure(code.into());
                    self.audit_call(&caller, ctx, target, operation, outcome)
                        .await;
                    Ok(Validation {
                        valid: false,
                        reason,
                    })
                }
                Err(other) => Err(other),
            }
        }
        .await;
        if result.as_ref().is_ok_and(|v| v.valid) {
            self.audit_call(&caller, ctx, target, operation, Outcome::Success)
                .await;
        }
        self.audited(&caller, ctx, target, operation, result).await
    }

    /// The ways `target` can change its password: by password, until e-mail exists.
    pub async fn supported_change_types(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
    ) -> Result<Vec<&'static str>, AccountError> {
        let caller = self.caller(ctx).await?;
        let result = async {
            let target = self.resolve(ctx, TargetRef::Id(target)).await?;
            let usable =
                target.password_hash.is_some() || change_over(&caller.associate, &target).is_ok();
            Ok(if usable {
                vec![CHANGE_BY_PASSWORD]
            } else {
                vec![]
            })
        }
        .await;
        self.audited(
            &caller,
            ctx,
            target,
            "GetSupportedChangePasswordTypes",
            result,
        )
        .await
    }
}
