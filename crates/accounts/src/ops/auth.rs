//! Log-in with user name and password, and ticket validation for every other call.

use crate::app::Agent;
use crate::audit::{AuditEvent, Outcome};
use crate::error::AccountError;
use crate::ops::{Accounts, Authenticated, CallContext, Principal};
use crate::policy::normalize;
use crate::secret::Secret;
use crate::settings::Mode;
use crate::store::TicketRecord;
use crate::ticket;
use crate::time::Timestamp;

impl Accounts {
    /// `Ok(None)` is a failed log-in. An unknown name, a retired user, a user without a
    /// password, a wrong password and a locked associate all cost one Argon2id
    /// verification and give the same answer: a locked associate is verified too, then
    /// refused, so that neither its existence nor its lock shows.
    ///
    /// `Err` for a refused application token (Online), `Err(ServerBusy)` when the log-in's
    /// lane of the hashing queue is full, and `Err(TooManyAttempts)` when the client's
    /// address is over the per-minute rate limit (all checked before any password work).
    ///
    /// The lane is the client address's standing (`crate::standing`), decided before the
    /// name is looked up; the outcome updates that standing.
    pub async fn authenticate(
        &self,
        name: &str,
        password: &Secret,
        ctx: &CallContext,
    ) -> Result<Option<Authenticated>, AccountError> {
        let (app, app_id) = match self.check_app(ctx, Agent::SoPrincipal).await {
            Ok(app) => (app.as_ref().map(|a| a.name.clone()), app.map(|a| a.id)),
            Err(refused) => {
                let outcome = Outcome::Failure(refused.code().into());
                self.audit_login(ctx, None, None, outcome).await;
                return Err(refused);
            }
        };
        let client = ctx.client.as_deref();
        let pass = self.standing.pass(client, ctx.now);
        if self.hasher.full(pass.lane()) {
            return Err(AccountError::ServerBusy);
        }
        if let Some(client) = &ctx.client {
            if !self.login_rate.allow(client, ctx.now) {
                tracing::warn!(client = %client, "log-in rate limit reached");
                let outcome = Outcome::Failure("too_many_attempts".into());
                self.audit_login(ctx, app, None, outcome).await;
                return Err(AccountError::TooManyAttempts);
            }
        }
        let found = self
            .store
            .associate_by_name(ctx.tenant, name.trim())
            .await?;
        let password = normalize(password);
        let stored = found.as_ref().and_then(|a| a.password_hash.as_deref());
        // Refused as busy before any verification: nothing about the name or the
        // password was judged, so nothing is counted or audited (a flood would fill the
        // audit trail); the log line of the call names the outcome.
        let verified = self.hasher.verify(&password, stored, pass.lane()).await?;
        drop(pass);
        let Some(found) = found else {
            self.standing.failed(client);
            // No row to count the failure on; the verification above cost the same work.
            let outcome = Outcome::Failure("login_failed".into());
            self.audit_login(ctx, app, None, outcome).await;
            return Ok(None);
        };
        let locked = found.lock.is_locked(ctx.now);
        if locked || found.retired || !verified.matches {
            self.standing.failed(client);
            self.refuse_login(&found, ctx, app, locked).await;
            return Ok(None);
        }
        let associate = found;
        if verified.needs_rehash {
            // Parameters changed since this hash was made: upgrade it now that we hold the
            // password (or at a later log-in, when the hashing queue is full now).
            match self.hasher.hash(&password).await {
                Ok(phc) => self.store.update_password_hash(associate.id, &phc).await?,
                Err(AccountError::ServerBusy) => {}
                Err(e) => return Err(e),
            }
        }
        if !associate.lock.is_clear() {
            self.store.clear_login_failures(associate.id).await?;
        }
        let ttl = self
            .settings
            .ticket_ttl
            .min(self.settings.ticket_max_lifetime);
        let issued = ticket::issue(associate.id, app_id, ctx.now, ttl);
        let expires_at = issued.record.expires_at;
        self.store.insert_ticket(issued.record).await?;
        self.standing.succeeded(client, ctx.now);
        self.audit_login(ctx, app, Some(associate.id), Outcome::Success)
            .await;
        Ok(Some(Authenticated {
            associate,
            ticket: issued.ticket,
            expires_at,
        }))
    }

