//! The User agent's password-setting operations: SetPassword, SetPasswordFromName,
//! SetGeneratedPassword(FromName), ChangePassword(FromName), ChangeOwnPassword.

use crate::associate::{Associate, AssociateId};
use crate::audit::Outcome;
use crate::error::AccountError;
use crate::hasher::Lane;
use crate::lockout::LoginRefusal;
use crate::ops::rules::{admin_over, change_over, Authority};
use crate::ops::{Accounts, CallContext, Principal};
use crate::policy::{normalize, PolicyViolation, Subject};
use crate::secret::Secret;

/// Which associate an operation aims at, as the caller named it.
#[derive(Debug, Clone, Copy)]
pub enum TargetRef<'a> {
    Id(Option<AssociateId>),
    Name(Option<&'a str>),
}

impl TargetRef<'_> {
    /// The id, when the caller gave one (for the audit trail of a failure).
    pub fn id(&self) -> Option<AssociateId> {
        match self {
            TargetRef::Id(id) => *id,
            TargetRef::Name(_) => None,
        }
    }
}

impl Accounts {
    /// SetPassword / SetPasswordFromName: an administrator sets a password.
    pub async fn set_password_of(
        &self,
        ctx: &CallContext,
        target: TargetRef<'_>,
        password: Option<&Secret>,
        operation: &str,
    ) -> Result<(), AccountError> {
        let caller = self.caller(ctx).await?;
        let result = async {
            let target = self.resolve(ctx, target).await?;
            admin_over(&caller.associate, &target)?;
            let pw = password.cloned().unwrap_or_else(|| Secret::new(""));
            self.impose_password(&caller, ctx, &target, &pw, operation)
                .await
        }
        .await;
        self.audited(&caller, ctx, target.id(), operation, result)
            .await
    }

    /// Kept for the SOAP agent and tests: SetPassword by id.
    pub async fn set_password(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
        password: Option<&Secret>,
    ) -> Result<(), AccountError> {
        self.set_password_of(ctx, TargetRef::Id(target), password, "SetPassword")
            .await
    }

    /// SetGeneratedPassword(FromName): a policy-satisfying password from the OS's CSPRNG,
    /// set and returned to the administrator.
    pub async fn set_generated_password(
        &self,
        ctx: &CallContext,
        target: TargetRef<'_>,
        operation: &str,
    ) -> Result<Secret, AccountError> {
        let caller = self.caller(ctx).await?;
        let result = async {
            let target = self.resolve(ctx, target).await?;
            admin_over(&caller.associate, &target)?;
            let generated = self.generate_for(&target).await?;
            self.apply_password(
                &caller,
                ctx,
                &target,
                &generated,
                Authority::Admin,
                operation,
            )
            .await?;
            Ok(generated)
        }
        .await;
        self.audited(&caller, ctx, target.id(), operation, result)
            .await
    }

    /// A password for `target` that meets the policy, drawn on a hashing thread: up to
    /// 1000 draws, each with a strength estimate, is too much work for an async worker.
    /// A policy no draw meets is `PasswordGenerationFailed`, naming the rule.
    async fn generate_for(&self, target: &Associate) -> Result<Secret, AccountError> {
        let settings = self.settings.clone();
        let (name, full_name) = (target.name.clone(), target.full_name.clone());
        let draw = move || {
            let subject = Subject {
                name: &name,
                full_name: &full_name,
            };
            settings.policy.generate(Some(&subject))
        };
        self.hasher
            .compute(draw)
            .await?
            .map_err(AccountError::PasswordGenerationFailed)
    }

    /// ChangePassword(FromName): the associate itself with its old password, or an
    /// administrator, who may leave the old password blank to impose a new one.
    pub async fn change_password(
        &self,
        ctx: &CallContext,
        target: TargetRef<'_>,
        old: Option<&Secret>,
        new: Option<&Secret>,
        operation: &str,
    ) -> Result<(), AccountError> {
        let caller = self.caller_allowing_change(ctx).await?;
        self.change_password_as(&caller, ctx, target, old, new, operation)
            .await
    }

    /// ChangeOwnPassword: the caller's own password, proven by the old one.
    pub async fn change_own_password(
        &self,
        ctx: &CallContext,
        old: Option<&Secret>,
        new: Option<&Secret>,
        operation: &str,
    ) -> Result<(), AccountError> {
        let caller = self.caller_allowing_change(ctx).await?;
        let own = TargetRef::Id(Some(caller.associate.id));
        self.change_password_as(&caller, ctx, own, old, new, operation)
            .await
    }

