//! `User.svc`: the User agent's password family. Each adapter reads its parameters,
//! calls the domain under the entry's audit name, and names the output to answer with
//! (and the one sent beside an `ExceptionInfo` when the call failed).

use accounts::{AccountError, Secret, TargetRef};
use soap::SoapError;

use crate::agents::{Call, Output, Reply};
use crate::contract::NamedBy;

impl Call<'_> {
    fn target(&self, by: NamedBy) -> Result<TargetRef<'_>, SoapError> {
        Ok(match by {
            NamedBy::Id => TargetRef::Id(self.op.int("AssociateId")?),
            NamedBy::Name => TargetRef::Name(self.op.text("AssociateName")),
        })
    }

    fn secret(&self, name: &str) -> Option<Secret> {
        self.op.text(name).map(Secret::new)
    }

    /// A boolean operation's reply: `true` on success, `false` beside an ExceptionInfo.
    fn boolean(&self, result: Result<bool, AccountError>) -> Reply {
        self.reply(result.map(Output::Boolean), Output::Boolean(false))
    }

    pub(super) async fn set_password(&self, by: NamedBy) -> Result<Reply, SoapError> {
        let password = self.secret("Password");
        let result = self
            .accounts
            .set_password_of(
                self.ctx,
                self.target(by)?,
                password.as_ref(),
                self.spec.audit_name(),
            )
            .await;
        Ok(self.boolean(result.map(|()| true)))
    }

    pub(super) async fn change_password(&self, by: NamedBy) -> Result<Reply, SoapError> {
        let (old, new) = (self.secret("OldPassword"), self.secret("NewPassword"));
        let target = self.target(by)?;
        let result = self
            .accounts
            .change_password(
                self.ctx,
                target,
                old.as_ref(),
                new.as_ref(),
                self.spec.audit_name(),
            )
            .await;
        Ok(self.boolean(result.map(|()| true)))
    }

    pub(super) async fn change_own_password(&self) -> Result<Reply, SoapError> {
        let (old, new) = (self.secret("OldPassword"), self.secret("NewPassword"));
        let result = self
            .accounts
            .change_own_password(self.ctx, old.as_ref(), new.as_ref(), self.spec.audit_name())
            .await;
        Ok(self.boolean(result.map(|()| true)))
    }

    pub(super) async fn can_change_password(&self) -> Result<Reply, SoapError> {
        let id = self.op.int("AssociateId")?;
        let result = self.accounts.can_change_password(self.ctx, id).await;
        Ok(self.boolean(result))
    }

    /// IsPasswordValid answers the verdict; IsPasswordValidWithReason (`reason`) adds the
    /// reason. `Type` and `PersonId` are accepted and checked for shape; the policy is per
    /// associate.
    pub(super) async fn is_password_valid(&self, reason: bool) -> Result<Reply, SoapError> {
        let id = self.op.int("AssociateId")?;
        self.op.int("PersonId")?;
        let password = self.secret("Password");
        let result = self
            .accounts
            .validate_password(self.ctx, id, password.as_ref(), self.spec.audit_name())
            .await;
        if !reason {
            return Ok(self.boolean(result.map(|v| v.valid)));
        }
        let output = result.map(|v| Output::Validation {
            valid: v.valid,
            reason: v.reason,
        });
        Ok(self.reply(output, Output::Nil))
    }

    pub(super) async fn set_generated(&self, by: NamedBy) -> Result<Reply, SoapError> {
        let result = self
            .accounts
            .set_generated_password(self.ctx, self.target(by)?, self.spec.audit_name())
            .await;
        Ok(self.reply(result.map(Output::Text), Output::Nil))
    }

    pub(super) async fn supported_types(&self) -> Result<Reply, SoapError> {
        let id = self.op.int("AssociateId")?;
        let result = self.accounts.supported_change_types(self.ctx, id).await;
        Ok(self.reply(result.map(Output::ChangeTypes), Output::Nil))
    }
}
