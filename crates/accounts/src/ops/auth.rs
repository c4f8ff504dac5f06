//! Who is calling: the caller of every User agent call, from its ticket or its password,
//! and the must-change gate in front of ordinary calls.

use crate::app::{Agent, AppRecord};
use crate::audit::Outcome;
use crate::error::AccountError;
use crate::lockout::LoginRefusal;
use crate::ops::{Accounts, CallContext, Credentials, Principal};
use crate::secret::Secret;
use crate::settings::Mode;
use crate::store::TicketRecord;
use crate::ticket;
use crate::time::Timestamp;

impl Accounts {
    /// Counts a failed proof of `associate`'s password (log-in or old password) towards
    /// its lock, and says how the attempt ended for the audit trail: `login_locked` (refused
    /// because locked; the password is not judged), `account_locked` (this failure locked
    /// it) or `login_failed`. A store failure here is logged, not answered: the caller
    /// gets the same refusal either way.
    pub(crate) async fn login_failure(
        &self,
        associate: &crate::associate::Associate,
        ctx: &CallContext,
        locked: bool,
    ) -> LoginRefusal {
        // Also while locked, so that a locked and an unlocked refusal do the same work;
        // the store leaves a holding lock as it is.
        let recorded = self
            .store
            .record_login_failure(associate.id, ctx.now, &self.settings.lockout)
            .await;
        match recorded {
            Ok(r) => {
                if let Some(r) = r.filter(|r| r.locked_now()) {
                    tracing::warn!(
                        associate = associate.id,
                        failures = r.after.failed_logins,
                        until = r.after.locked_until.map_or(0, |t| t.0),
                        "associate locked after repeated failed log-ins"
                    );
                }
                LoginRefusal::of(r.as_ref(), locked)
            }
            Err(e) => {
                tracing::error!(error = %e, "could not record a failed log-in");
                LoginRefusal::of(None, locked)
            }
        }
    }

    /// Resolves the caller of a User agent call from its credentials: a ticket (its
    /// expiry slid) or, on-site, a name and password proved as a log-in proves them. The
    /// calling application is checked first (`check_app`), so every User operation, which
    /// all start here, is covered.
    pub async fn principal(&self, ctx: &CallContext) -> Result<Principal, AccountError> {
        let app = self.check_app(ctx, Agent::User).await?;
        match &ctx.credentials {
            Some(Credentials::Ticket(ticket)) => self.ticket_caller(ticket, app, ctx).await,
            Some(Credentials::Password { name, password }) => {
                self.password_caller(name, password, ctx).await
            }
            None => Err(AccountError::CredentialsMissing),
        }
    }

    /// The owner of a presented ticket, which must be valid for this tenant, this
    /// application and now.
    async fn ticket_caller(
        &self,
        presented: &Secret,
        app: Option<AppRecord>,
        ctx: &CallContext,
    ) -> Result<Principal, AccountError> {
        if presented.expose().trim().is_empty() {
            return Err(AccountError::CredentialsMissing);
        }
        let app_id = app.as_ref().map(|a| a.id);
        let parts = ticket::parse(presented.expose()).ok_or(AccountError::TicketInvalid)?;
        if self.unknown_tickets.contains(&parts.id) {
            return Err(AccountError::TicketInvalid);
        }
        let Some(record) = self.store.ticket(&parts.id).await? else {
            self.unknown_tickets.insert(&parts.id);
            return Err(AccountError::TicketInvalid);
        };
        if !ticket::matches(&parts.secret, &record.digest) {
            return Err(AccountError::TicketInvalid);
        }
        // A ticket belongs to its associate's tenant; at any other it is no ticket at all
        // (checked before expiry, so that it does not even show whether it expired).
        let associate = self.store.associate_by_id(record.associate_id).await?;
        if associate.as_ref().is_some_and(|a| a.tenant != ctx.tenant) {
            return Err(AccountError::TicketInvalid);
        }
        // Online, a ticket works only for the application that logged in with it: a
        // partner app's ticket is no key to the User agent through a user-management app.
        // On-site there are no applications to compare.
        if self.settings.mode == Mode::Online && record.app_id != app_id {
            tracing::warn!(
                ticket_app = record.app_id.unwrap_or(0),
                calling_app = app_id.unwrap_or(0),
                "a ticket was presented by another application than the one it was issued to"
            );
            return Err(AccountError::TicketAppMismatch);
        }
        // The ceiling holds however the ticket was renewed, and for tickets renewed under
        // a longer ceiling than today's.
        let ceiling = record.created_at.plus(self.settings.ticket_max_lifetime);
        if record.expires_at <= ctx.now || ceiling <= ctx.now {
            return Err(AccountError::TicketExpired);
        }
        let associate = associate
            .filter(|a| !a.retired)
            .ok_or(AccountError::CallerRetired)?;
        self.renew(&record, ctx.now).await?;
        Ok(Principal {
            associate,
            ticket_id: Some(record.id),
            app: app.map(|a| a.name),
        })
    }

    /// The caller of an ordinary call: a valid ticket whose owner need not change its
    /// password first.
    pub(crate) async fn caller(&self, ctx: &CallContext) -> Result<Principal, AccountError> {
        let principal = self.principal(ctx).await?;
        if principal.associate.must_change {
            return Err(AccountError::PasswordChangeRequired);
        }
        Ok(principal)
    }

    /// The caller of ChangeOwnPassword / ChangePassword: must-change is what they are for.
    pub(crate) async fn caller_allowing_change(
        &self,
        ctx: &CallContext,
    ) -> Result<Principal, AccountError> {
        self.principal(ctx).await
    }

    /// Slides the expiry, at most once a minute per ticket so that a busy client does not
    /// turn every read into a write, and never past the ticket's ceiling (issued-at plus
    /// the maximum lifetime). The step that reaches the ceiling is taken even when it is
    /// shorter than a minute: otherwise a ticket in constant use, whose last full step
    /// ended less than a minute before its ceiling, expired there while in use.
    async fn renew(&self, record: &TicketRecord, now: Timestamp) -> Result<(), AccountError> {
        if !self.settings.renew_tickets {
            return Ok(());
        }
        let ceiling = record.created_at.plus(self.settings.ticket_max_lifetime);
        let renewed = now.plus(self.settings.ticket_ttl).min(ceiling);
        let step = renewed.0 - record.expires_at.0;
        if step >= 60 || (renewed == ceiling && step > 0) {
            self.store.renew_ticket(&record.id, renewed).await?;
        }
        Ok(())
    }

    /// The audit record of a lock that a wrong old password (not a log-in) set off.
    pub(crate) async fn audit_lock(&self, ctx: &CallContext, target: i32) {
        let outcome = Outcome::Failure("account_locked".into());
        let event = ctx.audit(None, Some(target), "lockout", outcome, None);
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write the audit record of a lock");
        }
    }
}