    /// A refused log-in of an existing associate: the failure counted and its audit record
    /// written in one store transaction, so that it costs one commit like the refusal of
    /// an unknown name (only its audit record): with two, a wrong password answered
    /// measurably later than an unknown name or a locked associate. A store failure is
    /// logged, and the audit record then written on its own; the answer is the same.
    async fn refuse_login(
        &self,
        found: &crate::associate::Associate,
        ctx: &CallContext,
        app: Option<String>,
        locked: bool,
    ) {
        // The outcome is named again by the store from what counting this failure did.
        let outcome = Outcome::Failure(crate::refusal_outcome(None, locked).into());
        let event = login_event(ctx, app.clone(), Some(found.id), outcome);
        let settings = &self.settings.lockout;
        let recorded = self
            .store
            .record_refused_login(found.id, ctx.now, settings, locked, event)
            .await;
        match recorded {
            Ok(Some(r)) if r.locked_now() => tracing::warn!(
                associate = found.id,
                failures = r.after.failed_logins,
                until = r.after.locked_until.map_or(0, |t| t.0),
                "associate locked after repeated failed log-ins"
            ),
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "could not record a refused log-in");
                let outcome = crate::refusal_outcome(None, locked);
                self.audit_login(ctx, app, Some(found.id), Outcome::Failure(outcome.into()))
                    .await;
            }
        }
    }

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
    ) -> &'static str {
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
                crate::refusal_outcome(r.as_ref(), locked)
            }
            Err(e) => {
                tracing::error!(error = %e, "could not record a failed log-in");
                crate::refusal_outcome(None, locked)
            }
        }
    }

    /// Resolves the caller of a ticketed User agent call, sliding the ticket's expiry.
    /// The calling application is checked first (`check_app`), so every User operation,
    /// which all start here, is covered.
    pub async fn principal(&self, ctx: &CallContext) -> Result<Principal, AccountError> {
        let app = self.check_app(ctx, Agent::User).await?;
        let app_id = app.as_ref().map(|a| a.id);
        let presented = ctx
            .ticket
            .as_ref()
            .filter(|t| !t.expose().trim().is_empty());
        let presented = presented.ok_or(AccountError::CredentialsMissing)?;
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
            ticket_id: record.id,
            app: app.map(|a| a.name),
        })
    }

    /// The caller of an ordinary call: a valid ticket whose owner need not change its
    /// password first.
    pub async fn caller(&self, ctx: &CallContext) -> Result<Principal, AccountError> {
        let principal = self.principal(ctx).await?;
        if principal.associate.must_change {
            return Err(AccountError::PasswordChangeRequired);
        }
        Ok(principal)
    }

    /// The caller of ChangeOwnPassword / ChangePassword: must-change is what they are for.
    pub async fn caller_allowing_change(
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
        let event = AuditEvent {
            tenant: ctx.tenant,
            at: ctx.now,
            actor: None,
            target: Some(target),
            operation: "lockout".into(),
            outcome: Outcome::Failure("account_locked".into()),
            client: ctx.client.clone(),
            app: None,
            operation_id: Some(ctx.operation_id.clone()),
        };
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write the audit record of a lock");
        }
    }

    async fn audit_login(
        &self,
        ctx: &CallContext,
        app: Option<String>,
        target: Option<i32>,
        outcome: Outcome,
    ) {
        let event = login_event(ctx, app, target, outcome);
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write the audit record of a log-in");
        }
    }
}

/// The audit record of a log-in; the actor is the associate only when it succeeded.
fn login_event(
    ctx: &CallContext,
    app: Option<String>,
    target: Option<i32>,
    outcome: Outcome,
) -> AuditEvent {
    let actor = if outcome == Outcome::Success {
        target
    } else {
        None
    };
    AuditEvent {
        tenant: ctx.tenant,
        at: ctx.now,
        actor,
        target,
        operation: "AuthenticateUsernamePassword".into(),
        outcome,
        client: ctx.client.clone(),
        app,
        operation_id: Some(ctx.operation_id.clone()),
    }
}
