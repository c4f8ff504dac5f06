//! Applying a new password: the policy verdict (with the target's names and history),
//! the hash, and the one transaction that stores it, revokes tickets and audits.

use crate::associate::Associate;
use crate::audit::Outcome;
use crate::error::AccountError;
use crate::hasher::Lane;
use crate::ops::rules::Authority;
use crate::ops::{Accounts, CallContext, Principal};
use crate::policy::{normalize, PolicyViolation, Subject};
use crate::secret::Secret;
use crate::store::PasswordChange;

impl Accounts {
    /// The policy verdict for `password` (not yet normalised) as `target`'s new password:
    /// every rule, the history included. The one function all setting operations and
    /// `IsPasswordValid*` use.
    pub(crate) async fn policy_verdict(
        &self,
        target: Option<&Associate>,
        password: &Secret,
    ) -> Result<Secret, AccountError> {
        let password = normalize(password);
        let policy = &self.settings.policy;
        self.check_rules(target, &password).await?;
        if let Some(t) = target {
            if policy.history > 0 && self.reuses(t, &password).await? {
                return Err(policy.rejection(PolicyViolation::Reused {
                    last: policy.history,
                }));
            }
        }
        Ok(password)
    }

    /// The verdict of every rule but the history's, for a caller who may not learn
    /// anything about `target`'s passwords.
    pub(crate) async fn static_verdict(
        &self,
        target: Option<&Associate>,
        password: &Secret,
    ) -> Result<(), AccountError> {
        self.check_rules(target, &normalize(password)).await
    }

    /// The rules without history, on the hashing threads: the strength estimate can take
    /// tens of milliseconds and megabytes on a long password, too much for an async
    /// worker, and too much to run for every waiting request at once.
    async fn check_rules(
        &self,
        target: Option<&Associate>,
        password: &Secret,
    ) -> Result<(), AccountError> {
        self.hasher
            .compute(self.rules_job(target, password))
            .await?
    }

    /// The rules without history as a job for a hashing thread.
    fn rules_job(
        &self,
        target: Option<&Associate>,
        password: &Secret,
    ) -> impl FnOnce() -> Result<(), AccountError> + Send + 'static {
        let settings = self.settings.clone();
        let names = target.map(|t| (t.name.clone(), t.full_name.clone()));
        let password = password.clone();
        move || {
            let subject = names
                .as_ref()
                .map(|(name, full_name)| Subject { name, full_name });
            settings.policy.check_for(&password, subject.as_ref())
        }
    }

    /// The verdict and the hash of `password` for `target`. Without a history to compare
    /// against, the rules and the hash are one job on one hashing thread.
    async fn verdict_and_hash(
        &self,
        target: &Associate,
        password: &Secret,
    ) -> Result<String, AccountError> {
        if self.settings.policy.history > 0 {
            let password = self.policy_verdict(Some(target), password).await?;
            return self.hasher.hash(&password).await;
        }
        let password = normalize(password);
        let rules = self.rules_job(Some(target), &password);
        self.hasher.check_and_hash(&password, rules).await
    }

    /// Whether `password` matches the current or one of the last remembered hashes.
    async fn reuses(&self, target: &Associate, password: &Secret) -> Result<bool, AccountError> {
        let keep = self.settings.policy.history.saturating_sub(1);
        let mut hashes = self
            .store
            .password_history(target.id, u32::try_from(keep).unwrap_or(u32::MAX))
            .await?;
        hashes.extend(target.password_hash.clone());
        for phc in hashes {
            if self
                .hasher
                .verify(password, Some(&phc), Lane::Priority)
                .await?
                .matches
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Checks, hashes and stores `password` for `target`. An administrator imposing a
    /// password may set must-change (a setting); a user's own change clears it.
    pub(crate) async fn apply_password(
        &self,
        caller: &Principal,
        ctx: &CallContext,
        target: &Associate,
        password: &Secret,
        authority: Authority,
        operation: &str,
    ) -> Result<(), AccountError> {
        let phc = self.verdict_and_hash(target, password).await?;
        let own = caller.associate.id == target.id;
        let imposed = authority == Authority::Admin && !own;
        let change = PasswordChange {
            associate_id: target.id,
            password_hash: phc,
            // A user changing their own password keeps the session they did it from.
            keep_ticket: own.then(|| caller.ticket_id.clone()).flatten(),
            audit: caller.audit(ctx, Some(target.id), operation, Outcome::Success),
            must_change: imposed && self.settings.policy.must_change_on_admin_set,
            history_keep: self.settings.policy.history.saturating_sub(1),
            // An administrator's set lifts the lock; a user's own change got here only by
            // proving the old password, which counts as a successful log-in.
            clear_lock: true,
        };
        if !self.store.commit_password_change(change).await? {
            return Err(AccountError::AssociateNotFound(target.id));
        }
        Ok(())
    }
}