    /// A password change by an authenticated caller: its own (proven by the old
    /// password) or, as an administrator, another's.
    async fn change_password_as(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: TargetRef<'_>,
        old: Option<&Secret>,
        new: Option<&Secret>,
        operation: &str,
    ) -> Result<(), AccountError> {
        let result = async {
            let target = self.resolve(ctx, target).await?;
            if caller.associate.must_change && caller.associate.id != target.id {
                return Err(AccountError::PasswordChangeRequired);
            }
            let authority = change_over(&caller.associate, &target)?;
            let old_given = old.is_some_and(|o| !o.expose().is_empty());
            if authority == Authority::Own || old_given {
                self.prove_old(ctx, &target, old, authority).await?;
            }
            let pw = new.cloned().unwrap_or_else(|| Secret::new(""));
            match authority {
                Authority::Own => {
                    self.apply_password(caller, ctx, &target, &pw, authority, operation)
                        .await
                }
                Authority::Admin => {
                    self.impose_password(caller, ctx, &target, &pw, operation)
                        .await
                }
            }
        }
        .await;
        self.audited(caller, ctx, target.id(), operation, result)
            .await
    }

    /// An administrator sets a password of their choosing. A refusal as `password_reused`
    /// says that the guess is the target's current or a recent password: one hash per
    /// guess, but an oracle all the same. So such refusals are counted per administrator,
    /// and past `reuse_refusals_per_hour` their further sets are refused before any
    /// password work until the hour is over (`password_reuse_limit`, audited like every
    /// failure by the caller's `audited`).
    async fn impose_password(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: &Associate,
        password: &Secret,
        operation: &str,
    ) -> Result<(), AccountError> {
        let key = caller.associate.id.to_string();
        if self.reuse_refusals.exhausted(&key, ctx.now) {
            return Err(AccountError::ReuseRefusalsExceeded);
        }
        let result = self
            .apply_password(caller, ctx, target, password, Authority::Admin, operation)
            .await;
        let reused = matches!(
            &result,
            Err(AccountError::PasswordRejected {
                violation: PolicyViolation::Reused { .. },
                ..
            })
        );
        if reused && self.reuse_refusals.note(&key, ctx.now) {
            tracing::warn!(
                associate = caller.associate.id,
                limit = self.settings.reuse_refusals_per_hour,
                "an administrator's password sets were refused as reused too often; further ones are refused for up to an hour"
            );
        }
        result
    }

    /// The old password must match; a mismatch costs one verification like a log-in and
    /// counts as a failed log-in towards the target's lock. While the target is locked, its
    /// own old password is verified, then refused like a wrong one, so that a stolen ticket
    /// cannot be used to go on guessing (an administrator's change is not held up).
    async fn prove_old(
        &self,
        ctx: &CallContext,
        target: &Associate,
        old: Option<&Secret>,
        authority: Authority,
    ) -> Result<(), AccountError> {
        let old = normalize(old.unwrap_or(&Secret::new("")));
        let verified = self
            .hasher
            .verify(&old, target.password_hash.as_deref(), Lane::Priority)
            .await?;
        let locked = authority == Authority::Own && target.lock.is_locked(ctx.now);
        if verified.matches && !locked {
            Ok(())
        } else {
            let outcome = self.login_failure(target, ctx, locked).await;
            if outcome == LoginRefusal::LockedNow {
                self.audit_lock(ctx, target.id).await;
            }
            Err(AccountError::OldPasswordWrong)
        }
    }

    /// Looks up the associate an operation is aimed at; must exist in the caller's tenant
    /// and not be retired. An associate of another tenant answers exactly like a missing one.
    pub(crate) async fn resolve(
        &self,
        ctx: &CallContext,
        target: TargetRef<'_>,
    ) -> Result<Associate, AccountError> {
        let found = match target {
            TargetRef::Id(None) => return Err(AccountError::ArgumentMissing("AssociateId")),
            TargetRef::Id(Some(id)) if id <= 0 => return Err(AccountError::AssociateIdInvalid(id)),
            TargetRef::Id(Some(id)) => self
                .store
                .associate_by_id(id)
                .await?
                .filter(|a| a.tenant == ctx.tenant)
                .ok_or(AccountError::AssociateNotFound(id))?,
            TargetRef::Name(None) => return Err(AccountError::ArgumentMissing("AssociateName")),
            TargetRef::Name(Some(name)) => self
                .store
                .associate_by_name(ctx.tenant, name.trim())
                .await?
                .ok_or_else(|| AccountError::AssociateNameNotFound(name.trim().to_owned()))?,
        };
        if found.retired {
            return Err(AccountError::AssociateRetired(found.id));
        }
        Ok(found)
    }

    /// Records a failure in the audit trail and passes the result on.
    pub(crate) async fn audited<T>(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: Option<AssociateId>,
        operation: &str,
        result: Result<T, AccountError>,
    ) -> Result<T, AccountError> {
        if let Err(error) = &result {
            let outcome = Outcome::Failure(error.code().into());
            self.audit_call(caller, ctx, target, operation, outcome)
                .await;
        }
        result
    }

    /// Writes one audit record of `caller`'s call; a store failure is logged, not answered.
    pub(crate) async fn audit_call(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: Option<AssociateId>,
        operation: &str,
        outcome: Outcome,
    ) {
        let event = caller.audit(ctx, target, operation, outcome);
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write an audit record");
        }
    }
}
