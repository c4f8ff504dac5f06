//! Log-in with user name and password, and ticket validation for every other call.

use crate::app::Agent;
use crate::audit::{AuditEvent, Outcome};
use crate::error::AccountError;
use crate::ops::{Accounts, Authenticated, CallContext, Principal};
use crate::policy::normalize;
use crate::secret::Secret;
use crate::ticket;
use crate::time::Timestamp;

impl Accounts {
    /// `Ok(None)` is a failed log-in; a refused application token is an error. An unknown name, a retired user, a user without a
    /// password and a wrong password all cost one Argon2id verification and give the same
    /// answer.
    pub async fn authenticate(
        &self,
        name: &str,
        password: &Secret,
        ctx: &CallContext,
    ) -> Result<Option<Authenticated>, AccountError> {
        let app = match self.check_app(ctx, Agent::SoPrincipal).await {
            Ok(app) => app,
            Err(refused) => {
                let outcome = Outcome::Failure(refused.code().into());
                self.audit_login(ctx, None, None, outcome).await;
                return Err(refused);
            }
        };
        let found = self.store.associate_by_name(name.trim()).await?;
        let password = normalize(password);
        let stored = found.as_ref().and_then(|a| a.password_hash.as_deref());
        let verified = self.hasher.verify(&password, stored).await;
        let usable = found.as_ref().filter(|a| !a.retired && verified.matches);
        let Some(associate) = usable.cloned() else {
            self.audit_login(
                ctx,
                app,
                found.map(|a| a.id),
                Outcome::Failure("login_failed".into()),
            )
            .await;
            return Ok(None);
        };
        if verified.needs_rehash {
            // Parameters changed since this hash was made: upgrade it now that we hold the password.
            let phc = self.hasher.hash(&password).await?;
            self.store.update_password_hash(associate.id, &phc).await?;
        }
        let issued = ticket::issue(associate.id, ctx.now, self.settings.ticket_ttl);
        let expires_at = issued.record.expires_at;
        self.store.insert_ticket(issued.record).await?;
        self.audit_login(ctx, app, Some(associate.id), Outcome::Success)
            .await;
        Ok(Some(Authenticated {
            associate,
            ticket: issued.ticket,
            expires_at,
        }))
    }

    /// Resolves the caller of a ticketed User agent call, sliding the ticket's expiry.
    /// The calling application is checked first (`check_app`), so every User operation,
    /// which all start here, is covered.
    pub async fn principal(&self, ctx: &CallContext) -> Result<Principal, AccountError> {
        let app = self.check_app(ctx, Agent::User).await?;
        let presented = ctx
            .ticket
            .as_ref()
            .filter(|t| !t.expose().trim().is_empty());
        let presented = presented.ok_or(AccountError::CredentialsMissing)?;
        let parts = ticket::parse(presented.expose()).ok_or(AccountError::TicketInvalid)?;
        let record = self.store.ticket(&parts.id).await?;
        let record = record.ok_or(AccountError::TicketInvalid)?;
        if !ticket::matches(&parts.secret, &record.digest) {
            return Err(AccountError::TicketInvalid);
        }
        if record.expires_at <= ctx.now {
            return Err(AccountError::TicketExpired);
        }
        let associate = self.store.associate_by_id(record.associate_id).await?;
        let associate = associate
            .filter(|a| !a.retired)
            .ok_or(AccountError::CallerRetired)?;
        self.renew(&record.id, record.expires_at, ctx.now).await?;
        Ok(Principal {
            associate,
            ticket_id: record.id,
            app,
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
    /// turn every read into a write.
    async fn renew(
        &self,
        id: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), AccountError> {
        if !self.settings.renew_tickets {
            return Ok(());
        }
        let renewed = now.plus(self.settings.ticket_ttl);
        if renewed.0 - expires_at.0 >= 60 {
            self.store.renew_ticket(id, renewed).await?;
        }
        Ok(())
    }

    async fn audit_login(
        &self,
        ctx: &CallContext,
        app: Option<String>,
        target: Option<i32>,
        outcome: Outcome,
    ) {
        let actor = if outcome == Outcome::Success {
            target
        } else {
            None
        };
        let event = AuditEvent {
            at: ctx.now,
            actor,
            target,
            operation: "AuthenticateUsernamePassword".into(),
            outcome,
            client: ctx.client.clone(),
            app,
            operation_id: Some(ctx.operation_id.clone()),
        };
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write the audit record of a log-in");
        }
    }
}
