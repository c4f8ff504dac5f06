//! Setting another associate's password (User agent `SetPassword`).

use crate::associate::{Associate, AssociateId, Right};
use crate::audit::{AuditEvent, Outcome};
use crate::error::AccountError;
use crate::ops::{Accounts, CallContext, Principal};
use crate::policy::normalize;
use crate::secret::Secret;
use crate::store::PasswordChange;

const SET_PASSWORD: &str = "SetPassword";

impl Accounts {
    /// Sets `target`'s password. The caller needs `admin-users` or `admin-all`; only an
    /// `admin-all` caller may touch an `admin-all` associate. On success the hash, the
    /// revocation of the target's other tickets and the audit record commit together.
    pub async fn set_password(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
        password: Option<&Secret>,
    ) -> Result<(), AccountError> {
        let caller = self.principal(ctx).await?;
        let result = self.set_password_as(&caller, ctx, target, password).await;
        if let Err(e) = &result {
            self.audit_failure(&caller, ctx, target, SET_PASSWORD, e)
                .await;
        }
        result
    }

    async fn set_password_as(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: Option<AssociateId>,
        password: Option<&Secret>,
    ) -> Result<(), AccountError> {
        if !caller.associate.is_user_admin() {
            return Err(AccountError::RightMissing(Right::AdminUsers.as_str()));
        }
        let target = self.target(target).await?;
        if target.has_right(Right::AdminAll) && !caller.associate.has_right(Right::AdminAll) {
            return Err(AccountError::PrivilegeGuard);
        }
        let password = normalize(password.unwrap_or(&Secret::new("")));
        self.settings.policy.check(&password)?;
        let phc = self.hasher.hash(&password).await?;
        let change = PasswordChange {
            associate_id: target.id,
            password_hash: phc,
            // A user setting their own password keeps the session they did it from.
            keep_ticket: (caller.associate.id == target.id).then(|| caller.ticket_id.clone()),
            audit: AuditEvent {
                at: ctx.now,
                actor: Some(caller.associate.id),
                target: Some(target.id),
                operation: SET_PASSWORD.into(),
                outcome: Outcome::Success,
                client: ctx.client.clone(),
            },
        };
        if !self.store.commit_password_change(change).await? {
            return Err(AccountError::AssociateNotFound(target.id));
        }
        Ok(())
    }

    /// Looks up the associate an operation is aimed at; must exist and not be retired.
    async fn target(&self, id: Option<AssociateId>) -> Result<Associate, AccountError> {
        let id = id.ok_or(AccountError::ArgumentMissing("AssociateId"))?;
        if id <= 0 {
            return Err(AccountError::AssociateIdInvalid(id));
        }
        let found = self.store.associate_by_id(id).await?;
        let associate = found.ok_or(AccountError::AssociateNotFound(id))?;
        if associate.retired {
            return Err(AccountError::AssociateRetired(id));
        }
        Ok(associate)
    }

    pub(crate) async fn audit_failure(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: Option<AssociateId>,
        operation: &str,
        error: &AccountError,
    ) {
        let event = AuditEvent {
            at: ctx.now,
            actor: Some(caller.associate.id),
            target,
            operation: operation.into(),
            outcome: Outcome::Failure(error.code().into()),
            client: ctx.client.clone(),
        };
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write an audit record");
        }
    }
}
